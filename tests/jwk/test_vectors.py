"""Every published key vector loads and re-exports to the same members.

The keys come from the transcribed RFC examples under vectors/ (RFC 7520 s3,
RFC 7517 A-C, RFC 7638 s3.1, RFC 8037 A.1-A.3, RFC 9278 s6, and every key
printed beside a JWS/JWE example). The cryptographic values are cross-checked
against cryptography fed the decoded members directly.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jose_ref import JWK, JWKSet
from jose_ref.errors import InvalidKeyError
from tests import vectorlib
from tests.jwk import PRIVATE_MEMBERS, b64u_decode, raises_exactly

# The key vectors issue 2 requires, by id (RFC and section).
REQUIRED_IDS = {
    "rfc7520-3.1-ec-public-p521",
    "rfc7520-3.2-ec-private-p521",
    "rfc7520-3.3-rsa-public-2048",
    "rfc7520-3.4-rsa-private-2048",
    "rfc7520-3.5-symmetric-mac-hs256",
    "rfc7520-3.6-symmetric-encryption-a256gcm",
    "rfc7517-a.1-public-keys",
    "rfc7517-a.2-private-keys",
    "rfc7517-a.3-symmetric-keys",
    "rfc7517-b-x5c-rsa-public-key",
    "rfc7517-c-pbes2-encrypted-jwk",
    "rfc7638-3.1-rsa-thumbprint",
    "rfc8037-a.1-ed25519-private-key",
    "rfc8037-a.2-ed25519-public-key",
    "rfc8037-a.3-ed25519-thumbprint",
    "rfc9278-6-thumbprint-uri",
}


def published_vectors() -> list[dict[str, Any]]:
    found = []
    for path in sorted(vectorlib.VECTORS.rglob("*.json")):
        relative = path.relative_to(vectorlib.VECTORS)
        if path.name == "schema.json" or relative.parts[0] in ("derived", "tools"):
            continue
        found.append(vectorlib.load(f"{relative.parts[0]}-{path.stem}"))
    return found


def published_keys() -> list[tuple[str, dict[str, Any]]]:
    """(label, JWK members) for every distinct key printed in a published vector."""
    keys: list[tuple[str, dict[str, Any]]] = []
    for vector in published_vectors():
        for name, members in sorted(vector.get("keys", {}).items()):
            keys.append((f"{vector['id']}:{name}", members))
        for index, members in enumerate(vector.get("input", {}).get("jwks", {}).get("keys", [])):
            keys.append((f"{vector['id']}:jwks[{index}]", members))
        plaintext_jwk = vector.get("input", {}).get("plaintext_jwk")
        if plaintext_jwk is not None:
            keys.append((f"{vector['id']}:plaintext_jwk", plaintext_jwk))
    # Many examples print the same key again: test each distinct key once (RSA loads are slow).
    distinct: dict[str, tuple[str, dict[str, Any]]] = {}
    for label, members in keys:
        distinct.setdefault(json.dumps(members, sort_keys=True), (label, members))
    return list(distinct.values())


KEYS = published_keys()
KEY_IDS = [label for label, _ in KEYS]
_LOADED: dict[str, JWK] = {}


def loaded(members: dict[str, Any]) -> JWK:
    """JWK.from_dict, once per distinct key in this module (the first call is the real test)."""
    text = json.dumps(members, sort_keys=True)
    if text not in _LOADED:
        _LOADED[text] = JWK.from_dict(members)
    return _LOADED[text]


VECTORS = {vector["id"]: vector for vector in published_vectors()}

# The key members of each kty (RFC 7518 s6.2-6.4, RFC 8037 s2): what the export path
# computes from the key material, as opposed to parameters like kid, use or alg.
KEY_MEMBERS = {
    "RSA": ("kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"),
    "EC": ("kty", "crv", "x", "y", "d"),
    "OKP": ("kty", "crv", "x", "d"),
    "oct": ("kty", "k"),
    "AKP": ("kty", "alg", "pub", "priv"),  # RFC 9964 s3: "alg" is part of the key material
}


def key_members(members: dict[str, Any]) -> dict[str, Any]:
    """The published key members of a JWK, nothing else."""
    return {name: members[name] for name in KEY_MEMBERS[members["kty"]] if name in members}


def rebuilt(jwk: JWK) -> dict[str, Any]:
    """The members exported afresh from the cryptography object (or secret) behind `jwk`."""
    if jwk.kty == "oct":
        material: Any = jwk.secret
    else:
        material = jwk.crypto_private if jwk.is_private else jwk.crypto_public
    return JWK.from_key_object(material).to_dict(private=True)


def integer(members: dict[str, Any], name: str) -> int:
    return int.from_bytes(b64u_decode(members[name]), "big")


def test_required_key_vectors_are_present() -> None:
    assert set(VECTORS) >= REQUIRED_IDS, sorted(REQUIRED_IDS - set(VECTORS))


def test_vector_keys_cover_every_kty() -> None:
    assert {members["kty"] for _, members in KEYS} >= {"RSA", "EC", "oct", "OKP"}
    assert len(KEYS) >= 15


@pytest.mark.parametrize("members", [m for _, m in KEYS], ids=KEY_IDS)
def test_key_loads_and_reexports_the_same_members(members: dict[str, Any]) -> None:
    jwk = loaded(members)
    # Exported from the loaded cryptography key, not echoed from the stored members: the
    # RFC's printed values must come back octet for octet.
    assert rebuilt(jwk) == key_members(members)
    assert json.loads(JWK.from_dict(rebuilt(jwk)).to_json(private=True)) == key_members(members)
    assert jwk.kty == members["kty"]
    assert (jwk.kid, jwk.alg, jwk.use) == (
        members.get("kid"),
        members.get("alg"),
        members.get("use"),
    )


@pytest.mark.parametrize("members", [m for _, m in KEYS], ids=KEY_IDS)
def test_public_export_of_every_vector_key(members: dict[str, Any]) -> None:
    jwk = loaded(members)
    if members["kty"] == "oct":
        with raises_exactly(InvalidKeyError):
            jwk.to_dict()
        return
    public = {name: value for name, value in members.items() if name not in PRIVATE_MEMBERS}
    assert jwk.to_dict() == public
    assert jwk.public().to_dict() == public
    assert jwk.is_private == ("d" in members or "priv" in members)


@pytest.mark.parametrize("members", [m for _, m in KEYS], ids=KEY_IDS)
def test_key_material_matches_cryptography(members: dict[str, Any]) -> None:
    jwk = loaded(members)
    kty = members["kty"]
    if kty == "oct":
        assert jwk.secret == b64u_decode(members["k"])
    elif kty == "RSA":
        numbers = jwk.crypto_public.public_numbers()
        assert (numbers.n, numbers.e) == (integer(members, "n"), integer(members, "e"))
        if "d" in members:
            private = jwk.crypto_private.private_numbers()
            assert private.d == integer(members, "d")
            if "p" in members:
                assert (private.p, private.q) == (integer(members, "p"), integer(members, "q"))
    elif kty == "EC":
        numbers = jwk.crypto_public.public_numbers()
        assert (numbers.x, numbers.y) == (integer(members, "x"), integer(members, "y"))
        if "d" in members:
            assert jwk.crypto_private.private_numbers().private_value == integer(members, "d")
    elif kty == "AKP":
        assert jwk.crypto_public.public_bytes_raw() == b64u_decode(members["pub"])
        if "priv" in members:
            assert jwk.crypto_private.private_bytes_raw() == b64u_decode(members["priv"])
    else:
        raw = jwk.crypto_public.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        assert raw == b64u_decode(members["x"])


@pytest.mark.parametrize(
    "vector_id", sorted(v for v in VECTORS if "public" in VECTORS[v]["expected"])
)
def test_expected_public_form(vector_id: str) -> None:
    vector = VECTORS[vector_id]
    assert JWK.from_dict(vector["keys"]["key"]).to_dict() == vector["expected"]["public"]


@pytest.mark.parametrize("vector_id", sorted(v for v in VECTORS if VECTORS[v]["kind"] == "jwks"))
def test_jwks_vectors_load_every_key(vector_id: str) -> None:
    document = VECTORS[vector_id]["input"]["jwks"]
    keys = JWKSet.from_dict(document)
    assert len(list(keys)) == len(document["keys"]) > 0
    assert [rebuilt(key) for key in keys] == [key_members(m) for m in document["keys"]]
    assert [key.kid for key in keys] == [m.get("kid") for m in document["keys"]]


def test_rfc7520_p521_keeps_66_octet_values() -> None:
    # RFC 7520 s3.2 prints d with a leading zero octet ("AAhR..."): 66 octets, not minimal.
    members = VECTORS["rfc7520-3.2-ec-private-p521"]["keys"]["key"]
    assert len(b64u_decode(members["d"])) == 66
    assert b64u_decode(members["d"])[0] == 0
    jwk = JWK.from_dict(members)
    assert jwk.crv == "P-521"
    assert isinstance(jwk.crypto_private.curve, ec.SECP521R1)
    assert rebuilt(jwk)["d"] == members["d"]


def test_rfc7520_rsa_keys_are_one_key() -> None:
    public = JWK.from_dict(VECTORS["rfc7520-3.3-rsa-public-2048"]["keys"]["key"])
    private = JWK.from_dict(VECTORS["rfc7520-3.4-rsa-private-2048"]["keys"]["key"])
    assert private.public() == public
    assert isinstance(private.crypto_private, rsa.RSAPrivateKey)
    assert private.crypto_private.key_size == 2048


def test_rfc7517_b_x5c_certificate_holds_the_same_key() -> None:
    members = VECTORS["rfc7517-b-x5c-rsa-public-key"]["keys"]["key"]
    jwk = JWK.from_dict(members)
    assert jwk.to_dict()["x5c"] == members["x5c"]
    certificate = x509.load_der_x509_certificate(base64.b64decode(members["x5c"][0]))
    numbers = certificate.public_key().public_numbers()
    assert numbers == jwk.crypto_public.public_numbers()


def test_rfc7517_c_plaintext_is_the_jwk() -> None:
    vector = VECTORS["rfc7517-c-pbes2-encrypted-jwk"]
    text = vectorlib.octets(vector["input"]["plaintext"])
    jwk = JWK.from_json(text)
    assert json.loads(text) == vector["input"]["plaintext_jwk"]
    assert rebuilt(jwk) == key_members(vector["input"]["plaintext_jwk"])
    assert jwk.kty == "RSA"
    assert jwk.is_private


def test_rfc8037_a1_raw_octets() -> None:
    # RFC 8037 A.1 prints d and x also as hex: the loaded key holds exactly those octets.
    vector = VECTORS["rfc8037-a.1-ed25519-private-key"]
    jwk = JWK.from_dict(vector["keys"]["key"])
    raw = serialization.Encoding.Raw
    d = jwk.crypto_private.private_bytes(
        raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    x = jwk.crypto_public.public_bytes(raw, serialization.PublicFormat.Raw)
    assert d == vectorlib.octets(vector["intermediate"]["d"])
    assert x == vectorlib.octets(vector["intermediate"]["x"])


def test_rfc8037_a2_is_the_public_half_of_a1() -> None:
    private = JWK.from_dict(VECTORS["rfc8037-a.1-ed25519-private-key"]["keys"]["key"])
    public = JWK.from_dict(VECTORS["rfc8037-a.2-ed25519-public-key"]["keys"]["key"])
    assert private.public() == public
