"""RFC 7517 s4 and RFC 7518 s6 - Reading JWK members: strings and Base64urlUInt values.

Shared by the key-type modules: each member is checked for its JSON type
and decoded strictly, and integers must use the minimal Base64urlUInt
encoding of RFC 7518 s2 (no leading zero octet), so that one key has one
representation and its thumbprint is well defined (RFC 7638 s3.3).

https://www.rfc-editor.org/rfc/rfc7518#section-2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import b64url
from jose_ref.errors import InvalidKeyError, MalformedError

__all__ = ["check_str", "octets", "uint", "uint_to_b64u"]


def octets(members: Mapping[str, Any], name: str, kty: str) -> bytes:
    """A required base64url member, decoded; InvalidKeyError when absent."""
    if name not in members:
        raise InvalidKeyError(f'{kty} JWK: member "{name}" is required (RFC 7518 s6)')
    value = members[name]
    # JSON holds text: bytes here would load, then fail to serialize (thumbprint, to_json).
    if not isinstance(value, str):
        raise MalformedError(
            f'{kty} JWK member "{name}" must be a string, got {type(value).__name__}'
        )
    return b64url.decode(value, what=f'{kty} JWK member "{name}"')


def uint(members: Mapping[str, Any], name: str, kty: str) -> int:
    """A required Base64urlUInt member (RFC 7518 s2): minimal, non-empty, big-endian."""
    data = octets(members, name, kty)
    # The minimal encoding has no leading zero octet; zero itself is the single octet 0.
    if not data or (data[0] == 0 and len(data) > 1):
        raise MalformedError(
            f'{kty} JWK member "{name}": not a minimal Base64urlUInt (RFC 7518 s2)'
        )
    return int.from_bytes(data, "big")


def uint_to_b64u(value: int, length: int | None = None) -> str:
    """Encode an integer as Base64urlUInt (minimal), or as exactly `length` octets."""
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url.encode_text(value.to_bytes(size, "big"))


def check_str(members: Mapping[str, Any], name: str, kty: str) -> str:
    """A required string member."""
    value = members.get(name)
    if value is None:
        raise InvalidKeyError(f'{kty} JWK: member "{name}" is missing')
    if not isinstance(value, str):
        raise InvalidKeyError(f'{kty} JWK: member "{name}" must be a string')
    return value
