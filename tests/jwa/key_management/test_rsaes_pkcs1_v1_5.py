"""RFC 7518 s4.2 - RSA1_5: never raises, random CEK drawn first, failure only at the tag."""

from __future__ import annotations

import os
from typing import cast
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.jwa import content_encryption, registry
from jose_ref.jwa.key_management import rsaes_pkcs1_v1_5
from tests.jwa import opaque_decryption_error

RANDOM_CEK = b"\xaa" * 64


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class _RecordingKey:
    """Delegates decrypt to a real key and records the call order in `log`."""

    def __init__(self, key: rsa.RSAPrivateKey, log: list[str]) -> None:
        self.key_size = key.key_size
        self._key = key
        self._log = log

    def decrypt(self, ciphertext: bytes, pad: padding.AsymmetricPadding) -> bytes:
        self._log.append("decrypt")
        return self._key.decrypt(ciphertext, pad)


def _decrypt_logged(
    private_key: rsa.RSAPrivateKey, encrypted_key: bytes, cek_bytes: int
) -> tuple[bytes, list[str]]:
    log: list[str] = []

    def fake_urandom(n: int) -> bytes:
        log.append("urandom")
        return RANDOM_CEK[:n]

    key = cast(rsa.RSAPrivateKey, _RecordingKey(private_key, log))
    target = "jose_ref.jwa.key_management.rsaes_pkcs1_v1_5.os.urandom"
    with mock.patch(target, side_effect=fake_urandom):
        cek = rsaes_pkcs1_v1_5.decrypt_cek(key, encrypted_key, cek_bytes)
    return cek, log


@pytest.mark.parametrize("cek_bytes", [16, 24, 32, 48, 64])
def test_round_trip_and_interop(private_key: rsa.RSAPrivateKey, cek_bytes: int) -> None:
    cek = os.urandom(cek_bytes)
    encrypted_key = rsaes_pkcs1_v1_5.encrypt_cek(private_key.public_key(), cek)
    assert private_key.decrypt(encrypted_key, padding.PKCS1v15()) == cek
    made_elsewhere = private_key.public_key().encrypt(cek, padding.PKCS1v15())
    assert rsaes_pkcs1_v1_5.decrypt_cek(private_key, made_elsewhere, cek_bytes) == cek


def test_random_cek_is_drawn_before_decryption_even_when_valid(
    private_key: rsa.RSAPrivateKey,
) -> None:
    cek = os.urandom(32)
    encrypted_key = private_key.public_key().encrypt(cek, padding.PKCS1v15())
    result, log = _decrypt_logged(private_key, encrypted_key, 32)
    assert result == cek
    assert log == ["urandom", "decrypt"]


@pytest.mark.parametrize("offset", [0, 1, 2**64, None])
def test_encrypted_key_not_below_the_modulus_gives_the_random_cek(
    private_key: rsa.RSAPrivateKey, offset: int | None
) -> None:
    # A k-octet integer >= n is outside RSADP's domain (RFC 3447 s5.1.2 step 1), so
    # decryption must fail for certain ("ciphertext representative out of range"):
    # the pre-drawn random CEK is the only possible result, after the same work.
    n = private_key.public_key().public_numbers().n
    value = 2**2048 - 1 if offset is None else n + offset
    encrypted_key = value.to_bytes(256, "big")
    with pytest.raises(ValueError):
        private_key.decrypt(encrypted_key, padding.PKCS1v15())
    result, log = _decrypt_logged(private_key, encrypted_key, 32)
    assert result == RANDOM_CEK[:32]
    assert log == ["urandom", "decrypt"]


def test_random_encrypted_key_gives_a_cek_of_the_right_length(
    private_key: rsa.RSAPrivateKey,
) -> None:
    for _ in range(20):
        encrypted_key = os.urandom(256)
        result, log = _decrypt_logged(private_key, encrypted_key, 32)
        # Implicit rejection may return bytes of any length (exactly 32 about 0.5% of
        # the time: that synthetic CEK is then used, and is just as wrong), or raise.
        # Either way the random CEK was drawn first and a 32-octet CEK comes back.
        assert len(result) == 32
        assert log == ["urandom", "decrypt"]
        # The outcome is fully determined by what cryptography itself returns.
        try:
            plain: bytes | None = private_key.decrypt(encrypted_key, padding.PKCS1v15())
        except ValueError:
            plain = None
        expected = plain if plain is not None and len(plain) == 32 else RANDOM_CEK[:32]
        assert result == expected


def test_wrong_length_plaintext_gives_the_random_cek(private_key: rsa.RSAPrivateKey) -> None:
    encrypted_key = private_key.public_key().encrypt(os.urandom(16), padding.PKCS1v15())
    result, log = _decrypt_logged(private_key, encrypted_key, 32)
    assert result == RANDOM_CEK[:32]
    assert log == ["urandom", "decrypt"]


@pytest.mark.parametrize("length", [0, 1, 128, 255, 257, 512])
def test_wrong_modulus_length_input(private_key: rsa.RSAPrivateKey, length: int) -> None:
    result, log = _decrypt_logged(private_key, os.urandom(length), 16)
    assert result == RANDOM_CEK[:16]
    assert log == ["urandom"]


def test_failure_surfaces_only_at_the_tag(private_key: rsa.RSAPrivateKey) -> None:
    enc = registry.content_encryption("A128CBC-HS256")
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(enc.iv_bytes)
    ciphertext, tag = content_encryption.encrypt(enc, cek, iv, b"secret", b"aad")
    for encrypted_key in (
        os.urandom(256),
        private_key.public_key().encrypt(os.urandom(16), padding.PKCS1v15()),
        b"\x00" * 255,
    ):
        recovered = rsaes_pkcs1_v1_5.decrypt_cek(private_key, encrypted_key, enc.cek_bytes)
        assert len(recovered) == enc.cek_bytes
        with opaque_decryption_error():
            content_encryption.decrypt(enc, recovered, iv, ciphertext, tag, b"aad")


@settings(max_examples=300, deadline=None)
@given(
    encrypted_key=st.binary(min_size=256, max_size=256) | st.binary(max_size=300),
    cek_bytes=st.sampled_from([16, 24, 32, 48, 64]),
)
def test_never_raises_and_always_returns_the_right_length(
    private_key: rsa.RSAPrivateKey, encrypted_key: bytes, cek_bytes: int
) -> None:
    result = rsaes_pkcs1_v1_5.decrypt_cek(private_key, encrypted_key, cek_bytes)
    assert type(result) is bytes
    assert len(result) == cek_bytes
