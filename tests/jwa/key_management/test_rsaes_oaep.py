"""RFC 7518 s4.3 - RSA-OAEP, RSA-OAEP-256/384/512: interop with cryptography, one opaque error."""

from __future__ import annotations

import itertools
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from jose_ref.jwa import registry
from jose_ref.jwa.key_management import rsaes_oaep
from tests.jwa import opaque_decryption_error

ALGS = [alg for alg in registry.KEY_MANAGEMENT.values() if alg.family == "RSA-OAEP"]
HASH_NAMES = [alg.hash for alg in ALGS if alg.hash is not None]
REFERENCE: dict[str, hashes.HashAlgorithm] = {
    "SHA-1": hashes.SHA1(),  # noqa: S303 - RSA-OAEP is defined with SHA-1 (RFC 7518 s4.3)
    "SHA-256": hashes.SHA256(),
    "SHA-384": hashes.SHA384(),
    "SHA-512": hashes.SHA512(),
}


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _reference_oaep(hash_name: str) -> padding.OAEP:
    algorithm = REFERENCE[hash_name]
    return padding.OAEP(mgf=padding.MGF1(algorithm=algorithm), algorithm=algorithm, label=None)


def test_registry_has_the_four_variants() -> None:
    assert sorted(HASH_NAMES) == ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]


@pytest.mark.parametrize("hash_name", HASH_NAMES)
def test_interop_both_ways(private_key: rsa.RSAPrivateKey, hash_name: str) -> None:
    cek = os.urandom(32)
    encrypted_key = rsaes_oaep.encrypt_cek(private_key.public_key(), cek, hash_name)
    assert private_key.decrypt(encrypted_key, _reference_oaep(hash_name)) == cek
    made_elsewhere = private_key.public_key().encrypt(cek, _reference_oaep(hash_name))
    assert rsaes_oaep.decrypt_cek(private_key, made_elsewhere, hash_name) == cek


@pytest.mark.parametrize("hash_name", HASH_NAMES)
def test_modified_input_fails(private_key: rsa.RSAPrivateKey, hash_name: str) -> None:
    encrypted_key = rsaes_oaep.encrypt_cek(private_key.public_key(), os.urandom(16), hash_name)
    for position in (0, 1, 100, 254, 255):
        modified = bytearray(encrypted_key)
        modified[position] ^= 0x01
        with opaque_decryption_error():
            rsaes_oaep.decrypt_cek(private_key, bytes(modified), hash_name)


@pytest.mark.parametrize(("sent", "assumed"), list(itertools.permutations(HASH_NAMES, 2)))
def test_wrong_hash_fails(private_key: rsa.RSAPrivateKey, sent: str, assumed: str) -> None:
    encrypted_key = rsaes_oaep.encrypt_cek(private_key.public_key(), os.urandom(16), sent)
    with opaque_decryption_error():
        rsaes_oaep.decrypt_cek(private_key, encrypted_key, assumed)


@pytest.mark.parametrize("length", [0, 1, 255, 257, 512])
def test_wrong_length_or_random_input_fails(private_key: rsa.RSAPrivateKey, length: int) -> None:
    with opaque_decryption_error():
        rsaes_oaep.decrypt_cek(private_key, os.urandom(length), "SHA-256")


def test_random_full_length_inputs_fail(private_key: rsa.RSAPrivateKey) -> None:
    for _ in range(50):
        with opaque_decryption_error():
            rsaes_oaep.decrypt_cek(private_key, os.urandom(256), "SHA-1")


def test_pkcs1_v1_5_ciphertext_is_refused(private_key: rsa.RSAPrivateKey) -> None:
    encrypted_key = private_key.public_key().encrypt(os.urandom(16), padding.PKCS1v15())
    with opaque_decryption_error():
        rsaes_oaep.decrypt_cek(private_key, encrypted_key, "SHA-1")


def test_unknown_hash_name_is_misuse(private_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(ValueError):
        rsaes_oaep.encrypt_cek(private_key.public_key(), b"k" * 16, "SHA-224")
    with pytest.raises(ValueError):
        rsaes_oaep.decrypt_cek(private_key, b"x" * 256, "sha256")
