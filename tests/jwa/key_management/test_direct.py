"""RFC 7518 s4.5 - "dir": the shared key is the CEK and the encrypted key is empty."""

from __future__ import annotations

import os

import pytest

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.key_management import direct
from tests.jwa import opaque_decryption_error

CEK_SIZES = sorted({enc.cek_bytes for enc in registry.CONTENT_ENCRYPTION.values()})


@pytest.mark.parametrize("cek_bytes", CEK_SIZES)
def test_round_trip(cek_bytes: int) -> None:
    shared_key = os.urandom(cek_bytes)
    assert direct.encrypt_cek(shared_key, cek_bytes) == (shared_key, b"")
    assert direct.decrypt_cek(shared_key, b"", cek_bytes) == shared_key


@pytest.mark.parametrize("cek_bytes", CEK_SIZES)
def test_key_that_does_not_fit_the_enc(cek_bytes: int) -> None:
    for length in (0, cek_bytes - 1, cek_bytes + 1, 2 * cek_bytes):
        with pytest.raises(InvalidKeyError):
            direct.encrypt_cek(os.urandom(length), cek_bytes)
        with opaque_decryption_error():
            direct.decrypt_cek(os.urandom(length), b"", cek_bytes)


@pytest.mark.parametrize("encrypted_key", [b"\x00", b"x" * 16, os.urandom(40)])
def test_non_empty_encrypted_key_is_refused(encrypted_key: bytes) -> None:
    with opaque_decryption_error():
        direct.decrypt_cek(os.urandom(32), encrypted_key, 32)


def test_key_error_message_holds_no_key_material() -> None:
    shared_key = b"\x13\x37" * 8
    with pytest.raises(InvalidKeyError) as info:
        direct.encrypt_cek(shared_key, 32)
    assert shared_key.hex() not in str(info.value)
    assert "RFC 7518 s4.5" in str(info.value)
