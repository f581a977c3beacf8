"""SECURITY.md "Found by outside testing": costly private RSA keys are bounded before the work.

A 16384-bit private RSA JWK used to cost 10-100 s (OpenSSL's key check, a pure-Python
modular exponentiation, prime recovery). Now the modulus size is checked against
`Limits.max_rsa_private_bits` before any private member is read, and a key within the
limit is checked with integer arithmetic only. Nothing here is timed: the tests show the
structure (what runs, what never runs) with mocks and large moduli built cheaply.
"""

from __future__ import annotations

import dataclasses
import json
import math
import secrets
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref import JWK, JWKSet, Limits
from jose_ref.errors import InvalidKeyError, JoseError, LimitExceededError
from jose_ref.jwk import rsa_private
from tests.jwk import b64u_decode, raises_exactly, rsa_members, uint
from tests.jwk import rsa_private as real_rsa_private

E = 65537


def fake_numbers(bits: int) -> dict[str, int]:
    """n, e, d and CRT values that satisfy every arithmetic relation of RFC 8017 s3.2.

    p and q are random odd numbers, not primes: a 16384-bit key costs microseconds to
    build this way (a real keygen of that size takes minutes), and the size bound must
    refuse it whatever its factors are.
    """
    half = bits // 2
    while True:
        p, q = (secrets.randbits(half) | (3 << (half - 2)) | 1 for _ in range(2))
        lam = math.lcm(p - 1, q - 1)
        if math.gcd(p, q) == 1 and math.gcd(E, lam) == 1:
            break
    return numbers_of(p, q, lam, qi=pow(q, -1, p))


def numbers_of(p: int, q: int, lam: int, *, qi: int) -> dict[str, int]:
    """The members of RFC 8017 s3.2 from p, q and lambda(n), with the given qi."""
    d = pow(E, -1, lam)
    return {
        "n": p * q,
        "e": E,
        "d": d,
        "p": p,
        "q": q,
        "dp": d % (p - 1),
        "dq": d % (q - 1),
        "qi": qi,
    }


def members(numbers: dict[str, int], names: tuple[str, ...]) -> dict[str, str]:
    return {"kty": "RSA", **{name: uint(numbers[name]) for name in names}}


CRT = ("n", "e", "d", "p", "q", "dp", "dq", "qi")
D_ONLY = ("n", "e", "d")


@pytest.fixture(scope="module")
def big() -> dict[str, int]:
    return fake_numbers(16384)


@pytest.fixture
def no_private_work() -> Iterator[None]:
    """Fail the test if any private-key work starts: checks, prime recovery, OpenSSL."""
    boom = AssertionError("private key work ran before the size check")
    with (
        mock.patch.object(rsa_private, "recover_primes", side_effect=boom),
        mock.patch.object(rsa_private, "check", side_effect=boom),
        mock.patch.object(crypto_rsa.RSAPrivateNumbers, "private_key", side_effect=boom),
    ):
        yield


@pytest.mark.parametrize("names", [CRT, D_ONLY], ids=["crt", "d-only"])
def test_a_16384_bit_private_key_is_refused_before_any_work(
    big: dict[str, int], names: tuple[str, ...], no_private_work: None
) -> None:
    assert big["n"].bit_length() == 16384
    with raises_exactly(LimitExceededError) as info:
        JWK.from_dict(members(big, names))
    assert info.value.limit == "max_rsa_private_bits"
    assert (info.value.maximum, info.value.actual) == (8192, 16384)


def test_a_wrong_d_of_a_16384_bit_key_is_refused_by_size_too(
    big: dict[str, int], no_private_work: None
) -> None:
    wrong = {**big, "d": secrets.randbits(16383) | 1}
    with raises_exactly(LimitExceededError):
        JWK.from_dict(members(wrong, D_ONLY))


def test_a_set_of_many_large_private_keys_is_refused_at_the_first(
    big: dict[str, int], no_private_work: None
) -> None:
    document = json.dumps({"keys": [members(big, D_ONLY)] * 60})
    with raises_exactly(LimitExceededError):
        JWKSet.from_json(document)


def test_a_published_set_drops_private_members_and_loads_the_public_keys(
    big: dict[str, int], no_private_work: None
) -> None:
    document = json.dumps({"keys": [members(big, CRT)] * 3})
    keys = JWKSet.from_json(document, public_only=True)
    assert [key.is_private for key in keys] == [False] * 3


def test_a_private_pem_above_the_limit_is_refused_without_openssls_key_check(
    big: dict[str, int],
) -> None:
    public = crypto_rsa.RSAPublicNumbers(big["e"], big["n"])
    numbers = crypto_rsa.RSAPrivateNumbers(
        big["p"], big["q"], big["d"], big["dp"], big["dq"], big["qi"], public
    )
    pem = numbers.private_key(unsafe_skip_rsa_key_validation=True).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    loader = serialization.load_pem_private_key
    seen: list[Any] = []

    def spy(data: bytes, password: bytes | None, **options: Any) -> Any:
        seen.append(options)
        return loader(data, password, **options)

    with (
        mock.patch.object(serialization, "load_pem_private_key", spy),
        raises_exactly(LimitExceededError),
    ):
        JWK.from_pem(pem)
    assert seen == [{"unsafe_skip_rsa_key_validation": True}]


