"""RFC 7518 s4.5 - Direct Encryption with a Shared Symmetric Key.

With "dir" the shared symmetric key is the CEK, and the JWE Encrypted Key is
the empty octet sequence (RFC 7516 s5.1 steps 5-6, s5.2 steps 10-11). The
key must be exactly as long as the "enc" requires. On the decryption side a
non-empty encrypted key or a key of another length is the one opaque
DecryptionError; on the encryption side a key that does not fit the "enc" is
an InvalidKeyError, since the caller chose it.

https://www.rfc-editor.org/rfc/rfc7518#section-4.5
"""

from __future__ import annotations

from jose_ref.errors import DecryptionError, InvalidKeyError

__all__ = ["decrypt_cek", "encrypt_cek"]


def encrypt_cek(shared_key: bytes, cek_bytes: int) -> tuple[bytes, bytes]:
    """Return (cek, encrypted_key): the shared key itself and the empty octet sequence."""
    if len(shared_key) != cek_bytes:
        raise InvalidKeyError(
            f'"dir": the key has {len(shared_key)} octets, the "enc" needs {cek_bytes} '
            "(RFC 7518 s4.5)"
        )
    return shared_key, b""


def decrypt_cek(shared_key: bytes, encrypted_key: bytes, cek_bytes: int) -> bytes:
    """Return the CEK (the shared key), or raise DecryptionError."""
    # RFC 7516 s5.2 step 10: the JWE Encrypted Key MUST be empty; step 9's
    # length rule holds for the shared key as the CEK.
    if encrypted_key or len(shared_key) != cek_bytes:
        raise DecryptionError() from None
    return shared_key
