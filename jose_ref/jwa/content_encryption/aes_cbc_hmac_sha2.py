"""RFC 7518 s5.2 - AES_CBC_HMAC_SHA2 Algorithms.

A128CBC-HS256, A192CBC-HS384 and A256CBC-HS512 compose AES-CBC encryption
with an HMAC-SHA-2 tag (encrypt-then-MAC). The key K is MAC_KEY || ENC_KEY;
the plaintext is PKCS #7 padded and encrypted under ENC_KEY; the tag is the
first T_LEN octets of HMAC(MAC_KEY, A || IV || E || AL). Decryption verifies
the tag in constant time before it decrypts anything, so a padding error can
never be told apart from a tag error (no padding oracle, RFC 7518 s5.2.2.2).
cryptography does AES-CBC and PKCS #7, the standard library's hmac (on
OpenSSL, like cryptography) the HMAC; only the composition is here.

https://www.rfc-editor.org/rfc/rfc7518#section-5.2
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from jose_ref import octets, trace
from jose_ref.errors import DecryptionError
from jose_ref.jwa import registry
from jose_ref.jwa.registry import ContentEncryptionAlg

__all__ = ["al", "decrypt", "encrypt", "split_cek"]

_BLOCK_BYTES = 16
# hashlib's hash name per AES_CBC_HMAC_SHA2 "enc" (RFC 7518 s5.2.3-5.2.5), from the registry.
_HASHLIB_NAMES = {
    row.name: registry.hash_algorithm(row.hash).name
    for row in registry.CONTENT_ENCRYPTION.values()
    if row.family == "AES-CBC-HMAC-SHA2" and row.hash is not None
}


def split_cek(enc: ContentEncryptionAlg, cek: bytes) -> tuple[bytes, bytes]:
    """Return (mac_key, enc_key): K = MAC_KEY || ENC_KEY (RFC 7518 s5.2.2.1 step 1)."""
    if enc.family != "AES-CBC-HMAC-SHA2" or len(cek) != enc.cek_bytes:
        raise ValueError(f"{enc.name} needs a {enc.cek_bytes}-byte CEK (RFC 7518 s5.2.2.1)")
    half = enc.cek_bytes // 2
    rec = trace.recorder()
    if rec is not None:
        keys = {"mac_key": cek[:half], "enc_key": cek[half:]}
        rec.detail("RFC 7518 s5.2.2.1", "K = MAC_KEY || ENC_KEY.", secret=tuple(keys), **keys)
    return cek[:half], cek[half:]


def al(aad: bytes) -> bytes:
    """Return AL, the bit length of the AAD as a 64-bit big-endian integer (s5.2.2.1 step 4)."""
    return octets.uint64be(len(aad) * 8)


def _tag(enc: ContentEncryptionAlg, mac_key: bytes, aad: bytes, iv: bytes, e: bytes) -> bytes:
    # Steps 4-6 (s5.2.2.1): M = HMAC(MAC_KEY, A || IV || E || AL); T = M[:T_LEN].
    mac_input = b"".join((aad, iv, e, al(aad)))
    # One call into OpenSSL's HMAC through hashlib (no MAC object per token). Both callers
    # ran split_cek first, which refuses any "enc" that is not one of these rows.
    t = hmac.digest(mac_key, mac_input, _HASHLIB_NAMES[enc.name])[: enc.tag_bytes]
    rec = trace.recorder()
    if rec is not None:
        rec.detail(
            "RFC 7518 s5.2.2.1",
            "T = the first T_LEN octets of HMAC(MAC_KEY, A || IV || E || AL).",
            al=al(aad),
            mac_input=mac_input,
            t=t,
        )
    return t


def encrypt(
    enc: ContentEncryptionAlg, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    """Return (ciphertext, tag) per RFC 7518 s5.2.2.1."""
    # Step 1: K = MAC_KEY || ENC_KEY. Step 2, the IV, is drawn by the caller.
    mac_key, enc_key = split_cek(enc, cek)
    if len(iv) != enc.iv_bytes:
        raise ValueError(f"{enc.name} needs a {enc.iv_bytes}-byte IV (RFC 7518 s5.2.2.1)")
    # Step 3: P is PKCS #7 padded to whole blocks, then E = AES-CBC(ENC_KEY, IV, P).
    padder = padding.PKCS7(_BLOCK_BYTES * 8).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return ciphertext, _tag(enc, mac_key, aad, iv, ciphertext)


def decrypt(
    enc: ContentEncryptionAlg, cek: bytes, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes
) -> bytes:
    """Return the plaintext per RFC 7518 s5.2.2.2, or raise DecryptionError."""
    # Public lengths first (nothing secret): K, IV, T_LEN fixed by "enc"; E whole blocks, not 0.
    if len(cek) != enc.cek_bytes or len(iv) != enc.iv_bytes or len(tag) != enc.tag_bytes:
        raise DecryptionError() from None
    if not ciphertext or len(ciphertext) % _BLOCK_BYTES:
        raise DecryptionError() from None
    # Step 1 (s5.2.2.2): MAC_KEY and ENC_KEY as for encryption.
    mac_key, enc_key = split_cek(enc, cek)
    # Step 2: the tag is checked BEFORE any decryption, so nothing about the padding is ever
    # computed for an unauthentic input; the comparison is constant-time (RFC 7516 s11.5).
    if not hmac.compare_digest(_tag(enc, mac_key, aad, iv, ciphertext), tag):
        raise DecryptionError() from None
    # Step 3: decrypt and remove the padding. A padding error gives the very
    # same DecryptionError, raised outside the except block (no __context__).
    plaintext = _decrypt_and_unpad(enc_key, iv, ciphertext)
    if plaintext is None:
        raise DecryptionError() from None
    return plaintext


def _decrypt_and_unpad(enc_key: bytes, iv: bytes, ciphertext: bytes) -> bytes | None:
    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(_BLOCK_BYTES * 8).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        return None
