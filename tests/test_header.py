"""The JOSE Header: parse_protected, disjoint union, typed getters, crit (RFC 7515 s4, s5.2)."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest

from jose_ref import header
from jose_ref.errors import LimitExceededError, MalformedError
from jose_ref.limits import Limits

LIMITS = Limits()


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def exactly_malformed(func: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(MalformedError) as info:
        func(*args, **kwargs)
    assert type(info.value) is MalformedError
    return str(info.value)


# -- parse_protected ---------------------------------------------------------------------------


def test_parse_protected_rfc7515_a1_header() -> None:
    # RFC 7515 Appendix A.1.1: the encoded header, with its CRLF and spaces, as printed.
    encoded = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    assert header.parse_protected(encoded, LIMITS, "JWS Protected Header") == {
        "typ": "JWT",
        "alg": "HS256",
    }
    assert header.parse_protected(encoded.encode("ascii"), LIMITS, "h") == {
        "typ": "JWT",
        "alg": "HS256",
    }


@pytest.mark.parametrize(
    "encoded",
    [
        b64u(b'{"alg":"HS256"}') + "=",  # padding
        b64u(b'{"alg":"HS256"}') + "==",
        b64u(b'{"alg":"HS256"}')[:-1] + "+",
        "eyJhbGciOiJIUzI1NiJ9".replace("J9", "J/"),
        " " + b64u(b'{"alg":"HS256"}'),
        b64u(b'{"alg":"HS256"}') + "\n",
        b64u(b'{"alg":"HS256"}') + "\x00",
        "é" + b64u(b'{"alg":"HS256"}'),
        "eyJhbGciOiJIUzI1NiJ9A",  # length 1 mod 4
        "eyJhbGciOiJIUzI1NiJ9" + "QR",  # non-canonical tail
    ],
)
def test_parse_protected_bad_base64url(encoded: str) -> None:
    assert exactly_malformed(header.parse_protected, encoded, LIMITS, "JWE Protected Header")


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b"null",
        b"1",
        b'"HS256"',
        b"",
        b'{"alg":"HS256"',
        b'{"alg":"HS256"}x',
        b'{"alg":"HS256","\\u0061lg":"none"}',
        b'{"alg":"HS256","p2c":NaN}',
        '{"alg":"HS256"}'.encode("utf-16"),
        '{"alg":"HS256"}'.encode("utf-16-le"),
        b'{"alg":"\xff"}',
        b'\xef\xbb\xbf{"alg":"HS256"}',
    ],
)
def test_parse_protected_bad_json(raw: bytes) -> None:
    message = exactly_malformed(header.parse_protected, b64u(raw), LIMITS, "JWS Protected Header")
    assert message.startswith("JWS Protected Header")


@pytest.mark.parametrize("value", [None, 123, 1.5, {"alg": "HS256"}, ["eyJ9"]])
def test_parse_protected_non_string_input(value: Any) -> None:
    # A JSON serialization's "protected" member may be any JSON value.
    exactly_malformed(header.parse_protected, value, LIMITS, "protected")


def header_of_size(size: int) -> bytes:
    raw = b'{"alg":"HS256","x":"' + b"a" * (size - 22) + b'"}'
    assert len(raw) == size
    return raw


@pytest.mark.parametrize("maximum", [100, 101, 102, 8192])
def test_parse_protected_accepts_at_the_size_limit_and_refuses_one_over(maximum: int) -> None:
    limits = dataclasses.replace(LIMITS, max_header_bytes=maximum)
    assert header.parse_protected(b64u(header_of_size(maximum)), limits, "h")["alg"] == "HS256"
    with pytest.raises(LimitExceededError) as info:
        header.parse_protected(b64u(header_of_size(maximum + 1)), limits, "h")
    assert type(info.value) is LimitExceededError
    assert info.value.limit == "max_header_bytes"
    assert info.value.maximum == maximum
    assert info.value.actual > maximum


def test_parse_protected_huge_segment_refused_before_decoding() -> None:
    # 8 MB of "A": the encoded length alone exceeds the bound; nothing is decoded.
    with pytest.raises(LimitExceededError) as info:
        header.parse_protected("A" * 8_000_000, LIMITS, "h")
    assert info.value.limit == "max_header_bytes"


def test_parse_protected_huge_invalid_segment_is_a_limit_error() -> None:
    # Even with characters outside the alphabet, the size bound answers first.
    with pytest.raises(LimitExceededError):
        header.parse_protected("+" * 1_000_000, LIMITS, "h")


def test_parse_protected_depth_limit() -> None:
    deep = b'{"alg":"HS256","x":' + b"[" * 40 + b"]" * 40 + b"}"
    with pytest.raises(LimitExceededError) as info:
        header.parse_protected(b64u(deep), LIMITS, "h")
    assert info.value.limit == "max_json_depth"
    ok = b'{"alg":"HS256","x":' + b"[" * 31 + b"]" * 31 + b"}"
    assert header.parse_protected(b64u(ok), LIMITS, "h")["alg"] == "HS256"


# -- join --------------------------------------------------------------------------------------


def test_join_of_disjoint_headers() -> None:
    joined = header.join({"alg": "A128KW"}, {"enc": "A128GCM"}, None, {"kid": "k1"})
    assert joined == {"alg": "A128KW", "enc": "A128GCM", "kid": "k1"}


def test_join_of_nothing() -> None:
    assert header.join() == {}
    assert header.join(None, None) == {}


@pytest.mark.parametrize(
    "headers",
    [
        ({"alg": "HS256"}, {"alg": "HS256"}),
        ({"alg": "HS256"}, {"alg": "none"}),
        ({"alg": "RSA-OAEP", "enc": "A256GCM"}, None, {"kid": "x"}, {"enc": "A128GCM"}),
        ({}, {"kid": "a"}, {"kid": "b"}),
        ({"crit": ["b64"], "b64": False}, {"b64": True}),
    ],
)
def test_join_refuses_a_name_in_two_headers(headers: tuple[Any, ...]) -> None:
    message = exactly_malformed(header.join, *headers)
    assert "RFC 7516 s7.2.1" in message


def test_join_of_the_protected_header_alone_is_that_header() -> None:
    # RFC 7515 s3.1, RFC 7516 s3.1: in a compact serialization the JOSE Header and the
    # protected header are the same; with an unprotected header present, a new dict.
    protected = {"alg": "A128KW", "enc": "A128GCM"}
    assert header.join(protected, None, None) is protected
    assert header.join(protected) is protected
    joined = header.join(protected, {"kid": "k1"}, None)
    assert joined is not protected
    assert joined == {"alg": "A128KW", "enc": "A128GCM", "kid": "k1"}


def test_join_does_not_mutate_inputs() -> None:
    protected = {"alg": "HS256"}
    header.join(protected, {"kid": "k"})
    assert protected == {"alg": "HS256"}


def test_join_names_are_case_sensitive() -> None:
    assert header.join({"alg": "HS256"}, {"Alg": "none"}) == {"alg": "HS256", "Alg": "none"}


# -- typed getters -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False, "1000", 1.0, 1000.0, [1000], {"v": 1}])
def test_get_int_refuses_non_integers(value: Any) -> None:
    message = exactly_malformed(header.get_int, {"p2c": value}, "p2c")
    assert "p2c" in message


@pytest.mark.parametrize("value", [0, 1, 1000, -1, 2**31 - 1, 10**100])
def test_get_int_returns_integers(value: int) -> None:
    # Range checks belong to the caller (PBES2 caps p2c); the getter checks the type.
    assert header.get_int({"p2c": value}, "p2c") == value


def test_get_int_absent_and_required() -> None:
    assert header.get_int({}, "p2c") is None
    assert "p2c" in exactly_malformed(header.get_int, {}, "p2c", required=True)


@pytest.mark.parametrize("value", [["HS256"], 1, True, {"a": 1}, 1.5, b"HS256"])
def test_get_str_refuses_non_strings(value: Any) -> None:
    message = exactly_malformed(header.get_str, {"alg": value}, "alg")
    assert "alg" in message


def test_get_str_returns_strings_verbatim() -> None:
    assert header.get_str({"alg": "HS256"}, "alg") == "HS256"
    assert header.get_str({"alg": "hs256"}, "alg") == "hs256"
    assert header.get_str({"alg": ""}, "alg") == ""


def test_get_str_absent_and_required() -> None:
    assert header.get_str({}, "kid") is None
    assert "alg" in exactly_malformed(header.get_str, {}, "alg", required=True)


def test_get_b64_decodes_strictly() -> None:
    assert header.get_b64({"p2s": "QQ"}, "p2s") == b"A"
    assert header.get_b64({}, "p2s") is None
    for bad in ("QQ==", "QR", "Q", "Q+", 5, ["QQ"]):
        assert "p2s" in exactly_malformed(header.get_b64, {"p2s": bad}, "p2s")
    exactly_malformed(header.get_b64, {}, "iv", required=True)


# -- crit (RFC 7515 s4.1.11) -------------------------------------------------------------------


def test_crit_absent_is_fine() -> None:
    header.check_crit({"alg": "HS256"}, [None, {"kid": "a"}], understood=())


def test_crit_understood_and_present() -> None:
    header.check_crit({"alg": "HS256", "b64": False, "crit": ["b64"]}, [None], understood={"b64"})


@pytest.mark.parametrize(
    ("protected", "understood", "unprotected"),
    [
        # an unknown extension
        ({"alg": "HS256", "exp": 1, "crit": ["exp"]}, {"b64"}, []),
        # empty
        ({"alg": "HS256", "crit": []}, {"b64"}, []),
        # not a list
        ({"alg": "HS256", "b64": False, "crit": "b64"}, {"b64"}, []),
        ({"alg": "HS256", "b64": False, "crit": {"b64": True}}, {"b64"}, []),
        ({"alg": "HS256", "crit": None}, {"b64"}, []),
        ({"alg": "HS256", "crit": True}, {"b64"}, []),
        # non-strings
        ({"alg": "HS256", "b64": False, "crit": ["b64", 1]}, {"b64"}, []),
        ({"alg": "HS256", "crit": [None]}, {"b64"}, []),
        ({"alg": "HS256", "crit": [["b64"]]}, {"b64"}, []),
        # registered names
        ({"alg": "HS256", "crit": ["alg"]}, {"alg", "b64"}, []),
        ({"alg": "HS256", "kid": "k", "crit": ["kid"]}, {"kid"}, []),
        ({"alg": "A128KW", "enc": "A128GCM", "crit": ["enc"]}, {"enc"}, []),
        ({"alg": "HS256", "crit": ["crit"]}, {"crit"}, []),
        # duplicates
        ({"alg": "HS256", "b64": False, "crit": ["b64", "b64"]}, {"b64"}, []),
        # an absent parameter
        ({"alg": "HS256", "crit": ["b64"]}, {"b64"}, []),
        # crit in an unprotected header (also when the protected one has a valid crit)
        ({"alg": "HS256"}, {"b64"}, [{"crit": ["b64"], "b64": False}]),
        ({"alg": "HS256", "b64": False, "crit": ["b64"]}, {"b64"}, [None, {"crit": ["b64"]}]),
    ],
)
def test_crit_refusals(
    protected: dict[str, Any], understood: set[str], unprotected: list[Any]
) -> None:
    message = exactly_malformed(header.check_crit, protected, unprotected, understood)
    assert "crit" in message


def test_crit_names_are_case_sensitive() -> None:
    # "B64" is not "b64": an extension must be understood under its exact name.
    protected = {"alg": "HS256", "B64": False, "crit": ["B64"]}
    exactly_malformed(header.check_crit, protected, [], {"b64"})


def test_crit_message_does_not_echo_huge_names() -> None:
    name = "x" * 5000
    message = exactly_malformed(header.check_crit, {"alg": "HS256", "crit": [name]}, [], set())
    assert len(message) < 300


def test_registered_names_cover_rfc7515_and_rfc7516() -> None:
    # RFC 7515 s4.1 and RFC 7516 s4.1, plus the RFC 7518 s4.6.1 / s4.7.1 / s4.8.1 parameters.
    expected = {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    }  # fmt: skip
    assert expected <= header.REGISTERED
    assert "b64" not in header.REGISTERED


def test_json_round_trip_of_header_values() -> None:
    parsed = header.parse_protected(
        b64u(json.dumps({"alg": "ES256", "p2c": 1}).encode()), LIMITS, "h"
    )
    assert header.get_int(parsed, "p2c") == 1
    assert header.get_str(parsed, "alg") == "ES256"
