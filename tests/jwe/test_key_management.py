"""RFC 7516 s2/s5.2 steps 7-10 and RFC 7518 s4 - Key management through the public API.

Tokens are produced with cryptography directly (RSA, AES key wrap, AES-GCM,
ECDH + Concat KDF, PBKDF2) and sealed with the right AAD, so each refusal is
the key-management check under test. SECURITY.md "JWE key management":
malformed parameters get MalformedError / InvalidKeyError / LimitExceededError
before any expensive work; every failure after key selection is the one
opaque DecryptionError.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x448, x25519
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import JWK, JWKSet, Limits, jwe
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    InvalidKeyError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
)
from jose_ref.jwa import content_encryption
from jose_ref.jwa.key_management import ecdh_es, pbes2, rsaes_oaep, rsaes_pkcs1_v1_5
from jose_ref.jwe import key_management
from jose_ref.jwk import rsa as jwk_rsa
from tests.jwe import (
    ENCS,
    PBES2,
    aes_kw,
    b64u,
    content_encrypt,
    ecdh_derive,
    encode_header,
    epk_members,
    exchange,
    expect,
    fresh_ephemeral,
    header_of,
    oaep,
    oct_jwk,
    pbes2_kek,
    relabel,
    rsa_jwk,
    rsa_private,
    seal,
    ub64u,
    with_part,
)

PLAINTEXT = b"key management protects this"


@pytest.fixture(scope="module")
def rsa_key() -> JWK:
    return rsa_jwk(2048, 0)


@pytest.fixture
def content_calls() -> Iterator[mock.MagicMock]:
    """Count calls of the content decryption dispatcher (RFC 7516 s5.2 step 16)."""
    with mock.patch.object(content_encryption, "decrypt", wraps=content_encryption.decrypt) as spy:
        yield spy


@pytest.fixture
def rsa_calls() -> Iterator[tuple[mock.MagicMock, mock.MagicMock, mock.MagicMock]]:
    """Count every RSA private-key operation and CEK recovery."""
    with (
        mock.patch.object(
            rsaes_pkcs1_v1_5, "decrypt_cek", wraps=rsaes_pkcs1_v1_5.decrypt_cek
        ) as pkcs1,
        mock.patch.object(rsaes_oaep, "decrypt_cek", wraps=rsaes_oaep.decrypt_cek) as oaep_spy,
        mock.patch.object(
            key_management, "recover_cek", wraps=key_management.recover_cek
        ) as recover,
    ):
        yield pkcs1, oaep_spy, recover


# -- RSA ----------------------------------------------------------------------------------------


def rsa_raw_encrypt(block: bytes) -> bytes:
    """Textbook RSA of an encoded message block (to craft bad PKCS #1 v1.5 paddings)."""
    numbers = rsa_private(2048, 0).public_key().public_numbers()
    k = (numbers.n.bit_length() + 7) // 8
    assert len(block) == k
    return pow(int.from_bytes(block, "big"), numbers.e, numbers.n).to_bytes(k, "big")


def rsa1_5_token(encrypted_key: bytes, enc: str = "A128GCM", cek: bytes | None = None) -> str:
    cek = os.urandom(ENCS[enc][0]) if cek is None else cek
    return seal(
        {"alg": "RSA1_5", "enc": enc},
        cek=cek,
        plaintext=PLAINTEXT,
        encrypted_key=encrypted_key,
    )


def test_rsa1_5_hand_built_token_decrypts_when_named(rsa_key: JWK) -> None:
    for enc in ENCS:
        cek = os.urandom(ENCS[enc][0])
        encrypted_key = rsa_private().public_key().encrypt(cek, rsa_padding.PKCS1v15())
        token = rsa1_5_token(encrypted_key, enc, cek)
        assert jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"]).plaintext == PLAINTEXT


def test_rsa1_5_is_refused_unless_named(rsa_key: JWK, rsa_calls: Any) -> None:
    cek = os.urandom(16)
    token = rsa1_5_token(rsa_private().public_key().encrypt(cek, rsa_padding.PKCS1v15()), cek=cek)
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, rsa_key))
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA-OAEP", "RSA-OAEP-256"]),
    )
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, JWKSet([rsa_key])))
    assert all(spy.call_count == 0 for spy in rsa_calls)


def test_rsa1_5_token_with_an_rsa_oaep_key_is_refused_before_any_rsa_operation(
    rsa_calls: Any, content_calls: mock.MagicMock
) -> None:
    oaep_key = rsa_jwk(2048, 0, alg="RSA-OAEP")
    cek = os.urandom(16)
    token = rsa1_5_token(rsa_private().public_key().encrypt(cek, rsa_padding.PKCS1v15()), cek=cek)
    for algorithms in (None, ["RSA1_5"], ["RSA1_5", "RSA-OAEP"]):
        expect(
            AlgorithmNotAllowedError,
            lambda algorithms=algorithms: jwe.decrypt_compact(
                token, oaep_key, algorithms=algorithms
            ),
        )
    expect(
        KeyNotFoundError,
        lambda: jwe.decrypt_compact(token, JWKSet([oaep_key]), algorithms=["RSA1_5"]),
    )
    assert [spy.call_count for spy in rsa_calls] == [0, 0, 0]
    assert content_calls.call_count == 0


