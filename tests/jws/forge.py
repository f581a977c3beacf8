"""Build tokens by hand, bypassing every check of the signing API (for attack tests)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from jose_ref import JWK
from jose_ref.jwa import registry, signatures

_HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """Decode unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_header(header: Mapping[str, Any] | bytes) -> str:
    """The encoded protected header: raw bytes as given, or compact JSON."""
    raw = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":"))
    return b64(raw if isinstance(raw, bytes) else raw.encode())


def signature_over(data: bytes, key: JWK | bytes, alg: str) -> bytes:
    """Sign `data`: raw HMAC for a bytes key, else the primitives with the JWK's private key."""
    if isinstance(key, bytes):
        return hmac.new(key, data, _HMAC_HASHES[alg]).digest()
    row = registry.signature(alg)
    material = key.secret if key.kty == "oct" else key.crypto_private
    return signatures.sign(row, material, data)


def forge(
    header: Mapping[str, Any] | bytes,
    payload: bytes,
    key: JWK | bytes | None,
    alg: str | None = None,
) -> str:
    """A compact JWS over any header; `key` None gives an empty signature."""
    encoded_header = encode_header(header)
    encoded_payload = b64(payload)
    data = f"{encoded_header}.{encoded_payload}".encode("ascii")
    if key is None:
        return f"{encoded_header}.{encoded_payload}."
    name = alg if alg is not None else str(dict(json.loads(unb64(encoded_header)))["alg"])
    return f"{encoded_header}.{encoded_payload}.{b64(signature_over(data, key, name))}"


def replace_signature(token: str, signature: bytes) -> str:
    """The token with its signature segment replaced."""
    head, payload, _ = token.split(".")
    return f"{head}.{payload}.{b64(signature)}"
