"""RFC 7516 - JSON Web Encryption: the public entry points of API.md.

Each entry point is thin: it parses (compact, s7.1, or JSON, s7.2) and hands
over to the one decryption routine (s5.2), or draws the randomness and calls
the one encryption routine (s5.1), then serializes.

https://www.rfc-editor.org/rfc/rfc7516
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jose_ref import deferred, policy
from jose_ref.jwa import registry
from jose_ref.jwe import compact
from jose_ref.jwe.decrypt import decrypt
from jose_ref.jwe.model import Decrypted
from jose_ref.jwk.key import JWK
from jose_ref.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from jose_ref.jwe import encrypt as _encrypt
    from jose_ref.jwe import json_serialization as _json_serialization
else:  # encryption and the JSON serialization load on first use (jose_ref.deferred): a
    # program that only decrypts compact tokens never reads them
    _encrypt = deferred.module("jose_ref.jwe.encrypt", globals())
    _json_serialization = deferred.module("jose_ref.jwe.json_serialization", globals())

__all__ = ["Decrypted", "decrypt_compact", "decrypt_json", "encrypt_compact", "encrypt_json"]

Keys = JWK | policy.KeySource


def _plaintext_bytes(plaintext: bytes | str) -> bytes:
    if isinstance(plaintext, str):
        return plaintext.encode("utf-8")
    if isinstance(plaintext, (bytes, bytearray, memoryview)):
        return bytes(plaintext)
    raise TypeError(f"plaintext must be bytes or str, not {type(plaintext).__name__}")


def encrypt_compact(
    plaintext: bytes | str,
    key: JWK,
    *,
    alg: str,
    enc: str,
    header: Mapping[str, Any] | None = None,
    zip: str | None = None,
) -> str:
    """Encrypt to one recipient in the compact serialization (RFC 7516 s7.1).

    `header` adds protected header members (kid, cty, typ ...); the key's "kid" is added
    when `header` has none, so the recipient can find its key. `zip="DEF"` compresses.
    """
    content = registry.content_encryption(enc)
    protected: dict[str, Any] = {"alg": alg, "enc": enc}
    if key.kid is not None:
        protected["kid"] = key.kid
    protected.update(header or {})
    if protected["alg"] != alg or protected["enc"] != enc:
        raise ValueError('header "alg"/"enc" conflict with the alg/enc arguments')
    if zip is not None:
        protected["zip"] = zip
    recipients = [_encrypt.recipient(key, alg, content, {})]
    randomness = _encrypt.draw(content, recipients, protected)
    encrypted = _encrypt.encrypt(
        _plaintext_bytes(plaintext),
        recipients,
        content,
        protected=protected,
        unprotected=None,
        jwe_aad=None,
        randomness=randomness,
        compact=True,
    )
    return compact.serialize(encrypted)


def decrypt_compact(
    token: str | bytes,
    key: Keys,
    *,
    algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
    limits: Limits | None = None,
    require_kid: bool = False,
) -> Decrypted:
    """Decrypt a compact JWE (RFC 7516 s5.2) with the caller's key or key set.

    `algorithms`/`encryptions` are the allow-sets (None: the key's "alg", else the default
    set, which never holds RSA1_5 or PBES2). `require_kid` refuses a token without "kid".
    """
    limits = limits or DEFAULT_LIMITS
    parsed = compact.parse(token, limits)
    return decrypt(
        parsed,
        key,
        algorithms=algorithms,
        encryptions=encryptions,
        limits=limits,
        require_kid=require_kid,
    )


def encrypt_json(
    plaintext: bytes | str,
    recipients: Sequence[tuple[JWK, Mapping[str, Any]]],
    *,
    enc: str,
    protected: Mapping[str, Any] | None = None,
    unprotected: Mapping[str, Any] | None = None,
    aad: bytes | None = None,
    flatten: bool = False,
) -> dict[str, Any]:
    """Encrypt to one or more recipients in the JSON serialization (RFC 7516 s7.2).

    Each recipient is (key, per-recipient header); its header must hold "alg" unless the
    protected or shared header does. "enc" goes into the protected header.
    """
    content = registry.content_encryption(enc)
    shared: dict[str, Any] = {"enc": enc, **(protected or {})}
    if shared["enc"] != enc:
        raise ValueError('protected "enc" conflicts with the enc argument')
    specs = []
    for key, extra in recipients:
        alg = {**shared, **(unprotected or {}), **extra}.get("alg")
        if not isinstance(alg, str):
            raise ValueError('every recipient needs an "alg" in one of its headers')
        specs.append(_encrypt.recipient(key, alg, content, extra))
    randomness = _encrypt.draw(content, specs, shared)
    encrypted = _encrypt.encrypt(
        _plaintext_bytes(plaintext),
        specs,
        content,
        protected=shared,
        unprotected=unprotected,
        jwe_aad=aad,
        randomness=randomness,
        compact=False,
    )
    return _json_serialization.serialize(encrypted, flatten=flatten)


def decrypt_json(
    obj: Mapping[str, Any] | str | bytes,
    key: Keys,
    *,
    algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
    limits: Limits | None = None,
    require_kid: bool = False,
) -> Decrypted:
    """Decrypt a general or flattened JSON JWE (RFC 7516 s7.2); `.aad` holds the JWE AAD."""
    limits = limits or DEFAULT_LIMITS
    parsed = _json_serialization.parse(obj, limits)
    return decrypt(
        parsed,
        key,
        algorithms=algorithms,
        encryptions=encryptions,
        limits=limits,
        require_kid=require_kid,
    )
