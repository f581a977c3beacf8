"""RFC 7519 s7.1-7.2 - the claims set as strict JSON."""

from __future__ import annotations

import dataclasses

import pytest

from jose_ref import Limits
from jose_ref.errors import ClaimError, LimitExceededError, MalformedError
from jose_ref.jwt import claims
from tests.jwk import raises_exactly


def test_parse_and_serialize() -> None:
    data = claims.serialize({"iss": "a", "exp": 1, "x": {"y": [1, 2]}, "é": "ü"})
    assert data == '{"iss":"a","exp":1,"x":{"y":[1,2]},"é":"ü"}'.encode()
    assert claims.parse(data, Limits()) == {"iss": "a", "exp": 1, "x": {"y": [1, 2]}, "é": "ü"}


@pytest.mark.parametrize(
    "payload",
    [
        b"[]",
        b'"x"',
        b"1",
        b"null",
        b'{"a":1,"a":2}',
        b'{"iss":1,"\\u0069ss":2}',
        b"\xff",
        b'{"exp":NaN}',
        b'{"exp":1e999}',
        b'{"a":1} x',
        b"",
    ],
)
def test_parse_refuses(payload: bytes) -> None:
    with pytest.raises(MalformedError):
        claims.parse(payload, Limits())


def test_depth_limit() -> None:
    limits = dataclasses.replace(Limits(), max_claims_depth=3)
    assert claims.parse(b'{"a":{"b":{}}}', limits)
    with pytest.raises(LimitExceededError) as info:
        claims.parse(b'{"a":{"b":{"c":{}}}}', limits)
    assert info.value.limit == "max_claims_depth"


@pytest.mark.parametrize("value", [{"exp": True}, {"nbf": "1"}, {"iat": float("inf")}])
def test_serialize_refuses_bad_dates(value: dict[str, object]) -> None:
    with raises_exactly(ClaimError):
        claims.serialize(value)


@pytest.mark.parametrize("value", [[("a", 1)], {1: "a"}, {"a": object()}, {"a": float("nan")}])
def test_serialize_refuses_non_json(value: object) -> None:
    with pytest.raises(MalformedError):
        claims.serialize(value)  # type: ignore[arg-type]
