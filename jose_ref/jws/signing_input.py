"""RFC 7515 s5.1 step 5 and RFC 7797 s3 - The JWS Signing Input and the "b64" parameter.

The JWS Signing Input is ASCII(BASE64URL(UTF8(JWS Protected Header)) || '.' ||
BASE64URL(JWS Payload)). It is built from the encoded segments exactly as
they were received or produced, never from a re-serialized header, so that
what is verified is what was signed. RFC 7797 adds the "b64" header
parameter: when false, the payload enters the signing input unencoded. It is
honoured only from the protected header and only when listed in "crit".

https://www.rfc-editor.org/rfc/rfc7797#section-3
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import b64url
from jose_ref.errors import MalformedError

__all__ = ["b64_of", "build", "payload_part"]


def b64_of(protected: Mapping[str, Any], unprotected: Mapping[str, Any] | None) -> bool:
    """The "b64" value of one signature: True unless RFC 7797 unencoded payload applies.

    Raises:
        MalformedError: "b64" is unprotected, not a boolean, or not listed in "crit".
    """
    # RFC 7797 s6: "b64" changes how the payload is read, so it must be integrity
    # protected and understood: in the protected header and listed in "crit".
    if unprotected is not None and "b64" in unprotected:
        raise MalformedError('"b64" must be in the protected header (RFC 7797 s3)')
    if "b64" not in protected:
        return True
    value = protected["b64"]
    if not isinstance(value, bool):
        raise MalformedError(f'"b64" must be a boolean, got {type(value).__name__} (RFC 7797 s3)')
    crit = protected.get("crit")
    if not isinstance(crit, list) or "b64" not in crit:
        raise MalformedError('"b64" is honoured only when "crit" lists it (RFC 7797 s6)')
    return value


def payload_part(payload: bytes, *, b64: bool) -> bytes:
    """The payload as it enters the signing input: BASE64URL(payload), or the payload itself."""
    # RFC 7797 s3: with "b64": false the JWS Payload is used in the signing input unencoded.
    return b64url.encode(payload) if b64 else payload


def build(encoded_protected_header: str | bytes, payload_segment: bytes) -> bytes:
    """ASCII(encoded protected header) || '.' || payload part (RFC 7515 s5.1 step 5).

    Raises:
        MalformedError: the encoded protected header is not ASCII.
    """
    if isinstance(encoded_protected_header, str):
        try:
            header_bytes = encoded_protected_header.encode("ascii")
        except UnicodeEncodeError:
            raise MalformedError("the encoded protected header must be ASCII") from None
    else:
        header_bytes = encoded_protected_header
    # Formula: JWS Signing Input = ASCII(BASE64URL(UTF8(JWS Protected Header))) || '.' || payload
    return header_bytes + b"." + payload_segment
