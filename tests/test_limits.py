"""Limits: the SECURITY.md defaults, frozen, and `check` accepting iff within the bound."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

import jose_ref
from jose_ref.errors import LimitExceededError
from jose_ref.limits import Limits, check

# SECURITY.md "Defaults" table and API.md "Limits".
SECURITY_DEFAULTS = {
    "max_token_bytes": 256 * 1024,
    "max_header_bytes": 8 * 1024,
    "max_plaintext_bytes": 250_000,
    "max_pbes2_count": 10_000,
    "min_pbes2_salt_bytes": 8,
    "max_json_depth": 32,
    "max_claims_depth": 64,
    "max_kid_bytes": 256,
    "max_x5c_certificates": 8,
    "max_x5c_bytes": 64 * 1024,
    "max_nesting": 2,
}
API_FIELDS = {
    "max_token_bytes",
    "max_header_bytes",
    "max_plaintext_bytes",
    "max_pbes2_count",
    "max_recipients",
    "max_json_depth",
    "max_x5c_certificates",
}


def test_exported_from_package() -> None:
    assert jose_ref.Limits is Limits


def test_api_fields_present() -> None:
    names = {field.name for field in dataclasses.fields(Limits)}
    assert names >= API_FIELDS


@pytest.mark.parametrize(("name", "value"), sorted(SECURITY_DEFAULTS.items()))
def test_security_defaults(name: str, value: int) -> None:
    assert getattr(Limits(), name) == value


def test_every_field_is_a_positive_int() -> None:
    limits = Limits()
    for field in dataclasses.fields(Limits):
        value = getattr(limits, field.name)
        assert type(value) is int
        assert value > 0


def test_frozen() -> None:
    limits = Limits()
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.max_token_bytes = 1  # type: ignore[misc]


def test_keyword_only() -> None:
    with pytest.raises(TypeError):
        Limits(1)  # type: ignore[misc]


def test_replace_raises_one_bound_only() -> None:
    raised = dataclasses.replace(Limits(), max_pbes2_count=20_000)
    assert raised.max_pbes2_count == 20_000
    assert Limits().max_pbes2_count == 10_000
    assert raised.max_token_bytes == Limits().max_token_bytes


def test_equal_values_compare_equal() -> None:
    assert Limits() == Limits()
    assert Limits(max_recipients=3) != Limits()


def test_check_at_the_bound_passes() -> None:
    check(Limits(), "max_recipients", Limits().max_recipients, "JWE recipients")


def test_check_one_over_raises_with_attributes() -> None:
    maximum = Limits().max_recipients
    with pytest.raises(LimitExceededError) as info:
        check(Limits(), "max_recipients", maximum + 1, "JWE recipients")
    assert type(info.value) is LimitExceededError
    assert info.value.limit == "max_recipients"
    assert info.value.maximum == maximum
    assert info.value.actual == maximum + 1
    message = str(info.value)
    assert "JWE recipients" in message
    assert "max_recipients" in message


@given(
    maximum=st.integers(min_value=0, max_value=10**9),
    actual=st.integers(min_value=0, max_value=10**9),
)
def test_check_accepts_iff_within_limit(maximum: int, actual: int) -> None:
    limits = dataclasses.replace(Limits(), max_pbes2_count=maximum)
    if actual <= maximum:
        check(limits, "max_pbes2_count", actual, "p2c")
    else:
        with pytest.raises(LimitExceededError) as info:
            check(limits, "max_pbes2_count", actual, "p2c")
        assert (info.value.maximum, info.value.actual) == (maximum, actual)
