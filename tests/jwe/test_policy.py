"""RFC 8725 s3.1-3.2, RFC 7517 s4.2-4.5 and SECURITY.md "Defaults" - Policy and limits on decrypt.

Allow-sets resolved from the key's "alg" or the default set (RSA1_5 and PBES2
only when named); every algorithm only with its own key type; "use" and
"key_ops" honoured; "kid" selecting among the caller's keys with every
matching candidate tried; keys carried in the token never used; and every
limit accepting exactly at the bound and refusing one past it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import urllib.request
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding

from jose_ref import JWK, JWKSet, Limits, jwe
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    InvalidKeyError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
)
from jose_ref.jwe import key_management
from tests.jwe import (
    ENCS,
    aes_kw,
    b64u,
    expect,
    oaep,
    oct_jwk,
    pbes2_kek,
    rsa_jwk,
    rsa_private,
    seal,
)

PLAINTEXT = b"policy decides who may read this"
K16, K32 = bytes(range(16)), bytes(range(32))


@pytest.fixture
def recover_calls() -> Iterator[mock.MagicMock]:
    with mock.patch.object(key_management, "recover_cek", wraps=key_management.recover_cek) as spy:
        yield spy


def kw_token(kek: bytes, alg: str = "A128KW", enc: str = "A128GCM", **extra: Any) -> str:
    cek = os.urandom(ENCS[enc][0])
    return seal(
        {"alg": alg, "enc": enc, **extra},
        cek=cek,
        plaintext=PLAINTEXT,
        encrypted_key=aes_kw(kek, cek),
    )


def oaep_token(alg: str = "RSA-OAEP", slot: int = 0, enc: str = "A256GCM", **extra: Any) -> str:
    cek = os.urandom(ENCS[enc][0])
    encrypted_key = rsa_private(2048, slot).public_key().encrypt(cek, oaep(alg))
    header = {"alg": alg, "enc": enc, **extra}
    return seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=encrypted_key)


# -- allow-sets (API.md "Algorithm policy") ------------------------------------------------------


def test_key_alg_is_the_allow_set_when_none_is_given() -> None:
    key = oct_jwk(K32, alg="A256KW")
    assert jwe.decrypt_compact(kw_token(K32, "A256KW"), key).plaintext == PLAINTEXT
    gcmkw = {"alg": "A256GCMKW", "enc": "A128GCM", "iv": b64u(bytes(12)), "tag": b64u(bytes(16))}
    for token in (
        seal({"alg": "dir", "enc": "A256GCM"}, cek=K32, plaintext=PLAINTEXT),
        seal(gcmkw, cek=K16, plaintext=PLAINTEXT, encrypted_key=os.urandom(16)),
    ):
        expect(AlgorithmNotAllowedError, lambda token=token: jwe.decrypt_compact(token, key))


def test_rsa_key_alg_binds_the_oaep_variant() -> None:
    key = rsa_jwk(2048, 0, alg="RSA-OAEP-256")
    assert jwe.decrypt_compact(oaep_token("RSA-OAEP-256"), key).plaintext == PLAINTEXT
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(oaep_token("RSA-OAEP"), key))
    # Naming more algorithms does not unbind the key.
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(
            oaep_token("RSA-OAEP"), key, algorithms=["RSA-OAEP", "RSA-OAEP-256"]
        ),
    )
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(oaep_token("RSA-OAEP"), JWKSet([key])))


def test_explicit_allow_sets() -> None:
    key = oct_jwk(K16)
    token = kw_token(K16, "A128KW", "A128GCM")
    assert jwe.decrypt_compact(token, key, algorithms=["A128KW"]).plaintext == PLAINTEXT
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, key, algorithms=[]))
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(token, key, algorithms=["A256KW", "dir"]),
    )
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(token, key, encryptions=["A256GCM", "A128CBC-HS256"]),
    )
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, key, encryptions=[]))
    assert (
        jwe.decrypt_compact(token, key, algorithms={"A128KW"}, encryptions=("A128GCM",)).plaintext
        == PLAINTEXT
    )


@pytest.mark.parametrize("bad", ["A128KW", b"A128KW"])
def test_a_bare_string_allow_set_is_api_misuse(bad: Any) -> None:
    # "A128KW" as a collection would allow its letters: refused as a Python TypeError.
    with pytest.raises(TypeError):
        jwe.decrypt_compact(kw_token(K16), oct_jwk(K16), algorithms=bad)
    with pytest.raises(TypeError):
        jwe.decrypt_compact(kw_token(K16), oct_jwk(K16), encryptions=bad)


@pytest.mark.parametrize("enc", ENCS)
def test_default_set_holds_every_enc(enc: str) -> None:
    token = kw_token(K16, "A128KW", enc)
    assert jwe.decrypt_compact(token, oct_jwk(K16)).plaintext == PLAINTEXT


def test_default_set_holds_the_recommended_algorithms() -> None:
    assert jwe.decrypt_compact(kw_token(K16, "A128KW"), oct_jwk(K16)).plaintext == PLAINTEXT
    assert jwe.decrypt_compact(oaep_token("RSA-OAEP"), rsa_jwk()).plaintext == PLAINTEXT
    assert jwe.decrypt_compact(oaep_token("RSA-OAEP-256"), rsa_jwk()).plaintext == PLAINTEXT


def test_rsa1_5_and_pbes2_only_when_named() -> None:
    cek = os.urandom(16)
    encrypted_key = rsa_private().public_key().encrypt(cek, rsa_padding.PKCS1v15())
    rsa1_5 = seal(
        {"alg": "RSA1_5", "enc": "A128GCM"},
        cek=cek,
        plaintext=PLAINTEXT,
        encrypted_key=encrypted_key,
    )
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(rsa1_5, rsa_jwk()))
    named = jwe.decrypt_compact(rsa1_5, rsa_jwk(), algorithms=["RSA1_5", "RSA-OAEP"])
    assert named.plaintext == PLAINTEXT
    p2s = os.urandom(16)
    kek = pbes2_kek("PBES2-HS256+A128KW", b"password", p2s, 1000)
    header = {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": b64u(p2s), "p2c": 1000}
    pbes2 = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(kek, cek))
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(pbes2, oct_jwk(b"password")))
    named = jwe.decrypt_compact(pbes2, oct_jwk(b"password"), algorithms=["PBES2-HS256+A128KW"])
    assert named.plaintext == PLAINTEXT


# -- an algorithm only with its own key type (RFC 8725 s3.1) -------------------------------------


def test_each_algorithm_only_with_its_own_key_type() -> None:
    ec_key = JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()))
    ed_key = JWK.from_key_object(ed25519.Ed25519PrivateKey.generate())
    x_key = JWK.from_key_object(x25519.X25519PrivateKey.generate())
    rsa = rsa_jwk()
    cases = [
        (oaep_token("RSA-OAEP"), oct_jwk(os.urandom(32))),
        (oaep_token("RSA-OAEP"), ec_key),
        (kw_token(K16, "A128KW"), rsa),
        (kw_token(K16, "A128KW"), ec_key),
        (seal({"alg": "dir", "enc": "A128GCM"}, cek=K16, plaintext=PLAINTEXT), rsa),
        (seal({"alg": "dir", "enc": "A128GCM"}, cek=K16, plaintext=PLAINTEXT), x_key),
    ]
    epk = JWK.from_key_object(x25519.X25519PrivateKey.generate()).public().to_dict()
    ecdh = seal({"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk}, cek=K16, plaintext=PLAINTEXT)
    cases += [(ecdh, rsa), (ecdh, oct_jwk(K16)), (ecdh, ed_key), (ecdh, ec_key)]
    for token, key in cases:
        expect(InvalidKeyError, lambda token=token, key=key: jwe.decrypt_compact(token, key))
        expect(
            KeyNotFoundError,
            lambda token=token, key=key: jwe.decrypt_compact(token, JWKSet([key])),
        )


# -- kid selection among the caller's keys (RFC 7517 s4.5, s5) ----------------------------------


def test_kid_selects_the_key(recover_calls: mock.MagicMock) -> None:
    keys = [oct_jwk(os.urandom(16), kid=f"k{i}") for i in range(5)]
    target = keys[3]
    token = kw_token(target.secret, kid="k3")
    result = jwe.decrypt_compact(token, JWKSet(keys))
    assert result.key is target
    assert result.header["kid"] == "k3"
    # Only the key with the token's kid was tried.
    assert recover_calls.call_count == 1
    assert recover_calls.call_args.args[2] is target


def test_every_candidate_with_the_kid_is_tried(recover_calls: mock.MagicMock) -> None:
    first = oct_jwk(os.urandom(16), kid="same")
    second = oct_jwk(os.urandom(16), kid="same")
    other = oct_jwk(os.urandom(16), kid="other")
    token = kw_token(second.secret, kid="same")
    result = jwe.decrypt_compact(token, JWKSet([other, first, second]))
    assert result.key is second
    assert [c.args[2] for c in recover_calls.call_args_list] == [first, second]


def test_without_kid_every_fitting_key_is_tried(recover_calls: mock.MagicMock) -> None:
    keys = [oct_jwk(os.urandom(16)) for _ in range(4)]
    keys.insert(1, oct_jwk(os.urandom(32)))  # does not fit A128KW: never tried
    token = kw_token(keys[4].secret)
    assert jwe.decrypt_compact(token, JWKSet(keys)).key is keys[4]
    assert recover_calls.call_count == 4
    expect(
        DecryptionError,
        lambda: jwe.decrypt_compact(kw_token(os.urandom(16)), JWKSet(keys)),
        PLAINTEXT,
    )


def test_unknown_kid_finds_no_key(recover_calls: mock.MagicMock) -> None:
    keys = JWKSet([oct_jwk(K16, kid="a"), oct_jwk(K16, kid="b")])
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(kw_token(K16, kid="c"), keys))
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(kw_token(K16), JWKSet([])))
    assert recover_calls.call_count == 0


def test_kid_is_not_needed_with_a_single_key() -> None:
    key = oct_jwk(K16, kid="mine")
    assert jwe.decrypt_compact(kw_token(K16), key).plaintext == PLAINTEXT
    # A single key is the caller's choice: a token naming another kid still uses it.
    assert jwe.decrypt_compact(kw_token(K16, kid="theirs"), key).plaintext == PLAINTEXT


def test_require_kid_refuses_a_token_without_kid() -> None:
    key = oct_jwk(K16, kid="mine")
    without = kw_token(K16)
    expect(MalformedError, lambda: jwe.decrypt_compact(without, key, require_kid=True))
    expect(MalformedError, lambda: jwe.decrypt_compact(without, JWKSet([key]), require_kid=True))
    document = {
        "protected": without.split(".")[0],
        "encrypted_key": without.split(".")[1],
        "iv": without.split(".")[2],
        "ciphertext": without.split(".")[3],
        "tag": without.split(".")[4],
    }
    expect(MalformedError, lambda: jwe.decrypt_json(document, key, require_kid=True))
    with_kid = kw_token(K16, kid="mine")
    assert jwe.decrypt_compact(with_kid, key, require_kid=True).plaintext == PLAINTEXT
    assert jwe.decrypt_compact(with_kid, JWKSet([key]), require_kid=True).key is key


# -- keys in the token are never used (SECURITY.md "Embedded and remote trust") --------------------


@pytest.fixture
def no_network() -> Iterator[list[Any]]:
    """Fail (and record) any attempt to open a connection or a URL."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError("the library tried to fetch from the network")

    with (
        mock.patch.object(socket, "create_connection", refuse),
        mock.patch.object(socket.socket, "connect", refuse),
        mock.patch.object(urllib.request, "urlopen", refuse),
    ):
        yield attempts


