"""JWK.generate for every kty/crv, with defaults and parameters (RFC 7518 s6)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    EC_CURVES,
    OKP_CURVES,
    PRIVATE_MEMBERS,
    b64u_decode,
    ec_members,
    okp_members,
    raises_exactly,
    rsa_members,
)


@pytest.fixture(scope="module")
def rsa_default() -> JWK:
    return JWK.generate("RSA", kid="r1", use="sig", alg="PS256")


def test_rsa_default(rsa_default: JWK) -> None:
    key = rsa_default.crypto_private
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048
    assert key.private_numbers().public_numbers.e == 65537
    assert rsa_default.to_dict(private=True) == {
        "kid": "r1",
        "use": "sig",
        "alg": "PS256",
        **rsa_members(key, private=True),
    }
    assert (rsa_default.kid, rsa_default.use, rsa_default.alg) == ("r1", "sig", "PS256")


def test_rsa_with_size() -> None:
    jwk = JWK.generate("RSA", size=2304)
    assert jwk.crypto_private.key_size == 2304
    assert int.from_bytes(b64u_decode(jwk.to_dict()["n"]), "big").bit_length() == 2304


@pytest.mark.parametrize("size", [512, 1024, 2047, 16385, 0, -1])
def test_rsa_size_out_of_range_refused_before_generating(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a key was generated")

    monkeypatch.setattr(rsa, "generate_private_key", never)
    with raises_exactly(InvalidKeyError):
        JWK.generate("RSA", size=size)


def test_ec_default_is_p256() -> None:
    jwk = JWK.generate("EC")
    assert jwk.crv == "P-256"
    assert isinstance(jwk.crypto_private.curve, ec.SECP256R1)


@pytest.mark.parametrize("crv", sorted(EC_CURVES))
def test_ec_every_curve(crv: str) -> None:
    jwk = JWK.generate("EC", crv=crv, kid=crv, use="sig")
    assert isinstance(jwk.crypto_private.curve, EC_CURVES[crv][0])
    assert jwk.to_dict(private=True) == {
        "kid": crv,
        "use": "sig",
        **ec_members(jwk.crypto_private, crv, private=True),
    }
    assert len(b64u_decode(jwk.to_dict(private=True)["d"])) == EC_CURVES[crv][1]


def test_okp_default_is_ed25519() -> None:
    jwk = JWK.generate("OKP")
    assert jwk.crv == "Ed25519"
    assert isinstance(jwk.crypto_private, OKP_CURVES["Ed25519"][0])


@pytest.mark.parametrize("crv", sorted(OKP_CURVES))
def test_okp_every_curve(crv: str) -> None:
    use = "enc" if crv.startswith("X") else "sig"
    jwk = JWK.generate("OKP", crv=crv, kid=crv, use=use)
    assert isinstance(jwk.crypto_private, OKP_CURVES[crv][0])
    assert jwk.to_dict(private=True) == {
        "kid": crv,
        "use": use,
        **okp_members(jwk.crypto_private, crv, private=True),
    }


def test_oct_default_is_256_bits() -> None:
    jwk = JWK.generate("oct")
    assert len(jwk.secret) == 32
    assert set(jwk.to_dict(private=True)) == {"kty", "k"}


@pytest.mark.parametrize("size", [128, 192, 256, 384, 512, 1024])
def test_oct_with_size(size: int) -> None:
    jwk = JWK.generate("oct", size=size, alg="HS512", kid="s")
    assert len(jwk.secret) == size // 8
    assert len(b64u_decode(jwk.to_dict(private=True)["k"])) == size // 8
    assert (jwk.alg, jwk.kid) == ("HS512", "s")


@pytest.mark.parametrize("size", [8, 64, 120, 127, 129, 130, 0, -8])
def test_oct_size_refused(size: int) -> None:
    with raises_exactly(InvalidKeyError):
        JWK.generate("oct", size=size)


@pytest.mark.parametrize(
    ("kty", "crv"),
    [("EC", "P-192"), ("EC", "Ed25519"), ("EC", "p-256"), ("OKP", "Ed1"), ("OKP", "P-256")],
)
def test_unsupported_curve(kty: str, crv: str) -> None:
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.generate(kty, crv=crv)


@pytest.mark.parametrize("kty", ["DSA", "rsa", "ec", "OCT", ""])
def test_unsupported_kty(kty: str) -> None:
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.generate(kty)


def test_params_are_validated() -> None:
    with raises_exactly(InvalidKeyError):
        JWK.generate("oct", use="sig", key_ops=["encrypt"])
    with raises_exactly(MalformedError):
        JWK.generate("oct", kid=1)


def test_params_kept_and_key_ops() -> None:
    jwk = JWK.generate("EC", crv="P-384", kid="e", use="sig", key_ops=["sign"], alg="ES384")
    assert jwk.key_ops == ("sign",)
    assert jwk.to_dict()["alg"] == "ES384"
    assert jwk.to_dict()["key_ops"] == ["sign"]


@pytest.mark.parametrize(
    ("kty", "crv"),
    [("EC", "P-256"), ("OKP", "Ed25519"), ("OKP", "X448"), ("oct", None)],
)
def test_keys_are_fresh(kty: str, crv: str | None) -> None:
    first = JWK.generate(kty, crv=crv).to_dict(private=True)
    second = JWK.generate(kty, crv=crv).to_dict(private=True)
    secret = "k" if kty == "oct" else "d"
    assert first[secret] != second[secret]


def test_generated_keys_are_private_and_public_exports_are_clean(rsa_default: JWK) -> None:
    for jwk in (
        rsa_default,
        JWK.generate("EC", crv="P-521"),
        JWK.generate("OKP", crv="Ed448"),
    ):
        assert jwk.is_private
        assert not PRIVATE_MEMBERS & set(jwk.to_dict())
        assert not jwk.public().is_private