@pytest.mark.parametrize("names", [CRT, D_ONLY], ids=["crt", "d-only"])
def test_a_raised_limit_admits_the_key_with_integer_checks_only(
    big: dict[str, int], names: tuple[str, ...]
) -> None:
    limits = dataclasses.replace(Limits(), max_rsa_private_bits=16384)
    exponentiation = AssertionError("a prime recovery by modular exponentiation ran")
    with mock.patch.object(crypto_rsa, "rsa_recover_prime_factors", side_effect=exponentiation):
        key = JWK.from_dict(members(big, names), limits=limits)
    assert key.is_private
    assert key.crypto_private.private_numbers().p in (big["p"], big["q"])


def test_a_set_loads_its_keys_with_the_set_limits(big: dict[str, int]) -> None:
    limits = dataclasses.replace(Limits(), max_rsa_private_bits=16384)
    keys = JWKSet.from_dict({"keys": [members(big, CRT)]}, limits=limits)
    assert len(keys) == 1


# -- keys within the limit: real keys from cryptography, checked without OpenSSL's key check --


@pytest.mark.parametrize("bits", [2048, 3072])
def test_real_keys_load_from_d_alone_with_the_same_primes(bits: int) -> None:
    private = real_rsa_private(bits)
    expected = private.private_numbers()
    full = rsa_members(private, private=True)
    key = JWK.from_dict({name: full[name] for name in ("kty", "n", "e", "d")})
    got = key.crypto_private.private_numbers()
    assert {got.p, got.q} == {expected.p, expected.q}
    assert (got.dmp1, got.dmq1, got.iqmp) == (
        crypto_rsa.rsa_crt_dmp1(expected.d, got.p),
        crypto_rsa.rsa_crt_dmq1(expected.d, got.q),
        crypto_rsa.rsa_crt_iqmp(got.p, got.q),
    )


def test_a_d_reduced_modulo_phi_rather_than_lambda_also_recovers_the_primes() -> None:
    # cryptography reduces d modulo lcm(p - 1, q - 1); older keys use (p - 1)(q - 1).
    numbers = real_rsa_private(2048).private_numbers()
    p, q, n = numbers.p, numbers.q, numbers.public_numbers.n
    d_phi = pow(E, -1, (p - 1) * (q - 1))
    key = JWK.from_dict({"kty": "RSA", "n": uint(n), "e": uint(E), "d": uint(d_phi)})
    assert {key.crypto_private.private_numbers().p, key.crypto_private.private_numbers().q} == {
        p,
        q,
    }


@pytest.mark.parametrize("change", ["d+2", "random d", "d of another key"])
def test_a_wrong_d_alone_is_refused_without_exponentiation(change: str) -> None:
    numbers = real_rsa_private(2048).private_numbers()
    n, d = numbers.public_numbers.n, numbers.d
    other = real_rsa_private(2048, 1).private_numbers().d
    wrong = {"d+2": d + 2, "random d": secrets.randbits(2000) | 1, "d of another key": other}
    exponentiation = AssertionError("a prime recovery by modular exponentiation ran")
    with (
        mock.patch.object(crypto_rsa, "rsa_recover_prime_factors", side_effect=exponentiation),
        raises_exactly(InvalidKeyError),
    ):
        JWK.from_dict({"kty": "RSA", "n": uint(n), "e": uint(E), "d": uint(wrong[change])})


@pytest.mark.parametrize("member", ["p", "q", "dp", "dq", "qi", "d"])
def test_each_inconsistent_crt_member_is_refused_without_openssls_key_check(member: str) -> None:
    full = rsa_members(real_rsa_private(2048), private=True)
    value = int.from_bytes(b64u_decode(full[member]), "big")
    broken = {**full, member: uint(value + 2)}
    with raises_exactly(InvalidKeyError):
        JWK.from_dict(broken)


def test_factors_that_share_a_divisor_are_an_invalid_key_not_a_value_error() -> None:
    # n = p * q with gcd(p, q) > 1: d inverts e modulo lcm(p - 1, q - 1), so the primes are
    # "recovered", yet q has no inverse modulo p (and there is no valid qi either).
    while True:
        a, s, t = (secrets.randbits(1024) | (1 << 1023) | 1 for _ in range(3))
        p, q = a * s, a * t
        lam = math.lcm(p - 1, q - 1)
        if s != t and math.gcd(E, lam) == 1:
            break
    numbers = numbers_of(p, q, lam, qi=1)  # q has no inverse modulo p: any qi is wrong
    with raises_exactly(InvalidKeyError, match="coprime"):
        JWK.from_dict(members(numbers, D_ONLY))
    with raises_exactly(InvalidKeyError):
        JWK.from_dict(members(numbers, CRT))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=2**2047, max_value=2**2100).map(lambda v: v | 1),
    d=st.integers(min_value=0, max_value=2**2100),
    e=st.sampled_from([3, 65537, 2**32 - 1]),
    crt=st.none() | st.lists(st.integers(min_value=0, max_value=2**1100), min_size=5, max_size=5),
)
def test_arbitrary_private_numbers_load_or_raise_a_jose_error(
    n: int, d: int, e: int, crt: list[int] | None
) -> None:
    document = {"kty": "RSA", "n": uint(n), "e": uint(e), "d": uint(d)}
    if crt is not None:
        document |= {name: uint(value) for name, value in zip(CRT[3:], crt, strict=True)}
    with pytest.raises(JoseError):
        JWK.from_dict(document)
