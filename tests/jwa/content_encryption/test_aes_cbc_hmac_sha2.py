"""RFC 7518 s5.2 - AES_CBC_HMAC_SHA2: Appendix B vectors, an independent reference, bad inputs."""

from __future__ import annotations

import hmac
import os
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import DecryptionError
from jose_ref.jwa import registry
from jose_ref.jwa.content_encryption import aes_cbc_hmac_sha2
from tests.jwa import assert_opaque, opaque_decryption_error
from tests.vectorlib import all_of, octets

VECTORS = all_of("aes-cbc-hmac", source="rfc7518")
ENCS = [registry.content_encryption(n) for n in ("A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512")]
HASHLIB = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
AAD = b"eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZDQkMtSFM1MTIifQ"


def test_all_three_appendix_b_vectors_are_present() -> None:
    assert [v["id"] for v in VECTORS] == [
        "rfc7518-b.1-a128cbc-hs256",
        "rfc7518-b.2-a192cbc-hs384",
        "rfc7518-b.3-a256cbc-hs512",
    ]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["id"])
def test_appendix_b(vector: dict[str, Any]) -> None:
    enc = registry.content_encryption(vector["input"]["enc"])
    k, p, iv, a = (octets(vector["input"][name]) for name in ("k", "p", "iv", "a"))
    e, t = octets(vector["expected"]["e"]), octets(vector["expected"]["t"])
    assert aes_cbc_hmac_sha2.split_cek(enc, k) == (
        octets(vector["intermediate"]["mac_key"]),
        octets(vector["intermediate"]["enc_key"]),
    )
    assert aes_cbc_hmac_sha2.al(a) == octets(vector["intermediate"]["al"])
    assert aes_cbc_hmac_sha2.encrypt(enc, k, iv, p, a) == (e, t)
    assert aes_cbc_hmac_sha2.decrypt(enc, k, iv, e, t, a) == p


def _reference_tag(enc: registry.ContentEncryptionAlg, mac_key: bytes, *parts: bytes) -> bytes:
    """Independent HMAC over A || IV || E || AL with the standard library."""
    aad = parts[0]
    data = b"".join(parts) + (len(aad) * 8).to_bytes(8, "big")
    assert enc.hash is not None
    return hmac.new(mac_key, data, HASHLIB[enc.hash]).digest()[: enc.tag_bytes]


def _raw_cbc(enc_key: bytes, iv: bytes, blocks: bytes) -> bytes:
    """AES-CBC without padding, straight from cryptography."""
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    return encryptor.update(blocks) + encryptor.finalize()


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 100])
def test_matches_independent_reference(enc: registry.ContentEncryptionAlg, size: int) -> None:
    cek, iv, plaintext = os.urandom(enc.cek_bytes), os.urandom(16), os.urandom(size)
    half = enc.cek_bytes // 2
    pad = 16 - size % 16
    expected_e = _raw_cbc(cek[half:], iv, plaintext + bytes([pad]) * pad)
    expected_t = _reference_tag(enc, cek[:half], AAD, iv, expected_e)
    assert aes_cbc_hmac_sha2.encrypt(enc, cek, iv, plaintext, AAD) == (expected_e, expected_t)
    assert aes_cbc_hmac_sha2.decrypt(enc, cek, iv, expected_e, expected_t, AAD) == plaintext


@pytest.mark.parametrize("size", [0, 1, 42, 2**20])
def test_al_is_the_64_bit_big_endian_bit_length(size: int) -> None:
    assert aes_cbc_hmac_sha2.al(bytes(size)) == (size * 8).to_bytes(8, "big")


