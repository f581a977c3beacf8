"""RFC 7518 s3.1 - The JWS "alg" values, each family in its own module.

The JWS orchestration passes a registry descriptor, a key object and the JWS
Signing Input to `sign` or `verify`; this module picks the family module by
`alg.family` and does nothing else. `verifier` checks a key once and returns
the function that validates signatures with it, for a caller that verifies
with the same key again. The table mirrors RFC 7518 s3.1, plus RFC 8037 s3.1
and RFC 9864 s2.2 (EdDSA, Ed25519, Ed448), RFC 8812 s3.2 (ES256K) and RFC
9964 s5 (ML-DSA). Every family module checks the key object itself, so a key
of the wrong type raises InvalidKeyError even when a caller skipped the "kty"
check. `verify` returns None or raises.

https://www.rfc-editor.org/rfc/rfc7518#section-3.1
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import ecdsa, eddsa, hmac_sha2, rsassa_pkcs1_v1_5
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = ["Verifier", "sign", "verifier", "verify"]

_Sign = Callable[[SignatureAlg, object, bytes], bytes]
_NewVerifier = Callable[[SignatureAlg, object], Verifier]

# One row per SignatureAlg.family: (sign, verifier).
_FAMILIES: dict[str, tuple[_Sign, _NewVerifier]] = {
    "HMAC": (hmac_sha2.sign, hmac_sha2.verifier),  # RFC 7518 s3.2
    "RSASSA-PKCS1-v1_5": (rsassa_pkcs1_v1_5.sign, rsassa_pkcs1_v1_5.verifier),  # RFC 7518 s3.3
    "ECDSA": (ecdsa.sign, ecdsa.verifier),  # RFC 7518 s3.4, RFC 8812 s3.2
    "EdDSA": (eddsa.sign, eddsa.verifier),  # RFC 8037 s3.1, RFC 9864 s2.2
}
# The rarely used families load on first use, then join the table above (issue 9's cold
# start): later calls cost the same one lookup.
_ON_FIRST_USE = {
    "RSASSA-PSS": "jose_ref.jwa.signatures.rsassa_pss",  # RFC 7518 s3.5
    "ML-DSA": "jose_ref.jwa.signatures.mldsa",  # RFC 9964 s5
}


def _family(alg: object) -> tuple[_Sign, _NewVerifier]:
    # Algorithm names are read only by the registry: a bare "HS256" string
    # here is a programming error, not attacker input.
    if not isinstance(alg, SignatureAlg):
        raise TypeError(f"alg must be a registry SignatureAlg, got {type(alg).__name__}")
    functions = _FAMILIES.get(alg.family)
    if functions is None:
        if alg.family not in _ON_FIRST_USE:
            raise ValueError(f"no signature module for family {alg.family!r}")
        module = importlib.import_module(_ON_FIRST_USE[alg.family])
        functions = _FAMILIES[alg.family] = (module.sign, module.verifier)
    return functions


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the JWS Signature of `signing_input` (RFC 7515 s5.1 step 5)."""
    return _family(alg)[0](alg, key, signing_input)


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates signatures with it.

    Raises:
        InvalidKeyError: The key object does not fit the algorithm.
    """
    return _family(alg)[1](alg, key)


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` is valid (RFC 7515 s5.2 step 8), else raise InvalidSignatureError.

    Raises:
        InvalidSignatureError: The signature or MAC does not verify (fixed message).
        InvalidKeyError: The key object does not fit the algorithm.
    """
    verifier(alg, key)(signing_input, signature)
