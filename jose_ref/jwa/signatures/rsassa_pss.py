"""RFC 7518 s3.5 - Digital Signature with RSASSA-PSS.

PS256, PS384 and PS512 sign the JWS Signing Input with RSASSA-PSS
(RFC 8017 s8.1) over SHA-256, SHA-384 or SHA-512, using MGF1 with the same
hash and a salt exactly as long as the hash output. The salt length is fixed
on both sign and verify, never "auto" or "max", so a signature made with any
other salt length does not verify. The key rules (private key to sign,
modulus of 2048 to 16384 bits) are shared with RSASSA-PKCS1-v1_5.

https://www.rfc-editor.org/rfc/rfc7518#section-3.5
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures.opaque import Verifier
from jose_ref.jwa.signatures.rsassa_pkcs1_v1_5 import (
    hash_algorithm,
    rsa_verifier,
    signing_key,
    verification_key,
)

__all__ = ["sign", "verifier", "verify"]


def _pss(alg: SignatureAlg) -> tuple[padding.PSS, hashes.HashAlgorithm]:
    if alg.family != "RSASSA-PSS":
        raise ValueError(f"{alg.name} is not an RSASSA-PSS algorithm")
    hash_ = hash_algorithm(alg)
    # RFC 7518 s3.5: "The size of the salt value is the same size as the hash
    # function output", and MGF1 uses the same hash. A fixed salt length on
    # verify too (SECURITY.md): AUTO would accept signatures JOSE does not define.
    pss = padding.PSS(mgf=padding.MGF1(hash_), salt_length=hash_.digest_size)
    return pss, hash_


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the RSASSA-PSS signature of `signing_input` (RFC 8017 s8.1.1)."""
    pss, hash_ = _pss(alg)
    return signing_key(alg, key).sign(signing_input, pss, hash_)


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates signatures (s8.1.2)."""
    pss, hash_ = _pss(alg)
    return rsa_verifier(verification_key(alg, key), pss, hash_)


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` verifies (RFC 8017 s8.1.2), else raise InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
