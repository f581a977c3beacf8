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
    first, second, third, fourth = _periods(text)
    encoded_protected = text[:first]
    protected = header.parse_protected(encoded_protected, limits, "JWE protected header")
    # "dir" and "ECDH-ES" send an empty encrypted key (RFC 7516 s5.1 step 5): nothing to decode.
    encrypted_key = (
        b64url.decode(text[first + 1 : second], what="JWE encrypted key")
        if second > first + 1
        else b""
    )
    # Built positionally, in the order of ParsedJWE's fields (keywords cost more per token).
    parsed = ParsedJWE(
        protected,
        None,  # unprotected: this serialization has no unprotected header
        (ParsedRecipient(None, encrypted_key),),
        b64url.decode(text[second + 1 : third], what="JWE initialization vector"),
        b64url.decode_span(text, third + 1, fourth, what="JWE ciphertext"),
        b64url.decode(text[fourth + 1 :], what="JWE authentication tag"),
        encoded_protected.encode("ascii"),  # the AAD: the received first part (s5.2 steps 14-15)
        None,  # jwe_aad: this serialization has no "aad" member
    )
    rec = trace.recorder()
    if rec is not None:
        decrypt_notes.parsed(rec, parsed, "compact")
    return parsed


def _periods(text: str) -> tuple[int, int, int, int]:
    """Where the four periods of a compact JWE are (RFC 7516 s7.1), or MalformedError."""
    # The dots are found, not split on: a long ciphertext is never copied as text. A search
    # that starts after a missing dot (-1) finds an earlier dot again, so the four positions
    # increase only when there are four dots; none may follow the fourth.
    first = text.find(".")
    second = text.find(".", first + 1)
    third = text.find(".", second + 1)
    fourth = text.find(".", third + 1)
    if not 0 <= first < second < third < fourth or text.find(".", fourth + 1) != -1:
        periods = text.count(".")
        hint = " (a JWS has 3; no auto-detection)" if periods == 2 else ""
        raise MalformedError(
            f"JWE compact serialization: expected 5 parts, got {periods + 1}{hint} (RFC 7516 s7.1)"
        )
    return first, second, third, fourth


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
