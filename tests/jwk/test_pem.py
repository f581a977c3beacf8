"""JWKs from and to PEM (SPKI, PKCS#8, PKCS#1, SEC1, X.509) for every key type."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    EC_CURVES,
    OKP_CURVES,
    assert_no_secret_in,
    ec_members,
    new_ec,
    new_okp,
    okp_members,
    raises_exactly,
    rsa_members,
    rsa_private,
)

PEM = serialization.Encoding.PEM
PKCS8 = serialization.PrivateFormat.PKCS8
TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
NONE = serialization.NoEncryption()
KINDS = ["RSA", *sorted(EC_CURVES), *sorted(OKP_CURVES)]


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    found: dict[str, Any] = {"RSA": rsa_private()}
    found |= {crv: new_ec(crv) for crv in EC_CURVES}
    found |= {crv: new_okp(crv) for crv in OKP_CURVES}
    return found


def members_of(kind: str, key: Any, *, private: bool) -> dict[str, str]:
    """The JWK members, computed with cryptography and base64 directly."""
    if kind == "RSA":
        return rsa_members(key, private=private)
    if kind in EC_CURVES:
        return ec_members(key, kind, private=private)
    return okp_members(key, kind, private=private)


def private_pem(key: Any, fmt: serialization.PrivateFormat = PKCS8, password: bytes = b"") -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else NONE
    pem: bytes = key.private_bytes(PEM, fmt, encryption)
    return pem


def public_pem(key: Any, fmt: serialization.PublicFormat = SPKI) -> bytes:
    pem: bytes = key.public_key().public_bytes(PEM, fmt)
    return pem


def certificate_pem(key: Any) -> bytes:
    """A self-signed certificate for `key`, built with cryptography."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jose_ref test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    algorithm = (
        None
        if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
        else hashes.SHA256()
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, algorithm)
    )
    return certificate.public_bytes(PEM)


# -- from PEM --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_pkcs8_private_key(keys: dict[str, Any], kind: str) -> None:
    pem = private_pem(keys[kind])
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    jwk = JWK.from_pem(pem)
    assert jwk.is_private
    assert jwk.to_dict(private=True) == members_of(kind, keys[kind], private=True)


@pytest.mark.parametrize("kind", KINDS)
def test_spki_public_key(keys: dict[str, Any], kind: str) -> None:
    pem = public_pem(keys[kind])
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    jwk = JWK.from_pem(pem)
    assert not jwk.is_private
    assert jwk.to_dict() == members_of(kind, keys[kind], private=False)


def test_pkcs1_rsa_private_key(keys: dict[str, Any]) -> None:
    pem = private_pem(keys["RSA"], TRADITIONAL)
    assert pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert JWK.from_pem(pem).to_dict(private=True) == rsa_members(keys["RSA"], private=True)


def test_pkcs1_rsa_public_key(keys: dict[str, Any]) -> None:
    pem = public_pem(keys["RSA"], serialization.PublicFormat.PKCS1)
    assert pem.startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    assert JWK.from_pem(pem).to_dict() == rsa_members(keys["RSA"], private=False)


@pytest.mark.parametrize("crv", sorted(EC_CURVES))
def test_sec1_ec_private_key(keys: dict[str, Any], crv: str) -> None:
    pem = private_pem(keys[crv], TRADITIONAL)
    assert pem.startswith(b"-----BEGIN EC PRIVATE KEY-----")
    assert JWK.from_pem(pem).to_dict(private=True) == ec_members(keys[crv], crv, private=True)


@pytest.mark.parametrize("kind", ["RSA", "P-256", "Ed25519", "X448"])
def test_encrypted_pkcs8_with_password(keys: dict[str, Any], kind: str) -> None:
    pem = private_pem(keys[kind], password=b"correct horse")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    jwk = JWK.from_pem(pem, password=b"correct horse")
    assert jwk.to_dict(private=True) == members_of(kind, keys[kind], private=True)


@pytest.mark.parametrize("kind", ["RSA", "P-384"])
def test_encrypted_traditional_pem_with_password(keys: dict[str, Any], kind: str) -> None:
    pem = private_pem(keys[kind], TRADITIONAL, password=b"pw")
    assert b"ENCRYPTED" in pem
    assert JWK.from_pem(pem, password=b"pw").to_dict(private=True) == members_of(
        kind, keys[kind], private=True
    )


@pytest.mark.parametrize("password", [b"Tr0ub4dor&3", b"correct hors", b"x" * 100])
def test_wrong_password(keys: dict[str, Any], password: bytes) -> None:
    pem = private_pem(keys["P-256"], password=b"correct horse")
    with raises_exactly(InvalidKeyError) as info:
        JWK.from_pem(pem, password=password)
    assert_no_secret_in(str(info.value), "correct horse", password.decode())


def test_missing_password(keys: dict[str, Any]) -> None:
    for pem in (
        private_pem(keys["RSA"], password=b"pw"),
        private_pem(keys["RSA"], TRADITIONAL, password=b"pw"),
    ):
        with raises_exactly(InvalidKeyError):
            JWK.from_pem(pem)


def test_password_for_an_unencrypted_key(keys: dict[str, Any]) -> None:
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(private_pem(keys["Ed25519"]), password=b"pw")