def _bad_rsa1_5_keys() -> dict[str, bytes]:
    public = rsa_private().public_key()
    k = 256
    pad = bytes(b % 255 + 1 for b in os.urandom(k - 3 - 16))  # non-zero padding string
    return {
        "block-type-1": rsa_raw_encrypt(b"\x00\x01" + b"\xff" * (k - 3 - 16) + b"\x00" + bytes(16)),
        "no-separator": rsa_raw_encrypt(
            b"\x00\x02" + pad + bytes(b % 255 + 1 for b in os.urandom(17))
        ),
        "short-ps": rsa_raw_encrypt(b"\x00\x02" + b"\x01" * 4 + b"\x00" + os.urandom(k - 7)),
        "leading-nonzero": rsa_raw_encrypt(b"\x01\x02" + pad + b"\x00" + bytes(16)),
        "cek-17-bytes": public.encrypt(os.urandom(17), rsa_padding.PKCS1v15()),
        "cek-15-bytes": public.encrypt(os.urandom(15), rsa_padding.PKCS1v15()),
        "cek-32-bytes": public.encrypt(os.urandom(32), rsa_padding.PKCS1v15()),
        "cek-empty": public.encrypt(b"", rsa_padding.PKCS1v15()),
        "random": os.urandom(k),
        "all-ff": b"\xff" * k,
        "zero": bytes(k),
        "short": os.urandom(k - 1),
        "long": os.urandom(k + 1),
        "empty": b"",
        "oaep-padded": public.encrypt(os.urandom(16), oaep("RSA-OAEP")),
    }


BAD_RSA1_5 = _bad_rsa1_5_keys()


@pytest.mark.parametrize("case", sorted(BAD_RSA1_5))
def test_rsa1_5_bad_encrypted_key_is_the_opaque_error_after_content_decryption(
    case: str, rsa_key: JWK, content_calls: mock.MagicMock
) -> None:
    token = rsa1_5_token(BAD_RSA1_5[case])
    expect(
        DecryptionError,
        lambda: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"]),
        PLAINTEXT,
    )
    # Whatever the padding looked like, the content decryption was still run (RFC 7516 s11.5).
    assert content_calls.call_count == 1
    cek_used = content_calls.call_args.args[1]
    assert len(cek_used) == 16


def test_rsa1_5_failures_are_identical(rsa_key: JWK) -> None:
    seen = set()
    for encrypted_key in BAD_RSA1_5.values():
        token = rsa1_5_token(encrypted_key, "A128CBC-HS256")
        error = expect(
            DecryptionError,
            lambda token=token: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"]),
        )
        seen.add((type(error), str(error), error.args))
    assert len(seen) == 1


@pytest.mark.parametrize("alg", ["RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"])
def test_rsa_oaep_hand_built_token_decrypts(alg: str, rsa_key: JWK) -> None:
    cek = os.urandom(32)
    encrypted_key = rsa_private().public_key().encrypt(cek, oaep(alg))
    token = seal(
        {"alg": alg, "enc": "A256GCM"}, cek=cek, plaintext=PLAINTEXT, encrypted_key=encrypted_key
    )
    assert jwe.decrypt_compact(token, rsa_key).plaintext == PLAINTEXT


def _oaep_token(
    made_with: str, labelled: str, cek: bytes | None = None, enc: str = "A256GCM"
) -> str:
    cek = os.urandom(ENCS[enc][0]) if cek is None else cek
    encrypted_key = rsa_private().public_key().encrypt(cek, oaep(made_with))
    return seal(
        {"alg": labelled, "enc": enc}, cek=cek, plaintext=PLAINTEXT, encrypted_key=encrypted_key
    )


@pytest.mark.parametrize(
    ("made_with", "labelled"),
    [
        ("RSA-OAEP-256", "RSA-OAEP"),
        ("RSA-OAEP", "RSA-OAEP-256"),
        ("RSA-OAEP-384", "RSA-OAEP-256"),
        ("RSA-OAEP-512", "RSA-OAEP"),
        ("RSA-OAEP-256", "RSA-OAEP-512"),
    ],
)
def test_rsa_oaep_with_the_wrong_hash_is_the_opaque_error(
    made_with: str, labelled: str, rsa_key: JWK
) -> None:
    token = _oaep_token(made_with, labelled)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, rsa_key), PLAINTEXT)


@pytest.mark.parametrize("position", [0, 1, 100, 254, 255])
def test_rsa_oaep_modified_input_is_the_opaque_error(position: int, rsa_key: JWK) -> None:
    token = _oaep_token("RSA-OAEP", "RSA-OAEP")
    encrypted_key = bytearray(ub64u(token.split(".")[1]))
    encrypted_key[position] ^= 0x01
    mutated = with_part(token, 1, b64u(bytes(encrypted_key)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(mutated, rsa_key), PLAINTEXT)


@pytest.mark.parametrize("length", [0, 1, 255, 257, 512])
def test_rsa_oaep_encrypted_key_of_wrong_length_is_the_opaque_error(
    length: int, rsa_key: JWK
) -> None:
    token = with_part(_oaep_token("RSA-OAEP", "RSA-OAEP"), 1, b64u(os.urandom(length)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, rsa_key), PLAINTEXT)


@pytest.mark.parametrize(
    ("enc", "cek_bytes"), [("A256GCM", 16), ("A128GCM", 32), ("A128CBC-HS256", 16), ("A256GCM", 0)]
)
def test_rsa_oaep_cek_of_the_wrong_length_is_the_opaque_error(
    enc: str, cek_bytes: int, rsa_key: JWK
) -> None:
    cek = os.urandom(cek_bytes)
    encrypted_key = rsa_private().public_key().encrypt(cek, oaep("RSA-OAEP"))
    good = os.urandom(ENCS[enc][0])
    token = seal(
        {"alg": "RSA-OAEP", "enc": enc}, cek=good, plaintext=PLAINTEXT, encrypted_key=encrypted_key
    )
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, rsa_key), PLAINTEXT)


