"""RFC 7519 - JSON Web Token (JWT), with the RFC 8725 best current practices.

`encode` signs a claims set (and optionally nests it in a JWE); `decode`
verifies it with the caller's keys and allow-set, decrypting first when the
caller expects a nested JWT, then validates the claims. `decode_complete`
also returns the header, the key that verified and any outer JWE header.

https://www.rfc-editor.org/rfc/rfc7519
"""

from __future__ import annotations

from jose_ref.jwt.codec import Decoded, decode, decode_complete, encode

__all__ = ["Decoded", "decode", "decode_complete", "encode"]
