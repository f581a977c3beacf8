"""RFC 7518 s4.4 - Key Wrapping with AES Key Wrap.

A128KW, A192KW and A256KW wrap the CEK with the AES Key Wrap algorithm of
RFC 3394 and its default initial value A6A6A6A6A6A6A6A6 under a 128, 192 or
256-bit KEK. cryptography implements RFC 3394; this module maps its failures
to the one DecryptionError. The unwrap integrity check (the recovered
initial value) is what authenticates the CEK, so a tampered encrypted key,
one of odd length and a KEK of the wrong size all fail alike.

https://www.rfc-editor.org/rfc/rfc7518#section-4.4
"""

from __future__ import annotations

from cryptography.hazmat.primitives import keywrap

from jose_ref.errors import DecryptionError

__all__ = ["unwrap", "wrap"]

_KEK_BYTES = (16, 24, 32)
_SEMIBLOCK_BYTES = 8


def wrap(kek: bytes, cek: bytes) -> bytes:
    """Return the JWE Encrypted Key: AES Key Wrap (RFC 3394 s2.2.1) of `cek` under `kek`."""
    return keywrap.aes_key_wrap(kek, cek)


def unwrap(kek: bytes, encrypted_key: bytes) -> bytes:
    """Return the CEK (RFC 3394 s2.2.2-2.2.3), or raise DecryptionError."""
    cek = _unwrap(kek, encrypted_key)
    # Raised outside the except block, so it carries no __context__ (RFC 7516 s11.5).
    if cek is None:
        raise DecryptionError() from None
    return cek


def _unwrap(kek: bytes, encrypted_key: bytes) -> bytes | None:
    # RFC 3394 s2: the wrapped key is n + 1 64-bit blocks with n >= 2, so it
    # is a multiple of 8 octets and at least 24; anything else cannot unwrap.
    if len(kek) not in _KEK_BYTES or len(encrypted_key) < 3 * _SEMIBLOCK_BYTES:
        return None
    if len(encrypted_key) % _SEMIBLOCK_BYTES:
        return None
    try:
        # RFC 3394 s2.2.3: the recovered A must equal the default IV, else the
        # key data was not wrapped under this KEK or was modified.
        return keywrap.aes_key_unwrap(kek, encrypted_key)
    except (keywrap.InvalidUnwrap, ValueError):
        return None