# -- AES key wrap (RFC 7518 s4.4) and AES-GCM key wrap (s4.7) -----------------------------------

KEK16, KEK32 = bytes(range(16)), bytes(range(32))


def kw_token(
    kek: bytes, alg: str, enc: str = "A128GCM", cek: bytes | None = None, **extra: Any
) -> str:
    cek = os.urandom(ENCS[enc][0]) if cek is None else cek
    header = {"alg": alg, "enc": enc, **extra}
    return seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(kek, cek))


def gcmkw_token(kek: bytes, alg: str, enc: str = "A128GCM", cek: bytes | None = None) -> str:
    cek = os.urandom(ENCS[enc][0]) if cek is None else cek
    iv = os.urandom(12)
    sealed = AESGCM(kek).encrypt(iv, cek, b"")
    header = {"alg": alg, "enc": enc, "iv": b64u(iv), "tag": b64u(sealed[-16:])}
    return seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=sealed[:-16])


@pytest.mark.parametrize(("alg", "size"), [("A128KW", 16), ("A192KW", 24), ("A256KW", 32)])
def test_aes_kw_hand_built_token_decrypts(alg: str, size: int) -> None:
    kek = os.urandom(size)
    for enc in ENCS:
        assert jwe.decrypt_compact(kw_token(kek, alg, enc), oct_jwk(kek)).plaintext == PLAINTEXT


@pytest.mark.parametrize(("alg", "size"), [("A128GCMKW", 16), ("A192GCMKW", 24), ("A256GCMKW", 32)])
def test_aes_gcmkw_hand_built_token_decrypts(alg: str, size: int) -> None:
    kek = os.urandom(size)
    for enc in ENCS:
        assert jwe.decrypt_compact(gcmkw_token(kek, alg, enc), oct_jwk(kek)).plaintext == PLAINTEXT


def test_aes_kw_integrity_failure_is_the_opaque_error() -> None:
    token = kw_token(os.urandom(16), "A128KW")
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)), PLAINTEXT)
    good = kw_token(KEK16, "A128KW")
    wrapped = bytearray(ub64u(good.split(".")[1]))
    for index in (0, 7, 8, 23):
        flipped = bytearray(wrapped)
        flipped[index] ^= 0x80
        token = with_part(good, 1, b64u(bytes(flipped)))
        expect(DecryptionError, lambda token=token: jwe.decrypt_compact(token, oct_jwk(KEK16)))


@pytest.mark.parametrize("length", [0, 1, 8, 16, 23, 25, 31, 33, 39])
def test_aes_kw_encrypted_key_of_odd_length_is_the_opaque_error(length: int) -> None:
    token = with_part(kw_token(KEK16, "A128KW"), 1, b64u(os.urandom(length)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)), PLAINTEXT)


def test_aes_kw_key_of_another_size_is_an_invalid_key() -> None:
    token = kw_token(KEK32, "A256KW")
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)))
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(token, JWKSet([oct_jwk(KEK16)])))
    small = kw_token(KEK16, "A128KW")
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(small, oct_jwk(KEK32)))
    gcm = gcmkw_token(KEK32, "A256GCMKW")
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(gcm, oct_jwk(KEK16)))


def test_aes_kw_token_labelled_gcmkw_and_back_is_the_opaque_error() -> None:
    cek = os.urandom(16)
    # A key-wrap encrypted key presented as GCM key wrap (with a well-formed iv and tag).
    kw_as_gcm = kw_token(
        KEK16, "A128GCMKW", cek=cek, iv=b64u(os.urandom(12)), tag=b64u(os.urandom(16))
    )
    expect(DecryptionError, lambda: jwe.decrypt_compact(kw_as_gcm, oct_jwk(KEK16)), PLAINTEXT)
    # A GCM-wrapped key presented as AES key wrap.
    gcm = gcmkw_token(KEK16, "A128GCMKW", cek=cek)
    header = header_of(gcm)
    gcm_as_kw = seal(
        {"alg": "A128KW", "enc": "A128GCM", "iv": header["iv"], "tag": header["tag"]},
        cek=cek,
        plaintext=PLAINTEXT,
        encrypted_key=ub64u(gcm.split(".")[1]),
    )
    expect(DecryptionError, lambda: jwe.decrypt_compact(gcm_as_kw, oct_jwk(KEK16)), PLAINTEXT)


@pytest.mark.parametrize("member", ["iv", "tag"])
def test_gcmkw_missing_iv_or_tag_is_malformed(member: str) -> None:
    token = relabel(gcmkw_token(KEK16, "A128GCMKW"), drop=(member,))
    expect(MalformedError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)))


