"""RFC 7518 s4.2 - Key Encryption with RSAES-PKCS1-v1_5.

"RSA1_5" encrypts the CEK with RSAES-PKCS1-v1_5 (RFC 3447 s7.2). Its padding
check is the classic Bleichenbacher oracle, so decryption here never fails:
a bad encrypted key yields a random CEK of the right length, and the forgery
is only noticed when content decryption fails at the tag, exactly like any
other wrong key (RFC 3218, RFC 7516 s11.5). This is the one primitive
that draws randomness itself. RFC 8725 s3.2 advises against RSA1_5, so the
policy only allows it when the caller names it.

https://www.rfc-editor.org/rfc/rfc7518#section-4.2
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = ["decrypt_cek", "encrypt_cek"]

# The padding object holds no state or secret: one serves every call.
_PKCS1V15 = padding.PKCS1v15()


def encrypt_cek(public_key: RSAPublicKey, cek: bytes) -> bytes:
    """Return the JWE Encrypted Key: RSAES-PKCS1-v1_5 encryption of `cek`."""
    return public_key.encrypt(cek, _PKCS1V15)


def decrypt_cek(private_key: RSAPrivateKey, encrypted_key: bytes, cek_bytes: int) -> bytes:
    """Return the CEK, or a random CEK of `cek_bytes` when anything is wrong; never raises."""
    # The random CEK is drawn FIRST, before the input is looked at, so the
    # work done is the same whatever the padding turns out to be: "substitute
    # a randomly generated CEK and proceed" (RFC 7516 s11.5, RFC 3218).
    random_cek = os.urandom(cek_bytes)
    # RFC 3447 s7.2.2 step 1: the input must be exactly k octets (k = modulus length).
    if len(encrypted_key) != (private_key.key_size + 7) // 8:
        return random_cek
    cek = _decrypt(private_key, encrypted_key)
    # OpenSSL's implicit rejection RETURNS random bytes of arbitrary length on
    # bad padding instead of raising, and a well-padded CEK of the wrong size
    # is just as invalid (RFC 7516 s5.2 step 9): both become the random CEK.
    if cek is None or len(cek) != cek_bytes:
        return random_cek
    return cek


def _decrypt(private_key: RSAPrivateKey, encrypted_key: bytes) -> bytes | None:
    try:
        return private_key.decrypt(encrypted_key, _PKCS1V15)
    except ValueError:
        return None
