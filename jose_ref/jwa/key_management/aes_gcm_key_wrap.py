"""RFC 7518 s4.7 - Key Encryption with AES GCM.

A128GCMKW, A192GCMKW and A256GCMKW encrypt the CEK with AES GCM under the
KEK, using the 96-bit "iv" header parameter and an empty AAD; the resulting
128-bit tag travels in the "tag" header parameter and the ciphertext is the
JWE Encrypted Key. This module only fixes those choices and reuses the
content-encryption AES GCM module, which checks that the IV is 12 and the tag
16 octets. The orchestration draws the iv and reads the headers.

https://www.rfc-editor.org/rfc/rfc7518#section-4.7
"""

from __future__ import annotations

from jose_ref.jwa.content_encryption import aes_gcm

__all__ = ["unwrap", "wrap"]

# RFC 7518 s4.7.1: "the Additional Authenticated Data value ... the empty octet string".
_AAD = b""


def wrap(kek: bytes, cek: bytes, iv: bytes) -> tuple[bytes, bytes]:
    """Return (encrypted_key, tag): AES GCM encryption of `cek` under `kek` with `iv`."""
    return aes_gcm.encrypt(kek, iv, cek, _AAD)


def unwrap(kek: bytes, encrypted_key: bytes, iv: bytes, tag: bytes) -> bytes:
    """Return the CEK, or raise DecryptionError (also for an iv or tag of the wrong length)."""
    return aes_gcm.decrypt(kek, iv, encrypted_key, tag, _AAD)
