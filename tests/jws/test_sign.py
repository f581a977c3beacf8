"""RFC 7515 s5.1 - signing one signature: key binding and header rules."""

from __future__ import annotations

import base64

import pytest

from jose_ref import JWKSet, jws
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jws import sign
from tests.jws.keys import private, with_members


def test_public_key_cannot_sign() -> None:
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"x", private("rsa").public(), alg="RS256")


@pytest.mark.parametrize(
    ("alg", "key_name"),
    [("HS256", "rsa"), ("RS256", "oct256"), ("ES256", "p384"), ("EdDSA", "p256")],
)
def test_wrong_key_type(alg: str, key_name: str) -> None:
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"x", private(key_name), alg=alg)


def test_none_never_signs() -> None:
    with pytest.raises(AlgorithmNotAllowedError):
        jws.sign_compact(b"x", private("oct256"), alg="none")


def test_unknown_alg() -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        jws.sign_compact(b"x", private("oct256"), alg="HS257")


def test_key_bound_to_another_alg() -> None:
    key = with_members(private("rsa"), alg="RS256")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.sign_compact(b"x", key, alg="PS256")


def test_key_for_encryption_cannot_sign() -> None:
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"x", with_members(private("rsa"), use="enc"), alg="RS256")
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"x", with_members(private("rsa"), key_ops=["verify"]), alg="RS256")


def test_short_hmac_key() -> None:
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"x", private("oct256"), alg="HS512")


def test_key_set_cannot_sign() -> None:
    with pytest.raises(InvalidKeyError):
        sign.sign_encoded(b"x", JWKSet([private("oct256")]), "eyJhbGciOiJIUzI1NiJ9")  # type: ignore[arg-type]


@pytest.mark.parametrize("payload", [1, None, ["x"], "\ud800"])
def test_payload_type(payload: object) -> None:
    with pytest.raises(MalformedError):
        jws.sign_compact(payload, private("oct256"), alg="HS256")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "extra",
    [
        {"x": object()},
        {"x": float("nan")},
        {"crit": "b64"},
        {"crit": ["x"]},
        {"crit": ["alg"]},
        {"b64": "no"},
    ],
)
def test_bad_header(extra: dict[str, object]) -> None:
    with pytest.raises(MalformedError):
        jws.sign_compact(b"x", private("oct256"), alg="HS256", header=extra)


def test_declared_extension_may_be_critical() -> None:
    token = jws.sign_compact(
        b"x", private("oct256"), alg="HS256", header={"x-ext": 1, "crit": ["x-ext"]}
    )
    assert jws.verify_compact(token, private("oct256"), critical=["x-ext"]).header["x-ext"] == 1


def test_b64_is_added_to_existing_crit() -> None:
    protected = sign.protected_header(
        "HS256", private("oct256"), {"x-ext": 1, "crit": ["x-ext"], "b64": False}, detached=False
    )
    encoded = sign.encode_header(protected)
    decoded = base64.urlsafe_b64decode(encoded + "==")
    assert b'"crit":["x-ext","b64"]' in decoded


def test_sign_encoded_keeps_the_header_bytes() -> None:
    # {"alg": "HS256"} with a space: the signing input keeps the bytes as given.
    encoded = base64.urlsafe_b64encode(b'{"alg": "HS256"}').rstrip(b"=").decode()
    signed = sign.sign_encoded(b"x", private("oct256"), encoded)
    assert signed.encoded_protected_header == encoded
    token = f"{encoded}.{signed.payload_segment}.{signed.signature}"
    assert jws.verify_compact(token, private("oct256")).payload == b"x"


def test_empty_header_encodes_to_nothing() -> None:
    assert sign.encode_header({}) == ""
