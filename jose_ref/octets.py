"""RFC 7518 s4.6.2 and s5.2.2.1 - The octet-string helpers JOSE defines.

JOSE assembles bytes in only a few ways: 32-bit and 64-bit big-endian
integers (Concat KDF lengths, the AL value of AES-CBC-HMAC) and 32-bit
length-prefixed data (the Concat KDF OtherInfo fields). These are the only
byte helpers in the package, so every formula comment points here.

https://www.rfc-editor.org/rfc/rfc7518#section-4.6.2
"""

from __future__ import annotations

__all__ = ["length_prefixed", "uint32be", "uint64be"]


def uint32be(value: int) -> bytes:
    """Return `value` as a 32-bit big-endian unsigned integer."""
    return value.to_bytes(4, "big")


def uint64be(value: int) -> bytes:
    """Return `value` as a 64-bit big-endian unsigned integer."""
    return value.to_bytes(8, "big")


def length_prefixed(data: bytes) -> bytes:
    """Return `Datalen || Data`, Datalen a 32-bit big-endian count of octets (RFC 7518 s4.6.2)."""
    return uint32be(len(data)) + data