def _sample(enc: registry.ContentEncryptionAlg) -> dict[str, Any]:
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(16)
    ciphertext, tag = aes_cbc_hmac_sha2.encrypt(enc, cek, iv, b"attack at dawn!!x", AAD)
    return {"enc": enc, "cek": cek, "iv": iv, "ciphertext": ciphertext, "tag": tag, "aad": AAD}


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
def test_tag_of_wrong_length(enc: registry.ContentEncryptionAlg) -> None:
    values = _sample(enc)
    full = values["tag"]
    for length in range(0, 65):
        if length != enc.tag_bytes:
            values["tag"] = (full + os.urandom(64))[:length]
            with opaque_decryption_error():
                aes_cbc_hmac_sha2.decrypt(**values)


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
@pytest.mark.parametrize("part", ["aad", "iv", "ciphertext", "tag"])
def test_flipped_bit_in_each_part(enc: registry.ContentEncryptionAlg, part: str) -> None:
    values = _sample(enc)
    original = values[part]
    for bit in range(len(original) * 8):
        flipped = bytearray(original)
        flipped[bit // 8] ^= 1 << (bit % 8)
        values[part] = bytes(flipped)
        with opaque_decryption_error():
            aes_cbc_hmac_sha2.decrypt(**values)


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
@pytest.mark.parametrize("size", [0, 1, 15, 17, 31, 33])
def test_empty_or_non_block_ciphertext_with_valid_mac(
    enc: registry.ContentEncryptionAlg, size: int
) -> None:
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(16)
    ciphertext = os.urandom(size)
    tag = _reference_tag(enc, cek[: enc.cek_bytes // 2], AAD, iv, ciphertext)
    with opaque_decryption_error():
        aes_cbc_hmac_sha2.decrypt(enc, cek, iv, ciphertext, tag, AAD)


BAD_PADDINGS = [
    b"A" * 15 + b"\x00",  # pad byte 0
    b"A" * 15 + b"\x11",  # pad byte 17 > block size
    b"A" * 14 + b"\x03\x02",  # inconsistent pad bytes
    b"A" * 13 + b"\x01\x02\x03",
    b"A" * 16,  # no padding at all
    b"\x10" * 15 + b"\x0f",
]


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
@pytest.mark.parametrize("last_block", BAD_PADDINGS)
def test_bad_padding_with_valid_mac_is_the_same_error(
    enc: registry.ContentEncryptionAlg, last_block: bytes
) -> None:
    cek, iv = os.urandom(enc.cek_bytes), os.urandom(16)
    half = enc.cek_bytes // 2
    ciphertext = _raw_cbc(cek[half:], iv, b"B" * 16 + last_block)
    # The MAC is genuine: only the holder of the key could have made it.
    tag = _reference_tag(enc, cek[:half], AAD, iv, ciphertext)
    with pytest.raises(DecryptionError) as padding_error:
        aes_cbc_hmac_sha2.decrypt(enc, cek, iv, ciphertext, tag, AAD)
    bad_tag = bytes([tag[0] ^ 1]) + tag[1:]
    with pytest.raises(DecryptionError) as mac_error:
        aes_cbc_hmac_sha2.decrypt(enc, cek, iv, ciphertext, bad_tag, AAD)
    # Indistinguishable: same class, message, args, and no chained exception.
    assert_opaque(padding_error.value)
    assert_opaque(mac_error.value)
    assert padding_error.value.args == mac_error.value.args


def test_mac_is_verified_before_any_decryption() -> None:
    enc = ENCS[0]
    values = _sample(enc)
    values["tag"] = bytes(enc.tag_bytes)
    with mock.patch.object(aes_cbc_hmac_sha2, "Cipher", wraps=Cipher) as cipher:
        with opaque_decryption_error():
            aes_cbc_hmac_sha2.decrypt(**values)
        cipher.assert_not_called()


@pytest.mark.parametrize("enc", ENCS, ids=lambda e: e.name)
def test_wrong_iv_or_cek_length(enc: registry.ContentEncryptionAlg) -> None:
    values = _sample(enc)
    for name, lengths in (("iv", (0, 12, 15, 17, 32)), ("cek", (0, 16, enc.cek_bytes - 1, 96))):
        for length in lengths:
            with opaque_decryption_error():
                aes_cbc_hmac_sha2.decrypt(**{**values, name: os.urandom(length)})
            arguments = {"cek": values["cek"], "iv": values["iv"], name: os.urandom(length)}
            with pytest.raises(ValueError):
                aes_cbc_hmac_sha2.encrypt(enc, plaintext=b"x", aad=b"", **arguments)


def test_split_cek_refuses_a_gcm_descriptor() -> None:
    with pytest.raises(ValueError):
        aes_cbc_hmac_sha2.split_cek(registry.content_encryption("A128GCM"), bytes(16))


@settings(max_examples=300, deadline=None)
@given(
    enc=st.sampled_from(ENCS),
    iv=st.binary(min_size=16, max_size=16) | st.binary(max_size=20),
    ciphertext=st.binary(max_size=80),
    tag=st.binary(max_size=40),
    aad=st.binary(max_size=32),
    data=st.data(),
)
def test_random_inputs_give_the_one_error(
    enc: registry.ContentEncryptionAlg,
    iv: bytes,
    ciphertext: bytes,
    tag: bytes,
    aad: bytes,
    data: st.DataObject,
) -> None:
    cek = data.draw(st.binary(min_size=enc.cek_bytes, max_size=enc.cek_bytes))
    tag = data.draw(st.sampled_from([tag, (tag + bytes(64))[: enc.tag_bytes]]))
    with pytest.raises(DecryptionError) as info:
        aes_cbc_hmac_sha2.decrypt(enc, cek, iv, ciphertext, tag, aad)
    assert_opaque(info.value)
