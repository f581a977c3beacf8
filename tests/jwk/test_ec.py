"""EC JWKs (RFC 7518 s6.2, RFC 8812 s3.1) and every bad EC key of SECURITY.md "Keys"."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    EC_CURVES,
    EC_ORDERS,
    P256_B,
    P256_ORDER,
    P256_PRIME,
    assert_no_secret_in,
    b64u,
    b64u_decode,
    ec_members,
    new_ec,
    raises_exactly,
    uint,
)

CURVES = sorted(EC_CURVES)


@pytest.fixture(scope="module")
def keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    return {crv: new_ec(crv) for crv in CURVES}


@pytest.fixture(scope="module")
def p256(keys: dict[str, ec.EllipticCurvePrivateKey]) -> dict[str, str]:
    return ec_members(keys["P-256"], "P-256", private=True)


def refused(members: dict[str, Any], error: type = InvalidKeyError) -> str:
    with raises_exactly(error) as info:
        JWK.from_dict(members)
    return str(info.value)


def public_of(members: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in members.items() if k != "d"}


# -- valid keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("crv", CURVES)
def test_private_key_loads_and_reexports(
    keys: dict[str, ec.EllipticCurvePrivateKey], crv: str
) -> None:
    members = ec_members(keys[crv], crv, private=True)
    jwk = JWK.from_dict(members)
    assert jwk.crv == crv
    assert jwk.is_private
    assert jwk.to_dict(private=True) == members
    assert jwk.to_dict() == public_of(members)
    numbers = jwk.crypto_private.private_numbers()
    assert numbers == keys[crv].private_numbers()
    assert isinstance(jwk.crypto_private.curve, EC_CURVES[crv][0])


@pytest.mark.parametrize("crv", CURVES)
def test_public_key_loads(keys: dict[str, ec.EllipticCurvePrivateKey], crv: str) -> None:
    members = ec_members(keys[crv], crv, private=False)
    jwk = JWK.from_dict(members)
    assert not jwk.is_private
    assert jwk.crypto_public.public_numbers() == keys[crv].public_key().public_numbers()


def test_p521_coordinates_are_66_octets(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    members = ec_members(keys["P-521"], "P-521", private=True)
    for name in ("x", "y", "d"):
        assert len(b64u_decode(members[name])) == 66


def test_short_values_are_left_padded_to_full_length() -> None:
    # A P-256 point whose x is tiny: its JWK form is still 32 octets (RFC 7518 s6.2.1.2).
    x, y = small_p256_point()
    members = {"kty": "EC", "crv": "P-256", "x": uint(x, 32), "y": uint(y, 32)}
    assert JWK.from_dict(members).crypto_public.public_numbers().x == x
    refused({**members, "x": uint(x)})  # the minimal encoding is too short for EC


# -- curve ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "crv", ["P-192", "P-224", "p-256", "P256", "secp256r1", "P-256 ", "Ed25519", ""]
)
def test_unsupported_curve(p256: dict[str, str], crv: str) -> None:
    refused({**p256, "crv": crv}, UnsupportedAlgorithmError)


@pytest.mark.parametrize("crv", [None, 256, ["P-256"]])
def test_crv_not_a_string(p256: dict[str, str], crv: Any) -> None:
    assert "crv" in refused({**p256, "crv": crv})


def test_crv_missing(p256: dict[str, str]) -> None:
    assert "crv" in refused({k: v for k, v in p256.items() if k != "crv"})


def test_curve_of_another_size(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    # P-384 coordinates labelled P-256: the lengths give it away.
    members = ec_members(keys["P-384"], "P-384", private=True)
    refused({**members, "crv": "P-256"})
    refused({**members, "crv": "P-521"})


def test_same_size_curve_mislabelled(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    # A P-256 point is (overwhelmingly likely) not on secp256k1.
    members = ec_members(keys["P-256"], "P-256", private=False)
    refused({**members, "crv": "secp256k1"})


# -- coordinate and scalar lengths (RFC 7518 s6.2.1.2, s6.2.1.3, s6.2.2.1) ---------------------


@pytest.mark.parametrize("crv", CURVES)
@pytest.mark.parametrize("name", ["x", "y", "d"])
@pytest.mark.parametrize("delta", [-1, 1])
def test_wrong_length(
    keys: dict[str, ec.EllipticCurvePrivateKey], crv: str, name: str, delta: int
) -> None:
    members = ec_members(keys[crv], crv, private=True)
    raw = b64u_decode(members[name])
    changed = raw[1:] if delta < 0 else b"\x00" + raw
    message = refused({**members, name: b64u(changed)})
    assert f'"{name}"' in message
    assert_no_secret_in(message, members["d"])


def test_p521_with_65_octets_refused(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    # Some producers drop a leading zero octet of P-521 values; RFC 7518 requires 66.
    key = keys["P-521"]
    numbers = key.public_key().public_numbers()
    members = ec_members(key, "P-521", private=True)
    for name, value in (("x", numbers.x), ("y", numbers.y)):
        if value < 2 ** (8 * 65):
            refused({**members, name: uint(value, 65)})
    # A 66-octet value cut to 65 octets by dropping its last octet.
    refused({**members, "x": b64u(b64u_decode(members["x"])[:65])})
    refused({**members, "d": b64u(b64u_decode(members["d"])[:65])})


@pytest.mark.parametrize("name", ["x", "y"])
def test_missing_coordinate(p256: dict[str, str], name: str) -> None:
    assert f'"{name}"' in refused({k: v for k, v in p256.items() if k != name})


@pytest.mark.parametrize("name", ["x", "y", "d"])
@pytest.mark.parametrize("value", [None, 5, ["AA"], "AAAA=", "AA+A"])
def test_badly_encoded_members(p256: dict[str, str], name: str, value: Any) -> None:
    assert name in refused({**p256, name: value}, MalformedError)


def test_padded_coordinate_refused(p256: dict[str, str]) -> None:
    refused({**p256, "x": p256["x"] + "="}, MalformedError)


# -- the point -----------------------------------------------------------------------------------


@pytest.mark.parametrize("crv", CURVES)
def test_point_off_curve(keys: dict[str, ec.EllipticCurvePrivateKey], crv: str) -> None:
    members = ec_members(keys[crv], crv, private=False)
    size = EC_CURVES[crv][1]
    y = keys[crv].public_key().public_numbers().y
    message = refused({**members, "y": uint(y ^ 1, size)})
    assert "curve" in message


def test_all_zero_point_refused() -> None:
    refused({"kty": "EC", "crv": "P-256", "x": uint(0, 32), "y": uint(0, 32)})


def small_p256_point() -> tuple[int, int]:
    """The P-256 point with the smallest x > 0, from y^2 = x^3 - 3x + b (mod p)."""
    for x in range(1, 1000):
        rhs = (x**3 - 3 * x + P256_B) % P256_PRIME
        y = pow(rhs, (P256_PRIME + 1) // 4, P256_PRIME)  # p = 3 mod 4
        if y * y % P256_PRIME == rhs:
            return x, y
    raise AssertionError("no small point")


def test_small_point_is_on_the_curve_per_cryptography() -> None:
    x, y = small_p256_point()
    assert ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key() is not None


def test_coordinate_not_reduced_mod_p_refused() -> None:
    # x + p still fits in 32 octets when x < 2^256 - p and names the same point mod p, so
    # accepting it would give one key two JWK forms and two thumbprints (RFC 7638 s3.3).
    # SEC 1 v2 s2.3.5 / s3.2.2 require field elements in [0, p-1].
    x, y = small_p256_point()
    canonical = {"kty": "EC", "crv": "P-256", "x": uint(x, 32), "y": uint(y, 32)}
    JWK.from_dict(canonical)
    assert x + P256_PRIME < 2**256
    refused({**canonical, "x": uint(x + P256_PRIME, 32)})


@pytest.mark.parametrize("name", ["x", "y"])
def test_p521_coordinate_plus_p_refused(
    keys: dict[str, ec.EllipticCurvePrivateKey], name: str
) -> None:
    # FIPS 186-4 D.1.2.5: p = 2^521 - 1. Every P-521 coordinate c has c + p < 2^528, so
    # every P-521 key would have a second 66-octet JWK form if unreduced values were read.
    p521 = 2**521 - 1
    members = ec_members(keys["P-521"], "P-521", private=False)
    value = int.from_bytes(b64u_decode(members[name]), "big")
    assert value + p521 < 2 ** (8 * 66)
    refused({**members, name: uint(value + p521, 66)})
    refused({**ec_members(keys["P-521"], "P-521", private=True), name: uint(value + p521, 66)})


# -- the private scalar ------------------------------------------------------------------------


def test_d_zero_refused(p256: dict[str, str]) -> None:
    message = refused({**p256, "d": uint(0, 32)})
    assert_no_secret_in(message, p256["d"])


@pytest.mark.parametrize("offset", [0, 1, 2**64])
def test_d_at_or_above_the_order_refused(p256: dict[str, str], offset: int) -> None:
    # n from SEC 2 / FIPS 186-4, not from cryptography or jose_ref.
    refused({**p256, "d": uint(P256_ORDER + offset, 32)})


def test_d_all_ones_refused(p256: dict[str, str]) -> None:
    refused({**p256, "d": uint(2**256 - 1, 32)})


@pytest.mark.parametrize("crv", CURVES)
def test_curve_orders_are_the_published_ones(crv: str) -> None:
    # Independent check of the transcribed orders: d = n - 1 gives -G (the x of G, another
    # y), and cryptography refuses d = n itself.
    curve_class, _ = EC_CURVES[crv]
    n = EC_ORDERS[crv]
    minus_g = ec.derive_private_key(n - 1, curve_class()).public_key().public_numbers()
    g = ec.derive_private_key(1, curve_class()).public_key().public_numbers()
    assert minus_g.x == g.x
    assert minus_g.y != g.y
    with pytest.raises(ValueError):
        ec.derive_private_key(n, curve_class())


@pytest.mark.parametrize("crv", CURVES)
def test_d_plus_n_is_not_an_alias(keys: dict[str, ec.EllipticCurvePrivateKey], crv: str) -> None:
    # d + n gives the same public point, and cryptography accepts it as the private value
    # of that point; RFC 7518 s6.2.2.1 / SEC 1 s3.2.1 put d in [1, n-1], so it must be
    # refused. On P-521 d + n always fits the 66 octets; on the other curves only when
    # d < 2^(8 * size) - n, so there d is drawn below that bound.
    curve_class, size = EC_CURVES[crv]
    n = EC_ORDERS[crv]
    room = 2 ** (8 * size) - n
    if crv == "P-521":
        key = keys[crv]
    else:
        key = ec.derive_private_key(secrets.randbelow(min(room, n) - 1) + 1, curve_class())
    d = key.private_numbers().private_value
    assert d + n < 2 ** (8 * size)
    members = ec_members(key, crv, private=True)
    assert JWK.from_dict(members).is_private
    alias = {**members, "d": uint(d + n, size)}
    # The premise: cryptography alone would take d + n as a key for the same point.
    ec.EllipticCurvePrivateNumbers(d + n, key.public_key().public_numbers()).private_key()
    message = refused(alias)
    assert_no_secret_in(message, members["d"], alias["d"])


def test_d_not_matching_the_point(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    members = ec_members(keys["P-256"], "P-256", private=True)
    other = ec_members(new_ec("P-256"), "P-256", private=True)
    message = refused({**members, "d": other["d"]})
    assert_no_secret_in(message, members["d"], other["d"])


def test_order_constant_is_the_published_one() -> None:
    # Independent check of the transcribed constant: n * G is the point at infinity, so a
    # key with d = n - 1 has the public point -G = (Gx, p - Gy).
    gx = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
    gy = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
    key = ec.derive_private_key(P256_ORDER - 1, ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    assert (numbers.x, numbers.y) == (gx, P256_PRIME - gy)
