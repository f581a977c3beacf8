"""RFC 7519 s7 - jwt.encode / jwt.decode for signed JWTs."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from jose_ref import JWKSet, jws, jwt
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidSignatureError,
    MalformedError,
    MissingClaimError,
)
from tests.jws.keys import CASES, private, public, with_members

NOW = 1_700_000_000
ISSUER = "https://issuer.example"
CLAIMS: dict[str, Any] = {
    "iss": "https://issuer.example",
    "sub": "user",
    "aud": "client",
    "exp": NOW + 60,
}


def _header(token: str) -> dict[str, object]:
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    return decoded


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_round_trip(alg: str, key_name: str) -> None:
    key = private(key_name)
    token = jwt.encode(CLAIMS, key, alg=alg)
    decoded = jwt.decode(token, public(key), audience="client", issuer=ISSUER, now=NOW)
    assert decoded == CLAIMS


def test_header_is_typed_and_names_the_kid() -> None:
    key = with_members(private("rsa"), kid="sig-2024")
    token = jwt.encode(CLAIMS, key, alg="RS256")
    assert _header(token) == {"alg": "RS256", "kid": "sig-2024", "typ": "JWT"}
    token = jwt.encode(CLAIMS, key, alg="RS256", header={"typ": "at+jwt", "x": 1})
    assert _header(token) == {"alg": "RS256", "kid": "sig-2024", "typ": "at+jwt", "x": 1}


def test_decode_complete() -> None:
    key = with_members(private("p256"), kid="k")
    token = jwt.encode(CLAIMS, key, alg="ES256")
    decoded = jwt.decode_complete(token.encode(), JWKSet([public(key)]), audience="client", now=NOW)
    assert decoded.claims == CLAIMS
    assert decoded.header["typ"] == "JWT"
    assert decoded.key.kid == "k"
    assert decoded.encryption_header is None


def test_exp_required_by_default() -> None:
    key = private("oct256")
    token = jwt.encode({"sub": "a"}, key, alg="HS256")
    with pytest.raises(MissingClaimError):
        jwt.decode(token, key)
    assert jwt.decode(token, key, require=()) == {"sub": "a"}


def test_required_typ() -> None:
    key = private("oct256")
    token = jwt.encode(CLAIMS, key, alg="HS256", header={"typ": "at+jwt"})
    assert jwt.decode(token, key, typ="application/at+JWT", audience="client", now=NOW)
    with pytest.raises(MalformedError, match="typ"):
        jwt.decode(token, key, typ="JWT", audience="client", now=NOW)


def test_allow_set_applies() -> None:
    key = private("rsa")
    token = jwt.encode(CLAIMS, key, alg="PS256")
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(token, public(key), algorithms=["RS256"], audience="client", now=NOW)


def test_signature_checked_before_claims() -> None:
    key = private("oct256")
    token = jwt.encode({"exp": 1}, key, alg="HS256")
    with pytest.raises(InvalidSignatureError):
        jwt.decode(token[:-2] + ("AA" if token[-2:] != "AA" else "BA"), key)


def test_signed_jwt_inside_a_jws_is_refused() -> None:
    key = private("oct256")
    inner = jwt.encode(CLAIMS, key, alg="HS256")
    outer = jws.sign_compact(inner, key, alg="HS256", header={"cty": "JWT"})
    with pytest.raises(MalformedError, match="cty"):
        jwt.decode(outer, key, audience="client", now=NOW)


def test_payload_must_be_a_claims_object() -> None:
    key = private("oct256")
    for payload in (b"[]", b"not json", b'{"exp":1,"exp":2}'):
        with pytest.raises(MalformedError):
            jwt.decode(jws.sign_compact(payload, key, alg="HS256"), key)


def test_encryption_arguments_need_an_encryption_key() -> None:
    with pytest.raises(TypeError):
        jwt.encode(CLAIMS, private("oct256"), alg="HS256", encryption="A256GCM")
    with pytest.raises(TypeError):
        jwt.encode(CLAIMS, private("oct256"), alg="HS256", encryption_key=private("oct256"))
