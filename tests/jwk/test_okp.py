"""OKP JWKs (RFC 8037 s2): Ed25519, Ed448, X25519, X448, and the bad ones."""

from __future__ import annotations

from typing import Any

import pytest

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    OKP_CURVES,
    assert_no_secret_in,
    b64u,
    b64u_decode,
    new_okp,
    okp_members,
    raises_exactly,
)

CURVES = sorted(OKP_CURVES)


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {crv: new_okp(crv) for crv in CURVES}


def refused(members: dict[str, Any], error: type = InvalidKeyError) -> str:
    with raises_exactly(error) as info:
        JWK.from_dict(members)
    return str(info.value)


@pytest.mark.parametrize("crv", CURVES)
def test_private_key_loads_and_reexports(keys: dict[str, Any], crv: str) -> None:
    members = okp_members(keys[crv], crv, private=True)
    jwk = JWK.from_dict(members)
    assert (jwk.kty, jwk.crv, jwk.is_private) == ("OKP", crv, True)
    assert jwk.to_dict(private=True) == members
    assert jwk.to_dict() == {k: v for k, v in members.items() if k != "d"}
    assert isinstance(jwk.crypto_private, OKP_CURVES[crv][0])
    # The cached key is the same key: same raw private bytes.
    assert okp_members(jwk.crypto_private, crv, private=True) == members


@pytest.mark.parametrize("crv", CURVES)
def test_public_key_loads(keys: dict[str, Any], crv: str) -> None:
    members = okp_members(keys[crv], crv, private=False)
    jwk = JWK.from_dict(members)
    assert not jwk.is_private
    assert okp_members(jwk.crypto_public, crv, private=False) == members


@pytest.mark.parametrize(("crv", "size"), [(crv, OKP_CURVES[crv][1]) for crv in CURVES])
def test_key_sizes(keys: dict[str, Any], crv: str, size: int) -> None:
    # RFC 8032 s5.1.5, s5.2.5; RFC 7748 s5: 32, 57, 32, 56 octets.
    members = okp_members(keys[crv], crv, private=True)
    assert len(b64u_decode(members["x"])) == size
    assert len(b64u_decode(members["d"])) == size


@pytest.mark.parametrize("crv", CURVES)
@pytest.mark.parametrize("name", ["x", "d"])
@pytest.mark.parametrize("delta", [-1, 1])
def test_wrong_length(keys: dict[str, Any], crv: str, name: str, delta: int) -> None:
    members = okp_members(keys[crv], crv, private=True)
    raw = b64u_decode(members[name])
    changed = raw[:-1] if delta < 0 else raw + b"\x00"
    message = refused({**members, name: b64u(changed)})
    assert f'"{name}"' in message
    assert_no_secret_in(message, members["d"])


@pytest.mark.parametrize(
    ("crv", "other"),
    [("Ed25519", "X25519"), ("X25519", "Ed25519"), ("Ed448", "X448"), ("X448", "Ed448")],
)
def test_key_of_the_sibling_curve_refused(keys: dict[str, Any], crv: str, other: str) -> None:
    # Ed448 is 57 octets and X448 56: refused by length. Ed25519 and X25519 share the length,
    # but the private key "d" derives another public key on the other curve.
    members = okp_members(keys[other], other, private=True)
    refused({**members, "crv": crv})


@pytest.mark.parametrize("crv", CURVES)
def test_d_not_matching_x(keys: dict[str, Any], crv: str) -> None:
    members = okp_members(keys[crv], crv, private=True)
    other = okp_members(new_okp(crv), crv, private=True)
    message = refused({**members, "d": other["d"]})
    assert "d" in message
    assert_no_secret_in(message, members["d"], other["d"])


@pytest.mark.parametrize(
    "crv", ["Ed1", "ed25519", "ED25519", "Ed25519 ", "P-256", "X25519a", "", "Curve25519"]
)
def test_unknown_curve(keys: dict[str, Any], crv: str) -> None:
    members = okp_members(keys["Ed25519"], "Ed25519", private=False)
    refused({**members, "crv": crv}, UnsupportedAlgorithmError)


@pytest.mark.parametrize("crv", [None, 25519, ["Ed25519"]])
def test_crv_not_a_string(keys: dict[str, Any], crv: Any) -> None:
    members = okp_members(keys["Ed25519"], "Ed25519", private=False)
    assert "crv" in refused({**members, "crv": crv})


def test_crv_missing(keys: dict[str, Any]) -> None:
    members = okp_members(keys["Ed25519"], "Ed25519", private=False)
    assert "crv" in refused({k: v for k, v in members.items() if k != "crv"})


def test_x_missing(keys: dict[str, Any]) -> None:
    members = okp_members(keys["Ed25519"], "Ed25519", private=True)
    assert '"x"' in refused({k: v for k, v in members.items() if k != "x"})


@pytest.mark.parametrize("name", ["x", "d"])
@pytest.mark.parametrize("value", [None, 1, ["AA"], "AAAA=", "AA/A"])
def test_badly_encoded_members(keys: dict[str, Any], name: str, value: Any) -> None:
    members = okp_members(keys["X25519"], "X25519", private=True)
    assert name in refused({**members, name: value}, MalformedError)


def test_public_export_has_no_d(keys: dict[str, Any]) -> None:
    for crv in CURVES:
        members = okp_members(keys[crv], crv, private=True)
        jwk = JWK.from_dict({**members, "kid": crv})
        assert "d" not in jwk.to_dict()
        assert "d" not in jwk.public().to_dict()
        assert members["d"] not in jwk.to_json()


def test_thumbprint_members(keys: dict[str, Any]) -> None:
    # RFC 8037 s2: crv, kty, x.
    members = okp_members(keys["Ed448"], "Ed448", private=True)
    expected = f'{{"crv":"Ed448","kty":"OKP","x":"{members["x"]}"}}'
    assert JWK.from_dict({**members, "kid": "a"}).thumbprint_input() == expected.encode()
