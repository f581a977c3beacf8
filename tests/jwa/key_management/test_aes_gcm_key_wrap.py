"""RFC 7518 s4.7 - A*GCMKW: AES GCM over the CEK with an empty AAD; iv 12 and tag 16 octets."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives import keywrap
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref.jwa.key_management import aes_gcm_key_wrap, aes_key_wrap
from tests.jwa import opaque_decryption_error

KEK_SIZES = (16, 24, 32)


@pytest.mark.parametrize("kek_bytes", KEK_SIZES)
@pytest.mark.parametrize("cek_bytes", [16, 32, 64])
def test_matches_aesgcm_with_empty_aad(kek_bytes: int, cek_bytes: int) -> None:
    kek, cek, iv = os.urandom(kek_bytes), os.urandom(cek_bytes), os.urandom(12)
    sealed = AESGCM(kek).encrypt(iv, cek, b"")
    encrypted_key, tag = aes_gcm_key_wrap.wrap(kek, cek, iv)
    assert (encrypted_key, tag) == (sealed[:-16], sealed[-16:])
    assert aes_gcm_key_wrap.unwrap(kek, encrypted_key, iv, tag) == cek


def _wrapped() -> tuple[bytes, bytes, bytes, bytes]:
    kek, iv = os.urandom(16), os.urandom(12)
    encrypted_key, tag = aes_gcm_key_wrap.wrap(kek, os.urandom(32), iv)
    return kek, encrypted_key, iv, tag


@pytest.mark.parametrize("iv_bytes", [0, 1, 8, 11, 13, 16, 32])
def test_iv_of_wrong_length(iv_bytes: int) -> None:
    kek, encrypted_key, iv, tag = _wrapped()
    with opaque_decryption_error():
        aes_gcm_key_wrap.unwrap(kek, encrypted_key, (iv + bytes(32))[:iv_bytes], tag)


@pytest.mark.parametrize("tag_bytes", [0, 1, 4, 8, 12, 15, 17, 32])
def test_tag_of_wrong_length(tag_bytes: int) -> None:
    kek, encrypted_key, iv, tag = _wrapped()
    with opaque_decryption_error():
        aes_gcm_key_wrap.unwrap(kek, encrypted_key, iv, (tag + bytes(32))[:tag_bytes])


def _flip(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x80]) + data[1:]


def test_modified_parts_fail() -> None:
    kek, encrypted_key, iv, tag = _wrapped()
    flip = _flip
    for args in (
        (flip(kek), encrypted_key, iv, tag),
        (kek, flip(encrypted_key), iv, tag),
        (kek, encrypted_key, flip(iv), tag),
        (kek, encrypted_key, iv, flip(tag)),
        (kek, encrypted_key[:-1], iv, tag),
    ):
        with opaque_decryption_error():
            aes_gcm_key_wrap.unwrap(*args)


def test_aes_kw_output_is_refused_as_gcmkw_input() -> None:
    kek = os.urandom(16)
    wrapped = keywrap.aes_key_wrap(kek, os.urandom(16))
    # The AES-KW output split as if it were ciphertext || tag does not verify.
    with opaque_decryption_error():
        aes_gcm_key_wrap.unwrap(kek, wrapped[:-16], os.urandom(12), wrapped[-16:])


def test_gcmkw_output_is_refused_as_aes_kw_input() -> None:
    kek, encrypted_key, _iv, tag = _wrapped()
    with opaque_decryption_error():
        aes_key_wrap.unwrap(kek, encrypted_key + tag)
    with opaque_decryption_error():
        aes_key_wrap.unwrap(kek, encrypted_key)


@pytest.mark.parametrize("kek_bytes", [0, 15, 17, 64])
def test_kek_of_wrong_size(kek_bytes: int) -> None:
    _kek, encrypted_key, iv, tag = _wrapped()
    with opaque_decryption_error():
        aes_gcm_key_wrap.unwrap(os.urandom(kek_bytes), encrypted_key, iv, tag)
    with pytest.raises(ValueError):
        aes_gcm_key_wrap.wrap(os.urandom(kek_bytes), os.urandom(16), iv)
