"""RFC 7515 - JSON Web Signature (JWS), with RFC 7797 unencoded payloads and RFC 8037 EdDSA.

`sign_compact` / `verify_compact` handle the compact serialization (RFC 7515
s7.1); `sign_json` / `verify_json` the general and flattened JSON
serializations (s7.2). Verification takes the caller's key or key set and
allow-set, never a key named by the token, and returns a `Verified` result:
the payload, the header of the signature that verified, and the key.

https://www.rfc-editor.org/rfc/rfc7515
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jose_ref.jws.compact import sign_compact, verify_compact
from jose_ref.jws.verify import Verified

if TYPE_CHECKING:
    from jose_ref.jws.json_serialization import sign_json, verify_json

__all__ = ["Verified", "sign_compact", "sign_json", "verify_compact", "verify_json"]


def __getattr__(name: str) -> Any:
    """sign_json and verify_json load on first use (PEP 562; issue 9's cold start)."""
    if name in ("sign_json", "verify_json"):
        from jose_ref.jws import json_serialization

        value = getattr(json_serialization, name)
        globals()[name] = value  # later uses: a plain module attribute
        return value
    raise AttributeError(f"module 'jose_ref.jws' has no attribute {name!r}")
