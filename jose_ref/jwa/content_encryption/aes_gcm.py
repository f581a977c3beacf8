"""RFC 7518 s5.3 - Content Encryption with AES GCM.

AES in Galois/Counter Mode (NIST SP 800-38D) encrypts the plaintext and
authenticates it together with the Additional Authenticated Data. JOSE fixes
the parameters for every key size: a 96-bit IV and a 128-bit Authentication
Tag. cryptography's AESGCM does the work and returns ciphertext || tag; this
module splits and joins the two, and checks the lengths itself because AESGCM
accepts nonces of 8 to 128 bytes. A long ciphertext is decrypted through the
incremental interface instead, so that it is never copied to join its tag.
A*GCMKW (RFC 7518 s4.7) builds on it.

https://www.rfc-editor.org/rfc/rfc7518#section-5.3
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref.errors import DecryptionError

__all__ = ["IV_BYTES", "TAG_BYTES", "cipher", "decrypt", "encrypt"]

# RFC 7518 s5.3: a 96-bit IV is REQUIRED, and the Authentication Tag MUST be 128 bits.
IV_BYTES = 12
TAG_BYTES = 16
_KEY_BYTES = (16, 24, 32)
# Above this, decryption does not join ciphertext || tag for AESGCM (a copy of the whole
# ciphertext, which the peak memory of a large JWE would pay).
_JOIN_MAX_BYTES = 64 * 1024


def encrypt(cek: bytes, iv: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Return (ciphertext, tag) of `plaintext` under `cek` with the 96-bit `iv` and `aad`."""
    if len(cek) not in _KEY_BYTES:
        raise ValueError(f"AES GCM needs a 16, 24 or 32 byte key, got {len(cek)} (RFC 7518 s5.3)")
    if len(iv) != IV_BYTES:
        raise ValueError(f"AES GCM needs a {IV_BYTES}-byte IV, got {len(iv)} (RFC 7518 s5.3)")
    sealed = AESGCM(cek).encrypt(iv, plaintext, aad)
    # AESGCM returns ciphertext || tag; JWE carries them as separate parts.
    return sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]


def cipher(cek: bytes) -> AESGCM:
    """The AES GCM cipher object of a 16, 24 or 32 byte `cek` (constant per key: cacheable)."""
    return AESGCM(cek)


def decrypt(
    cek: bytes,
    iv: bytes,
    ciphertext: bytes,
    tag: bytes,
    aad: bytes,
    aead: AESGCM | None = None,
) -> bytes:
    """Return the plaintext, or raise DecryptionError if anything fails to verify.

    `aead`, when given, is `cipher(cek)` made earlier (a "dir" key's, kept with the key)."""
    # The IV must be exactly 96 bits (RFC 7518 s5.3), although AESGCM would
    # take others. The tag must be the full 128 bits: a truncated tag makes
    # forgeries cheaper (NIST SP 800-38D Appendix C), so a shorter one is
    # never accepted, whatever length the sender chose.
    if len(cek) not in _KEY_BYTES or len(iv) != IV_BYTES or len(tag) != TAG_BYTES:
        raise DecryptionError() from None
    if len(ciphertext) > _JOIN_MAX_BYTES:
        plaintext = _open_stream(cek, iv, ciphertext, tag, aad)
    else:
        plaintext = _open(aead or AESGCM(cek), iv, ciphertext + tag, aad)
    # Raised here, outside the except block, so the error carries no
    # __context__: one opaque failure whatever went wrong (RFC 7516 s11.5).
    if plaintext is None:
        raise DecryptionError() from None
    return plaintext


def _open_stream(cek: bytes, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes) -> bytes | None:
    # The same AES-GCM through cryptography's incremental interface, which takes the tag
    # apart: a long ciphertext is not copied to join it. The plaintext is returned only
    # once finalize() has checked the tag.
    decryptor = Cipher(algorithms.AES(cek), modes.GCM(iv, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    plaintext = decryptor.update(ciphertext)
    try:
        decryptor.finalize()
    except InvalidTag:
        return None
    return plaintext


def _open(aead: AESGCM, iv: bytes, sealed: bytes, aad: bytes) -> bytes | None:
    try:
        return aead.decrypt(iv, sealed, aad)
    except InvalidTag:
        return None
