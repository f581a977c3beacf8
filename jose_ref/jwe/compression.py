"""RFC 7516 s4.1.3 and RFC 7518 s7.3 - "zip": "DEF", raw DEFLATE, inflated within a bound.

Compression is applied to the plaintext before encryption and only when
the producer asks for it (it can leak information about the plaintext
through the ciphertext length). "zip" must be in the protected header
(RFC 7516 s4.1.3) and "DEF" (RFC 1951 raw DEFLATE) is its only value. On
decrypt, inflation stops at `Limits.max_plaintext_bytes`: a small token
cannot expand into gigabytes, and peak memory stays near the limit. A
stream that is truncated, zlib-wrapped or followed by extra bytes is refused.

https://www.rfc-editor.org/rfc/rfc7516#section-4.1.3
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

from jose_ref.errors import LimitExceededError, MalformedError, UnsupportedAlgorithmError
from jose_ref.escape import shown

__all__ = ["deflate", "inflate", "read_zip"]

_RAW_DEFLATE = -15  # zlib wbits: raw RFC 1951 stream, no zlib or gzip wrapper


def read_zip(protected: Mapping[str, Any], joined: Mapping[str, Any]) -> bool:
    """Whether the plaintext is compressed; "zip" must be protected and be "DEF"."""
    if "zip" not in joined:
        return False
    if "zip" not in protected:
        raise MalformedError('"zip" must be in the protected header (RFC 7516 s4.1.3)')
    value = protected["zip"]
    if not isinstance(value, str):
        what = type(value).__name__
        raise MalformedError(f'"zip" must be a string, not {what} (RFC 7516 s4.1.3)')
    if value != "DEF":
        raise UnsupportedAlgorithmError(f'unsupported "zip" value {shown(value)} (RFC 7518 s7.3)')
    return True


def deflate(plaintext: bytes) -> bytes:
    """Compress with raw DEFLATE (RFC 1951)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, _RAW_DEFLATE)
    return compressor.compress(plaintext) + compressor.flush()


def inflate(data: bytes, max_bytes: int) -> bytes:
    """Inflate raw DEFLATE, producing at most `max_bytes` octets.

    Raises:
        LimitExceededError: the plaintext would be longer than `max_bytes`.
        MalformedError: not a complete raw DEFLATE stream, or bytes after its end.
    """
    inflater = zlib.decompressobj(_RAW_DEFLATE)
    try:
        # Ask for one octet more than allowed: getting it proves the limit is exceeded
        # without ever holding more than max_bytes + 1 octets of output.
        plaintext = inflater.decompress(data, max_bytes + 1)
    except zlib.error:
        raise MalformedError('"zip": "DEF" content is not valid raw DEFLATE (RFC 1951)') from None
    if len(plaintext) > max_bytes:
        raise LimitExceededError(
            f"inflated JWE plaintext exceeds the limit max_plaintext_bytes={max_bytes}",
            limit="max_plaintext_bytes",
            maximum=max_bytes,
            actual=len(plaintext),
        )
    if not inflater.eof:
        raise MalformedError('"zip": "DEF" content is a truncated DEFLATE stream (RFC 1951)')
    if inflater.unused_data:
        raise MalformedError('"zip": "DEF" content has bytes after the DEFLATE stream')
    return plaintext
