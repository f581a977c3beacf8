"""RFC 7518 s5.3 - AES GCM content encryption, checked against cryptography's AESGCM."""

from __future__ import annotations

import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import DecryptionError
from jose_ref.jwa.content_encryption import aes_gcm
from tests.jwa import assert_opaque, opaque_decryption_error

KEY_SIZES = (16, 24, 32)
AAD = b"eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0"


def _sealed(cek: bytes, iv: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Independent reference: cryptography's AESGCM, tag split off by hand."""
    sealed = AESGCM(cek).encrypt(iv, plaintext, aad)
    return sealed[:-16], sealed[-16:]


@pytest.mark.parametrize("key_bytes", KEY_SIZES)
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 1000])
def test_encrypt_matches_aesgcm_and_round_trips(key_bytes: int, size: int) -> None:
    cek, iv, plaintext = os.urandom(key_bytes), os.urandom(12), os.urandom(size)
    ciphertext, tag = aes_gcm.encrypt(cek, iv, plaintext, AAD)
    assert (ciphertext, tag) == _sealed(cek, iv, plaintext, AAD)
    assert len(tag) == 16
    assert aes_gcm.decrypt(cek, iv, ciphertext, tag, AAD) == plaintext


def test_known_answer_all_zero_key() -> None:
    # McGrew-Viega GCM test case 2: 128-bit zero key, zero IV, one zero block.
    ciphertext, tag = aes_gcm.encrypt(bytes(16), bytes(12), bytes(16), b"")
    assert ciphertext == bytes.fromhex("0388dace60b6a392f328c2b971b2fe78")
    assert tag == bytes.fromhex("ab6e47d42cec13bdf53a67b21257bddf")


@pytest.mark.parametrize("iv_bytes", [n for n in range(0, 33) if n != 12] + [64, 128])
def test_iv_of_any_other_length_is_refused(iv_bytes: int) -> None:
    cek = os.urandom(16)
    iv = os.urandom(iv_bytes)
    # Even a tag that is genuine for that nonce (AESGCM takes 8..128 bytes) is refused.
    if 8 <= iv_bytes <= 128:
        ciphertext, tag = _sealed(cek, iv, b"secret", AAD)
    else:
        ciphertext, tag = b"x" * 6, os.urandom(16)
    with opaque_decryption_error():
        aes_gcm.decrypt(cek, iv, ciphertext, tag, AAD)
    with pytest.raises(ValueError):
        aes_gcm.encrypt(cek, iv, b"secret", AAD)


@pytest.mark.parametrize("tag_bytes", [n for n in range(0, 33) if n != 16])
def test_tag_of_any_other_length_is_refused(tag_bytes: int) -> None:
    cek, iv = os.urandom(16), os.urandom(12)
    ciphertext, tag = _sealed(cek, iv, b"secret", AAD)
    # A truncated genuine tag must not verify (no tag shortening), nor a padded one.
    candidate = (tag + os.urandom(16))[:tag_bytes]
    with opaque_decryption_error():
        aes_gcm.decrypt(cek, iv, ciphertext, candidate, AAD)


@pytest.mark.parametrize("key_bytes", [0, 8, 15, 17, 31, 33, 64])
def test_key_of_wrong_size_is_refused(key_bytes: int) -> None:
    with opaque_decryption_error():
        aes_gcm.decrypt(os.urandom(key_bytes), os.urandom(12), b"abc", os.urandom(16), AAD)
    with pytest.raises(ValueError):
        aes_gcm.encrypt(os.urandom(key_bytes), os.urandom(12), b"abc", AAD)


@pytest.mark.parametrize("part", ["cek", "iv", "ciphertext", "tag", "aad"])
def test_any_flipped_bit_fails(part: str) -> None:
    cek, iv = os.urandom(32), os.urandom(12)
    ciphertext, tag = _sealed(cek, iv, b"attack at dawn", AAD)
    values = {"cek": cek, "iv": iv, "ciphertext": ciphertext, "tag": tag, "aad": AAD}
    original = values[part]
    for bit in range(0, len(original) * 8, 5):
        flipped = bytearray(original)
        flipped[bit // 8] ^= 1 << (bit % 8)
        values[part] = bytes(flipped)
        with opaque_decryption_error():
            aes_gcm.decrypt(**values)
    values[part] = original
    assert aes_gcm.decrypt(**values) == b"attack at dawn"


@settings(max_examples=300, deadline=None)
@given(
    key_bytes=st.sampled_from(KEY_SIZES),
    iv=st.binary(max_size=20),
    ciphertext=st.binary(max_size=64),
    tag=st.binary(max_size=20),
    aad=st.binary(max_size=32),
    data=st.data(),
)
def test_random_inputs_give_the_one_error(
    key_bytes: int, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes, data: st.DataObject
) -> None:
    cek = data.draw(st.binary(min_size=key_bytes, max_size=key_bytes))
    with pytest.raises(DecryptionError) as info:
        aes_gcm.decrypt(cek, iv, ciphertext, tag, aad)
    assert_opaque(info.value)


@pytest.mark.parametrize("size", [64 * 1024, 64 * 1024 + 1, 300_001])
def test_long_ciphertexts_decrypt_as_aesgcm_sealed_them(size: int) -> None:
    # Above 64 KiB the tag is checked by the incremental interface: same results.
    key, iv, aad = os.urandom(32), os.urandom(12), b"eyJhbGciOiJkaXIifQ"
    plaintext = os.urandom(size)
    sealed = AESGCM(key).encrypt(iv, plaintext, aad)
    ciphertext, tag = sealed[:-16], sealed[-16:]
    assert aes_gcm.decrypt(key, iv, ciphertext, tag, aad) == plaintext
    tampered_tag = tag[:-1] + bytes([tag[-1] ^ 1])
    tampered_ct = bytes([ciphertext[0] ^ 1]) + ciphertext[1:]
    for args in ((ciphertext, tampered_tag, aad), (tampered_ct, tag, aad), (ciphertext, tag, b"")):
        with pytest.raises(DecryptionError) as info:
            aes_gcm.decrypt(key, iv, *args)
        assert_opaque(info.value)
