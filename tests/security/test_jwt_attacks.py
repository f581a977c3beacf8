"""SECURITY.md "Token types, nesting, claims": each refused with its precise error class."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jose_ref import JWK, JWKSet, jwe, jws, jwt
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    AudienceError,
    ClaimError,
    InvalidSignatureError,
    IssuerError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
    MissingClaimError,
)
from tests.jwk import raises_exactly
from tests.jws.forge import forge
from tests.jws.keys import other_private, private, with_members

NOW = 1_700_000_000
CLAIMS: dict[str, Any] = {"iss": "https://idp.example", "aud": "client", "exp": NOW + 60}
ISSUER_KEY = with_members(private("rsa"), kid="idp-sig", use="sig", alg="RS256")
ATTACKER = with_members(other_private("p256"), kid="idp-sig")
CLIENT_ENC = with_members(other_private("rsa"), kid="client-enc", use="enc")
SIGNING_KEYS = JWKSet([ISSUER_KEY.public()])


def _decode(token: str, **options: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"issuer": "https://idp.example", "audience": "client", "now": NOW}
    arguments.update(options)
    return jwt.decode(token, SIGNING_KEYS, **arguments)


def _encrypt(plaintext: bytes | str, cty: object = "JWT") -> str:
    header = {} if cty is None else {"cty": cty}
    return jwe.encrypt_compact(
        plaintext, CLIENT_ENC.public(), alg="RSA-OAEP-256", enc="A256GCM", header=header
    )


# -- A JWE handed to a JWS/JWT verify API, and vice versa ----------------------------------


def test_claims_encrypted_to_the_verifiers_public_key_are_not_verified() -> None:
    # Anyone can encrypt to a public key: a JWE is never "verified" by a signing API.
    token = _encrypt(json.dumps(CLAIMS))
    with pytest.raises(MalformedError, match="JWE"):
        jws.verify_compact(token, CLIENT_ENC.public())
    with pytest.raises(MalformedError, match="decryption_key"):
        _decode(token)
    with pytest.raises(MalformedError):
        jwt.decode(token, CLIENT_ENC.public(), audience="client", now=NOW)


def test_jws_handed_to_jwe_decrypt() -> None:
    token = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256")
    with pytest.raises(MalformedError):
        jwe.decrypt_compact(token, CLIENT_ENC)


def test_plain_jws_when_a_nested_jwt_is_expected() -> None:
    token = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256")
    with pytest.raises(MalformedError, match="encrypted"):
        _decode(token, decryption_key=CLIENT_ENC)


# -- Nested JWTs: the inner token must be signed by a known key -----------------------------


def test_inner_token_unsigned() -> None:
    inner = forge({"alg": "none"}, json.dumps(CLAIMS).encode(), None)
    with pytest.raises(AlgorithmNotAllowedError):
        _decode(_encrypt(inner), decryption_key=CLIENT_ENC)


def test_inner_token_with_an_empty_signature() -> None:
    inner = forge({"alg": "RS256", "kid": "idp-sig"}, json.dumps(CLAIMS).encode(), None)
    with pytest.raises(InvalidSignatureError):
        _decode(_encrypt(inner), decryption_key=CLIENT_ENC)


def test_inner_token_signed_by_an_unknown_key() -> None:
    stranger = with_members(other_private("rsa"), kid="someone")
    inner = jwt.encode(CLAIMS, stranger, alg="RS256")
    with pytest.raises(KeyNotFoundError):
        _decode(_encrypt(inner), decryption_key=CLIENT_ENC)
    impostor = jwt.encode(CLAIMS, with_members(other_private("rsa"), kid="idp-sig"), alg="RS256")
    with pytest.raises(InvalidSignatureError):
        _decode(_encrypt(impostor), decryption_key=CLIENT_ENC)
    # Same kid, another key type: the ES256 signature finds no ES256 key.
    with pytest.raises(KeyNotFoundError):
        _decode(_encrypt(jwt.encode(CLAIMS, ATTACKER, alg="ES256")), decryption_key=CLIENT_ENC)


def test_inner_token_carrying_its_own_key() -> None:
    attacker = other_private("rsa")
    header = {"alg": "RS256", "typ": "JWT", "jwk": attacker.public().to_dict()}
    inner = forge(header, json.dumps(CLAIMS).encode(), attacker)
    with pytest.raises(InvalidSignatureError):
        _decode(_encrypt(inner), decryption_key=CLIENT_ENC)


def test_inner_content_is_the_claims_not_a_jws() -> None:
    with pytest.raises(MalformedError):
        _decode(_encrypt(json.dumps(CLAIMS)), decryption_key=CLIENT_ENC)
    with pytest.raises(MalformedError):
        _decode(_encrypt(json.dumps(CLAIMS), cty=None), decryption_key=CLIENT_ENC)
    with pytest.raises(MalformedError):
        _decode(_encrypt(b"\xff\xfe.a.b"), decryption_key=CLIENT_ENC)


def test_nesting_deeper_than_two() -> None:
    inner = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256")
    token = _encrypt(_encrypt(inner))
    with pytest.raises(LimitExceededError):
        _decode(token, decryption_key=CLIENT_ENC)
    with pytest.raises(LimitExceededError):
        _decode(_encrypt(token), decryption_key=CLIENT_ENC)


@pytest.mark.parametrize("cty", ["JWT", "jwt", "application/jwt", "APPLICATION/JWT"])
def test_cty_variants_accepted(cty: str) -> None:
    inner = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256")
    assert _decode(_encrypt(inner, cty), decryption_key=CLIENT_ENC) == CLAIMS


@pytest.mark.parametrize(
    "cty", [None, "", "JWS", "JOSE", "application/json", "text/jwt", "JWT ; x", 1, ["JWT"]]
)
def test_cty_variants_refused(cty: object) -> None:
    inner = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256")
    with pytest.raises(MalformedError):
        _decode(_encrypt(inner, cty), decryption_key=CLIENT_ENC)


# -- typ confusion --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token_typ", "required"),
    [("JWT", "at+jwt"), (None, "at+jwt"), ("logout+jwt", "JWT"), ("at+jwt", "jwt")],
)
def test_typ_confusion(token_typ: str | None, required: str) -> None:
    header: dict[str, Any] = {"typ": token_typ}
    token = forge(
        {"alg": "RS256", "kid": "idp-sig", **header}
        if token_typ
        else {"alg": "RS256", "kid": "idp-sig"},
        json.dumps(CLAIMS).encode(),
        ISSUER_KEY,
    )
    with pytest.raises(MalformedError, match="typ"):
        _decode(token, typ=required)


def test_typ_compared_as_media_type() -> None:
    token = jwt.encode(CLAIMS, ISSUER_KEY, alg="RS256", header={"typ": "application/AT+JWT"})
    assert _decode(token, typ="at+jwt") == CLAIMS


# -- Claims -------------------------------------------------------------------------------


def _signed(claims_text: bytes) -> str:
    return jws.sign_compact(claims_text, ISSUER_KEY, alg="RS256", header={"typ": "JWT"})


@pytest.mark.parametrize(
    "iss", ["https://idp.example/", "https://IDP.example", "idp.example", " https://idp.example"]
)
def test_issuer_compared_exactly(iss: str) -> None:
    with pytest.raises(IssuerError):
        _decode(jwt.encode({**CLAIMS, "iss": iss}, ISSUER_KEY, alg="RS256"))


@pytest.mark.parametrize("aud", ["Client", "client ", ["other"], []])
def test_audience_compared_exactly(aud: object) -> None:
    with pytest.raises(AudienceError):
        _decode(jwt.encode({**CLAIMS, "aud": aud}, ISSUER_KEY, alg="RS256"))


@pytest.mark.parametrize("aud", [1, True, None, {"client": 1}, ["client", 2], [["client"]]])
def test_audience_of_the_wrong_type(aud: object) -> None:
    text = json.dumps({**CLAIMS, "aud": aud}).encode()
    with pytest.raises(AudienceError):
        _decode(_signed(text))


def test_audience_expected_but_missing() -> None:
    claims = {k: v for k, v in CLAIMS.items() if k != "aud"}
    with pytest.raises(MissingClaimError):
        _decode(jwt.encode(claims, ISSUER_KEY, alg="RS256"))


@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", ["true", "false", '"1700000060"', "null", "[1]", "{}"])
def test_numeric_dates_of_the_wrong_type(name: str, value: str) -> None:
    claims = {**CLAIMS, name: 0}
    text = json.dumps(claims).replace(f'"{name}": 0', f'"{name}": {value}').encode()
    assert value.encode() in text
    with raises_exactly(ClaimError):
        _decode(_signed(text))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "1" * 100])
def test_numeric_dates_not_finite(value: str) -> None:
    text = ('{"iss":"https://idp.example","aud":"client","exp":' + value + "}").encode()
    with pytest.raises(MalformedError):
        _decode(_signed(text))


@pytest.mark.parametrize(
    "text",
    [
        b'{"iss":"https://idp.example","aud":"client","exp":1700000060,"exp":1}',
        b'{"iss":"https://evil.example","\\u0069ss":"https://idp.example","aud":"client"}',
        b'{"aud":"client","aud":"client","iss":"https://idp.example","exp":1700000060}',
    ],
)
def test_duplicate_claim_names(text: bytes) -> None:
    with pytest.raises(MalformedError, match="duplicate"):
        _decode(_signed(text))


def test_claims_nested_too_deep() -> None:
    text = b'{"exp":1700000060,"x":' + b"[" * 100 + b"]" * 100 + b"}"
    with pytest.raises(LimitExceededError):
        _decode(_signed(text), issuer=None, audience=None)


def test_claims_must_be_an_object() -> None:
    for text in (b"[]", b'"claims"', b"42"):
        with pytest.raises(MalformedError):
            _decode(_signed(text))


def test_oct_keyed_jwt_is_not_a_stand_in_for_rsa() -> None:
    # An HS256 JWT MACed with the issuer's PEM public key: the RSA key set never keys an HMAC.
    pem = ISSUER_KEY.to_pem()
    token = forge({"alg": "HS256", "kid": "idp-sig"}, json.dumps(CLAIMS).encode(), pem, "HS256")
    with pytest.raises(KeyNotFoundError):
        _decode(token)
    with pytest.raises(KeyNotFoundError):
        _decode(token, algorithms=["HS256"])
    single: JWK = ISSUER_KEY.public()
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(token, single, audience="client", now=NOW)
