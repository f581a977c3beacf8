"""RFC 7518 s4.8 - PBES2: salt, PBKDF2 against hashlib, wrap/unwrap, interop with jwcrypto."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import pytest
from cryptography.hazmat.primitives import keywrap
from jwcrypto import jwe as jwcrypto_jwe  # type: ignore[import-untyped]
from jwcrypto import jwk as jwcrypto_jwk

from jose_ref.jwa import registry
from jose_ref.jwa.content_encryption import aes_gcm
from jose_ref.jwa.key_management import pbes2
from tests.jwa import opaque_decryption_error

ALGS = [alg for alg in registry.KEY_MANAGEMENT.values() if alg.family == "PBES2"]
HASHLIB = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
PASSWORD = b"Thus from my lips, by yours, my sin is purged."


def _b64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_salt_is_alg_zero_p2s() -> None:
    alg = registry.key_management("PBES2-HS256+A128KW")
    assert pbes2.salt(alg, b"\x01\x02") == b"PBES2-HS256+A128KW\x00\x01\x02"
    assert pbes2.salt(alg, b"") == b"PBES2-HS256+A128KW\x00"


@pytest.mark.parametrize("alg", ALGS, ids=lambda a: a.name)
def test_derive_kek_matches_hashlib(alg: registry.KeyManagementAlg) -> None:
    p2s = os.urandom(16)
    assert alg.hash is not None
    expected = hashlib.pbkdf2_hmac(
        HASHLIB[alg.hash], PASSWORD, alg.name.encode() + b"\x00" + p2s, 1000, alg.kek_bytes
    )
    assert pbes2.derive_kek(PASSWORD, alg, p2s, 1000) == expected


@pytest.mark.parametrize("alg", ALGS, ids=lambda a: a.name)
def test_wrap_matches_reference_and_round_trips(alg: registry.KeyManagementAlg) -> None:
    p2s, cek = os.urandom(16), os.urandom(32)
    assert alg.hash is not None
    kek = hashlib.pbkdf2_hmac(
        HASHLIB[alg.hash], PASSWORD, alg.name.encode() + b"\x00" + p2s, 1000, alg.kek_bytes
    )
    encrypted_key = pbes2.wrap(PASSWORD, alg, p2s, 1000, cek)
    assert encrypted_key == keywrap.aes_key_wrap(kek, cek)
    assert pbes2.unwrap(PASSWORD, alg, p2s, 1000, encrypted_key) == cek


def test_wrong_password_salt_or_count_fails() -> None:
    alg = ALGS[0]
    p2s, cek = os.urandom(16), os.urandom(16)
    encrypted_key = pbes2.wrap(PASSWORD, alg, p2s, 1000, cek)
    for password, salt_input, count in (
        (b"wrong", p2s, 1000),
        (PASSWORD, p2s[:-1], 1000),
        (PASSWORD, p2s, 1001),
    ):
        with opaque_decryption_error():
            pbes2.unwrap(password, alg, salt_input, count, encrypted_key)
    # The alg name is in the salt: the same password under another PBES2 alg fails.
    with opaque_decryption_error():
        pbes2.unwrap(PASSWORD, ALGS[1], p2s, 1000, encrypted_key)


@pytest.mark.parametrize("p2c", [0, -1, -(2**31)])
def test_iteration_count_below_one_is_misuse(p2c: int) -> None:
    with pytest.raises(ValueError):
        pbes2.derive_kek(PASSWORD, ALGS[0], os.urandom(8), p2c)


def test_non_pbes2_descriptor_is_misuse() -> None:
    with pytest.raises(ValueError):
        pbes2.derive_kek(PASSWORD, registry.key_management("A128KW"), os.urandom(8), 1000)


def test_interop_with_jwcrypto() -> None:
    sender = jwcrypto_jwe.JWE(
        b"interop plaintext",
        protected=json.dumps({"alg": "PBES2-HS384+A192KW", "enc": "A192GCM"}),
        algs=["PBES2-HS384+A192KW", "A192GCM"],
    )
    sender.add_recipient(jwcrypto_jwk.JWK.from_password(PASSWORD.decode()))
    encoded_header, encoded_key, encoded_iv, encoded_ct, encoded_tag = sender.serialize(
        compact=True
    ).split(".")
    header = json.loads(_b64u(encoded_header))
    alg = registry.key_management(header["alg"])
    cek = pbes2.unwrap(PASSWORD, alg, _b64u(header["p2s"]), header["p2c"], _b64u(encoded_key))
    plaintext = aes_gcm.decrypt(
        cek, _b64u(encoded_iv), _b64u(encoded_ct), _b64u(encoded_tag), encoded_header.encode()
    )
    assert plaintext == b"interop plaintext"
