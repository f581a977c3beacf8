"""SECURITY.md invariant 5 and "Side channels", JWE side: no oracle between failure stages.

Python cannot promise constant time, so uniformity is proven by outcomes:
every failure after key selection, whichever stage it happened in (RSA1_5
padding, OAEP decoding, key unwrap, GCM-KW tag, PBKDF2 + unwrap, ECDH
agreement, CEK length, content tag, CBC padding), is the very same
DecryptionError (class, message, args, no __cause__ / __context__, no extra
attributes); RSA1_5 always goes on to content decryption with a CEK of the
right length; CBC never decrypts before the MAC verified. Thousands of random
encrypted keys and tags give exactly that one error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import JWK, JWKSet, jwe
from jose_ref.errors import DecryptionError, JoseError
from jose_ref.jwa import content_encryption
from jose_ref.jwa.content_encryption import aes_cbc_hmac_sha2
from tests.jwe import (
    ENCS,
    aes_kw,
    assert_opaque,
    b64u,
    cbc_encrypt_raw,
    cbc_hmac_tag,
    ecdh_derive,
    encode_header,
    epk_members,
    exchange,
    oaep,
    oct_jwk,
    pbes2_kek,
    rsa_jwk,
    rsa_private,
    seal,
    with_part,
)

PLAINTEXT = b"no oracle may reveal this"


@pytest.fixture(scope="module")
def rsa_key() -> JWK:
    return rsa_jwk(2048, 0)


@pytest.fixture
def content_calls() -> Iterator[mock.MagicMock]:
    with mock.patch.object(content_encryption, "decrypt", wraps=content_encryption.decrypt) as spy:
        yield spy


def failure(call: Any) -> DecryptionError:
    with pytest.raises(JoseError) as info:
        call()
    assert_opaque(info.value)
    assert isinstance(info.value, DecryptionError)
    return info.value


def identity(error: BaseException) -> tuple[Any, ...]:
    """Everything a caller could observe about an exception object."""
    return (
        type(error),
        str(error),
        repr(error),
        error.args,
        error.__cause__,
        error.__context__,
        error.__suppress_context__,
        getattr(error, "__notes__", None),
        tuple(sorted(getattr(error, "__dict__", {}).items())),
    )


# -- one error for every stage ---------------------------------------------------------------------


def _stage_failures(rsa_key: JWK) -> dict[str, tuple[Any, JWK, list[str] | None]]:
    """Tokens that fail at distinct stages after key selection, with the key to try."""
    public = rsa_private().public_key()
    k16 = os.urandom(16)
    cek16 = os.urandom(16)
    cases: dict[str, tuple[Any, JWK, list[str] | None]] = {}

    def rsa1_5(encrypted_key: bytes) -> str:
        return seal(
            {"alg": "RSA1_5", "enc": "A128GCM"},
            cek=cek16,
            plaintext=PLAINTEXT,
            encrypted_key=encrypted_key,
        )

    cases["rsa1_5-random"] = (rsa1_5(os.urandom(256)), rsa_key, ["RSA1_5"])
    cases["rsa1_5-short"] = (rsa1_5(os.urandom(100)), rsa_key, ["RSA1_5"])
    cases["rsa1_5-cek-17"] = (
        rsa1_5(public.encrypt(os.urandom(17), rsa_padding.PKCS1v15())),
        rsa_key,
        ["RSA1_5"],
    )
    cases["rsa1_5-other-cek"] = (
        rsa1_5(public.encrypt(os.urandom(16), rsa_padding.PKCS1v15())),
        rsa_key,
        ["RSA1_5"],
    )
    oaep_key = public.encrypt(cek16, oaep("RSA-OAEP-256"))
    cases["oaep-wrong-hash"] = (
        seal(
            {"alg": "RSA-OAEP", "enc": "A128GCM"},
            cek=cek16,
            plaintext=PLAINTEXT,
            encrypted_key=oaep_key,
        ),
        rsa_key,
        None,
    )
    cases["oaep-random"] = (
        seal(
            {"alg": "RSA-OAEP", "enc": "A128GCM"},
            cek=cek16,
            plaintext=PLAINTEXT,
            encrypted_key=os.urandom(256),
        ),
        rsa_key,
        None,
    )
    kw = {"alg": "A128KW", "enc": "A128GCM"}
    cases["kw-integrity"] = (
        seal(kw, cek=cek16, plaintext=PLAINTEXT, encrypted_key=aes_kw(os.urandom(16), cek16)),
        oct_jwk(k16),
        None,
    )
    cases["kw-odd-length"] = (
        seal(kw, cek=cek16, plaintext=PLAINTEXT, encrypted_key=os.urandom(27)),
        oct_jwk(k16),
        None,
    )
    cases["kw-cek-length"] = (
        seal(kw, cek=cek16, plaintext=PLAINTEXT, encrypted_key=aes_kw(k16, os.urandom(32))),
        oct_jwk(k16),
        None,
    )
    iv = os.urandom(12)
    sealed = AESGCM(k16).encrypt(iv, cek16, b"")
    gcmkw = {"alg": "A128GCMKW", "enc": "A128GCM", "iv": b64u(iv), "tag": b64u(os.urandom(16))}
    cases["gcmkw-tag"] = (
        seal(gcmkw, cek=cek16, plaintext=PLAINTEXT, encrypted_key=sealed[:-16]),
        oct_jwk(k16),
        None,
    )
    p2s = os.urandom(16)
    pbes2 = {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2s": b64u(p2s), "p2c": 1000}
    wrong_kek = pbes2_kek("PBES2-HS256+A128KW", b"other password", p2s, 1000)
    cases["pbes2-password"] = (
        seal(pbes2, cek=cek16, plaintext=PLAINTEXT, encrypted_key=aes_kw(wrong_kek, cek16)),
        oct_jwk(b"password"),
        ["PBES2-HS256+A128KW"],
    )
    x_private = x25519.X25519PrivateKey.generate()
    low = {"kty": "OKP", "crv": "X25519", "x": b64u(bytes(32))}
    cases["ecdh-low-order"] = (
        seal({"alg": "ECDH-ES", "enc": "A128GCM", "epk": low}, cek=cek16, plaintext=PLAINTEXT),
        JWK.from_key_object(x_private),
        None,
    )
    ec_private = ec.generate_private_key(ec.SECP256R1())
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    z = exchange(ephemeral, ec_private.public_key())
    ecdh = {"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk_members(ephemeral), "apv": "Qm9i"}
    cases["ecdh-kdf-input"] = (
        seal(ecdh, cek=ecdh_derive(z, "A128GCM", 16, b"", b""), plaintext=PLAINTEXT),
        JWK.from_key_object(ec_private),
        None,
    )
    d16 = os.urandom(16)
    dir_token = seal({"alg": "dir", "enc": "A128GCM"}, cek=d16, plaintext=PLAINTEXT)
    cases["dir-wrong-key"] = (dir_token, oct_jwk(os.urandom(16)), None)
    cases["gcm-tag"] = (with_part(dir_token, 4, b64u(os.urandom(16))), oct_jwk(d16), None)
    cases["gcm-tag-short"] = (with_part(dir_token, 4, b64u(os.urandom(12))), oct_jwk(d16), None)
    cases["gcm-iv-long"] = (with_part(dir_token, 2, b64u(os.urandom(16))), oct_jwk(d16), None)
    cases["header-reencoded"] = (
        with_part(dir_token, 0, encode_header(b'{"alg": "dir", "enc": "A128GCM"}')),
        oct_jwk(d16),
        None,
    )
    c32 = os.urandom(32)
    encoded = encode_header({"alg": "dir", "enc": "A128CBC-HS256"})
    iv16 = os.urandom(16)
    bad_pad = cbc_encrypt_raw(c32[16:], iv16, PLAINTEXT[:15] + b"\x00")
    good_mac = cbc_hmac_tag("A128CBC-HS256", c32[:16], encoded.encode(), iv16, bad_pad)
    cbc = ".".join((encoded, "", b64u(iv16), b64u(bad_pad), b64u(good_mac)))
    cases["cbc-padding-under-valid-mac"] = (cbc, oct_jwk(c32), None)
    cases["cbc-mac"] = (with_part(cbc, 4, b64u(os.urandom(16))), oct_jwk(c32), None)
    document = jwe.encrypt_json(
        PLAINTEXT, [(oct_jwk(k16), {"alg": "A128KW"})], enc="A128GCM", aad=b"a"
    )
    cases["json-aad"] = ({**document, "aad": b64u(b"b")}, oct_jwk(k16), None)
    several = jwe.encrypt_json(
        PLAINTEXT,
        [(oct_jwk(os.urandom(16)), {"alg": "A128KW"}) for _ in range(3)],
        enc="A128GCM",
    )
    cases["json-no-recipient-opens"] = (several, oct_jwk(k16), None)
    cases["keyset-all-candidates-fail"] = (
        dir_token,
        JWKSet([oct_jwk(os.urandom(16)) for _ in range(3)]),  # type: ignore[dict-item]
        None,
    )
    return cases


def test_every_stage_fails_with_the_same_observable_error(rsa_key: JWK) -> None:
    seen: dict[tuple[Any, ...], list[str]] = {}
    for name, (token, key, algorithms) in _stage_failures(rsa_key).items():
        call = jwe.decrypt_json if isinstance(token, dict) else jwe.decrypt_compact
        error = failure(
            lambda call=call, token=token, key=key, a=algorithms: call(token, key, algorithms=a)
        )
        seen.setdefault(identity(error), []).append(name)
    assert len(seen) == 1, seen


def test_rsa1_5_always_decrypts_content_with_a_cek_of_the_right_length(
    rsa_key: JWK, content_calls: mock.MagicMock
) -> None:
    public = rsa_private().public_key()
    for enc, (cek_bytes, _, _, _) in ENCS.items():
        for encrypted_key in (
            os.urandom(256),
            os.urandom(255),
            b"",
            public.encrypt(os.urandom(cek_bytes + 1), rsa_padding.PKCS1v15()),
            public.encrypt(os.urandom(cek_bytes - 1), rsa_padding.PKCS1v15()),
            public.encrypt(os.urandom(cek_bytes), oaep("RSA-OAEP")),
        ):
            token = seal(
                {"alg": "RSA1_5", "enc": enc},
                cek=os.urandom(cek_bytes),
                plaintext=PLAINTEXT,
                encrypted_key=encrypted_key,
            )
            content_calls.reset_mock()
            failure(lambda token=token: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"]))
            assert content_calls.call_count == 1
            assert len(content_calls.call_args.args[1]) == cek_bytes


def test_rsa1_5_bad_padding_never_reaches_the_caller_as_the_decrypted_cek(
    rsa_key: JWK, content_calls: mock.MagicMock
) -> None:
    # A validly padded but wrong-length CEK is replaced by a fresh random CEK each time.
    public = rsa_private().public_key()
    short = os.urandom(15)
    token = seal(
        {"alg": "RSA1_5", "enc": "A128GCM"},
        cek=os.urandom(16),
        plaintext=PLAINTEXT,
        encrypted_key=public.encrypt(short, rsa_padding.PKCS1v15()),
    )
    ceks = set()
    for _ in range(5):
        failure(lambda: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"]))
        cek = content_calls.call_args.args[1]
        assert not cek.startswith(short)
        ceks.add(cek)
    assert len(ceks) == 5


def test_cbc_never_decrypts_before_the_mac_verifies() -> None:
    c32 = os.urandom(32)
    key = oct_jwk(c32)
    token = seal({"alg": "dir", "enc": "A128CBC-HS256"}, cek=c32, plaintext=PLAINTEXT)
    with mock.patch.object(
        aes_cbc_hmac_sha2, "_decrypt_and_unpad", wraps=aes_cbc_hmac_sha2._decrypt_and_unpad
    ) as decrypt_spy:
        failure(lambda: jwe.decrypt_compact(with_part(token, 4, b64u(os.urandom(16))), key))
        assert decrypt_spy.call_count == 0
        assert jwe.decrypt_compact(token, key).plaintext == PLAINTEXT
        assert decrypt_spy.call_count == 1


# -- thousands of random inputs, one error ---------------------------------------------------------


def test_a_thousand_random_rsa1_5_encrypted_keys(
    rsa_key: JWK, content_calls: mock.MagicMock
) -> None:
    cek = os.urandom(32)
    header = encode_header({"alg": "RSA1_5", "enc": "A128CBC-HS256"})
    template = seal(
        {"alg": "RSA1_5", "enc": "A128CBC-HS256"},
        cek=cek,
        plaintext=PLAINTEXT,
        encrypted_key=b"",
    )
    assert template.startswith(header)
    modulus = rsa_private().public_key().public_numbers().n
    identities = set()
    count = 1000
    for index in range(count):
        # Half below the modulus (a real RSA operation, padding almost surely bad), half any.
        value = int.from_bytes(os.urandom(256), "big")
        encrypted_key = (value % modulus if index % 2 else value).to_bytes(256, "big")
        token = with_part(template, 1, b64u(encrypted_key))
        error = failure(
            lambda token=token: jwe.decrypt_compact(token, rsa_key, algorithms=["RSA1_5"])
        )
        identities.add(identity(error))
    assert len(identities) == 1
    assert content_calls.call_count == count


def test_two_thousand_random_aes_kw_encrypted_keys() -> None:
    kek = os.urandom(16)
    key = oct_jwk(kek)
    template = seal({"alg": "A128KW", "enc": "A128GCM"}, cek=os.urandom(16), plaintext=PLAINTEXT)
    identities = set()
    for index in range(2000):
        length = (24, 32, 40, 25, 23, 16)[index % 6]
        token = with_part(template, 1, b64u(os.urandom(length)))
        identities.add(identity(failure(lambda token=token: jwe.decrypt_compact(token, key))))
    assert len(identities) == 1


@pytest.mark.parametrize("enc", list(ENCS))
def test_random_tags_all_give_one_error(enc: str) -> None:
    cek = os.urandom(ENCS[enc][0])
    key = oct_jwk(cek)
    token = seal({"alg": "dir", "enc": enc}, cek=cek, plaintext=PLAINTEXT)
    tag_bytes = ENCS[enc][2]
    identities = set()
    for index in range(400):
        length = tag_bytes if index % 4 else (index // 4) % (2 * tag_bytes + 1)
        mutated = with_part(token, 4, b64u(os.urandom(length)))
        identities.add(identity(failure(lambda mutated=mutated: jwe.decrypt_compact(mutated, key))))
    assert len(identities) == 1
