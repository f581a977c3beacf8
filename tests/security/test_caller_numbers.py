"""SECURITY.md "Found by outside testing": caller-side numbers and out-of-range NumericDates.

A NaN `now` or `leeway` makes every comparison false and so would disable every time
check; an integer date beyond the range of a double (10**400) would raise OverflowError.
The caller's own arguments are API misuse (TypeError / ValueError, docs/api.md);
a date in a claims set is a ClaimError, on encode and on decode alike.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref import JWK, jwt
from jose_ref.errors import ClaimError, ExpiredError, MalformedError
from tests.jwk import raises_exactly
from tests.jws.forge import forge

KEY = JWK.from_dict({"kty": "oct", "k": "c2VjcmV0LWtleS1vZi0zMi1vY3RldHMtZm9yLWhzMjU2"})
NOW = 1_700_000_000
EXPIRED = {"exp": NOW - 3600}
NON_FINITE = [float("nan"), float("inf"), float("-inf")]


def _token(claims: dict[str, Any] | bytes) -> str:
    payload = claims if isinstance(claims, bytes) else json.dumps(claims).encode()
    return forge({"alg": "HS256", "typ": "JWT"}, payload, KEY)


@pytest.mark.parametrize("now", NON_FINITE)
def test_non_finite_now_is_refused(now: float) -> None:
    with pytest.raises(ValueError, match="now"):
        jwt.decode(_token(EXPIRED), KEY, algorithms=["HS256"], now=now)


@pytest.mark.parametrize("leeway", [*NON_FINITE, -1, -0.5])
def test_non_finite_or_negative_leeway_is_refused(leeway: float) -> None:
    with pytest.raises(ValueError, match="leeway"):
        jwt.decode(_token(EXPIRED), KEY, algorithms=["HS256"], now=NOW, leeway=leeway)


@pytest.mark.parametrize("name", ["now", "leeway"])
@pytest.mark.parametrize("value", [10**400, -(10**400)])
def test_caller_integers_beyond_a_double_are_refused(name: str, value: int) -> None:
    arguments: dict[str, Any] = {"now": NOW, name: value}
    with pytest.raises(ValueError, match=name):
        jwt.decode(_token(EXPIRED), KEY, algorithms=["HS256"], **arguments)


@pytest.mark.parametrize("name", ["now", "leeway"])
@pytest.mark.parametrize("value", [True, "0", [1]])
def test_caller_values_of_the_wrong_type_are_refused(name: str, value: object) -> None:
    arguments: dict[str, Any] = {"now": NOW, name: value}
    with pytest.raises(TypeError, match=name):
        jwt.decode(_token(EXPIRED), KEY, algorithms=["HS256"], **arguments)


def test_a_finite_now_still_checks_time() -> None:
    # The control: the same token with an ordinary clock is expired.
    with raises_exactly(ExpiredError):
        jwt.decode(_token(EXPIRED), KEY, algorithms=["HS256"], now=NOW)


@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
@pytest.mark.parametrize("value", [10**400, -(10**400), 2**1024])
def test_encode_refuses_dates_beyond_a_double(name: str, value: int) -> None:
    with raises_exactly(ClaimError, match=name):
        jwt.encode({name: value}, KEY, alg="HS256")


@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
def test_decode_refuses_integers_too_long_for_a_date(name: str) -> None:
    # JSON carries integers of any length: the strict parser refuses them before validation.
    payload = b'{"%s": 1%s}' % (name.encode(), b"0" * 400)
    with raises_exactly(MalformedError, match="integer"):
        jwt.decode(_token(payload), KEY, algorithms=["HS256"], now=NOW, require=())


@settings(max_examples=40, deadline=None)
@given(exp=st.integers(min_value=-(10**80), max_value=10**80))
def test_any_integer_date_is_accepted_or_refused_with_a_jose_error(exp: int) -> None:
    payload = json.dumps({"exp": exp}).encode()
    try:
        jwt.decode(_token(payload), KEY, algorithms=["HS256"], now=NOW)
    except (ClaimError, MalformedError):
        assert exp <= NOW or len(str(exp)) > 64
        return
    assert exp > NOW
