"""Issue 3 seed flows end to end, against independent libraries (jwcrypto, joserfc).

- Signicat-style: an RSA-OAEP encryption JWK ("use": "enc", 2048 and 4096 bits)
  decrypts encrypted ID tokens made by jwcrypto and by joserfc, and both
  decrypt ours.
- BankID-style encrypted request objects: RSA1_5 (named explicitly), RSA-OAEP
  and RSA-OAEP-256 with each of the six "enc" values round trip and
  interoperate with jwcrypto in both directions.
- BankID-style encrypted login_hint: ECDH-ES on P-256 with "kid" in the header
  and the non-JSON plaintext "BID:14025800177"; a token without "kid" is
  refused when the caller requires one.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwe as joserfc_jwe
from joserfc.jwk import import_key
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from jose_ref import JWK, JWKSet, jwe
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    KeyNotFoundError,
    MalformedError,
)
from tests.jwe import ENC_NAMES, expect, header_of, rsa_jwk

pytestmark = pytest.mark.filterwarnings("ignore::Warning:joserfc")

LOGIN_HINT = b"BID:14025800177"


def jwcrypto_encrypt(
    plaintext: bytes, key: JWK, header: dict[str, Any], *, compact: bool = True
) -> str:
    token = jwcrypto_jwe.JWE(plaintext, protected=json.dumps(header))
    token.allowed_algs = [header["alg"], header["enc"]]
    token.add_recipient(jwcrypto_jwk.JWK(**key.public().to_dict()))
    return str(token.serialize(compact=compact))


def jwcrypto_decrypt(token: str, key: JWK, header: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    opened = jwcrypto_jwe.JWE()
    opened.allowed_algs = [header["alg"], header["enc"]]
    opened.deserialize(token, key=jwcrypto_jwk.JWK(**key.to_dict(private=True)))
    return bytes(opened.payload), dict(opened.jose_header)


def joserfc_encrypt(plaintext: bytes, key: JWK, header: dict[str, Any]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return joserfc_jwe.encrypt_compact(
            header,
            plaintext,
            import_key(key.public().to_dict()),
            algorithms=[header["alg"], header["enc"]],
        )


def joserfc_decrypt(token: str, key: JWK, header: dict[str, Any]) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opened = joserfc_jwe.decrypt_compact(
            token,
            import_key(key.to_dict(private=True)),
            algorithms=[header["alg"], header["enc"]],
        )
    return bytes(opened.plaintext)


# -- Signicat: encrypted ID tokens with an RSA-OAEP "use": "enc" key ----------------------------


@pytest.fixture(scope="module", params=[2048, 4096], ids=["rsa2048", "rsa4096"])
def signicat_key(request: pytest.FixtureRequest) -> JWK:
    return rsa_jwk(request.param, 0, kid=f"enc-{request.param}", use="enc", alg="RSA-OAEP")


@pytest.fixture(scope="module")
def id_token() -> bytes:
    """A signed ID token (a JWS made by jwcrypto) as the JWE plaintext, as Signicat nests it."""
    signing_key = jwcrypto_jwk.JWK.generate(kty="EC", crv="P-256", kid="sig")
    claims = {"iss": "https://example.signicat.com", "sub": "abc", "nonce": "n-0S6_WzA2Mj"}
    signed = jwcrypto_jws.JWS(json.dumps(claims).encode())
    signed.add_signature(signing_key, protected=json.dumps({"alg": "ES256", "kid": "sig"}))
    return str(signed.serialize(compact=True)).encode("ascii")


@pytest.mark.parametrize("enc", ["A256GCM", "A128CBC-HS256"])
@pytest.mark.parametrize("producer", ["jwcrypto", "joserfc"])
def test_signicat_key_decrypts_independent_tokens(
    producer: str, enc: str, signicat_key: JWK, id_token: bytes
) -> None:
    header = {"alg": "RSA-OAEP", "enc": enc, "kid": signicat_key.kid, "cty": "JWT"}
    make = jwcrypto_encrypt if producer == "jwcrypto" else joserfc_encrypt
    token = make(id_token, signicat_key, header)
    # The key's own "alg" is the allow-set; the kid selects it among the caller's keys.
    result = jwe.decrypt_compact(token, signicat_key)
    assert result.plaintext == id_token
    assert result.header["cty"] == "JWT"
    assert result.key is signicat_key
    keyset = JWKSet([rsa_jwk(2048, 1, kid="other", use="enc"), signicat_key])
    assert jwe.decrypt_compact(token, keyset, require_kid=True).key is signicat_key


@pytest.mark.parametrize("enc", ["A256GCM", "A128CBC-HS256"])
def test_independent_libraries_decrypt_our_signicat_tokens(
    enc: str, signicat_key: JWK, id_token: bytes
) -> None:
    token = jwe.encrypt_compact(
        id_token, signicat_key.public(), alg="RSA-OAEP", enc=enc, header={"cty": "JWT"}
    )
    assert header_of(token) == {
        "alg": "RSA-OAEP",
        "enc": enc,
        "kid": signicat_key.kid,
        "cty": "JWT",
    }
    header = {"alg": "RSA-OAEP", "enc": enc}
    plaintext, jose_header = jwcrypto_decrypt(token, signicat_key, header)
    assert plaintext == id_token
    assert jose_header["kid"] == signicat_key.kid
    assert joserfc_decrypt(token, signicat_key, header) == id_token


def test_signicat_key_refuses_other_algorithms(signicat_key: JWK, id_token: bytes) -> None:
    token = jwcrypto_encrypt(id_token, signicat_key, {"alg": "RSA-OAEP-256", "enc": "A256GCM"})
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, signicat_key), id_token)
    rsa1_5 = jwcrypto_encrypt(id_token, signicat_key, {"alg": "RSA1_5", "enc": "A256GCM"})
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(rsa1_5, signicat_key), id_token)


def test_signicat_token_for_another_key_fails_opaquely(signicat_key: JWK, id_token: bytes) -> None:
    other = rsa_jwk(2048, 1, kid=signicat_key.kid, use="enc", alg="RSA-OAEP")
    token = jwcrypto_encrypt(id_token, other, {"alg": "RSA-OAEP", "enc": "A256GCM"})
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, signicat_key), id_token)


# -- BankID: encrypted request objects ------------------------------------------------------------

REQUEST_OBJECT = json.dumps(
    {"iss": "client", "aud": "https://auth.bankid.example", "login_hint": "BID:14025800177"},
    separators=(",", ":"),
).encode()
BANKID_ALGS = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"]


@pytest.fixture(scope="module")
def bankid_rsa() -> JWK:
    return rsa_jwk(2048, 2, kid="bankid-enc", use="enc")


def _allowed(alg: str) -> list[str] | None:
    # RSA1_5 must be named by the caller; the others are in the default set.
    return [alg] if alg == "RSA1_5" else None


@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize("alg", BANKID_ALGS)
def test_request_object_round_trips(alg: str, enc: str, bankid_rsa: JWK) -> None:
    token = jwe.encrypt_compact(REQUEST_OBJECT, bankid_rsa.public(), alg=alg, enc=enc)
    assert header_of(token) == {"alg": alg, "enc": enc, "kid": "bankid-enc"}
    result = jwe.decrypt_compact(token, bankid_rsa, algorithms=_allowed(alg))
    assert result.plaintext == REQUEST_OBJECT
    assert result.header == {"alg": alg, "enc": enc, "kid": "bankid-enc"}


@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize("alg", BANKID_ALGS)
def test_request_object_interoperates_with_jwcrypto(alg: str, enc: str, bankid_rsa: JWK) -> None:
    header = {"alg": alg, "enc": enc, "kid": "bankid-enc"}
    theirs = jwcrypto_encrypt(REQUEST_OBJECT, bankid_rsa, header)
    assert jwe.decrypt_compact(theirs, bankid_rsa, algorithms=_allowed(alg)).plaintext == (
        REQUEST_OBJECT
    )
    ours = jwe.encrypt_compact(REQUEST_OBJECT, bankid_rsa.public(), alg=alg, enc=enc)
    assert jwcrypto_decrypt(ours, bankid_rsa, header)[0] == REQUEST_OBJECT


@pytest.mark.parametrize("enc", ENC_NAMES)
def test_rsa1_5_request_object_refused_unless_named(enc: str, bankid_rsa: JWK) -> None:
    token = jwe.encrypt_compact(REQUEST_OBJECT, bankid_rsa.public(), alg="RSA1_5", enc=enc)
    expect(AlgorithmNotAllowedError, lambda: jwe.decrypt_compact(token, bankid_rsa), REQUEST_OBJECT)


# -- BankID: encrypted login_hint with ECDH-ES on P-256 -------------------------------------------


@pytest.fixture(scope="module")
def bankid_ec() -> JWK:
    return JWK.from_key_object(
        ec.generate_private_key(ec.SECP256R1()), kid="bankid-ecdh", use="enc"
    )


@pytest.mark.parametrize("enc", ["A256GCM", "A128GCM", "A256CBC-HS512"])
def test_login_hint_round_trips(enc: str, bankid_ec: JWK) -> None:
    token = jwe.encrypt_compact(LOGIN_HINT, bankid_ec.public(), alg="ECDH-ES", enc=enc)
    header = header_of(token)
    assert header["alg"] == "ECDH-ES"
    assert header["kid"] == "bankid-ecdh"
    assert header["epk"]["kty"] == "EC"
    assert header["epk"]["crv"] == "P-256"
    assert "d" not in header["epk"]
    assert token.split(".")[1] == ""
    result = jwe.decrypt_compact(token, bankid_ec, require_kid=True)
    assert result.plaintext == LOGIN_HINT
    assert result.key is bankid_ec


@pytest.mark.parametrize("enc", ["A256GCM", "A128CBC-HS256"])
def test_login_hint_interoperates_with_jwcrypto(enc: str, bankid_ec: JWK) -> None:
    header = {"alg": "ECDH-ES", "enc": enc, "kid": "bankid-ecdh"}
    theirs = jwcrypto_encrypt(LOGIN_HINT, bankid_ec, header)
    assert jwe.decrypt_compact(theirs, bankid_ec, require_kid=True).plaintext == LOGIN_HINT
    ours = jwe.encrypt_compact(LOGIN_HINT, bankid_ec.public(), alg="ECDH-ES", enc=enc)
    plaintext, jose_header = jwcrypto_decrypt(ours, bankid_ec, header)
    assert plaintext == LOGIN_HINT
    assert jose_header["kid"] == "bankid-ecdh"
    assert joserfc_decrypt(ours, bankid_ec, header) == LOGIN_HINT


def test_login_hint_selected_by_kid_among_several_keys(bankid_ec: JWK) -> None:
    others = [
        JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()), kid=f"old-{i}", use="enc")
        for i in range(3)
    ]
    keys = JWKSet([*others, bankid_ec])
    token = jwcrypto_encrypt(
        LOGIN_HINT, bankid_ec, {"alg": "ECDH-ES", "enc": "A256GCM", "kid": "bankid-ecdh"}
    )
    result = jwe.decrypt_compact(token, keys, require_kid=True)
    assert result.plaintext == LOGIN_HINT
    assert result.key is bankid_ec
    unknown = jwcrypto_encrypt(
        LOGIN_HINT, bankid_ec, {"alg": "ECDH-ES", "enc": "A256GCM", "kid": "nobody"}
    )
    expect(KeyNotFoundError, lambda: jwe.decrypt_compact(unknown, keys), LOGIN_HINT)


def test_login_hint_without_kid_is_refused_when_kid_is_required(bankid_ec: JWK) -> None:
    key_without_kid = JWK.from_dict(
        {k: v for k, v in bankid_ec.to_dict(private=True).items() if k != "kid"}
    )
    ours = jwe.encrypt_compact(LOGIN_HINT, key_without_kid.public(), alg="ECDH-ES", enc="A256GCM")
    assert "kid" not in header_of(ours)
    theirs = jwcrypto_encrypt(LOGIN_HINT, bankid_ec, {"alg": "ECDH-ES", "enc": "A256GCM"})
    for token in (ours, theirs):
        expect(
            MalformedError,
            lambda token=token: jwe.decrypt_compact(token, bankid_ec, require_kid=True),
            LOGIN_HINT,
        )
        expect(
            MalformedError,
            lambda token=token: jwe.decrypt_compact(token, JWKSet([bankid_ec]), require_kid=True),
            LOGIN_HINT,
        )
        # Without the requirement the same token decrypts.
        assert jwe.decrypt_compact(token, bankid_ec).plaintext == LOGIN_HINT
