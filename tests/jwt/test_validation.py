"""RFC 7519 s4.1 and RFC 8725 s3.11 - registered claims, leeway, typ."""

from __future__ import annotations

from typing import Any

import pytest

from jose_ref.errors import (
    AudienceError,
    ClaimError,
    ExpiredError,
    IssuedInFutureError,
    IssuerError,
    MalformedError,
    MissingClaimError,
    NotYetValidError,
)
from jose_ref.jwt import validation
from tests.jwk import raises_exactly

NOW = 1_700_000_000


def _validate(claims: dict[str, Any], **options: Any) -> None:
    arguments: dict[str, Any] = {
        "issuer": None,
        "audience": None,
        "leeway": 0,
        "now": NOW,
        "require": (),
    }
    arguments.update(options)
    validation.validate(claims, **arguments)


def test_exp_boundary() -> None:
    _validate({"exp": NOW + 1})
    _validate({"exp": NOW + 0.001})
    with pytest.raises(ExpiredError):
        _validate({"exp": NOW})
    with pytest.raises(ExpiredError):
        _validate({"exp": NOW - 10}, leeway=10)
    _validate({"exp": NOW - 10}, leeway=10.5)


def test_nbf_boundary() -> None:
    _validate({"nbf": NOW})
    with pytest.raises(NotYetValidError):
        _validate({"nbf": NOW + 1})
    _validate({"nbf": NOW + 5}, leeway=5)
    with pytest.raises(NotYetValidError):
        _validate({"nbf": NOW + 5.5}, leeway=5)


def test_iat_in_the_future() -> None:
    _validate({"iat": NOW})
    _validate({"iat": NOW + 30}, leeway=30)
    with pytest.raises(IssuedInFutureError):
        _validate({"iat": NOW + 31}, leeway=30)


def test_now_defaults_to_the_clock() -> None:
    validation.validate(
        {"exp": 4_102_444_800}, issuer=None, audience=None, leeway=0, now=None, require=()
    )
    with pytest.raises(ExpiredError):
        validation.validate(
            {"exp": NOW}, issuer=None, audience=None, leeway=0, now=None, require=()
        )


@pytest.mark.parametrize(
    "value", [True, False, "1700000000", None, [1], {"t": 1}, float("inf"), float("nan")]
)
@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
def test_numeric_dates_are_finite_numbers(name: str, value: object) -> None:
    with raises_exactly(ClaimError):
        _validate({name: value})


def test_huge_integer_dates_compare() -> None:
    with pytest.raises(NotYetValidError):
        _validate({"nbf": 10**60})
    _validate({"exp": 10**60})


def test_issuer_exact() -> None:
    _validate({"iss": "https://issuer.example"}, issuer="https://issuer.example")
    for other in ("https://issuer.example/", "https://ISSUER.example", "https://issuer.exampl"):
        with pytest.raises(IssuerError):
            _validate({"iss": other}, issuer="https://issuer.example")
    with pytest.raises(MissingClaimError):
        _validate({}, issuer="https://issuer.example")
    with pytest.raises(IssuerError):
        _validate({"iss": ["https://issuer.example"]}, issuer="https://issuer.example")
    with pytest.raises(IssuerError):
        _validate({"iss": 1})


def test_audience() -> None:
    _validate({"aud": "client"}, audience="client")
    _validate({"aud": ["other", "client"]}, audience="client")
    _validate({"aud": ["other", "client"]}, audience=["client", "x"])
    for aud in ("Client", ["other"], [], "client "):
        with pytest.raises(AudienceError):
            _validate({"aud": aud}, audience="client")
    with pytest.raises(MissingClaimError):
        _validate({}, audience="client")


def test_aud_present_without_an_expected_audience_is_refused() -> None:
    # RFC 7519 s4.1.3: a recipient that does not identify itself with "aud" must reject.
    with pytest.raises(AudienceError):
        _validate({"aud": "client"})


@pytest.mark.parametrize("aud", [1, None, True, {"a": 1}, ["client", 1], [["client"]]])
def test_malformed_aud(aud: object) -> None:
    with pytest.raises(AudienceError):
        _validate({"aud": aud}, audience="client")


def test_required_claims() -> None:
    _validate({"exp": NOW + 1, "sub": "a"}, require=("exp", "sub"))
    with pytest.raises(MissingClaimError, match="sub"):
        _validate({"exp": NOW + 1}, require=("exp", "sub"))


@pytest.mark.parametrize("claims", [{"sub": 1}, {"jti": ["a"]}])
def test_string_claims(claims: dict[str, Any]) -> None:
    with raises_exactly(ClaimError):
        _validate(claims)


def test_caller_misuse() -> None:
    with pytest.raises(TypeError):
        _validate({}, require="exp")
    with pytest.raises(ValueError, match="leeway"):
        _validate({}, leeway=-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("JWT", "application/jwt"),
        ("application/JWT", "application/jwt"),
        ("at+jwt", "application/at+jwt"),
        ("text/plain", "text/plain"),
    ],
)
def test_media_type(value: str, expected: str) -> None:
    assert validation.media_type(value) == expected


def test_check_typ() -> None:
    validation.check_typ({"typ": "at+JWT"}, "application/at+jwt")
    validation.check_typ({}, None)
    for header in ({}, {"typ": "JWT"}, {"typ": 1}, {"typ": "application/jwt+at"}):
        with pytest.raises(MalformedError):
            validation.check_typ(header, "at+jwt")