def test_attacker_key_in_jwk_header_is_not_used(no_network: list[Any]) -> None:
    victim = rsa_jwk(2048, 0)
    attacker = rsa_jwk(2048, 1)
    token = oaep_token("RSA-OAEP", slot=1, jwk=attacker.public().to_dict())
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, victim), PLAINTEXT)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, JWKSet([victim])), PLAINTEXT)
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(token, JWKSet([])), PLAINTEXT)
    assert no_network == []


def test_attacker_oct_key_in_jwk_header_is_not_used() -> None:
    attacker_secret = os.urandom(32)
    header = {
        "alg": "dir",
        "enc": "A256GCM",
        "jwk": {"kty": "oct", "k": b64u(attacker_secret)},
    }
    token = seal(header, cek=attacker_secret, plaintext=PLAINTEXT)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, oct_jwk(K32)), PLAINTEXT)
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(token, JWKSet([])), PLAINTEXT)


def test_attacker_ecdh_key_in_jwk_header_is_not_used() -> None:
    from tests.jwe import ecdh_derive, epk_members, exchange

    victim = x25519.X25519PrivateKey.generate()
    attacker = x25519.X25519PrivateKey.generate()
    ephemeral = x25519.X25519PrivateKey.generate()
    cek = ecdh_derive(exchange(ephemeral, attacker.public_key()), "A128GCM", 16, b"", b"")
    header = {
        "alg": "ECDH-ES",
        "enc": "A128GCM",
        "epk": epk_members(ephemeral),
        "jwk": JWK.from_key_object(attacker).to_dict(private=True),
    }
    token = seal(header, cek=cek, plaintext=PLAINTEXT)
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, JWK.from_key_object(victim)))


