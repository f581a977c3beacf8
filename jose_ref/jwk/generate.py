"""RFC 7518 s6 - Generating new keys of every JWK type.

Defaults follow RFC 7518 and RFC 8725: RSA 2048 bits (the minimum, s3.3),
EC P-256, OKP Ed25519, and 256-bit symmetric keys. Sizes below the
minimums are refused rather than produced. An AKP key has no default: its
"alg" (RFC 9964 s3, e.g. ML-DSA-65) says which parameter set to generate.

https://www.rfc-editor.org/rfc/rfc7518#section-6
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa

from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.jwk import akp, ec, okp, pem, rsa
from jose_ref.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from jose_ref.jwk.key import JWK

__all__ = ["generate"]


def _new_key(kty: str, size: int | None, crv: str | None, alg: object) -> Any:
    if kty == "AKP":
        return akp.generate(alg)
    if kty == "RSA":
        bits = 2048 if size is None else size
        # A private key above Limits().max_rsa_private_bits would not load with the defaults.
        largest = DEFAULT_LIMITS.max_rsa_private_bits
        if not rsa.MIN_MODULUS_BITS <= bits <= largest:
            raise InvalidKeyError(f"RSA size must be {rsa.MIN_MODULUS_BITS}..{largest}")
        return crypto_rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if kty == "EC":
        curve = ec.CURVES.get(crv or "P-256")
        if curve is None:
            raise UnsupportedAlgorithmError(f"unsupported EC curve {crv!r}")
        return crypto_ec.generate_private_key(curve())
    if kty == "OKP":
        okp_curve = okp.CURVES.get(crv or "Ed25519")
        if okp_curve is None:
            raise UnsupportedAlgorithmError(f"unsupported OKP curve {crv!r}")
        return okp_curve.private.generate()
    if kty == "oct":
        bits = 256 if size is None else size
        if bits < 128 or bits % 8:
            raise InvalidKeyError("oct key size must be a multiple of 8 and at least 128 bits")
        return secrets.token_bytes(bits // 8)
    raise UnsupportedAlgorithmError(f"unsupported kty {kty!r}")


def generate(kty: str, *, size: int | None, crv: str | None, params: Mapping[str, Any]) -> JWK:
    """A new private JWK of type `kty` with the extra members `params` (kid, use, alg ...)."""
    return pem.from_key_object(_new_key(kty, size, crv, params.get("alg")), params)
