"""RFC 7518 s3.3 - Digital Signature with RSASSA-PKCS1-v1_5.

RS256, RS384 and RS512 sign the JWS Signing Input with RSASSA-PKCS1-v1_5
(RFC 8017 s8.2) over SHA-256, SHA-384 or SHA-512. The signature is
deterministic and exactly as long as the modulus. The key rules (a private
key to sign, a modulus of at least 2048 bits, capped at 16384 here) are the
same for RSASSA-PSS (RFC 7518 s3.5), which reuses the helpers of this module.

https://www.rfc-editor.org/rfc/rfc7518#section-3.3
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from jose_ref.errors import InvalidKeyError, InvalidSignatureError
from jose_ref.jwa import registry
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import opaque
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = [
    "hash_algorithm",
    "rsa_verifier",
    "sign",
    "signing_key",
    "verification_key",
    "verifier",
    "verify",
]

# RFC 7518 s3.3 and s3.5: "A key of size 2048 bits or larger MUST be used".
_MIN_MODULUS_BITS = 2048
# Upper bound of SECURITY.md: a huge modulus would make one verification slow.
_MAX_MODULUS_BITS = 16384
_SECTION = {"RSASSA-PKCS1-v1_5": "RFC 7518 s3.3", "RSASSA-PSS": "RFC 7518 s3.5"}


def hash_algorithm(alg: SignatureAlg) -> hashes.HashAlgorithm:
    """Return the cryptography hash of an RSA signature descriptor."""
    if alg.family not in _SECTION or alg.hash is None:
        raise ValueError(f"{alg.name} is not an RSA signature algorithm (RFC 7518 s3.1)")
    return registry.hash_algorithm(alg.hash)


def _check_size(alg: SignatureAlg, key_bits: int) -> None:
    if not _MIN_MODULUS_BITS <= key_bits <= _MAX_MODULUS_BITS:
        section = _SECTION.get(alg.family, "RFC 7518 s3.3, s3.5")
        raise InvalidKeyError(
            f"{alg.name} requires an RSA modulus of {_MIN_MODULUS_BITS} to {_MAX_MODULUS_BITS} "
            f"bits, got {key_bits} ({section})"
        )


def signing_key(alg: SignatureAlg, key: object) -> rsa.RSAPrivateKey:
    """Return `key` if it is an RSA private key of an allowed size, else raise InvalidKeyError."""
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKeyError(f"{alg.name} signing requires an RSA private key")
    _check_size(alg, key.key_size)
    return key


def verification_key(alg: SignatureAlg, key: object) -> rsa.RSAPublicKey:
    """Return the RSA public key of `key` (public or private), or raise InvalidKeyError."""
    public_key = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise InvalidKeyError(f"{alg.name} verification requires an RSA key")
    _check_size(alg, public_key.key_size)
    return public_key


def rsa_verifier(
    public_key: rsa.RSAPublicKey, scheme: padding.AsymmetricPadding, hash_: hashes.HashAlgorithm
) -> Verifier:
    """The function that validates signatures under `public_key` with `scheme` and `hash_`."""
    k = (public_key.key_size + 7) // 8  # the modulus length in octets
    rsa_verify = public_key.verify

    def verify_signature(signing_input: bytes, signature: bytes) -> None:
        # RFC 8017 s8.1.2 and s8.2.2, step 1: a signature that is not exactly k
        # octets long is invalid; refused before any RSA operation.
        if len(signature) != k:
            raise InvalidSignatureError() from None
        opaque.verify_or_raise(rsa_verify, signature, signing_input, scheme, hash_)

    return verify_signature


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the RSASSA-PKCS1-v1_5 signature of `signing_input` (RFC 8017 s8.2.1)."""
    if alg.family != "RSASSA-PKCS1-v1_5":
        raise ValueError(f"{alg.name} is not an RSASSA-PKCS1-v1_5 algorithm")
    return signing_key(alg, key).sign(signing_input, padding.PKCS1v15(), hash_algorithm(alg))


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates signatures (s8.2.2)."""
    if alg.family != "RSASSA-PKCS1-v1_5":
        raise ValueError(f"{alg.name} is not an RSASSA-PKCS1-v1_5 algorithm")
    return rsa_verifier(verification_key(alg, key), padding.PKCS1v15(), hash_algorithm(alg))


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` verifies (RFC 8017 s8.2.2), else raise InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
