"""RFC 7518 s4.4 - AES Key Wrap: the six RFC 3394 s4 wraps and every kind of bad input."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import DecryptionError
from jose_ref.jwa.key_management import aes_key_wrap
from tests.jwa import assert_opaque, opaque_decryption_error
from tests.vectorlib import all_of, octets

VECTORS = all_of("aes-key-wrap", source="rfc3394")


def test_all_six_rfc3394_wraps_are_present() -> None:
    assert [v["source"]["section"] for v in VECTORS] == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["id"])
def test_rfc3394(vector: dict[str, Any]) -> None:
    kek, key_data = octets(vector["input"]["kek"]), octets(vector["input"]["key_data"])
    ciphertext = octets(vector["expected"]["ciphertext"])
    assert aes_key_wrap.wrap(kek, key_data) == ciphertext
    assert aes_key_wrap.unwrap(kek, ciphertext) == key_data


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["id"])
def test_integrity_failure_on_any_flipped_bit(vector: dict[str, Any]) -> None:
    kek, ciphertext = octets(vector["input"]["kek"]), octets(vector["expected"]["ciphertext"])
    for bit in range(0, len(ciphertext) * 8, 3):
        flipped = bytearray(ciphertext)
        flipped[bit // 8] ^= 1 << (bit % 8)
        with opaque_decryption_error():
            aes_key_wrap.unwrap(kek, bytes(flipped))


def test_wrong_kek_fails_the_integrity_check() -> None:
    vector = VECTORS[0]
    ciphertext = octets(vector["expected"]["ciphertext"])
    with opaque_decryption_error():
        aes_key_wrap.unwrap(os.urandom(16), ciphertext)


@pytest.mark.parametrize("length", [n for n in range(0, 41) if n % 8 or n < 24])
def test_odd_or_short_lengths(length: int) -> None:
    with opaque_decryption_error():
        aes_key_wrap.unwrap(os.urandom(16), os.urandom(length))


def test_truncated_and_extended_wraps() -> None:
    vector = VECTORS[5]
    kek, ciphertext = octets(vector["input"]["kek"]), octets(vector["expected"]["ciphertext"])
    for candidate in (
        ciphertext[:-1],
        ciphertext[:-8],
        ciphertext + b"\x00",
        ciphertext + bytes(8),
    ):
        with opaque_decryption_error():
            aes_key_wrap.unwrap(kek, candidate)


@pytest.mark.parametrize("kek_bytes", [0, 8, 15, 17, 20, 31, 33, 64])
def test_kek_of_wrong_size(kek_bytes: int) -> None:
    with opaque_decryption_error():
        aes_key_wrap.unwrap(os.urandom(kek_bytes), os.urandom(24))
    with pytest.raises(ValueError):
        aes_key_wrap.wrap(os.urandom(kek_bytes), os.urandom(16))


@settings(max_examples=300, deadline=None)
@given(
    kek=st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
    | st.binary(max_size=40),
    encrypted_key=st.binary(max_size=72),
)
def test_random_inputs_give_the_one_error(kek: bytes, encrypted_key: bytes) -> None:
    with pytest.raises(DecryptionError) as info:
        aes_key_wrap.unwrap(kek, encrypted_key)
    assert_opaque(info.value)
