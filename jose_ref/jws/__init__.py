"""RFC 7515 - JSON Web Signature (JWS), with RFC 7797 unencoded payloads and RFC 8037 EdDSA.

`sign_compact` / `verify_compact` handle the compact serialization (RFC 7515
s7.1); `sign_json` / `verify_json` the general and flattened JSON
serializations (s7.2). Verification takes the caller's key or key set and
allow-set, never a key named by the token, and returns a `Verified` result:
the payload, the header of the signature that verified, and the key.

https://www.rfc-editor.org/rfc/rfc7515
"""

from __future__ import annotations

from jose_ref.jws.compact import sign_compact, verify_compact
from jose_ref.jws.json_serialization import sign_json, verify_json
from jose_ref.jws.verify import Verified

__all__ = ["Verified", "sign_compact", "sign_json", "verify_compact", "verify_json"]
