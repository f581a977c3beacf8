"""RFC 7518 s3.1 - The JWS "alg" values, each family in its own module.

The JWS orchestration passes a registry descriptor, a key object and the JWS
Signing Input to `sign` or `verify`; this module picks the family module by
`alg.family` and does nothing else. The table mirrors RFC 7518 s3.1, plus
RFC 8037 s3.1 and RFC 9864 s2.2 (EdDSA, Ed25519, Ed448), RFC 8812 s3.2 (ES256K)
and RFC 9964 s5 (ML-DSA). Every family module checks
the key object itself, so a key of the wrong type raises InvalidKeyError even
when a caller skipped the "kty" check. `verify` returns None or raises.

https://www.rfc-editor.org/rfc/rfc7518#section-3.1
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import ecdsa, eddsa, hmac_sha2, rsassa_pkcs1_v1_5

__all__ = ["sign", "verify"]

_Sign = Callable[[SignatureAlg, object, bytes], bytes]
_Verify = Callable[[SignatureAlg, object, bytes, bytes], None]

# One row per SignatureAlg.family: (sign, verify).
_FAMILIES: dict[str, tuple[_Sign, _Verify]] = {
    "HMAC": (hmac_sha2.sign, hmac_sha2.verify),  # RFC 7518 s3.2
    "RSASSA-PKCS1-v1_5": (rsassa_pkcs1_v1_5.sign, rsassa_pkcs1_v1_5.verify),  # RFC 7518 s3.3
    "ECDSA": (ecdsa.sign, ecdsa.verify),  # RFC 7518 s3.4, RFC 8812 s3.2
    "EdDSA": (eddsa.sign, eddsa.verify),  # RFC 8037 s3.1, RFC 9864 s2.2
}
# The rarely used families load on first use, then join the table above (issue 9's cold
# start): later calls cost the same one lookup.
_ON_FIRST_USE = {
    "RSASSA-PSS": "jose_ref.jwa.signatures.rsassa_pss",  # RFC 7518 s3.5
    "ML-DSA": "jose_ref.jwa.signatures.mldsa",  # RFC 9964 s5
}


def _family(alg: object) -> tuple[_Sign, _Verify]:
    # Algorithm names are read only by the registry: a bare "HS256" string
    # here is a programming error, not attacker input.
    if not isinstance(alg, SignatureAlg):
        raise TypeError(f"alg must be a registry SignatureAlg, got {type(alg).__name__}")
    functions = _FAMILIES.get(alg.family)
    if functions is None:
        if alg.family not in _ON_FIRST_USE:
            raise ValueError(f"no signature module for family {alg.family!r}")
        module = importlib.import_module(_ON_FIRST_USE[alg.family])
        functions = _FAMILIES[alg.family] = (module.sign, module.verify)
    return functions


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the JWS Signature of `signing_input` (RFC 7515 s5.1 step 5)."""
    return _family(alg)[0](alg, key, signing_input)


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` is valid (RFC 7515 s5.2 step 8), else raise InvalidSignatureError.

    Raises:
        InvalidSignatureError: The signature or MAC does not verify (fixed message).
        InvalidKeyError: The key object does not fit the algorithm.
    """
    _family(alg)[1](alg, key, signing_input, signature)