@pytest.mark.parametrize(
    "members",
    [
        {"jku": "https://attacker.example/jwks.json"},
        {"x5u": "https://attacker.example/cert.pem"},
        {"x5c": ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]},
        {"jku": "http://127.0.0.1:1/jwks", "x5u": "http://127.0.0.1:1/x"},
    ],
)
def test_remote_key_headers_are_never_fetched(members: dict[str, Any], no_network: Any) -> None:
    key = oct_jwk(K16)
    assert jwe.decrypt_compact(kw_token(K16, **members), key).plaintext == PLAINTEXT
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(kw_token(K16, **members), JWKSet([])))
    expect(DecryptionError, lambda: jwe.decrypt_compact(kw_token(os.urandom(16), **members), key))
    assert no_network == []


# -- "use" and "key_ops" (RFC 7517 s4.2-4.3) ------------------------------------------------------


def test_signature_key_is_refused_for_decryption(recover_calls: mock.MagicMock) -> None:
    for key in (oct_jwk(K16, use="sig"), rsa_jwk(use="sig")):
        token = kw_token(K16) if key.kty == "oct" else oaep_token()
        expect(InvalidKeyError, lambda token=token, key=key: jwe.decrypt_compact(token, key))
        expect(
            KeyNotFoundError,
            lambda token=token, key=key: jwe.decrypt_compact(token, JWKSet([key])),
        )
    assert recover_calls.call_count == 0


