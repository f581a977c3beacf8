"""RFC 7518 s4.3 - Key Encryption with RSAES OAEP.

"RSA-OAEP" encrypts the CEK with RSAES-OAEP (RFC 3447 s7.1) using SHA-1 and
MGF1 with SHA-1; "RSA-OAEP-256" uses SHA-256 for both, and the IANA JSON Web
Signature and Encryption Algorithms registry adds "RSA-OAEP-384" and
"RSA-OAEP-512" the same way. The label is empty. The hash comes from the
registry descriptor; any decryption failure is the one DecryptionError,
since telling OAEP errors apart is Manger's oracle (RFC 3447 s7.1.2 note).

https://www.rfc-editor.org/rfc/rfc7518#section-4.3
"""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from jose_ref.errors import DecryptionError
from jose_ref.jwa import registry

__all__ = ["decrypt_cek", "encrypt_cek"]


# One padding object per hash name: it is immutable and holds nothing secret, and building
# it (MGF1, two hash objects, their type checks) cost a few microseconds per token.
@functools.lru_cache(maxsize=4)
def _oaep(hash_name: str) -> padding.OAEP:
    if hash_name not in ("SHA-1", "SHA-256", "SHA-384", "SHA-512"):
        raise ValueError(f"no RSA-OAEP variant uses {hash_name!r} (RFC 7518 s4.3)")
    # RFC 7518 s4.3: MGF1 uses the same hash function as OAEP; no label.
    algorithm = registry.hash_algorithm(hash_name)
    return padding.OAEP(mgf=padding.MGF1(algorithm=algorithm), algorithm=algorithm, label=None)


def encrypt_cek(public_key: RSAPublicKey, cek: bytes, hash_name: str) -> bytes:
    """Return the JWE Encrypted Key: RSAES-OAEP encryption of `cek` with `hash_name`."""
    return public_key.encrypt(cek, _oaep(hash_name))


def decrypt_cek(private_key: RSAPrivateKey, encrypted_key: bytes, hash_name: str) -> bytes:
    """Return the CEK, or raise DecryptionError."""
    cek = _decrypt(private_key, encrypted_key, _oaep(hash_name))
    # One error for every failure (length, padding, hash, label), raised
    # outside the except block so it carries no __context__ (RFC 7516 s11.5).
    if cek is None:
        raise DecryptionError() from None
    return cek


def _decrypt(private_key: RSAPrivateKey, encrypted_key: bytes, oaep: padding.OAEP) -> bytes | None:
    try:
        return private_key.decrypt(encrypted_key, oaep)
    except ValueError:
        return None
