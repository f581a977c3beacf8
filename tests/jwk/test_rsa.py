"""RSA JWKs (RFC 7518 s6.3) and every bad RSA key of SECURITY.md "Keys"."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    assert_no_secret_in,
    b64u,
    b64u_decode,
    raises_exactly,
    rsa_members,
    rsa_private,
    uint,
)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa_private(2048)


@pytest.fixture(scope="module")
def private(key: rsa.RSAPrivateKey) -> dict[str, str]:
    return rsa_members(key, private=True)


@pytest.fixture(scope="module")
def public(key: rsa.RSAPrivateKey) -> dict[str, str]:
    return rsa_members(key, private=False)


def refused(members: dict[str, Any], error: type = InvalidKeyError) -> str:
    with raises_exactly(error) as info:
        JWK.from_dict(members)
    return str(info.value)


# -- valid keys ---------------------------------------------------------------------------------


def test_public_key_loads(key: rsa.RSAPrivateKey, public: dict[str, str]) -> None:
    jwk = JWK.from_dict(public)
    assert jwk.crypto_public.public_numbers() == key.public_key().public_numbers()
    assert not jwk.is_private
    assert jwk.to_dict() == public


def test_private_key_with_crt_loads(key: rsa.RSAPrivateKey, private: dict[str, str]) -> None:
    jwk = JWK.from_dict(private)
    assert jwk.crypto_private.private_numbers() == key.private_numbers()
    assert jwk.to_dict(private=True) == private


def test_private_key_from_d_alone_recovers_the_primes(
    key: rsa.RSAPrivateKey, private: dict[str, str]
) -> None:
    # RFC 7518 s6.3.2: the CRT members are optional; the key must still work.
    members = {name: private[name] for name in ("kty", "n", "e", "d")}
    jwk = JWK.from_dict(members)
    numbers = jwk.crypto_private.private_numbers()
    assert {numbers.p, numbers.q} == {key.private_numbers().p, key.private_numbers().q}
    assert numbers.d == key.private_numbers().d
    assert jwk.to_dict(private=True) == members


def test_larger_keys_load() -> None:
    key = rsa_private(3072)
    assert JWK.from_dict(rsa_members(key, private=True)).crypto_private.key_size == 3072


@pytest.mark.parametrize("e", [3, 5, 17, 65537, 2**32 - 1])
def test_public_exponent_range_accepted(public: dict[str, str], e: int) -> None:
    assert JWK.from_dict({**public, "e": uint(e)}).crypto_public.public_numbers().e == e


def test_modulus_of_exactly_16384_bits_is_accepted(public: dict[str, str]) -> None:
    n = 2**16383 + 1
    assert JWK.from_dict({**public, "n": uint(n)}).crypto_public.key_size == 16384


# -- modulus size (RFC 7518 s3.3, s4.2; SECURITY.md 2048..16384) -------------------------------


def test_1024_bit_key_refused() -> None:
    # cryptography itself accepts 1024-bit keys; jose_ref must not.
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (the weak key is the test input)
    for members in (rsa_members(small, private=True), rsa_members(small, private=False)):
        message = refused(members)
        assert "1024" in message
        assert_no_secret_in(message, members["n"])


@pytest.mark.parametrize("bits", [1, 512, 2047])
def test_modulus_below_2048_bits_refused(public: dict[str, str], bits: int) -> None:
    n = 2 ** (bits - 1) + 1 if bits > 1 else 1
    refused({**public, "n": uint(n)})


@pytest.mark.parametrize("make_even", ["top-and-two", "n-plus-one", "n-minus-one"])
def test_even_modulus_refused(
    key: rsa.RSAPrivateKey, public: dict[str, str], private: dict[str, str], make_even: str
) -> None:
    # A product of odd primes is odd; an even 2048-bit n is never an RSA modulus.
    real_n = key.public_key().public_numbers().n
    n = {
        "top-and-two": 2**2047 + 2,
        "n-plus-one": real_n + 1,
        "n-minus-one": real_n - 1,
    }[make_even]
    assert n % 2 == 0
    assert n.bit_length() == 2048
    # The premise: cryptography alone builds a "public key" from it.
    assert rsa.RSAPublicNumbers(65537, n).public_key().key_size == 2048
    message = refused({**public, "n": uint(n)})
    assert "even" in message
    assert_no_secret_in(message, uint(n))
    assert "even" in refused({**private, "n": uint(n)})


def test_modulus_of_zero_refused(public: dict[str, str]) -> None:
    refused({**public, "n": "AA"})


def test_modulus_above_16384_bits_refused_before_any_work(
    public: dict[str, str], private: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def heavy(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("RSA work started before the size check")

    # Any recovery of primes or key construction counts as heavy work here.
    monkeypatch.setattr(rsa, "rsa_recover_prime_factors", heavy)
    monkeypatch.setattr(rsa, "RSAPrivateNumbers", heavy)
    monkeypatch.setattr(rsa, "RSAPublicNumbers", heavy)
    n = 2**16384 + 1  # 16385 bits, odd
    message = refused({**public, "n": uint(n)})
    assert "16385" in message
    refused({**public, "n": uint(n), "d": uint(2**16000 + 1)})
    refused({**private, "n": uint(n)})
    refused({**public, "n": uint(2**40000 - 1)})


# -- public exponent ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "e",
    [
        1,
        2,
        4,
        65536,
        65538,
        2**32,
        2**32 + 1,
        2**64 + 1,
        2**1024 + 1,
    ],
)
def test_bad_public_exponent(public: dict[str, str], e: int) -> None:
    assert "exponent" in refused({**public, "e": uint(e)})


def test_zero_exponent(public: dict[str, str]) -> None:
    refused({**public, "e": "AA"})


def test_bad_exponent_refused_for_private_keys_too(private: dict[str, str]) -> None:
    refused({**private, "e": uint(65536)})
    refused({**private, "e": uint(1)})


# -- Base64urlUInt (RFC 7518 s2) -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["n", "e", "d", "p", "q", "dp", "dq", "qi"])
def test_leading_zero_octet_refused(private: dict[str, str], name: str) -> None:
    value = b"\x00" + b64u_decode(private[name])
    message = refused({**private, name: b64u(value)}, MalformedError)
    assert f'"{name}"' in message


@pytest.mark.parametrize("name", ["n", "e"])
def test_empty_integer_refused(public: dict[str, str], name: str) -> None:
    refused({**public, name: ""}, MalformedError)


@pytest.mark.parametrize("name", ["n", "e", "d"])
@pytest.mark.parametrize("value", ["AQAB=", "AQ+B", 65537, None, ["AQAB"], " AQAB"])
def test_badly_encoded_integers_refused(private: dict[str, str], name: str, value: Any) -> None:
    message = refused({**private, name: value}, MalformedError)
    assert name in message


@pytest.mark.parametrize("name", ["n", "e"])
def test_missing_public_member(public: dict[str, str], name: str) -> None:
    members = {k: v for k, v in public.items() if k != name}
    assert f'"{name}"' in refused(members)


# -- CRT members (RFC 7518 s6.3.2) -------------------------------------------------------------


@pytest.mark.parametrize(
    "missing",
    [("p",), ("q",), ("dp",), ("dq",), ("qi",), ("p", "q"), ("dp", "dq", "qi"), ("q", "qi")],
)
def test_partial_crt_members_refused(private: dict[str, str], missing: tuple[str, ...]) -> None:
    members = {k: v for k, v in private.items() if k not in missing}
    message = refused(members)
    assert_no_secret_in(message, private["d"], private["p"], private["q"])


def test_crt_members_without_d_refused(private: dict[str, str]) -> None:
    refused({k: v for k, v in private.items() if k != "d"})
    refused({**{k: private[k] for k in ("kty", "n", "e")}, "p": private["p"]})


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("dp", 2),  # wrong dp
        ("dq", 2),
        ("qi", 1),
        ("p", 2),
        ("q", 2),
        ("d", 2),  # d not matching, with CRT members
    ],
)
def test_inconsistent_crt_members_refused(private: dict[str, str], name: str, change: int) -> None:
    value = int.from_bytes(b64u_decode(private[name]), "big") + change
    message = refused({**private, name: uint(value)})
    assert_no_secret_in(message, private["d"], private["p"], private["q"], private[name])


def test_swapped_primes_with_unchanged_qi_refused(private: dict[str, str]) -> None:
    refused({**private, "p": private["q"], "q": private["p"]})


def test_crt_members_of_another_key_refused(private: dict[str, str]) -> None:
    other = rsa_members(rsa_private(2048, tag=1), private=True)
    refused({**private, **{k: other[k] for k in ("p", "q", "dp", "dq", "qi")}})


@pytest.mark.parametrize("change", [2, -2])
def test_d_alone_not_matching_refused(private: dict[str, str], change: int) -> None:
    d = int.from_bytes(b64u_decode(private["d"]), "big") + change
    members = {"kty": "RSA", "n": private["n"], "e": private["e"], "d": uint(d)}
    message = refused(members)
    assert_no_secret_in(message, private["d"], uint(d))


@pytest.mark.parametrize("d", [0, 1, 2])
def test_trivial_d_refused(public: dict[str, str], d: int) -> None:
    refused({**public, "d": uint(d)})


def test_d_of_another_key_refused(public: dict[str, str]) -> None:
    other = rsa_members(rsa_private(2048, tag=1), private=True)
    refused({**public, "d": other["d"]})


# -- multi-prime -------------------------------------------------------------------------------


@pytest.mark.parametrize("oth", [[], [{"r": "AQ", "d": "AQ", "t": "AQ"}], "x", None])
def test_oth_is_unsupported(private: dict[str, str], oth: Any) -> None:
    refused({**private, "oth": oth}, UnsupportedAlgorithmError)


# -- export ----------------------------------------------------------------------------------------


def test_public_export(private: dict[str, str], public: dict[str, str]) -> None:
    jwk = JWK.from_dict({**private, "kid": "r"})
    assert jwk.to_dict() == {**public, "kid": "r"}
    assert jwk.public().to_dict() == {**public, "kid": "r"}


def test_thumbprint_members_only(private: dict[str, str]) -> None:
    # RFC 7638 s3.2: e, kty, n in that order.
    jwk = JWK.from_dict({**private, "kid": "r", "use": "sig"})
    expected = f'{{"e":"{private["e"]}","kty":"RSA","n":"{private["n"]}"}}'
    assert jwk.thumbprint_input() == expected.encode("ascii")