@pytest.mark.parametrize("kind", ["RSA", "P-256", "P-521", "Ed25519", "Ed448"])
def test_certificate_gives_its_public_key(keys: dict[str, Any], kind: str) -> None:
    pem = certificate_pem(keys[kind])
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    jwk = JWK.from_pem(pem, kid="cert")
    assert not jwk.is_private
    assert jwk.to_dict() == {"kid": "cert", **members_of(kind, keys[kind], private=False)}


def test_params_are_added(keys: dict[str, Any]) -> None:
    jwk = JWK.from_pem(private_pem(keys["P-256"]), kid="k1", use="sig", alg="ES256")
    assert (jwk.kid, jwk.use, jwk.alg) == ("k1", "sig", "ES256")
    assert jwk.to_dict() == {
        "kid": "k1",
        "use": "sig",
        "alg": "ES256",
        **ec_members(keys["P-256"], "P-256", private=False),
    }


def test_params_are_validated(keys: dict[str, Any]) -> None:
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(public_pem(keys["RSA"]), use="enc", key_ops=["verify"])
    with raises_exactly(MalformedError):
        JWK.from_pem(public_pem(keys["RSA"]), kid=7)


def test_leading_text_before_the_block(keys: dict[str, Any]) -> None:
    pem = b"Bag Attributes\n    friendlyName: x\n" + public_pem(keys["X25519"])
    assert JWK.from_pem(pem).to_dict() == okp_members(keys["X25519"], "X25519", private=False)


# -- refusals ----------------------------------------------------------------------------------


def test_1024_bit_rsa_pem_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (the weak key is the test input)
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(private_pem(small))
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(public_pem(small))


def test_dsa_key_unsupported() -> None:
    key = dsa.generate_private_key(key_size=1024)  # noqa: S505 (the weak key is the test input)
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.from_pem(private_pem(key))
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.from_pem(public_pem(key))


def test_unsupported_curve() -> None:
    key = ec.generate_private_key(ec.SECP224R1())
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.from_pem(private_pem(key))


@pytest.mark.parametrize(
    "label",
    [
        b"PUBLIC KEY",
        b"PRIVATE KEY",
        b"RSA PRIVATE KEY",
        b"RSA PUBLIC KEY",
        b"EC PRIVATE KEY",
        b"ENCRYPTED PRIVATE KEY",
        b"CERTIFICATE",
    ],
)
@pytest.mark.parametrize(
    "body", [b"ZZZZ", b"", b"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", b"!!!!"]
)
def test_garbage_pem(label: bytes, body: bytes) -> None:
    pem = b"-----BEGIN " + label + b"-----\n" + body + b"\n-----END " + label + b"-----\n"
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(pem, password=b"pw" if b"ENCRYPTED" in label else None)


def test_truncated_pem(keys: dict[str, Any]) -> None:
    pem = private_pem(keys["RSA"])
    lines = pem.splitlines()
    cut = b"\n".join([*lines[:5], lines[-1]]) + b"\n"
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(cut)


@pytest.mark.parametrize("data", [b"", b"hello", b"-----BEGIN-----", b'{"kty":"oct","k":"AA"}'])
def test_no_pem_block(data: bytes) -> None:
    with raises_exactly(MalformedError):
        JWK.from_pem(data)


@pytest.mark.parametrize("label", [b"X509 CRL", b"CERTIFICATE REQUEST", b"OPENSSH PRIVATE KEY"])
def test_unsupported_label(label: bytes) -> None:
    pem = b"-----BEGIN " + label + b"-----\nAAAA\n-----END " + label + b"-----\n"
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.from_pem(pem)


@pytest.mark.parametrize("data", [None, 5, ["-----BEGIN PUBLIC KEY-----"]])
def test_not_bytes(data: Any) -> None:
    with raises_exactly(MalformedError):
        JWK.from_pem(data)


# -- to PEM ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_through_cryptography(keys: dict[str, Any], kind: str) -> None:
    jwk = JWK.from_dict({**members_of(kind, keys[kind], private=True), "kid": "rt"})
    public = jwk.to_pem()
    assert public.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert public == public_pem(keys[kind])
    private = jwk.to_pem(private=True)
    assert private.startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = serialization.load_pem_private_key(private, password=None)
    assert members_of(kind, loaded, private=True) == members_of(kind, keys[kind], private=True)
    # And back: PEM -> JWK gives the same members (without the kid, which PEM cannot carry).
    assert JWK.from_pem(private, kid="rt") == jwk
    assert JWK.from_pem(public, kid="rt") == jwk.public()


@pytest.mark.parametrize("kind", ["RSA", "secp256k1", "Ed448", "X25519"])
def test_encrypted_export(keys: dict[str, Any], kind: str) -> None:
    jwk = JWK.from_dict(members_of(kind, keys[kind], private=True))
    pem = jwk.to_pem(private=True, password=b"s3cret")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    loaded = serialization.load_pem_private_key(pem, password=b"s3cret")
    assert members_of(kind, loaded, private=True) == members_of(kind, keys[kind], private=True)
    assert JWK.from_pem(pem, password=b"s3cret") == jwk


def test_public_key_has_no_private_pem(keys: dict[str, Any]) -> None:
    jwk = JWK.from_dict(ec_members(keys["P-256"], "P-256", private=False))
    with raises_exactly(InvalidKeyError):
        jwk.to_pem(private=True)
