"""RFC 9964 s5 - ML-DSA-44, ML-DSA-65 and ML-DSA-87 signatures (FIPS 204).

Each "alg" names one FIPS 204 parameter set, and its AKP key must be of that
same set. The JWS Signing Input is signed as the message of pure ML-DSA
(FIPS 204 Algorithm 2, never HashML-DSA: RFC 9964 s7.2) with the empty
context string ctx (RFC 9964 s5). The signature is the FIPS 204 s7.2
encoding, of one fixed length per parameter set: any other length is refused
before cryptography sees it. cryptography provides ML-DSA from release 48
on; with an older one every use raises UnsupportedAlgorithmError.

https://www.rfc-editor.org/rfc/rfc9964#section-5
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import cryptography
from cryptography.exceptions import UnsupportedAlgorithm

from jose_ref.errors import InvalidKeyError, InvalidSignatureError, UnsupportedAlgorithmError
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import opaque
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = [
    "REQUIREMENT",
    "KeyClasses",
    "available",
    "key_classes",
    "sign",
    "verifier",
    "verify",
]

# The first cryptography release whose standard wheels (OpenSSL 3.5+) sign with ML-DSA;
# 47 has the module, but only its AWS-LC builds implement it.
REQUIREMENT = "cryptography >= 48.0 (with OpenSSL 3.5+ or AWS-LC)"


@dataclass(frozen=True, slots=True)
class KeyClasses:
    """The cryptography public and private key classes of one ML-DSA parameter set."""

    public: Any
    private: Any


def _unsupported(alg: str) -> UnsupportedAlgorithmError:
    return UnsupportedAlgorithmError(
        f"{alg} needs {REQUIREMENT}; the installed cryptography "
        f"{cryptography.__version__} has no ML-DSA (RFC 9964)"
    )


def key_classes(alg: SignatureAlg) -> KeyClasses:
    """The key classes for `alg`; UnsupportedAlgorithmError when cryptography lacks ML-DSA."""
    if alg.family != "ML-DSA":
        raise ValueError(f"{alg.name} is not an ML-DSA algorithm (RFC 9964 s5)")
    if not available():
        raise _unsupported(alg.name)
    from cryptography.hazmat.primitives.asymmetric import mldsa

    level = alg.name.removeprefix("ML-DSA-")  # "44", "65" or "87": the class names
    return KeyClasses(
        getattr(mldsa, f"MLDSA{level}PublicKey"), getattr(mldsa, f"MLDSA{level}PrivateKey")
    )


@functools.cache
def available() -> bool:
    """Whether the installed cryptography (and its backend) implements ML-DSA."""
    try:
        from cryptography.hazmat.primitives.asymmetric import mldsa

        mldsa.MLDSA44PrivateKey.from_seed_bytes(bytes(32))
    except (ImportError, AttributeError, UnsupportedAlgorithm):
        return False
    return True


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the ML-DSA signature of `signing_input` (FIPS 204 Algorithm 2, ctx empty)."""
    classes = key_classes(alg)
    if not isinstance(key, classes.private):
        raise InvalidKeyError(f"{alg.name} signing requires an {alg.name} private key")
    signature: bytes = key.sign(signing_input)
    return signature


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates (FIPS 204 Algorithm 3)."""
    classes = key_classes(alg)
    public_key: Any = key.public_key() if isinstance(key, classes.private) else key
    if not isinstance(public_key, classes.public):
        raise InvalidKeyError(f"{alg.name} verification requires an {alg.name} key")
    signature_bytes = alg.signature_bytes

    def verify_signature(signing_input: bytes, signature: bytes) -> None:
        # RFC 9964 s5 (FIPS 204 Table 2): the signature length is fixed by the parameter set.
        if len(signature) != signature_bytes:
            raise InvalidSignatureError() from None
        opaque.verify_or_raise(public_key.verify, signature, signing_input)

    return verify_signature


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` verifies (FIPS 204 Algorithm 3), else InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
