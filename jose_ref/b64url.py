"""RFC 7515 s2 and Appendix C - Base64url encoding without padding, decoded strictly.

JOSE encodes every binary value as base64url (RFC 4648 s5) with the
trailing '=' padding removed. Python's decoder is lenient: it accepts
padding, characters from other alphabets and non-canonical final
characters, so two different strings could decode to the same bytes. The
decoder here accepts exactly the canonical encodings: the alphabet only,
a length that is not 1 mod 4, and unused trailing bits of zero (RFC 4648
s3.5: only the last character can carry them, so checking it suffices).
Standard base64 (used by "x5c", RFC 7517 s4.7) is decoded just as strictly
by `decode_std`.

https://www.rfc-editor.org/rfc/rfc7515#appendix-C
"""

from __future__ import annotations

import base64
import binascii
import re

from jose_ref.errors import MalformedError

__all__ = ["decode", "decode_span", "decode_std", "encode", "encode_std", "encode_text"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_INVALID = 0x21  # "!": no base64 alphabet holds it
# One translate does two jobs: the URL-safe alphabet becomes the standard one ("-_" to "+/")
# for binascii, and every other byte becomes "!", which one scan then finds.
_TABLE = bytes(
    ord("+")
    if b == ord("-")
    else ord("/")
    if b == ord("_")
    else b
    if chr(b) in _ALPHABET
    else _INVALID
    for b in range(256)
)
# The last character of a canonical encoding leaves its unused low bits zero: 4 bits when the
# length is 2 mod 4 (one octet), 2 bits when it is 3 mod 4 (two octets). RFC 4648 s3.5.
_CANONICAL_LAST = {
    2: frozenset(ord(c) for i, c in enumerate(_ALPHABET) if i % 16 == 0),
    3: frozenset(ord(c) for i, c in enumerate(_ALPHABET) if i % 4 == 0),
}
_PADDING = {2: b"==", 3: b"="}
# Above this many characters a span is decoded piece by piece into one buffer, so that no
# copy of the whole encoded text is ever made (a multiple of 4: pieces end on whole octets).
_PIECE = 64 * 1024
_B64STD = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def encode(data: bytes) -> bytes:
    """Return BASE64URL(data) as ASCII bytes, without padding (RFC 7515 s2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def encode_text(data: bytes) -> str:
    """Return BASE64URL(data) as a str, without padding."""
    return encode(data).decode("ascii")


def decode(value: str | bytes, *, what: str = "value") -> bytes:
    """Decode canonical unpadded base64url, or raise MalformedError naming `what`."""
    if isinstance(value, str):
        # Non-ASCII text holds a character outside the alphabet (str.isascii costs nothing).
        if not value.isascii():
            raise MalformedError(f"{what}: invalid base64url character (RFC 7515 s2)")
        raw = value.encode("ascii")
    elif isinstance(value, bytes):
        if not value.isascii():
            raise MalformedError(f"{what}: base64url must be ASCII (RFC 7515 s2)")
        raw = value
    else:
        raise MalformedError(f"{what}: expected a base64url string, got {type(value).__name__}")
    standard = raw.translate(_TABLE)
    # Only the URL-safe alphabet; no padding, whitespace or other characters.
    if _INVALID in standard:
        raise MalformedError(f"{what}: invalid base64url character (RFC 7515 s2)")
    remainder = len(raw) % 4
    if remainder:
        # A length of 1 mod 4 can encode no whole octet (RFC 4648 s5).
        if remainder == 1:
            raise MalformedError(f"{what}: invalid base64url length (RFC 7515 s2)")
        if raw[-1] not in _CANONICAL_LAST[remainder]:
            raise MalformedError(f"{what}: non-canonical base64url (RFC 7515 Appendix C)")
        standard += _PADDING[remainder]
    # Every character is checked, so binascii's lenient mode decodes exactly these.
    return binascii.a2b_base64(standard)


def decode_span(text: str, start: int, end: int, *, what: str = "value") -> bytes:
    """`decode(text[start:end])`, with the same checks and errors, but without copying a
    long span: it is translated and decoded in pieces straight into one buffer."""
    if end - start <= _PIECE or not text.isascii():
        return decode(text[start:end], what=what)
    remainder = (end - start) % 4
    whole = end - remainder
    out = bytearray((end - start) * 3 // 4)
    position = 0
    for offset in range(start, whole, _PIECE):
        standard = text[offset : min(offset + _PIECE, whole)].encode("ascii").translate(_TABLE)
        if _INVALID in standard:
            raise MalformedError(f"{what}: invalid base64url character (RFC 7515 s2)")
        piece = binascii.a2b_base64(standard)
        out[position : position + len(piece)] = piece
        position += len(piece)
    # The last 0-3 characters carry the length and canonical-encoding checks of `decode`.
    out[position:] = decode(text[whole:end], what=what)
    return bytes(out)


def encode_std(data: bytes) -> str:
    """Return standard, padded base64 (RFC 4648 s4), as "x5c" uses it."""
    return base64.b64encode(data).decode("ascii")


def decode_std(value: str, *, what: str = "value") -> bytes:
    """Decode canonical padded standard base64 (RFC 7517 s4.7), or raise MalformedError."""
    if not isinstance(value, str):
        raise MalformedError(f"{what}: expected a base64 string, got {type(value).__name__}")
    if not _B64STD.fullmatch(value):
        raise MalformedError(f"{what}: invalid base64 (RFC 4648 s4; not base64url)")
    # The pattern admits only well-formed padded base64, which always decodes.
    data = base64.b64decode(value, validate=True)
    if encode_std(data) != value:
        raise MalformedError(f"{what}: non-canonical base64 (RFC 4648 s3.5)")
    return data
