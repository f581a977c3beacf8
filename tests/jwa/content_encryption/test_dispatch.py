"""RFC 7518 s5.1 - The content-encryption dispatcher: every "enc", lengths checked first."""

from __future__ import annotations

import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref.jwa import content_encryption, registry
from jose_ref.jwa.registry import ContentEncryptionAlg
from tests.jwa import opaque_decryption_error
from tests.vectorlib import all_of, octets

ALL_ENCS = list(registry.CONTENT_ENCRYPTION.values())
AAD = b"eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0"


@pytest.mark.parametrize("enc", ALL_ENCS, ids=lambda e: e.name)
@pytest.mark.parametrize("size", [0, 1, 16, 33])
def test_round_trip_every_enc(enc: ContentEncryptionAlg, size: int) -> None:
    cek, iv, plaintext = os.urandom(enc.cek_bytes), os.urandom(enc.iv_bytes), os.urandom(size)
    ciphertext, tag = content_encryption.encrypt(enc, cek, iv, plaintext, AAD)
    assert len(tag) == enc.tag_bytes
    assert content_encryption.decrypt(enc, cek, iv, ciphertext, tag, AAD) == plaintext


@pytest.mark.parametrize("vector", all_of("aes-cbc-hmac", source="rfc7518"), ids=lambda v: v["id"])
def test_cbc_vectors_through_the_dispatcher(vector: dict[str, Any]) -> None:
    enc = registry.content_encryption(vector["input"]["enc"])
    k, p, iv, a = (octets(vector["input"][name]) for name in ("k", "p", "iv", "a"))
    expected = (octets(vector["expected"]["e"]), octets(vector["expected"]["t"]))
    assert content_encryption.encrypt(enc, k, iv, p, a) == expected
    assert content_encryption.decrypt(enc, k, iv, *expected, a) == p


@pytest.mark.parametrize("name", ["A128GCM", "A192GCM", "A256GCM"])
def test_gcm_matches_aesgcm(name: str) -> None:
    enc = registry.content_encryption(name)
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(12)
    sealed = AESGCM(cek).encrypt(iv, b"plaintext", AAD)
    assert content_encryption.encrypt(enc, cek, iv, b"plaintext", AAD) == (
        sealed[:-16],
        sealed[-16:],
    )


def _wrong_lengths(right: int) -> list[int]:
    return sorted({0, 1, right - 1, right + 1, 2 * right} - {right})


@pytest.mark.parametrize("enc", ALL_ENCS, ids=lambda e: e.name)
def test_decrypt_checks_every_length_first(enc: ContentEncryptionAlg) -> None:
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(enc.iv_bytes)
    ciphertext, tag = content_encryption.encrypt(enc, cek, iv, b"secret", AAD)
    good = {"cek": cek, "iv": iv, "ciphertext": ciphertext, "tag": tag, "aad": AAD}
    for name, right in (("cek", enc.cek_bytes), ("iv", enc.iv_bytes), ("tag", enc.tag_bytes)):
        for length in _wrong_lengths(right):
            # A genuine value cut or extended to the wrong length, never accepted.
            value = (good[name] + os.urandom(2 * right))[:length]
            with opaque_decryption_error():
                content_encryption.decrypt(enc, **{**good, name: value})


@pytest.mark.parametrize("enc", ALL_ENCS, ids=lambda e: e.name)
def test_encrypt_with_wrong_cek_or_iv_is_misuse(enc: ContentEncryptionAlg) -> None:
    for length in _wrong_lengths(enc.cek_bytes):
        with pytest.raises(ValueError):
            content_encryption.encrypt(enc, os.urandom(length), os.urandom(enc.iv_bytes), b"", AAD)
    for length in _wrong_lengths(enc.iv_bytes):
        with pytest.raises(ValueError):
            content_encryption.encrypt(enc, os.urandom(enc.cek_bytes), os.urandom(length), b"", AAD)


def test_modified_aad_fails_for_every_enc() -> None:
    for enc in ALL_ENCS:
        cek, iv = os.urandom(enc.cek_bytes), os.urandom(enc.iv_bytes)
        ciphertext, tag = content_encryption.encrypt(enc, cek, iv, b"secret", AAD)
        with opaque_decryption_error():
            content_encryption.decrypt(enc, cek, iv, ciphertext, tag, AAD + b" ")