@pytest.mark.parametrize("length", [0, 1, 8, 11, 13, 16, 32, 64])
def test_gcmkw_iv_of_wrong_length_is_malformed(length: int) -> None:
    token = relabel(gcmkw_token(KEK16, "A128GCMKW"), iv=b64u(os.urandom(length)))
    expect(MalformedError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)))


@pytest.mark.parametrize("length", [0, 1, 4, 8, 12, 15, 17, 32])
def test_gcmkw_tag_of_wrong_length_is_malformed(length: int) -> None:
    token = relabel(gcmkw_token(KEK16, "A128GCMKW"), tag=b64u(os.urandom(length)))
    expect(MalformedError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)))


@pytest.mark.parametrize(
    "value", [1, None, ["AAAAAAAAAAAAAAAA"], "AAAAAAAAAAAAAAA=", "AAAA AAAAAAAAAAAA"]
)
@pytest.mark.parametrize("member", ["iv", "tag"])
def test_gcmkw_iv_or_tag_of_wrong_type_is_malformed(member: str, value: Any) -> None:
    token = relabel(gcmkw_token(KEK16, "A128GCMKW"), **{member: value})
    expect(MalformedError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)))


def test_gcmkw_wrong_tag_or_iv_value_is_the_opaque_error() -> None:
    cek = os.urandom(16)
    iv = os.urandom(12)
    sealed = AESGCM(KEK16).encrypt(iv, cek, b"")
    for header_iv, header_tag in (
        (b64u(iv), b64u(os.urandom(16))),
        (b64u(os.urandom(12)), b64u(sealed[-16:])),
    ):
        header = {"alg": "A128GCMKW", "enc": "A128GCM", "iv": header_iv, "tag": header_tag}
        token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=sealed[:-16])
        expect(
            DecryptionError,
            lambda token=token: jwe.decrypt_compact(token, oct_jwk(KEK16)),
            PLAINTEXT,
        )


@pytest.mark.parametrize(
    ("enc", "cek_bytes"),
    [("A128GCM", 32), ("A256GCM", 16), ("A128CBC-HS256", 16), ("A256CBC-HS512", 32)],
)
def test_unwrapped_cek_of_the_wrong_length_is_the_opaque_error(enc: str, cek_bytes: int) -> None:
    cek = os.urandom(cek_bytes)
    token = seal(
        {"alg": "A128KW", "enc": enc},
        cek=os.urandom(ENCS[enc][0]),
        plaintext=PLAINTEXT,
        encrypted_key=aes_kw(KEK16, cek),
    )
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)), PLAINTEXT)
    iv = os.urandom(12)
    sealed = AESGCM(KEK16).encrypt(iv, cek, b"")
    header = {"alg": "A128GCMKW", "enc": enc, "iv": b64u(iv), "tag": b64u(sealed[-16:])}
    token = seal(
        header, cek=os.urandom(ENCS[enc][0]), plaintext=PLAINTEXT, encrypted_key=sealed[:-16]
    )
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, oct_jwk(KEK16)), PLAINTEXT)


# -- dir (RFC 7518 s4.5) -------------------------------------------------------------------------


def test_dir_with_a_non_empty_encrypted_key_is_malformed() -> None:
    secret = os.urandom(16)
    for encrypted_key in (b"\x00", os.urandom(16), os.urandom(24)):
        token = seal(
            {"alg": "dir", "enc": "A128GCM"},
            cek=secret,
            plaintext=PLAINTEXT,
            encrypted_key=encrypted_key,
        )
        expect(MalformedError, lambda token=token: jwe.decrypt_compact(token, oct_jwk(secret)))


@pytest.mark.parametrize("enc", ENCS)
def test_dir_key_of_another_length_than_enc_is_refused(enc: str) -> None:
    token = seal({"alg": "dir", "enc": enc}, cek=os.urandom(ENCS[enc][0]), plaintext=PLAINTEXT)
    wrong = oct_jwk(os.urandom(ENCS[enc][0] + 8))
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(token, wrong))
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(token, JWKSet([wrong])))
    right_size = oct_jwk(os.urandom(ENCS[enc][0]))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, right_size), PLAINTEXT)


# -- ECDH-ES (RFC 7518 s4.6, RFC 8037 s3.2) ------------------------------------------------------

CURVES = {
    "P-256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "P-384": lambda: ec.generate_private_key(ec.SECP384R1()),
    "P-521": lambda: ec.generate_private_key(ec.SECP521R1()),
    "X25519": x25519.X25519PrivateKey.generate,
    "X448": x448.X448PrivateKey.generate,
}
KW_BYTES = {"ECDH-ES+A128KW": 16, "ECDH-ES+A192KW": 24, "ECDH-ES+A256KW": 32}


@pytest.fixture(scope="module")
def ecdh_keys() -> dict[str, tuple[Any, JWK]]:
    keys = {}
    for crv, make in CURVES.items():
        private = make()
        keys[crv] = (private, JWK.from_key_object(private))
    return keys


