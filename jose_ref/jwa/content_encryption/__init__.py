"""RFC 7518 s5.1 - Content encryption: one entry point for every "enc" value.

JWE encrypts the plaintext with an authenticated encryption algorithm keyed
by the CEK (RFC 7516 s5.1 step 15, s5.2 step 16). This dispatcher
picks the module by the descriptor's family, checks the lengths the "enc"
fixes, and hands over bytes only: the primitives never see a JOSE header.
On decryption every failure, a wrong length included, is the one opaque
DecryptionError (RFC 7516 s11.5); on encryption a wrong length is API misuse.

https://www.rfc-editor.org/rfc/rfc7518#section-5.1
"""

from __future__ import annotations

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref.errors import DecryptionError
from jose_ref.jwa.content_encryption import aes_cbc_hmac_sha2, aes_gcm
from jose_ref.jwa.registry import ContentEncryptionAlg

__all__ = ["decrypt", "encrypt"]


def encrypt(
    enc: ContentEncryptionAlg, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    """Return (ciphertext, tag); ValueError if the CEK or IV length does not fit `enc`."""
    if len(cek) != enc.cek_bytes:
        raise ValueError(f"{enc.name} needs a {enc.cek_bytes}-byte CEK, got {len(cek)}")
    if len(iv) != enc.iv_bytes:
        raise ValueError(f"{enc.name} needs a {enc.iv_bytes}-byte IV, got {len(iv)}")
    if enc.family == "AES-GCM":
        return aes_gcm.encrypt(cek, iv, plaintext, aad)
    if enc.family == "AES-CBC-HMAC-SHA2":
        return aes_cbc_hmac_sha2.encrypt(enc, cek, iv, plaintext, aad)
    raise ValueError(f"unknown content encryption family {enc.family!r}")


def decrypt(
    enc: ContentEncryptionAlg,
    cek: bytes,
    iv: bytes,
    ciphertext: bytes,
    tag: bytes,
    aad: bytes,
    aead: AESGCM | None = None,
) -> bytes:
    """Return the plaintext, or raise DecryptionError whatever stage failed.

    `aead`: for AES GCM, the cipher object of `cek` when the caller keeps one per key."""
    # A CEK of another length than the "enc" needs (RFC 7516 s5.2 step 9) is a failure
    # like any other (s11.5). Each family module checks its own IV and tag lengths.
    if len(cek) != enc.cek_bytes:
        raise DecryptionError() from None
    if enc.family == "AES-GCM":
        return aes_gcm.decrypt(cek, iv, ciphertext, tag, aad, aead)
    if enc.family == "AES-CBC-HMAC-SHA2":
        return aes_cbc_hmac_sha2.decrypt(enc, cek, iv, ciphertext, tag, aad)
    raise ValueError(f"unknown content encryption family {enc.family!r}")