def test_encryption_key_use_is_accepted() -> None:
    assert jwe.decrypt_compact(kw_token(K16), oct_jwk(K16, use="enc")).plaintext == PLAINTEXT
    assert jwe.decrypt_compact(oaep_token(), rsa_jwk(use="enc")).plaintext == PLAINTEXT


@pytest.mark.parametrize(
    "key_ops",
    [["encrypt"], ["wrapKey"], ["encrypt", "wrapKey"], ["sign"], ["verify"], ["sign", "verify"]],
)
def test_key_ops_without_a_decryption_operation_is_refused(
    key_ops: list[str], recover_calls: mock.MagicMock
) -> None:
    for key, token in (
        (oct_jwk(K16, key_ops=key_ops), kw_token(K16)),
        (rsa_jwk(key_ops=key_ops), oaep_token()),
    ):
        expect(InvalidKeyError, lambda token=token, key=key: jwe.decrypt_compact(token, key))
        expect(
            KeyNotFoundError,
            lambda token=token, key=key: jwe.decrypt_compact(token, JWKSet([key])),
        )
    assert recover_calls.call_count == 0


@pytest.mark.parametrize("key_ops", [["deriveKey"], ["deriveBits"], ["deriveKey", "deriveBits"]])
def test_derivation_key_ops_do_not_permit_unwrapping(key_ops: list[str]) -> None:
    # RSA-OAEP and AES key wrap unwrap the CEK ("unwrapKey", RFC 7517 s4.3); a key meant
    # only for key derivation (ECDH) must not serve them.
    for key, token in (
        (oct_jwk(K16, key_ops=key_ops), kw_token(K16)),
        (rsa_jwk(key_ops=key_ops), oaep_token()),
    ):
        expect(InvalidKeyError, lambda token=token, key=key: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("key_ops", [["unwrapKey"], ["decrypt", "unwrapKey"]])
def test_unwrap_key_ops_permit_decryption(key_ops: list[str]) -> None:
    assert jwe.decrypt_compact(kw_token(K16), oct_jwk(K16, key_ops=key_ops)).plaintext
    assert jwe.decrypt_compact(oaep_token(), rsa_jwk(key_ops=key_ops)).plaintext


@pytest.mark.parametrize("key_ops", [["deriveKey"], ["deriveBits"]])
def test_derivation_key_ops_permit_ecdh(key_ops: list[str]) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = JWK.from_key_object(private, key_ops=key_ops)
    token = jwe.encrypt_compact(PLAINTEXT, key.public(), alg="ECDH-ES", enc="A128GCM")
    assert jwe.decrypt_compact(token, key).plaintext == PLAINTEXT


def test_public_key_cannot_decrypt() -> None:
    expect(InvalidKeyError, lambda: jwe.decrypt_compact(oaep_token(), rsa_jwk().public()))
    expect(
        KeyNotFoundError, lambda: jwe.decrypt_compact(oaep_token(), JWKSet([rsa_jwk().public()]))
    )


def test_encrypt_honours_use_and_alg() -> None:
    expect(
        InvalidKeyError,
        lambda: jwe.encrypt_compact(
            b"x", rsa_jwk(use="sig").public(), alg="RSA-OAEP", enc="A128GCM"
        ),
    )
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.encrypt_compact(
            b"x", rsa_jwk(alg="RSA-OAEP-256").public(), alg="RSA-OAEP", enc="A128GCM"
        ),
    )
    expect(
        InvalidKeyError,
        lambda: jwe.encrypt_compact(b"x", rsa_jwk().public(), alg="A128KW", enc="A128GCM"),
    )
    expect(
        InvalidKeyError,
        lambda: jwe.encrypt_compact(b"x", oct_jwk(K32), alg="A128KW", enc="A128GCM"),
    )


