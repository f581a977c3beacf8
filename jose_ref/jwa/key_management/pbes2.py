"""RFC 7518 s4.8 - Key Encryption with PBES2.

PBES2-HS256+A128KW, PBES2-HS384+A192KW and PBES2-HS512+A256KW derive a KEK
from a password with PBKDF2 (RFC 8018 s5.2) using HMAC-SHA-2, then wrap the
CEK with AES Key Wrap. The salt is UTF8(alg) || 0x00 || the "p2s" value and
the iteration count is "p2c". The caller checks "p2c" and "p2s" against its
Limits before calling: PBKDF2's cost is linear in "p2c" (RFC 7518 s4.8.1.2).

https://www.rfc-editor.org/rfc/rfc7518#section-4.8
"""

from __future__ import annotations

from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from jose_ref import trace
from jose_ref.jwa import registry
from jose_ref.jwa.key_management import aes_key_wrap
from jose_ref.jwa.registry import KeyManagementAlg

__all__ = ["derive_kek", "salt", "unwrap", "wrap"]


def salt(alg: KeyManagementAlg, p2s: bytes) -> bytes:
    """Return the PBKDF2 salt: UTF8(Alg) || 0x00 || Salt Input (RFC 7518 s4.8.1.1)."""
    # The algorithm name in the salt binds the derived KEK to one "alg".
    return alg.name.encode("utf-8") + b"\x00" + p2s


def derive_kek(password: bytes, alg: KeyManagementAlg, p2s: bytes, p2c: int) -> bytes:
    """Return the KEK: PBKDF2 with HMAC-`alg.hash`, `p2c` iterations, `alg.kek_bytes` octets."""
    if alg.family != "PBES2" or alg.hash is None or alg.kek_bytes is None:
        raise ValueError(f"{alg.name} is not a PBES2 algorithm (RFC 7518 s4.8)")
    if p2c < 1:
        raise ValueError(f"the PBES2 iteration count must be at least 1, got {p2c}")
    full_salt = salt(alg, p2s)
    kdf = PBKDF2HMAC(
        algorithm=registry.hash_algorithm(alg.hash),
        length=alg.kek_bytes,
        salt=full_salt,
        iterations=p2c,
    )
    kek = kdf.derive(password)
    rec = trace.recorder()
    if rec is not None:
        rec.detail(
            "RFC 7518 s4.8.1.1",
            'PBKDF2: salt = UTF8(alg) || 0x00 || Salt Input ("p2s"); "p2c" iterations.',
            secret=("derived_key",),
            salt_input=p2s,
            salt=full_salt,
            p2c=p2c,
            derived_key=kek,
        )
    return kek


def wrap(password: bytes, alg: KeyManagementAlg, p2s: bytes, p2c: int, cek: bytes) -> bytes:
    """Return the JWE Encrypted Key: `cek` wrapped under the password-derived KEK."""
    return aes_key_wrap.wrap(derive_kek(password, alg, p2s, p2c), cek)


def unwrap(
    password: bytes, alg: KeyManagementAlg, p2s: bytes, p2c: int, encrypted_key: bytes
) -> bytes:
    """Return the CEK, or raise DecryptionError (a wrong password fails the unwrap check)."""
    return aes_key_wrap.unwrap(derive_kek(password, alg, p2s, p2c), encrypted_key)