def ecdh_token(
    recipient_public: Any,
    alg: str = "ECDH-ES",
    enc: str = "A128GCM",
    *,
    apu: bytes = b"",
    apv: bytes = b"",
    epk: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    encrypted_key: bytes | None = None,
) -> str:
    """An ECDH-ES token from cryptography's ECDH and ConcatKDFHash (RFC 7518 s4.6.2)."""
    ephemeral = fresh_ephemeral(recipient_public)
    z = exchange(ephemeral, recipient_public)
    header: dict[str, Any] = {"alg": alg, "enc": enc, "epk": epk or epk_members(ephemeral)}
    if apu:
        header["apu"] = b64u(apu)
    if apv:
        header["apv"] = b64u(apv)
    header.update(extra or {})
    if alg == "ECDH-ES":
        cek = ecdh_derive(z, enc, ENCS[enc][0], apu, apv)
        wrapped = b""
    else:
        cek = os.urandom(ENCS[enc][0])
        wrapped = aes_kw(ecdh_derive(z, alg, KW_BYTES[alg], apu, apv), cek)
    if encrypted_key is not None:
        wrapped = encrypted_key
    return seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=wrapped)


@pytest.mark.parametrize("crv", CURVES)
@pytest.mark.parametrize("alg", ["ECDH-ES", *KW_BYTES])
def test_ecdh_hand_built_token_decrypts(crv: str, alg: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys[crv]
    token = ecdh_token(private.public_key(), alg, "A192CBC-HS384", apu=b"Alice", apv=b"Bob")
    assert jwe.decrypt_compact(token, key).plaintext == PLAINTEXT


@pytest.mark.parametrize("crv", ["P-256", "X25519"])
def test_ecdh_es_with_a_non_empty_encrypted_key_is_malformed(crv: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys[crv]
    for encrypted_key in (b"\x00", os.urandom(24), os.urandom(40)):
        token = ecdh_token(private.public_key(), "ECDH-ES", encrypted_key=encrypted_key)
        expect(MalformedError, lambda token=token: jwe.decrypt_compact(token, key))


def _p256_epk() -> dict[str, str]:
    return epk_members(ec.generate_private_key(ec.SECP256R1()))


def test_epk_off_the_curve_is_malformed(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    epk = _p256_epk()
    y = int.from_bytes(ub64u(epk["y"]), "big")
    for bad_y in ((y + 1) % (2**256), 0, 1):
        bad = {**epk, "y": b64u(bad_y.to_bytes(32, "big"))}
        token = ecdh_token(private.public_key(), epk=bad)
        expect(MalformedError, lambda token=token: jwe.decrypt_compact(token, key))
    zero = {**epk, "x": b64u(bytes(32)), "y": b64u(bytes(32))}
    token = ecdh_token(private.public_key(), epk=zero)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("epk_crv", ["P-384", "P-521", "X25519", "X448"])
def test_epk_of_another_curve_or_kty_than_the_key_is_refused(epk_crv: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    other = epk_members(CURVES[epk_crv]())
    token = ecdh_token(private.public_key(), epk=other)
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(token, key))
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(token, JWKSet([key])))


def test_epk_of_p256_against_an_x25519_key_is_refused(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["X25519"]
    token = ecdh_token(private.public_key(), epk=_p256_epk())
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(token, key))


def test_epk_with_a_private_member_is_malformed(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    members = epk_members(ephemeral)
    members["d"] = b64u(ephemeral.private_numbers().private_value.to_bytes(32, "big"))
    token = ecdh_token(private.public_key(), epk=members)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key), members["d"])


@pytest.mark.parametrize("coordinate", ["x", "y"])
@pytest.mark.parametrize("change", ["short", "long"])
def test_epk_coordinate_of_wrong_length_is_malformed(
    coordinate: str, change: str, ecdh_keys: Any
) -> None:
    private, key = ecdh_keys["P-256"]
    epk = _p256_epk()
    value = ub64u(epk[coordinate])
    value = value[1:] if change == "short" else b"\x00" + value
    token = ecdh_token(private.public_key(), epk={**epk, coordinate: b64u(value)})
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("length", [31, 33, 0])
def test_x25519_epk_of_wrong_length_is_malformed(length: int, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["X25519"]
    epk = {"kty": "OKP", "crv": "X25519", "x": b64u(os.urandom(length))}
    token = ecdh_token(private.public_key(), epk=epk)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("crv", ["Ed25519", "Ed448"])
@pytest.mark.parametrize("key_crv", ["X25519", "P-256"])
def test_signing_curve_epk_is_malformed(crv: str, key_crv: str, ecdh_keys: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

    signer = (
        ed25519.Ed25519PrivateKey.generate()
        if crv == "Ed25519"
        else ed448.Ed448PrivateKey.generate()
    )
    raw = signer.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    private, key = ecdh_keys[key_crv]
    token = ecdh_token(private.public_key(), epk={"kty": "OKP", "crv": crv, "x": b64u(raw)})
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


def test_rsa_or_oct_epk_is_malformed(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    for epk in (rsa_jwk().public().to_dict(), {"kty": "oct", "k": b64u(os.urandom(32))}):
        token = ecdh_token(private.public_key(), epk=epk)
        expect(MalformedError, lambda token=token: jwe.decrypt_compact(token, key))


def test_rsa_epk_with_a_large_d_is_malformed_before_any_rsa_work(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    # A 16384-bit "RSA key" with a huge d: loading it would mean recovering primes.
    n = secrets.randbits(16384) | (1 << 16383) | 1
    d = secrets.randbits(16384) | (1 << 16383)
    epk = {"kty": "RSA", "n": b64u(n.to_bytes(2048, "big")), "e": "AQAB"}
    epk["d"] = b64u(d.to_bytes(2048, "big"))
    token = ecdh_token(private.public_key(), epk=epk)
    with mock.patch.object(jwk_rsa, "load", side_effect=AssertionError("RSA key loaded")) as load:
        # The patch is on the JWK loading path.
        with pytest.raises(AssertionError, match="RSA key loaded"):
            JWK.from_dict(epk)
        load.reset_mock()
        expect(MalformedError, lambda: jwe.decrypt_compact(token, key), epk["d"])
        document = ecdh_json_document(private.public_key(), "header")
        document["header"]["epk"] = epk
        expect(MalformedError, lambda: jwe.decrypt_json(document, key), epk["d"])
        assert load.call_count == 0


@pytest.mark.parametrize(
    "bad_epk",
    ["rsa", "off-curve", "private", "ed25519"],
)
def test_a_malformed_epk_refuses_the_whole_multi_recipient_jwe(bad_epk: str) -> None:
    # RFC 7516 s5.2: a recipient we cannot use is skipped, but a malformed header is not a
    # recipient "for someone else": the whole JWE is refused, even though another opens.
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    epk = epk_members(ephemeral)
    y = int.from_bytes(ub64u(epk["y"]), "big")
    raw_ed25519 = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    good_epk = epk
    epk = {
        "rsa": rsa_jwk().public().to_dict(),
        "off-curve": {**epk, "y": b64u(((y + 1) % 2**256).to_bytes(32, "big"))},
        "private": {
            **epk,
            "d": b64u(ephemeral.private_numbers().private_value.to_bytes(32, "big")),
        },
        "ed25519": {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw_ed25519)},
    }[bad_epk]
    kek = os.urandom(16)
    ours = oct_jwk(kek)
    cek, iv = os.urandom(16), os.urandom(12)
    encoded = encode_header({"enc": "A128GCM"})
    ciphertext, tag = content_encrypt("A128GCM", cek, iv, PLAINTEXT, encoded.encode("ascii"))
    document = {
        "protected": encoded,
        "recipients": [
            {"header": {"alg": "ECDH-ES+A128KW", "epk": epk}, "encrypted_key": b64u(bytes(24))},
            {"header": {"alg": "A128KW"}, "encrypted_key": b64u(aes_kw(kek, cek))},
        ],
        "iv": b64u(iv),
        "ciphertext": b64u(ciphertext),
        "tag": b64u(tag),
    }
    # With a well-formed epk, the first recipient (not for our oct key) is skipped.
    control = json.loads(json.dumps(document))
    control["recipients"][0]["header"]["epk"] = good_epk
    result = jwe.decrypt_json(control, ours)
    assert (result.plaintext, result.recipient_index) == (PLAINTEXT, 1)
    expect(MalformedError, lambda: jwe.decrypt_json(document, ours), PLAINTEXT)
    expect(MalformedError, lambda: jwe.decrypt_json(document, JWKSet([ours])), PLAINTEXT)


@pytest.mark.parametrize("epk", ["x", 1, [], None, True], ids=repr)
def test_epk_not_an_object_is_malformed(epk: Any, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    token = relabel(ecdh_token(private.public_key()), epk=epk)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))
    missing = relabel(ecdh_token(private.public_key()), drop=("epk",))
    expect(MalformedError, lambda: jwe.decrypt_compact(missing, key))


def test_epk_of_an_unsupported_curve_is_malformed(ecdh_keys: Any) -> None:
    # The "epk" is header content: whatever is wrong with it refuses the JWE as malformed.
    private, key = ecdh_keys["P-256"]
    epk = {**_p256_epk(), "crv": "P-192"}
    token = relabel(ecdh_token(private.public_key()), epk=epk)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


_P25519 = 2**255 - 19
X25519_LOW_ORDER = [
    0,
    1,
    325606250916557431795983626356110631294008115727848805560023387167927233504,
    39382357235489614581723060781553021112529911719440698176882885853963445705823,
    _P25519 - 1,
]
# The same points in a non-canonical encoding (u >= p, RFC 7748 s5): refused as a malformed
# "epk" before any agreement (SECURITY.md, found by outside testing).
X25519_LOW_ORDER_ALIASES = [_P25519, _P25519 + 1]


@pytest.mark.parametrize("u", X25519_LOW_ORDER, ids=lambda u: hex(u)[:12])
@pytest.mark.parametrize("alg", ["ECDH-ES", "ECDH-ES+A128KW"])
def test_low_order_x25519_point_is_the_opaque_error(u: int, alg: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["X25519"]
    epk = {"kty": "OKP", "crv": "X25519", "x": b64u(u.to_bytes(32, "little"))}
    token = relabel(ecdh_token(private.public_key(), alg), epk=epk)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)


@pytest.mark.parametrize("u", X25519_LOW_ORDER_ALIASES, ids=lambda u: hex(u)[:12])
def test_low_order_x25519_alias_is_a_malformed_epk(u: int, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["X25519"]
    epk = {"kty": "OKP", "crv": "X25519", "x": b64u(u.to_bytes(32, "little"))}
    token = relabel(ecdh_token(private.public_key(), "ECDH-ES"), epk=epk)
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)


@pytest.mark.parametrize("u", [0, 1, 2**448 - 2**224 - 2])
def test_low_order_x448_point_is_the_opaque_error(u: int, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["X448"]
    epk = {"kty": "OKP", "crv": "X448", "x": b64u(u.to_bytes(56, "little"))}
    token = relabel(ecdh_token(private.public_key()), epk=epk)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)


@pytest.mark.parametrize("member", ["apu", "apv"])
def test_megabyte_apu_apv_is_a_limit(member: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    token = ecdh_token(private.public_key(), **{member: os.urandom(1 << 20)})  # type: ignore[arg-type]
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_token_bytes"
    roomy = dataclasses.replace(Limits(), max_token_bytes=4 << 20)
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key, limits=roomy))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_header_bytes"


def ecdh_json_document(recipient_public: Any, where: str, **party: bytes) -> dict[str, Any]:
    """A flattened JSON ECDH-ES JWE whose alg/epk/apu/apv sit in an unprotected header.

    `where` is "unprotected" (the shared header) or "header" (the per-recipient one).
    Built with cryptography's ECDH and ConcatKDFHash (RFC 7518 s4.6.2).
    """
    apu, apv = party.get("apu", b""), party.get("apv", b"")
    ephemeral = fresh_ephemeral(recipient_public)
    cek = ecdh_derive(exchange(ephemeral, recipient_public), "A128GCM", 16, apu, apv)
    members: dict[str, Any] = {"alg": "ECDH-ES", "epk": epk_members(ephemeral)}
    members |= {name: b64u(value) for name, value in party.items()}
    encoded = encode_header({"enc": "A128GCM"})
    iv = os.urandom(12)
    ciphertext, tag = content_encrypt("A128GCM", cek, iv, PLAINTEXT, encoded.encode("ascii"))
    return {
        "protected": encoded,
        where: members,
        "iv": b64u(iv),
        "ciphertext": b64u(ciphertext),
        "tag": b64u(tag),
    }


@pytest.mark.parametrize("where", ["unprotected", "header"])
@pytest.mark.parametrize("member", ["apu", "apv"])
def test_megabyte_apu_apv_in_an_unprotected_header_is_a_limit(
    member: str, where: str, ecdh_keys: Any
) -> None:
    private, key = ecdh_keys["P-256"]
    # The same layout with a short value decrypts: only the size is wrong below.
    small = ecdh_json_document(private.public_key(), where, **{member: b"Alice"})
    assert jwe.decrypt_json(small, key).plaintext == PLAINTEXT
    document = ecdh_json_document(private.public_key(), where, **{member: os.urandom(1 << 20)})
    roomy = dataclasses.replace(Limits(), max_token_bytes=4 << 20)
    with (
        mock.patch.object(ecdh_es, "agree", side_effect=AssertionError("ECDH ran")),
        mock.patch.object(ecdh_es, "derive_key", side_effect=AssertionError("KDF ran")),
    ):
        # As a mapping (no token size to check) and as JSON text within max_token_bytes:
        # the unprotected header is held to max_header_bytes like a protected one.
        for given in (document, json.dumps(document)):
            error = expect(
                LimitExceededError,
                lambda given=given: jwe.decrypt_json(given, key, limits=roomy),
            )
            assert isinstance(error, LimitExceededError)
            assert error.limit == "max_header_bytes"
            assert error.maximum == Limits().max_header_bytes
        # With the default limits, the JSON text is first refused as a whole.
        error = expect(LimitExceededError, lambda: jwe.decrypt_json(json.dumps(document), key))
        assert isinstance(error, LimitExceededError)
        assert error.limit == "max_token_bytes"


@pytest.mark.parametrize("member", ["apu", "apv"])
@pytest.mark.parametrize("value", [1, ["QQ"], "QQ==", "Q", "a b"])
def test_apu_apv_of_wrong_type_or_encoding_is_malformed(
    member: str, value: Any, ecdh_keys: Any
) -> None:
    private, key = ecdh_keys["P-256"]
    token = relabel(ecdh_token(private.public_key()), **{member: value})
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("alg", ["ECDH-ES", "ECDH-ES+A128KW"])
def test_apu_apv_are_bound_by_the_kdf(alg: str, ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    # Derived with apu "Alice", presented (validly sealed) with apu "Mallory".
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    z = exchange(ephemeral, private.public_key())
    header = {"alg": alg, "enc": "A128GCM", "epk": epk_members(ephemeral), "apu": b64u(b"Mallory")}
    if alg == "ECDH-ES":
        cek = ecdh_derive(z, "A128GCM", 16, b"Alice", b"")
        token = seal(header, cek=cek, plaintext=PLAINTEXT)
    else:
        cek = os.urandom(16)
        wrapped = aes_kw(ecdh_derive(z, alg, 16, b"Alice", b""), cek)
        token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=wrapped)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)


def test_ecdh_es_kdf_binds_the_enc(ecdh_keys: Any) -> None:
    private, key = ecdh_keys["P-256"]
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    z = exchange(ephemeral, private.public_key())
    # AlgorithmID must be the "enc" value: a CEK derived for "A128CBC-HS256"'s name is refused.
    cek = ecdh_derive(z, "A128GCM-other", 16, b"", b"")
    header = {"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk_members(ephemeral)}
    token = seal(header, cek=cek, plaintext=PLAINTEXT)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)


# -- PBES2 (RFC 7518 s4.8) -----------------------------------------------------------------------

PASSWORD = b"correct horse battery staple"
PBES2_ALG = "PBES2-HS256+A128KW"


def pbes2_token(
    alg: str = PBES2_ALG,
    enc: str = "A128GCM",
    *,
    p2s: bytes | None = None,
    p2c: Any = 1000,
    password: bytes = PASSWORD,
    **extra: Any,
) -> str:
    p2s = os.urandom(16) if p2s is None else p2s
    cek = os.urandom(ENCS[enc][0])
    kek = pbes2_kek(alg, password, p2s, p2c if type(p2c) is int and 0 < p2c <= 10_000 else 1000)
    header = {"alg": alg, "enc": enc, "p2s": b64u(p2s), "p2c": p2c, **extra}
    return seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(kek, cek))


