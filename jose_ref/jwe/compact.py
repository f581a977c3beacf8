"""RFC 7516 s7.1 - JWE Compact Serialization.

Five base64url parts separated by dots: protected header, encrypted key,
IV, ciphertext, tag. The token size is checked before splitting (a
megabyte of dots costs nothing), the part count is exact (a 3-part JWS is
refused, not guessed at), and the AAD is the ASCII of the received first
part. There are no unprotected headers in this serialization.

https://www.rfc-editor.org/rfc/rfc7516#section-7.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jose_ref import b64url, deferred, header, trace
from jose_ref.errors import MalformedError
from jose_ref.jwe.model import ParsedJWE, ParsedRecipient
from jose_ref.limits import Limits, bounded_text

if TYPE_CHECKING:
    from jose_ref.jwe import decrypt_notes
    from jose_ref.jwe.encrypt import Encrypted
else:  # explain's notes load with the first recording (jose_ref.deferred)
    decrypt_notes = deferred.module("jose_ref.jwe.decrypt_notes", globals())

__all__ = ["parse", "serialize"]


def parse(token: str | bytes, limits: Limits) -> ParsedJWE:
    """Split and decode a compact JWE (RFC 7516 s5.2 steps 1-3)."""
    # The size limit comes before any other work on the token; non-ASCII fails at base64url.
    text = bounded_text(
        token,
        what="JWE compact serialization",
        max_bytes=limits.max_token_bytes,
        limit="max_token_bytes",
    )
    # The dots are counted and found, not split on: a long ciphertext is never copied as text.
    periods = text.count(".")
    if periods != 4:
        hint = " (a JWS has 3; no auto-detection)" if periods == 2 else ""
        raise MalformedError(
            f"JWE compact serialization: expected 5 parts, got {periods + 1}{hint} (RFC 7516 s7.1)"
        )
    first = text.index(".")
    second = text.index(".", first + 1)
    third = text.index(".", second + 1)
    fourth = text.index(".", third + 1)
    encoded_protected = text[:first]
    protected = header.parse_protected(encoded_protected, limits, "JWE protected header")
    # "dir" and "ECDH-ES" send an empty encrypted key (RFC 7516 s5.1 step 5): nothing to decode.
    encrypted_key = (
        b64url.decode(text[first + 1 : second], what="JWE encrypted key")
        if second > first + 1
        else b""
    )
    parsed = ParsedJWE(
        protected=protected,
        unprotected=None,
        recipients=(ParsedRecipient(header=None, encrypted_key=encrypted_key),),
        iv=b64url.decode(text[second + 1 : third], what="JWE initialization vector"),
        ciphertext=b64url.decode_span(text, third + 1, fourth, what="JWE ciphertext"),
        tag=b64url.decode(text[fourth + 1 :], what="JWE authentication tag"),
        aad=encoded_protected.encode("ascii"),
        jwe_aad=None,
    )
    rec = trace.recorder()
    if rec is not None:
        decrypt_notes.parsed(rec, parsed, "compact")
    return parsed


def serialize(encrypted: Encrypted) -> str:
    """BASE64URL parts joined by dots (RFC 7516 s7.1)."""
    encrypted_key = encrypted.recipients[0][1]
    return ".".join(
        (
            encrypted.encoded_protected_header,
            b64url.encode_text(encrypted_key),
            b64url.encode_text(encrypted.iv),
            b64url.encode_text(encrypted.ciphertext),
            b64url.encode_text(encrypted.tag),
        )
    )
