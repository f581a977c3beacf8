"""Strict base64url (RFC 7515 s2, Appendix C) and strict standard base64 (x5c).

Expected values come from Python's base64 module, used as an independent
oracle: a text is canonical exactly when it uses the alphabet, has a length
that is not 1 mod 4, and re-encoding what it decodes to gives it back.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jose_ref import b64url
from jose_ref.errors import MalformedError

URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
STD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def reference_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def reference_is_canonical(text: str) -> bool:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        return False
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return reference_encode(data) == text


def raises_malformed(func: Any, *args: Any, **kwargs: Any) -> MalformedError:
    with pytest.raises(MalformedError) as info:
        func(*args, **kwargs)
    assert type(info.value) is MalformedError
    return info.value


# -- encode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        # RFC 4648 s10 test vectors, padding removed (RFC 7515 s2).
        (b"", ""),
        (b"f", "Zg"),
        (b"fo", "Zm8"),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg"),
        (b"fooba", "Zm9vYmE"),
        (b"foobar", "Zm9vYmFy"),
        # RFC 7515 Appendix C: the octets 3, 236, 255, 224, 193.
        (bytes([3, 236, 255, 224, 193]), "A-z_4ME"),
    ],
)
def test_published_examples(data: bytes, text: str) -> None:
    assert b64url.encode(data) == text.encode("ascii")
    assert b64url.encode_text(data) == text
    assert b64url.decode(text) == data
    assert b64url.decode(text.encode("ascii")) == data


@given(st.binary(max_size=200))
def test_round_trip(data: bytes) -> None:
    text = b64url.encode_text(data)
    assert text == reference_encode(data)
    assert "=" not in text
    assert b64url.decode(text) == data
    assert b64url.decode(b64url.encode(data)) == data


@given(st.text(alphabet=URL_ALPHABET, max_size=40))
@example("QQ")
@example("QR")
@example("QUE")
@example("QUF")
@example("Q")
def test_canonical_iff_reference(text: str) -> None:
    if reference_is_canonical(text):
        data = b64url.decode(text)
        assert b64url.encode_text(data) == text
        assert data == base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    else:
        raises_malformed(b64url.decode, text)


@given(st.text(max_size=30))
def test_any_text_is_canonical_or_malformed(text: str) -> None:
    # For any text accepted by decode, encode(decode(t)) == t; nothing else escapes.
    try:
        data = b64url.decode(text)
    except MalformedError as exc:
        assert type(exc) is MalformedError
        assert not reference_is_canonical(text)
    else:
        assert b64url.encode_text(data) == text


# -- decode: refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "QQ==",  # padding
        "QQ=",
        "Zm9v=",
        "=",
        "a+bc",  # standard alphabet
        "a/bc",
        "ab c",  # space
        " abc",
        "abc\n",  # newline, also at the end (no "$" matching before a newline)
        "ab\r\ncd",
        "ab\tc",
        "ab\x00c",  # NUL
        "abcé",  # non-ASCII
        "ab\u0660c",  # ARABIC-INDIC DIGIT ZERO: a Unicode digit, not an ASCII one
        "ａｂｃｄ",  # fullwidth letters
        "ab.c",
        "ab%2B",
    ],
)
def test_refuses_characters_outside_the_alphabet(text: str) -> None:
    exc = raises_malformed(b64url.decode, text, what="JWS signature")
    assert str(exc).startswith("JWS signature:")


@pytest.mark.parametrize("length", [1, 5, 9, 13, 401])
def test_refuses_length_one_mod_four(length: int) -> None:
    raises_malformed(b64url.decode, "A" * length)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("QR", "QQ"),  # b"A": the last character carries 4 unused bits
        ("QX", "QQ"),
        ("Q_", "Qw"),  # b"C"
        ("QUF", "QUE"),  # b"AA": 2 unused bits
        ("QUH", "QUE"),
        ("Zm9vYmF", "Zm9vYmE"),
        ("AB", "AA"),
    ],
)
def test_refuses_non_canonical_tails(text: str, canonical: str) -> None:
    # Python alone decodes both spellings to the same bytes: that is the ambiguity refused.
    lenient = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    assert lenient == base64.urlsafe_b64decode(canonical + "=" * (-len(canonical) % 4))
    assert b64url.decode(canonical) == lenient
    raises_malformed(b64url.decode, text)


@pytest.mark.parametrize("value", [None, 1, 1.5, ["QQ"], {"a": 1}, bytearray(b"QQ"), True])
def test_refuses_non_str_input(value: Any) -> None:
    exc = raises_malformed(b64url.decode, value, what="kid")
    assert "kid" in str(exc)


@pytest.mark.parametrize("value", [b"Q\xc3\xa9Q", b"\xff\xff", b"QQ\x80"])
def test_refuses_non_ascii_bytes(value: bytes) -> None:
    raises_malformed(b64url.decode, value)


def test_bytes_input_is_checked_like_text() -> None:
    assert b64url.decode(b"QQ") == b"A"
    raises_malformed(b64url.decode, b"QQ==")
    raises_malformed(b64url.decode, b"QR")
    raises_malformed(b64url.decode, b"Q+==")


def test_empty_text_is_the_empty_octet_string() -> None:
    assert b64url.decode("") == b""
    assert b64url.encode(b"") == b""


def test_message_does_not_echo_the_input() -> None:
    secret = "c2VjcmV0LWtleS1tYXRlcmlhbA" + "+"
    exc = raises_malformed(b64url.decode, secret, what="k")
    assert secret not in str(exc)
    assert "c2VjcmV0" not in str(exc)


# -- decode_std (x5c: RFC 7517 s4.7, padded standard base64) -------------------------------------


@given(st.binary(max_size=200))
def test_std_round_trip(data: bytes) -> None:
    text = b64url.encode_std(data)
    assert text == base64.b64encode(data).decode("ascii")
    assert b64url.decode_std(text) == data


@given(st.text(alphabet=STD_ALPHABET + "=", max_size=24))
@example("QQ==")
@example("QR==")
@example("QUE=")
@example("QUF=")
def test_std_canonical_iff_reference(text: str) -> None:
    try:
        reference = base64.b64decode(text, validate=True)
        canonical = base64.b64encode(reference).decode("ascii") == text
    except ValueError:
        canonical = False
    if canonical:
        assert b64url.decode_std(text) == reference
    else:
        raises_malformed(b64url.decode_std, text)


@pytest.mark.parametrize(
    "text",
    [
        "QQ",  # padding required
        "QUE",
        "QQ=",
        "QQ===",
        "=QQ=",
        "QR==",  # non-canonical: unused bits set
        "QUF=",
        "-_8=",  # the base64url alphabet is refused
        "ab-_",
        "MIIB-_AA",
        "QQ== ",
        " QQ==",
        "QQ==\n",
        "QU\nE=",
        "QQ\x00=",
        "QUé=",
        "Q",
        "QUJD=",
    ],
)
def test_std_refusals(text: str) -> None:
    raises_malformed(b64url.decode_std, text, what="x5c[0]")


@pytest.mark.parametrize("value", [None, b"QQ==", 5, ["QQ=="]])
def test_std_refuses_non_str(value: Any) -> None:
    raises_malformed(b64url.decode_std, value)


def test_std_published_examples() -> None:
    # RFC 4648 s10.
    assert b64url.decode_std("Zm9vYg==") == b"foob"
    assert b64url.decode_std("Zm9vYmE=") == b"fooba"
    assert b64url.decode_std("Zm9vYmFy") == b"foobar"
    assert b64url.decode_std("") == b""


def _outcome(call: Callable[[], bytes]) -> tuple[str, object]:
    try:
        return "ok", call()
    except MalformedError as error:
        return "error", str(error)


_LONG = b64url.encode_text(bytes(range(256)) * 700)  # about 239,000 characters


@pytest.mark.parametrize(
    "text",
    [
        _LONG,
        _LONG[:-1],  # a length of 1 mod 4 ... or a non-canonical last character
        _LONG[:-2],
        _LONG[:-3],
        _LONG + "B",
        _LONG[:100_000] + "=" + _LONG[100_001:],  # an invalid character in a middle piece
        _LONG[:-5] + "+" + _LONG[-4:],  # one in the tail pieces
        _LONG[:70_000] + "é" + _LONG[70_000:],  # non-ASCII
        _LONG[:50_000] + "~" + _LONG[50_000:-4] + "A",  # a bad character and length: the character
        "A" * 70_001,  # only a bad length
    ],
)
def test_decode_span_is_decode_of_the_slice(text: str) -> None:
    # Decoded in pieces into one buffer, a long span gives what decoding its slice gives.
    token = "abc." + text + ".def"
    start, end = 4, 4 + len(text)
    assert _outcome(lambda: b64url.decode_span(token, start, end, what="part")) == _outcome(
        lambda: b64url.decode(token[start:end], what="part")
    )
