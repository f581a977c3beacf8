"""Helpers for the JWK tests: independent encodings of key members, exact-class assertions.

Everything here is computed with Python's base64 and cryptography directly,
never with jose_ref, so that the tests compare jose_ref to an independent
computation.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x448, x25519

# Every private (or secret) member a public export must never contain (RFC 7517 s4,
# RFC 7518 s6.2.2, s6.3.2, s6.4.1, RFC 8037 s2).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"})

# SEC 2 v2 s2.4.2 / FIPS 186-4 D.1.2.3: the order n of the P-256 base point.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
# FIPS 186-4 D.1.2.5: the order n of the P-521 base point (n < 2^521, so n + k for any
# k < n still fits the 66 octets of a P-521 scalar or ECDSA half).
P521_ORDER = int(
    "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
    "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
    16,
)
# FIPS 186-4 D.1.2.4: the order n of the P-384 base point.
P384_ORDER = int(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
    "581A0DB248B0A77AECEC196ACCC52973",
    16,
)
# SEC 2 v2 s2.4.1: the order n of the secp256k1 base point.
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
# crv -> n; test_ec.test_curve_orders_are_the_published_ones checks each against cryptography.
EC_ORDERS: dict[str, int] = {
    "P-256": P256_ORDER,
    "P-384": P384_ORDER,
    "P-521": P521_ORDER,
    "secp256k1": SECP256K1_ORDER,
}
# FIPS 186-4 D.1.2.3: the P-256 field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1, and b.
P256_PRIME = 2**256 - 2**224 + 2**192 + 2**96 - 1
P256_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B

EC_CURVES: dict[str, tuple[type[ec.EllipticCurve], int]] = {
    "P-256": (ec.SECP256R1, 32),
    "P-384": (ec.SECP384R1, 48),
    "P-521": (ec.SECP521R1, 66),
    "secp256k1": (ec.SECP256K1, 32),
}
OKP_CURVES: dict[str, tuple[Any, int]] = {
    "Ed25519": (ed25519.Ed25519PrivateKey, 32),
    "Ed448": (ed448.Ed448PrivateKey, 57),
    "X25519": (x25519.X25519PrivateKey, 32),
    "X448": (x448.X448PrivateKey, 56),
}


def b64u(data: bytes) -> str:
    """Unpadded base64url, by Python's base64."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def uint(value: int, length: int | None = None) -> str:
    """Base64urlUInt (RFC 7518 s2): minimal big-endian octets, or exactly `length`."""
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64u(value.to_bytes(size, "big"))


@contextmanager
def raises_exactly(cls: type[BaseException], match: str | None = None) -> Iterator[Any]:
    """pytest.raises that also insists on the exact class, not a subclass or a sibling."""
    with pytest.raises(cls, match=match) as info:
        yield info
    assert type(info.value) is cls, f"{type(info.value).__name__} raised, not {cls.__name__}"


def assert_no_secret_in(message: str, *secrets: str) -> None:
    """The message does not echo any secret (or a 12-character piece of one)."""
    for secret in secrets:
        assert secret not in message
        if len(secret) >= 12:
            assert secret[:12] not in message
            assert secret[-12:] not in message


@functools.cache
def rsa_private(bits: int = 2048, tag: int = 0) -> rsa.RSAPrivateKey:
    """One RSA key per (bits, tag), generated once per test session."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def rsa_members(key: rsa.RSAPrivateKey | rsa.RSAPublicKey, *, private: bool) -> dict[str, str]:
    if isinstance(key, rsa.RSAPrivateKey):
        numbers = key.private_numbers()
        public = numbers.public_numbers
    else:
        public = key.public_numbers()
    members = {"kty": "RSA", "n": uint(public.n), "e": uint(public.e)}
    if private:
        members |= {
            "d": uint(numbers.d),
            "p": uint(numbers.p),
            "q": uint(numbers.q),
            "dp": uint(numbers.dmp1),
            "dq": uint(numbers.dmq1),
            "qi": uint(numbers.iqmp),
        }
    return members


def ec_members(
    key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey, crv: str, *, private: bool
) -> dict[str, str]:
    size = EC_CURVES[crv][1]
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    numbers = public.public_numbers()
    members = {"kty": "EC", "crv": crv, "x": uint(numbers.x, size), "y": uint(numbers.y, size)}
    if private:
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        members["d"] = uint(key.private_numbers().private_value, size)
    return members


def okp_members(key: Any, crv: str, *, private: bool) -> dict[str, str]:
    raw = serialization.Encoding.Raw
    is_private = hasattr(key, "private_bytes")
    public = key.public_key() if is_private else key
    members = {
        "kty": "OKP",
        "crv": crv,
        "x": b64u(public.public_bytes(raw, serialization.PublicFormat.Raw)),
    }
    if private:
        members["d"] = b64u(
            key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        )
    return members


def new_okp(crv: str) -> Any:
    return OKP_CURVES[crv][0].generate()


def new_ec(crv: str) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(EC_CURVES[crv][0]())
