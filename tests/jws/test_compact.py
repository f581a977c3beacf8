"""RFC 7515 s7.1 - jws.sign_compact / jws.verify_compact, and the compact parse."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest

from jose_ref import JWKSet, Limits, jws
from jose_ref.errors import (
    InvalidSignatureError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jws import compact
from tests.jws.keys import CASES, private, public, with_members


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _header_of(token: str) -> dict[str, object]:
    encoded = token.split(".")[0]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(encoded + "=="))
    return decoded


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_round_trip_every_algorithm(alg: str, key_name: str) -> None:
    key = private(key_name)
    token = jws.sign_compact(b"payload \x00\xff", key, alg=alg)
    verified = jws.verify_compact(token, public(key))
    assert verified.payload == b"payload \x00\xff"
    assert verified.header == {"alg": alg}
    assert verified.signature_index == 0


def test_str_payload_is_utf8_and_bytes_token_accepted() -> None:
    key = private("oct256")
    token = jws.sign_compact("Grüße", key, alg="HS256")
    assert jws.verify_compact(token.encode("ascii"), key).payload == "Grüße".encode()


def test_the_result_is_immutable() -> None:
    key = private("oct256")
    verified = jws.verify_compact(jws.sign_compact(b"signed", key, alg="HS256"), key)
    assert (verified.payload, verified.header, verified.signature_index) == (
        b"signed",
        {"alg": "HS256"},
        0,
    )
    with pytest.raises(AttributeError):
        verified.payload = b"changed"  # type: ignore[misc]
    assert verified.payload == b"signed"


def test_header_members_and_kid_are_protected() -> None:
    key = with_members(private("p256"), kid="k-1")
    token = jws.sign_compact(b"x", key, alg="ES256", header={"typ": "example+jws", "x-a": 1})
    assert _header_of(token) == {"alg": "ES256", "kid": "k-1", "typ": "example+jws", "x-a": 1}
    assert jws.verify_compact(token, public(key)).header["typ"] == "example+jws"


def test_header_kid_overrides_key_kid() -> None:
    key = with_members(private("oct256"), kid="k-1")
    token = jws.sign_compact(b"x", key, alg="HS256", header={"kid": "other"})
    assert _header_of(token)["kid"] == "other"


def test_header_alg_must_agree() -> None:
    with pytest.raises(MalformedError):
        jws.sign_compact(b"x", private("oct256"), alg="HS256", header={"alg": "HS512"})


def test_detached_defaults_to_unencoded_payload() -> None:
    key = private("oct256")
    token = jws.sign_compact(b"a.b.c", key, alg="HS256", detached=True)
    encoded_header, payload_segment, _ = token.split(".")
    assert payload_segment == ""
    assert _header_of(token) == {"alg": "HS256", "b64": False, "crit": ["b64"]}
    verified = jws.verify_compact(token, key, payload=b"a.b.c")
    assert verified.payload == b"a.b.c"
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, key, payload=b"a.b.d")
    # Without the content the empty payload is verified, which is not what was signed.
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, key)
    assert encoded_header


def test_detached_with_encoded_payload_rfc7515_appendix_f() -> None:
    key = private("rsa")
    token = jws.sign_compact(b"content", key, alg="RS256", detached=True, header={"b64": True})
    assert _header_of(token) == {"alg": "RS256", "b64": True, "crit": ["b64"]}
    assert token.split(".")[1] == ""
    assert jws.verify_compact(token, public(key), payload=b"content").payload == b"content"


def test_payload_argument_with_attached_payload_is_refused() -> None:
    key = private("oct256")
    token = jws.sign_compact(b"content", key, alg="HS256")
    with pytest.raises(MalformedError):
        jws.verify_compact(token, key, payload=b"content")


def test_unencoded_attached_payload() -> None:
    key = private("oct256")
    token = jws.sign_compact(b"$02 ok", key, alg="HS256", header={"b64": False})
    assert token.split(".")[1] == "$02 ok"
    assert jws.verify_compact(token, key).payload == b"$02 ok"


def test_unencoded_compact_payload_with_period_is_refused_rfc7797_s5_2() -> None:
    with pytest.raises(MalformedError, match="7797"):
        jws.sign_compact(b"$.02", private("oct256"), alg="HS256", header={"b64": False})


def test_unencoded_payload_must_be_utf8() -> None:
    with pytest.raises(MalformedError):
        jws.sign_compact(b"\xff", private("oct256"), alg="HS256", header={"b64": False})


def test_key_set_picks_by_kid() -> None:
    first = with_members(private("rsa"), kid="a")
    second = with_members(private("p256"), kid="b")
    keys = JWKSet([public(first), public(second)])
    verified = jws.verify_compact(jws.sign_compact(b"x", second, alg="ES256"), keys)
    assert verified.key.kid == "b"


@pytest.mark.parametrize(
    "token",
    ["", ".", "..", "...", "....", "a.b", "a.b.c.d", "a.b.c.d.e.f", "abc"],
)
def test_wrong_part_counts(token: str) -> None:
    with pytest.raises(MalformedError):
        jws.verify_compact(token, private("oct256"))


def test_five_parts_is_a_jwe_never_auto_detected() -> None:
    with pytest.raises(MalformedError, match="JWE"):
        jws.verify_compact("eyJhbGciOiJkaXIifQ..aaaa.bbbb.cccc", private("oct256"))


def test_json_serialization_text_refused() -> None:
    document = json.dumps(jws.sign_json(b"x", [(private("oct256"), {"alg": "HS256"})]))
    with pytest.raises(MalformedError, match="verify_json"):
        jws.verify_compact(document, private("oct256"))


def test_size_checked_before_splitting() -> None:
    limits = dataclasses.replace(Limits(), max_token_bytes=100)
    with pytest.raises(LimitExceededError) as info:
        jws.verify_compact("." * 101, private("oct256"), limits=limits)
    assert info.value.limit == "max_token_bytes"
    with pytest.raises(LimitExceededError):
        jws.verify_compact(b"." * 1_000_000, private("oct256"))


@pytest.mark.parametrize("token", [b"\xff.a.b", "\ud800.a.b", 12, None, ["a", "b", "c"]])
def test_not_text(token: object) -> None:
    with pytest.raises(MalformedError):
        jws.verify_compact(token, private("oct256"))  # type: ignore[arg-type]


def test_split_returns_segments() -> None:
    assert compact.split("a.b.c", Limits()) == ("a", "b", "c")


@pytest.mark.parametrize(
    "raw_header",
    [b"[]", b"null", b"1", b'"HS256"', b"{", b'{"alg":"HS256"} x', b"\xff\xfe", b""],
)
def test_header_not_an_object(raw_header: bytes) -> None:
    token = _token(raw_header)
    with pytest.raises(MalformedError):
        jws.verify_compact(token, private("oct256"))


def _token(raw_header: bytes) -> str:
    return ".".join((_b64(raw_header), _b64(b"x"), _b64(b"sig")))


def test_utf16_header_refused() -> None:
    token = _token('{"alg":"HS256"}'.encode("utf-16"))
    with pytest.raises(MalformedError):
        jws.verify_compact(token, private("oct256"))


def test_unknown_algorithm() -> None:
    token = _token(b'{"alg":"XS256"}')
    with pytest.raises(UnsupportedAlgorithmError):
        jws.verify_compact(token, private("oct256"))


def test_detached_payload_argument_types() -> None:
    key = private("oct256")
    token = jws.sign_compact("grüß", key, alg="HS256", detached=True)
    assert jws.verify_compact(token, key, payload="grüß").payload == "grüß".encode()  # type: ignore[arg-type]
    for bad in (1, ["x"], "\ud800"):
        with pytest.raises(MalformedError):
            jws.verify_compact(token, key, payload=bad)  # type: ignore[arg-type]