# -- limits: accepted at the bound, refused one past it (API.md "Limits") --------------------------


def limits(**changes: int) -> Limits:
    return dataclasses.replace(Limits(), **changes)


def assert_limit(error: BaseException, field: str, maximum: int) -> None:
    assert isinstance(error, LimitExceededError)
    assert error.limit == field
    assert error.maximum == maximum


def test_max_token_bytes_compact() -> None:
    key = oct_jwk(K16)
    token = kw_token(K16)
    n = len(token)
    assert jwe.decrypt_compact(token, key, limits=limits(max_token_bytes=n)).plaintext == PLAINTEXT
    assert jwe.decrypt_compact(token.encode(), key, limits=limits(max_token_bytes=n)).plaintext
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(token, key, limits=limits(max_token_bytes=n - 1)),
    )
    assert_limit(error, "max_token_bytes", n - 1)


def test_max_token_bytes_json() -> None:
    key = oct_jwk(K16)
    parts = kw_token(K16).split(".")
    text = json.dumps(
        dict(zip(("protected", "encrypted_key", "iv", "ciphertext", "tag"), parts, strict=True))
    )
    n = len(text)
    for given in (text, text.encode()):
        assert jwe.decrypt_json(given, key, limits=limits(max_token_bytes=n)).plaintext == PLAINTEXT
        error = expect(
            LimitExceededError,
            lambda given=given: jwe.decrypt_json(given, key, limits=limits(max_token_bytes=n - 1)),
        )
        assert_limit(error, "max_token_bytes", n - 1)


@pytest.mark.parametrize("padding", [0, 1, 2, 100, 5000])
def test_max_header_bytes(padding: int) -> None:
    key = oct_jwk(K16)
    header = {"alg": "A128KW", "enc": "A128GCM", "x": "p" * padding}
    n = len(json.dumps(header, separators=(",", ":")).encode())
    cek = os.urandom(16)
    token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(K16, cek))
    assert jwe.decrypt_compact(token, key, limits=limits(max_header_bytes=n)).plaintext == PLAINTEXT
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(token, key, limits=limits(max_header_bytes=n - 1)),
    )
    assert_limit(error, "max_header_bytes", n - 1)


def test_default_max_header_bytes() -> None:
    key = oct_jwk(K16)
    base = {"alg": "A128KW", "enc": "A128GCM", "x": ""}
    filler = 8 * 1024 - len(json.dumps(base, separators=(",", ":")))
    for size, ok in ((filler, True), (filler + 1, False)):
        header = {**base, "x": "p" * size}
        cek = os.urandom(16)
        token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(K16, cek))
        if ok:
            assert jwe.decrypt_compact(token, key).plaintext == PLAINTEXT
        else:
            error = expect(LimitExceededError, lambda token=token: jwe.decrypt_compact(token, key))
            assert_limit(error, "max_header_bytes", 8 * 1024)


