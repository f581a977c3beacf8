"""RFC 7516 s7.2 - JWE JSON Serialization, general and flattened.

A JSON object with "protected" (base64url), "unprotected" (shared header),
"recipients" (each with "header" and "encrypted_key") or, flattened, one
recipient's "header" and "encrypted_key" at the top level, then "aad",
"iv", "ciphertext" and "tag". Members are typed strictly; the recipient
count is bounded; the AAD is ASCII(BASE64URL(protected) || '.' ||
BASE64URL(aad)) over the RECEIVED encodings (s5.2 step 15).

https://www.rfc-editor.org/rfc/rfc7516#section-7.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jose_ref import b64url, deferred, header, strict_json, trace
from jose_ref.errors import MalformedError
from jose_ref.jwe.model import ParsedJWE, ParsedRecipient
from jose_ref.limits import Limits, check, check_document

if TYPE_CHECKING:
    from jose_ref.jwe import decrypt_notes
    from jose_ref.jwe.encrypt import Encrypted
else:  # explain's notes load with the first recording (jose_ref.deferred)
    decrypt_notes = deferred.module("jose_ref.jwe.decrypt_notes", globals())

__all__ = ["parse", "serialize"]

WHAT = "JWE JSON serialization"
_FLAT = ("header", "encrypted_key")


def _object_member(obj: Mapping[str, Any], name: str, limits: Limits) -> dict[str, Any] | None:
    if name not in obj:
        return None
    value = obj[name]
    if not isinstance(value, dict):
        raise MalformedError(f'{WHAT}: "{name}" must be a JSON object (RFC 7516 s7.2.1)')
    header.check_unprotected(value, limits, f'{WHAT} "{name}"')
    return value


def _b64_member(obj: Mapping[str, Any], name: str, *, required: bool) -> bytes | None:
    if name not in obj:
        if required:
            raise MalformedError(f'{WHAT}: member "{name}" is required (RFC 7516 s7.2.1)')
        return None
    value = obj[name]
    if not isinstance(value, str):
        raise MalformedError(f'{WHAT}: member "{name}" must be a string (RFC 7516 s7.2.1)')
    return b64url.decode(value, what=f'{WHAT} "{name}"')


def _recipient(obj: Mapping[str, Any], limits: Limits) -> ParsedRecipient:
    return ParsedRecipient(
        header=_object_member(obj, "header", limits),
        encrypted_key=_b64_member(obj, "encrypted_key", required=False) or b"",
    )


def _recipients(obj: Mapping[str, Any], limits: Limits) -> tuple[ParsedRecipient, ...]:
    if "recipients" not in obj:
        return (_recipient(obj, limits),)  # the flattened syntax (RFC 7516 s7.2.2)
    if any(name in obj for name in _FLAT):
        raise MalformedError(f'{WHAT}: "recipients" cannot be mixed with flattened members')
    entries = obj["recipients"]
    if not isinstance(entries, list) or not entries:
        raise MalformedError(f'{WHAT}: "recipients" must be a non-empty array (RFC 7516 s7.2.1)')
    check(limits, "max_recipients", len(entries), WHAT)
    if not all(isinstance(entry, dict) for entry in entries):
        raise MalformedError(f'{WHAT}: each "recipients" entry must be a JSON object')
    return tuple(_recipient(entry, limits) for entry in entries)


def _load(obj: Mapping[str, Any] | str | bytes, limits: Limits) -> Mapping[str, Any]:
    if isinstance(obj, Mapping):
        # A parsed document is measured too, before any member is decoded.
        check_document(obj, limits, WHAT)
        return obj
    if not isinstance(obj, (str, bytes)):
        raise MalformedError(f"{WHAT}: expected a JSON object or text, got {type(obj).__name__}")
    # Headers sit two levels down in the document: allow for that in the depth bound. The
    # strict parser checks the size in UTF-8 octets before anything else.
    return strict_json.loads_object(
        obj,
        what=WHAT,
        max_bytes=limits.max_token_bytes,
        max_depth=limits.max_json_depth + 3,
        size_limit="max_token_bytes",
    )


def parse(obj: Mapping[str, Any] | str | bytes, limits: Limits) -> ParsedJWE:
    """Decode a general or flattened JWE JSON serialization (RFC 7516 s7.2)."""
    data = _load(obj, limits)
    encoded_protected = data.get("protected", "")
    if not isinstance(encoded_protected, str):
        raise MalformedError(f'{WHAT}: "protected" must be a string (RFC 7516 s7.2.1)')
    protected = (
        header.parse_protected(encoded_protected, limits, "JWE protected header")
        if encoded_protected
        else {}
    )
    aad_text = data.get("aad")
    jwe_aad = _b64_member(data, "aad", required=False)
    aad = encoded_protected if aad_text is None else f"{encoded_protected}.{aad_text}"
    parsed = ParsedJWE(
        protected=protected,
        unprotected=_object_member(data, "unprotected", limits),
        recipients=_recipients(data, limits),
        iv=_b64_member(data, "iv", required=True) or b"",
        ciphertext=_b64_member(data, "ciphertext", required=True) or b"",
        tag=_b64_member(data, "tag", required=True) or b"",
        aad=aad.encode("ascii"),
        jwe_aad=jwe_aad,
    )
    rec = trace.recorder()
    if rec is not None:
        form = "general JSON" if "recipients" in data else "flattened JSON"
        decrypt_notes.parsed(rec, parsed, form)
    return parsed


def serialize(encrypted: Encrypted, *, flatten: bool) -> dict[str, Any]:
    """The general (or, for one recipient, flattened) JSON object (RFC 7516 s7.2)."""
    out: dict[str, Any] = {}
    if encrypted.encoded_protected_header:
        out["protected"] = encrypted.encoded_protected_header
    if encrypted.unprotected:
        out["unprotected"] = encrypted.unprotected
    recipients = []
    for recipient_header, encrypted_key in encrypted.recipients:
        entry: dict[str, Any] = {}
        if recipient_header:
            entry["header"] = recipient_header
        if encrypted_key:
            entry["encrypted_key"] = b64url.encode_text(encrypted_key)
        recipients.append(entry)
    if flatten:
        if len(recipients) != 1:
            raise ValueError("the flattened JSON serialization has exactly one recipient")
        out.update(recipients[0])
    else:
        out["recipients"] = recipients
    if encrypted.jwe_aad is not None:
        out["aad"] = b64url.encode_text(encrypted.jwe_aad)
    out["iv"] = b64url.encode_text(encrypted.iv)
    out["ciphertext"] = b64url.encode_text(encrypted.ciphertext)
    out["tag"] = b64url.encode_text(encrypted.tag)
    return out
