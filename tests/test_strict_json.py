"""strict_json.loads_object: one UTF-8 JSON object, nothing lenient (SECURITY.md pitfalls)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jose_ref import strict_json
from jose_ref.errors import LimitExceededError, MalformedError

BIG = 10**7


def load(data: Any, *, max_bytes: int = BIG, max_depth: int = 32, **kwargs: Any) -> Any:
    return strict_json.loads_object(
        data, what="JWS Protected Header", max_bytes=max_bytes, max_depth=max_depth, **kwargs
    )


def malformed(data: Any, **kwargs: Any) -> str:
    with pytest.raises(MalformedError) as info:
        load(data, **kwargs)
    assert type(info.value) is MalformedError
    message = str(info.value)
    assert message.startswith("JWS Protected Header:")
    return message


def limit_exceeded(data: Any, **kwargs: Any) -> LimitExceededError:
    with pytest.raises(LimitExceededError) as info:
        load(data, **kwargs)
    assert type(info.value) is LimitExceededError
    return info.value


def nested(depth: int) -> str:
    """An object at depth 1 holding arrays down to `depth` levels in all."""
    if depth == 1:
        return '{"a":1}'
    return '{"a":' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


# -- accepted --------------------------------------------------------------------------------


def test_plain_object_from_bytes_and_str() -> None:
    text = '{"alg":"HS256","typ":"JWT","n":[1,2.5,-3,true,false,null,{"x":"y"}]}'
    assert load(text) == json.loads(text)
    assert load(text.encode("utf-8")) == json.loads(text)


def test_utf8_text_is_decoded() -> None:
    assert load('{"kid":"clé €𝄞"}'.encode()) == {"kid": "clé €𝄞"}


def test_escapes_are_processed() -> None:
    assert load(b'{"\\u0061lg":"\\u00e9\\n"}') == {"alg": "é\n"}


def test_whitespace_around_the_object_is_json() -> None:
    # RFC 8259 s2: insignificant whitespace is allowed before and after any token.
    assert load(b' \t\r\n{ "a" : 1 } \n') == {"a": 1}


def test_large_but_finite_numbers() -> None:
    assert load(b'{"a":1e308,"b":-1e-999,"c":9007199254740993}') == {
        "a": 1e308,
        "b": -0.0,
        "c": 9007199254740993,
    }


# -- duplicates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'{"alg":"HS256","alg":"none"}',
        b'{"alg":"HS256","\\u0061lg":"none"}',
        b'{"\\u0061\\u006c\\u0067":1,"alg":2}',
        b'{"a":{"b":1,"b":2}}',
        b'{"a":[{"b":1,"\\u0062":2}]}',
        b'{"alg":"HS256","alg":"HS256"}',
    ],
)
def test_duplicate_member_names(data: bytes) -> None:
    assert "duplicate" in malformed(data)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'{"a":1,"b":2,"b":3,"a":4}', "b"),  # the first name to repeat, in text order
        (b'{"x":1,"y":2,"z":3,"y":4,"x":5}', "y"),
        (b'{"k":{"n":1,"m":2,"n":3}}', "n"),
    ],
)
def test_duplicate_message_names_the_first_repeat(data: bytes, name: str) -> None:
    assert f"duplicate member name '{name}' (RFC 7515 s4)" in malformed(data)


def test_keys_differing_only_in_case_are_distinct() -> None:
    assert load(b'{"alg":1,"Alg":2}') == {"alg": 1, "Alg": 2}


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b'{"a":-Infinity}',
        b'{"a":1e999}',
        b'{"a":-1e999}',
        b'{"a":[1E400]}',
        b'{"a":1' + b"0" * 400 + b".0}",
        b'{"a":' + b"9" * 5000 + b"}",
        b'{"a":-' + b"9" * 5000 + b"}",
        b'{"a":' + b"1" * 4301 + b"}",
    ],
)
def test_non_finite_and_overlong_numbers(data: bytes) -> None:
    malformed(data)


# -- nesting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000 + "]" * 100_000,
        "[" * 100_000,
        '{"a":' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"a":' + '{"a":' * 100_000 + "1" + "}" * 100_001,
    ],
)
def test_100000_deep_nesting_is_a_limit_not_a_recursion_error(data: str) -> None:
    exc = limit_exceeded(data)
    assert exc.limit == "max_json_depth"
    assert exc.maximum == 32
    assert exc.actual > 32


def test_deep_nesting_with_a_generous_depth_bound_is_still_a_jose_error() -> None:
    # Even when the caller allows a huge depth, Python's recursion limit never escapes.
    data = '{"a":' + "[" * 100_000 + "]" * 100_000 + "}"
    malformed(data, max_depth=10**6)


@pytest.mark.parametrize("max_depth", [1, 2, 8, 32, 64])
def test_depth_bound_accepts_at_the_limit_and_refuses_one_over(max_depth: int) -> None:
    assert load(nested(max_depth), max_depth=max_depth) == json.loads(nested(max_depth))
    exc = limit_exceeded(nested(max_depth + 1), max_depth=max_depth)
    assert (exc.limit, exc.maximum) == ("max_json_depth", max_depth)
    assert exc.actual == max_depth + 1


@given(depth=st.integers(1, 80), max_depth=st.integers(1, 80))
def test_accepts_iff_within_depth(depth: int, max_depth: int) -> None:
    if depth <= max_depth:
        load(nested(depth), max_depth=max_depth)
    else:
        exc = limit_exceeded(nested(depth), max_depth=max_depth)
        assert exc.maximum == max_depth


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    data = '{"a":"' + "[{" * 500 + '\\"[[[","b":["]]]]"]}'
    assert load(data, max_depth=2)["b"] == ["]]]]"]


def test_depth_limit_name_is_reported() -> None:
    exc = limit_exceeded(nested(10), max_depth=5, depth_limit="max_claims_depth")
    assert exc.limit == "max_claims_depth"


# -- size ------------------------------------------------------------------------------------


def test_size_limit_attributes() -> None:
    data = b'{"a":"' + b"x" * 100 + b'"}'
    exc = limit_exceeded(data, max_bytes=50)
    assert exc.limit == "max_header_bytes"
    assert exc.maximum == 50
    assert exc.actual == len(data)
    assert "x" * 20 not in str(exc)


def test_size_limit_name_is_reported() -> None:
    exc = limit_exceeded(b"{}" * 10, max_bytes=5, size_limit="max_jwks_bytes")
    assert exc.limit == "max_jwks_bytes"


@pytest.mark.parametrize("max_bytes", [2, 7, 100, 8192])
def test_size_bound_accepts_at_the_limit_and_refuses_one_over(max_bytes: int) -> None:
    body = b'{"a":"' + b"x" * max(0, max_bytes - 8) + b'"}'
    data = body if len(body) == max_bytes else b"{}" + b" " * (max_bytes - 2)
    assert len(data) == max_bytes
    load(data, max_bytes=max_bytes)
    exc = limit_exceeded(data + b" ", max_bytes=max_bytes)
    assert exc.actual == max_bytes + 1


@given(size=st.integers(2, 300), max_bytes=st.integers(2, 300))
def test_accepts_iff_within_size(size: int, max_bytes: int) -> None:
    data = b"{}" + b" " * (size - 2)
    if size <= max_bytes:
        assert load(data, max_bytes=max_bytes) == {}
    else:
        exc = limit_exceeded(data, max_bytes=max_bytes)
        assert (exc.maximum, exc.actual) == (max_bytes, size)


def test_size_limit_checked_before_parsing() -> None:
    # Invalid JSON far over the bound: the limit answers first, not the parser.
    exc = limit_exceeded(b"[" * 1_000_000 + b"\xff", max_bytes=8192)
    assert exc.actual == 1_000_001


def test_size_of_text_is_counted_in_utf8_bytes() -> None:
    # max_bytes bounds octets: 30 characters of U+20AC are 90 UTF-8 octets.
    text = '{"a":"' + "€" * 30 + '"}'
    assert len(text) <= 40 < len(text.encode("utf-8"))
    exc = limit_exceeded(text, max_bytes=40)
    assert exc.actual == len(text.encode("utf-8"))


# -- encoding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_bytes_are_refused(codec: str) -> None:
    data = '{"alg":"HS256"}'.encode(codec)
    # Python's json.loads would auto-detect these encodings and accept them.
    assert json.loads(data) == {"alg": "HS256"}
    malformed(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":"\xff"}',
        b'{"a":"\xc0\xaf"}',  # overlong encoding of "/"
        b'{"a":"\xed\xa0\x80"}',  # an encoded UTF-16 surrogate
        b'{"a":"\xe2\x82"}',  # truncated sequence
        b'{"a":"\xf8\x88\x80\x80\x80"}',  # 5-byte form
        b'{"\x80":1}',
    ],
)
def test_invalid_utf8_is_refused(data: bytes) -> None:
    assert "UTF-8" in malformed(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":"\\ud800"}',  # an escaped lone high surrogate
        b'{"a":"\\udc00"}',  # an escaped lone low surrogate
        b'{"a":"\\uDE00\\uD83D"}',  # a pair in the wrong order
        b'{"a":"\\ud83dx"}',  # a high surrogate followed by something else
        b'{"\\ud800":1}',  # in a member name
        b'{"a":{"b":["\\ud800"]}}',  # nested
        '{"a":"\\ud800"}',  # the same escape in str input
    ],
)
def test_escaped_lone_surrogate_is_refused(data: Any) -> None:
    # RFC 8259 s8.2: such a string cannot be encoded as UTF-8 (RFC 7515 s5.2 step 3).
    # The premise, by the stdlib: Python's json decodes it to an unencodable string.
    with pytest.raises(UnicodeEncodeError):
        json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")
    assert "surrogate" in malformed(data)


@pytest.mark.parametrize("data", [b'{"a":"\\ud83d\\ude00"}', '{"a":"\\uD83D\\uDE00"}'])
def test_escaped_surrogate_pair_is_accepted(data: Any) -> None:
    # A high + low surrogate escape pair is one character, U+1F600 (RFC 8259 s7).
    assert load(data) == {"a": "\U0001f600"}
    assert load(data) == json.loads(data)


def test_literal_lone_surrogate_in_str_input_is_refused() -> None:
    # A Python str can hold an unpaired surrogate that no UTF-8 text can: it is not
    # "one UTF-8 JSON object" either, and must not reach the header getters.
    malformed('{"a":"\ud800"}')


@pytest.mark.parametrize("data", [b'\xef\xbb\xbf{"a":1}', '\ufeff{"a":1}'])
def test_byte_order_mark_is_refused(data: Any) -> None:
    malformed(data)


# -- structure -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"[]", b"null", b"1", b'"s"', b"true", b"false", b"1.5", b'[{"a":1}]']
)
def test_top_level_must_be_an_object(data: bytes) -> None:
    assert "object" in malformed(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":1}x',
        b'{"a":1}{}',
        b'{"a":1}\x00',
        b'{"a":1},',
        b'{"a":1}]',
        b'{"a":1} {"b":2}',
    ],
)
def test_trailing_data_is_refused(data: bytes) -> None:
    malformed(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b" ",
        b"{",
        b'{"a":1,}',
        b'{"a":[1,]}',
        b"{'a':1}",
        b"{a:1}",
        b'{"a":"\x01"}',
        b'{"a":01}',
        b'{"a":+1}',
        b'{"a":.5}',
        b'{"a":0x10}',
        b'{"a":"x" /* c */}',
        b'{"a":"\\x41"}',
        b'{"a":True}',
    ],
)
def test_invalid_json_is_malformed(data: bytes) -> None:
    malformed(data)


def test_messages_do_not_echo_the_input() -> None:
    secret = "c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NTY3ODk"
    for data in (
        '{"k":"' + secret + '",,}',
        '{"k":"' + secret + '"}' + "x",
        '["' + secret + '"]',
    ):
        assert secret not in malformed(data)


# -- dumps -----------------------------------------------------------------------------------


def test_dumps_is_compact_utf8() -> None:
    assert strict_json.dumps({"alg": "HS256", "kid": "é"}) == '{"alg":"HS256","kid":"é"}'.encode()


def test_dumps_refuses_non_finite_numbers() -> None:
    with pytest.raises(MalformedError) as info:
        strict_json.dumps({"a": float("nan")})
    assert type(info.value) is MalformedError