@pytest.mark.parametrize("depth", [1, 5, 32])
def test_max_json_depth(depth: int) -> None:
    key = oct_jwk(K16)
    # The header object is level 1; each array adds one.
    nested = "[" * (depth - 1) + "]" * (depth - 1)
    raw = ('{"alg":"A128KW","enc":"A128GCM","x":' + (nested or "0") + "}").encode()
    cek = os.urandom(16)
    token = seal(raw, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(K16, cek), enc="A128GCM")
    assert jwe.decrypt_compact(token, key, limits=limits(max_json_depth=depth)).plaintext
    if depth > 1:
        error = expect(
            LimitExceededError,
            lambda: jwe.decrypt_compact(token, key, limits=limits(max_json_depth=depth - 1)),
        )
        assert_limit(error, "max_json_depth", depth - 1)


@pytest.mark.parametrize(("p2c", "bound"), [(1000, 1000), (10_000, 10_000), (1, 1)])
def test_max_pbes2_count(p2c: int, bound: int) -> None:
    alg = "PBES2-HS256+A128KW"
    p2s, cek = os.urandom(16), os.urandom(16)
    kek = pbes2_kek(alg, b"pw", p2s, p2c)
    header = {"alg": alg, "enc": "A128GCM", "p2s": b64u(p2s), "p2c": p2c}
    token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(kek, cek))
    key = oct_jwk(b"pw")
    at = limits(max_pbes2_count=bound)
    assert jwe.decrypt_compact(token, key, algorithms=[alg], limits=at).plaintext == PLAINTEXT
    below = limits(max_pbes2_count=bound - 1)
    error = expect(
        LimitExceededError, lambda: jwe.decrypt_compact(token, key, algorithms=[alg], limits=below)
    )
    assert_limit(error, "max_pbes2_count", bound - 1)


def test_default_max_pbes2_count_is_10000() -> None:
    alg = "PBES2-HS256+A128KW"
    p2s, cek = os.urandom(16), os.urandom(16)
    header = {"alg": alg, "enc": "A128GCM", "p2s": b64u(p2s), "p2c": 10_001}
    token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=aes_kw(K16, cek))
    error = expect(
        LimitExceededError, lambda: jwe.decrypt_compact(token, oct_jwk(b"pw"), algorithms=[alg])
    )
    assert_limit(error, "max_pbes2_count", 10_000)


@pytest.mark.parametrize("count", [1, 3, 16])
def test_max_recipients(count: int) -> None:
    key = oct_jwk(K16)
    others = [(oct_jwk(os.urandom(16)), {"alg": "A128KW"}) for _ in range(count - 1)]
    document = jwe.encrypt_json(PLAINTEXT, [*others, (key, {"alg": "A128KW"})], enc="A128GCM")
    assert len(document["recipients"]) == count
    assert jwe.decrypt_json(document, key, limits=limits(max_recipients=count)).plaintext
    if count > 1:
        error = expect(
            LimitExceededError,
            lambda: jwe.decrypt_json(document, key, limits=limits(max_recipients=count - 1)),
        )
        assert_limit(error, "max_recipients", count - 1)


def test_max_plaintext_bytes_applies_after_inflating() -> None:
    import zlib

    key = oct_jwk(K32)
    content = os.urandom(700) + bytes(300)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = compressor.compress(content) + compressor.flush()
    token = seal({"alg": "dir", "enc": "A256GCM", "zip": "DEF"}, cek=K32, plaintext=stream)
    assert (
        jwe.decrypt_compact(token, key, limits=limits(max_plaintext_bytes=1000)).plaintext
        == content
    )
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(token, key, limits=limits(max_plaintext_bytes=999)),
        content,
    )
    assert_limit(error, "max_plaintext_bytes", 999)


@pytest.mark.parametrize("bound", [1, 10, 256])
def test_max_kid_bytes(bound: int) -> None:
    key = oct_jwk(K16)
    at = kw_token(K16, kid="k" * bound)
    assert jwe.decrypt_compact(at, key, limits=limits(max_kid_bytes=bound)).plaintext == PLAINTEXT
    over = kw_token(K16, kid="k" * (bound + 1))
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(over, key, limits=limits(max_kid_bytes=bound)),
    )
    assert_limit(error, "max_kid_bytes", bound)