@pytest.fixture
def pbkdf2_calls() -> Iterator[mock.MagicMock]:
    with mock.patch.object(pbes2, "derive_kek", wraps=pbes2.derive_kek) as spy:
        yield spy


@pytest.mark.parametrize("alg", PBES2)
def test_pbes2_hand_built_token_decrypts_when_named(alg: str, pbkdf2_calls: mock.MagicMock) -> None:
    token = pbes2_token(alg)
    key = oct_jwk(PASSWORD)
    assert jwe.decrypt_compact(token, key, algorithms=[alg]).plaintext == PLAINTEXT
    assert pbkdf2_calls.call_count == 1


def test_pbes2_is_refused_unless_named(pbkdf2_calls: mock.MagicMock) -> None:
    token = pbes2_token()
    key = oct_jwk(PASSWORD)
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, key))
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, key, algorithms=["A128KW"]))
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(token, key, algorithms=["PBES2-HS512+A256KW"]),
    )
    assert pbkdf2_calls.call_count == 0


def test_pbes2_count_of_2_31_is_refused_before_pbkdf2(pbkdf2_calls: mock.MagicMock) -> None:
    token = pbes2_token(p2c=2**31 - 1)
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_pbes2_count"
    assert error.maximum == 10_000
    assert error.actual == 2**31 - 1
    assert pbkdf2_calls.call_count == 0


