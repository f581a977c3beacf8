"""RFC 7518 s3.2 - HMAC with SHA-2 Functions.

HS256, HS384 and HS512 compute HMAC (RFC 2104) over the JWS Signing Input
with SHA-256, SHA-384 or SHA-512 and use the full output as the JWS
Signature. The key is a shared secret of at least as many octets as the hash
output. Verification recomputes the MAC and compares it in constant time;
cryptography (OpenSSL's HMAC) computes it, this module only adds the JOSE rules.

https://www.rfc-editor.org/rfc/rfc7518#section-3.2
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hmac

from jose_ref.errors import InvalidKeyError, InvalidSignatureError
from jose_ref.jwa.registry import SignatureAlg, hash_algorithm, hash_bytes
from jose_ref.jwa.signatures import opaque
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = ["sign", "verifier", "verify"]


def _keyed(alg: SignatureAlg, key: object) -> hmac.HMAC:
    """The HMAC context keyed with `key` for `alg`, before any message."""
    if alg.family != "HMAC" or alg.hash is None:
        raise ValueError(f"{alg.name} is not an HMAC algorithm (RFC 7518 s3.2)")
    # An HMAC key is a byte string; an asymmetric key object can never key an
    # HMAC (RFC 8725 s3.1, the classic RS256/HS256 confusion).
    if not isinstance(key, bytes):
        raise InvalidKeyError(f"{alg.name} requires a symmetric key as bytes (RFC 7518 s3.2)")
    # RFC 7518 s3.2: "A key of the same size as the hash output ... or larger
    # MUST be used with this algorithm." Checked on verify too, so a short key
    # is refused before it can authenticate anything.
    key_bytes = hash_bytes(alg.hash)
    if len(key) < key_bytes:
        raise InvalidKeyError(
            f"{alg.name} requires a key of at least {key_bytes} octets, got {len(key)} "
            "(RFC 7518 s3.2)"
        )
    return hmac.HMAC(key, hash_algorithm(alg.hash))


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the HMAC of `signing_input` under `key` (bytes) as the JWS Signature."""
    mac = _keyed(alg, key)
    mac.update(signing_input)
    return mac.finalize()


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates MACs under it."""
    # RFC 2104: HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). The state after hashing
    # the padded key is the same for every message: made once here, copied per message.
    keyed = _keyed(alg, key)
    mac_bytes = keyed.algorithm.digest_size

    def verify_mac(signing_input: bytes, signature: bytes) -> None:
        # RFC 7518 s3.2: the whole HMAC output is the JWS Signature, so a truncated
        # or extended value is refused by length first; the comparison itself "MUST
        # be done in a constant-time manner to thwart timing attacks" (same section),
        # as cryptography's HMAC.verify does.
        if len(signature) != mac_bytes:
            raise InvalidSignatureError() from None
        mac = keyed.copy()
        mac.update(signing_input)
        opaque.verify_or_raise(mac.verify, signature)

    return verify_mac


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` is the HMAC of `signing_input`; else InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
