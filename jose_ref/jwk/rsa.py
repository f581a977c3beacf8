"""RFC 7518 s6.3 - Parameters for RSA Keys.

Loads an RSA JWK into a cryptography key, enforcing what RFC 7518 and
RFC 8725 expect of a key that will be trusted: a modulus of 2048 to 16384
bits (RFC 7518 s3.3, s4.2), an odd public exponent 3 <= e < 2^32, minimal
Base64urlUInt integers, no ROCA fingerprint, and either all CRT members or
none (s6.3.2). A private key is bounded by `Limits.max_rsa_private_bits`
before any of its members is read, then checked with integer arithmetic
only (rsa_private); one given by "d" alone has its primes recovered.
Multi-prime keys ("oth") are not supported.

https://www.rfc-editor.org/rfc/rfc7518#section-6.3
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import rsa

from jose_ref import deferred
from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.jwk._members import uint, uint_to_b64u
from jose_ref.limits import DEFAULT_LIMITS, Limits, check

if TYPE_CHECKING:
    from jose_ref.jwk import roca, rsa_private
else:  # loaded by the first RSA key: a program with no RSA key never needs them
    roca = deferred.module("jose_ref.jwk.roca", globals())
    rsa_private = deferred.module("jose_ref.jwk.rsa_private", globals())

__all__ = ["PRIVATE_MEMBERS", "THUMBPRINT_MEMBERS", "export", "load"]

MIN_MODULUS_BITS = 2048
MAX_MODULUS_BITS = 16384
CRT_MEMBERS = ("p", "q", "dp", "dq", "qi")
PRIVATE_MEMBERS = ("d", *CRT_MEMBERS, "oth")
THUMBPRINT_MEMBERS = ("e", "kty", "n")  # RFC 7638 s3.2

RSAKey = rsa.RSAPublicKey | rsa.RSAPrivateKey


def _public_numbers(members: Mapping[str, Any]) -> rsa.RSAPublicNumbers:
    n = uint(members, "n", "RSA")
    e = uint(members, "e", "RSA")
    bits = n.bit_length()
    # RFC 7518 s3.3 / s4.2: 2048 bits or larger; the upper bound keeps RSA work bounded.
    if not MIN_MODULUS_BITS <= bits <= MAX_MODULUS_BITS:
        raise InvalidKeyError(
            f"RSA JWK: modulus of {bits} bits is outside {MIN_MODULUS_BITS}..{MAX_MODULUS_BITS}"
        )
    # A modulus is a product of odd primes: an even one can never be a valid key.
    if n % 2 == 0:
        raise InvalidKeyError("RSA JWK: the modulus is even")
    # An even or tiny exponent is never valid RSA; a huge one is a DoS vector.
    if e % 2 == 0 or not 3 <= e < 2**32:
        raise InvalidKeyError("RSA JWK: public exponent must be odd and 3 <= e < 2^32")
    # CVE-2017-15361: a modulus with the ROCA fingerprint can be factored.
    if roca.has_fingerprint(n):
        raise InvalidKeyError("RSA JWK: the modulus has the ROCA fingerprint (CVE-2017-15361)")
    return rsa.RSAPublicNumbers(e, n)


def _private_numbers(
    members: Mapping[str, Any], public: rsa.RSAPublicNumbers
) -> rsa.RSAPrivateNumbers:
    n, e = public.n, public.e
    d = uint(members, "d", "RSA")
    present = [name for name in CRT_MEMBERS if name in members]
    if present and len(present) != len(CRT_MEMBERS):
        # RFC 7518 s6.3.2: the CRT members are all present or all absent.
        raise InvalidKeyError("RSA JWK: p, q, dp, dq and qi must be all present or all absent")
    if present:
        p, q, dp, dq, qi = (uint(members, name, "RSA") for name in CRT_MEMBERS)
    else:
        p, q = rsa_private.recover_primes(n, e, d)
        try:
            qi = pow(q, -1, p)
        except ValueError:
            # p and q share a factor: n is no product of two distinct primes.
            raise InvalidKeyError("RSA JWK: p and q are not coprime (RFC 8017 s3.2)") from None
        dp, dq = d % (p - 1), d % (q - 1)
    rsa_private.check(n, e, d, (p, q, dp, dq, qi))
    return rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, public)


def load(
    members: Mapping[str, Any], limits: Limits = DEFAULT_LIMITS
) -> tuple[rsa.RSAPublicKey, rsa.RSAPrivateKey | None]:
    """Return (public key, private key or None) for an RSA JWK's members."""
    if "oth" in members:
        raise UnsupportedAlgorithmError('RSA JWK: multi-prime keys ("oth") are not supported')
    public = _public_numbers(members)
    if "d" not in members:
        if any(name in members for name in CRT_MEMBERS):
            raise InvalidKeyError('RSA JWK: CRT members given without "d"')
        return public.public_key(), None
    # The private key's size is bounded before any private member is decoded or checked.
    check(limits, "max_rsa_private_bits", public.n.bit_length(), "RSA private JWK modulus")
    numbers = _private_numbers(members, public)
    try:
        # rsa_private.check did the consistency checks in integer arithmetic; OpenSSL's own
        # key check (primality tests) is what made large private keys cost minutes.
        private = numbers.private_key(unsafe_skip_rsa_key_validation=True)
    except ValueError:
        raise InvalidKeyError("RSA JWK: inconsistent private key members") from None
    return private.public_key(), private


def export(key: RSAKey, *, private: bool) -> dict[str, str]:
    """The RSA members of a cryptography key (private members only when asked)."""
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.private_numbers()
        public = numbers.public_numbers
    else:
        numbers, public = None, key.public_numbers()
    members = {"kty": "RSA", "n": uint_to_b64u(public.n), "e": uint_to_b64u(public.e)}
    if private and numbers is not None:
        members |= {
            "d": uint_to_b64u(numbers.d),
            "p": uint_to_b64u(numbers.p),
            "q": uint_to_b64u(numbers.q),
            "dp": uint_to_b64u(numbers.dmp1),
            "dq": uint_to_b64u(numbers.dmq1),
            "qi": uint_to_b64u(numbers.iqmp),
        }
    return members