def test_pbes2_count_of_10_to_the_60_is_a_limit(pbkdf2_calls: mock.MagicMock) -> None:
    token = pbes2_token(p2c=10**60)
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_pbes2_count"
    assert pbkdf2_calls.call_count == 0


def test_pbes2_count_of_10_to_the_100_is_refused_by_the_parser(
    pbkdf2_calls: mock.MagicMock,
) -> None:
    # A 101-digit integer is not read at all (strict JSON refuses over-long integers).
    token = pbes2_token(p2c=10**100)
    expect(
        MalformedError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    assert pbkdf2_calls.call_count == 0


@pytest.mark.parametrize(
    "p2c", [0, -1, -(2**31), True, False, "1000", 1000.0, 1.0, None, [1000], {"n": 1}], ids=repr
)
def test_pbes2_count_of_wrong_value_or_type_is_malformed(
    p2c: Any, pbkdf2_calls: mock.MagicMock
) -> None:
    token = pbes2_token(p2c=p2c)
    expect(
        MalformedError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    missing = relabel(pbes2_token(), drop=("p2c",))
    expect(
        MalformedError,
        lambda: jwe.decrypt_compact(missing, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    assert pbkdf2_calls.call_count == 0


@pytest.mark.parametrize("length", [0, 1, 7])
def test_pbes2_salt_shorter_than_8_octets_is_malformed(
    length: int, pbkdf2_calls: mock.MagicMock
) -> None:
    token = pbes2_token(p2s=os.urandom(length))
    expect(
        MalformedError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    assert pbkdf2_calls.call_count == 0


def test_pbes2_salt_of_8_octets_is_accepted() -> None:
    token = pbes2_token(p2s=os.urandom(8))
    assert (
        jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]).plaintext == PLAINTEXT
    )


@pytest.mark.parametrize("p2s", [None, 1, ["AAAAAAAAAAA"], "AAAAAAAAAAA=", "AAAA AAAAAA"], ids=repr)
def test_pbes2_salt_missing_or_mistyped_is_malformed(p2s: Any) -> None:
    token = (
        relabel(pbes2_token(), p2s=p2s)
        if p2s is not None
        else relabel(pbes2_token(), drop=("p2s",))
    )
    expect(
        MalformedError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )


def test_pbes2_wrong_password_or_salt_is_the_opaque_error() -> None:
    token = pbes2_token()
    expect(
        DecryptionError,
        lambda: jwe.decrypt_compact(token, oct_jwk(b"wrong password"), algorithms=[PBES2_ALG]),
        PLAINTEXT,
    )
    resalted = relabel(pbes2_token(p2s=bytes(16)), p2s=b64u(b"\x01" * 16))
    expect(
        DecryptionError,
        lambda: jwe.decrypt_compact(resalted, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
    # The salt input binds the alg: a KEK derived for another PBES2 alg does not unwrap.
    p2s, cek = os.urandom(16), os.urandom(16)
    kek = pbes2_kek("PBES2-HS512+A256KW", PASSWORD, p2s, 1000)[:16]
    header = {"alg": PBES2_ALG, "enc": "A128GCM", "p2s": b64u(p2s), "p2c": 1000}
    token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(kek, cek))
    expect(
        DecryptionError,
        lambda: jwe.decrypt_compact(token, oct_jwk(PASSWORD), algorithms=[PBES2_ALG]),
    )
