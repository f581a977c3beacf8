"""RFC 7518 s6.4 - Parameters for Symmetric Keys.

A symmetric ("oct") key is one member, "k": the key value as base64url
octets. An empty key is refused. Length rules that depend on the algorithm
(HMAC keys at least the hash output, RFC 7518 s3.2; AES keys of exactly the
key size) are checked where the algorithm is chosen, not here.

https://www.rfc-editor.org/rfc/rfc7518#section-6.4
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import b64url
from jose_ref.errors import InvalidKeyError
from jose_ref.jwk._members import octets

__all__ = ["PRIVATE_MEMBERS", "THUMBPRINT_MEMBERS", "export", "load"]

PRIVATE_MEMBERS = ("k",)
THUMBPRINT_MEMBERS = ("k", "kty")  # RFC 7638 s3.2


def load(members: Mapping[str, Any]) -> bytes:
    """Return the key value "k" of an oct JWK."""
    k = octets(members, "k", "oct")
    if not k:
        raise InvalidKeyError('oct JWK: "k" must not be empty (RFC 7518 s6.4.1)')
    return k


def export(k: bytes) -> dict[str, str]:
    """The members of a symmetric key."""
    return {"kty": "oct", "k": b64url.encode_text(k)}
