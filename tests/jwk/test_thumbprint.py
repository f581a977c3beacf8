"""JWK thumbprints (RFC 7638, RFC 8037 A.3) and thumbprint URIs (RFC 9278).

Expected values come from the published vectors, from hashlib over a
canonical form built here, and from jwcrypto and joserfc as independent
implementations.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import jwcrypto.jwk
import pytest
from joserfc.jwk import JWKRegistry

from jose_ref import JWK
from jose_ref.errors import UnsupportedAlgorithmError
from tests import vectorlib
from tests.jwk import (
    EC_CURVES,
    OKP_CURVES,
    b64u,
    ec_members,
    new_ec,
    new_okp,
    okp_members,
    raises_exactly,
    rsa_members,
    rsa_private,
)

# RFC 7638 s3.2 and RFC 8037 s2: the required members of each key type.
REQUIRED = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "oct": ("k", "kty"),
    "OKP": ("crv", "kty", "x"),
}
HASHES = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512}
URN = "urn:ietf:params:oauth:jwk-thumbprint:"


def canonical(members: dict[str, Any]) -> bytes:
    """RFC 7638 s3.3: required members only, sorted, no whitespace, UTF-8."""
    names = sorted(REQUIRED[members["kty"]])
    body = ",".join(f'"{name}":"{members[name]}"' for name in names)
    return ("{" + body + "}").encode("utf-8")


def thumbprint_vectors() -> list[dict[str, Any]]:
    return [v for v in vectorlib.all_of("jwk") if "thumbprint" in v["expected"]]


VECTORS = thumbprint_vectors()


@pytest.fixture(scope="module")
def sample_keys() -> dict[str, dict[str, str]]:
    """One private key of every kty/crv, as members computed with cryptography directly."""
    keys = {"RSA": rsa_members(rsa_private(), private=True)}
    keys |= {crv: ec_members(new_ec(crv), crv, private=True) for crv in EC_CURVES}
    keys |= {crv: okp_members(new_okp(crv), crv, private=True) for crv in OKP_CURVES}
    keys["oct"] = {"kty": "oct", "k": b64u(b"\x2a" * 32)}
    return keys


KINDS = ["RSA", *sorted(EC_CURVES), *sorted(OKP_CURVES), "oct"]


# -- published values --------------------------------------------------------------------------


def test_thumbprint_vectors_present() -> None:
    ids = {v["id"] for v in VECTORS}
    assert {
        "rfc7638-3.1-rsa-thumbprint",
        "rfc8037-a.3-ed25519-thumbprint",
        "rfc9278-6-thumbprint-uri",
    } <= ids


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_published_thumbprint(vector: dict[str, Any]) -> None:
    expected = vector["expected"]["thumbprint"]
    for members in vector["keys"].values():
        jwk = JWK.from_dict(members)
        assert jwk.thumbprint(expected["hash"]) == expected["b64u"]
        if "hex" in expected:
            assert vectorlib.octets({"b64u": expected["b64u"]}).hex() == expected["hex"]


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS if "thumbprint_input" in v.get("intermediate", {})],
    ids=[v["id"] for v in VECTORS if "thumbprint_input" in v.get("intermediate", {})],
)
def test_published_thumbprint_input(vector: dict[str, Any]) -> None:
    printed = vectorlib.octets(vector["intermediate"]["thumbprint_input"])
    for members in vector["keys"].values():
        assert JWK.from_dict(members).thumbprint_input() == printed
        assert canonical(members) == printed
    digest = HASHES[vector["expected"]["thumbprint"]["hash"]](printed).digest()
    assert b64u(digest) == vector["expected"]["thumbprint"]["b64u"]


def test_rfc7638_value() -> None:
    vector = vectorlib.load("rfc7638-3.1-rsa-thumbprint")
    jwk = JWK.from_dict(vector["keys"]["key"])
    # RFC 7638 s3.1, the last line of the example.
    assert jwk.thumbprint() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert jwk.thumbprint() == vector["expected"]["thumbprint"]["b64u"]


def test_rfc8037_private_and_public_share_the_thumbprint() -> None:
    vector = vectorlib.load("rfc8037-a.3-ed25519-thumbprint")
    values = {JWK.from_dict(members).thumbprint() for members in vector["keys"].values()}
    assert values == {"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"}


@pytest.mark.parametrize(
    "vector",
    [v for v in vectorlib.all_of("jwk") if "thumbprint_uri" in v["expected"]],
    ids=lambda v: v["id"],
)
def test_published_thumbprint_uri(vector: dict[str, Any]) -> None:
    jwk = JWK.from_dict(vector["keys"]["key"])
    assert jwk.thumbprint_uri() == vector["expected"]["thumbprint_uri"]
    assert jwk.thumbprint_uri("SHA-256") == vector["expected"]["thumbprint_uri"]


def test_rfc9278_uri_is_present() -> None:
    vector = vectorlib.load("rfc9278-6-thumbprint-uri")
    assert vector["expected"]["thumbprint_uri"] == (
        URN + "sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    )
    assert (
        JWK.from_dict(vector["keys"]["key"]).thumbprint_uri()
        == vector["expected"]["thumbprint_uri"]
    )


# -- computed independently --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("hash_name", sorted(HASHES))
def test_thumbprint_matches_hashlib(
    sample_keys: dict[str, dict[str, str]], kind: str, hash_name: str
) -> None:
    members = sample_keys[kind]
    jwk = JWK.from_dict(members)
    expected = b64u(HASHES[hash_name](canonical(members)).digest())
    assert jwk.thumbprint_input() == canonical(members)
    assert jwk.thumbprint(hash_name) == expected
    # RFC 9278 s3 with the RFC 6920 hash names.
    assert jwk.thumbprint_uri(hash_name) == f"{URN}{hash_name.lower()}:{expected}"


@pytest.mark.parametrize("kind", KINDS)
def test_independent_of_member_order_and_extra_members(
    sample_keys: dict[str, dict[str, str]], kind: str
) -> None:
    members = sample_keys[kind]
    reference = JWK.from_dict(members).thumbprint()
    reordered = dict(reversed(list(members.items())))
    extra = {
        "x-extra": {"nested": [1, 2]},
        **members,
        "kid": "some kid",
        "alg": "whatever",
        "use": "enc" if kind.startswith("X") else "sig",
        "ext": True,
    }
    assert JWK.from_dict(reordered).thumbprint() == reference
    assert JWK.from_dict(extra).thumbprint() == reference
    assert JWK.from_json(json.dumps(extra, indent=4)).thumbprint() == reference
    if kind != "oct":
        public = {k: v for k, v in members.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        assert JWK.from_dict(public).thumbprint() == reference


def test_different_keys_have_different_thumbprints(
    sample_keys: dict[str, dict[str, str]],
) -> None:
    values = [JWK.from_dict(members).thumbprint() for members in sample_keys.values()]
    assert len(set(values)) == len(values)


@pytest.mark.parametrize("hash_name", ["sha256", "SHA256", "SHA-1", "MD5", "", "SHA3-256"])
def test_unsupported_hash(sample_keys: dict[str, dict[str, str]], hash_name: str) -> None:
    jwk = JWK.from_dict(sample_keys["P-256"])
    with raises_exactly(UnsupportedAlgorithmError):
        jwk.thumbprint(hash_name)
    with raises_exactly(UnsupportedAlgorithmError):
        jwk.thumbprint_uri(hash_name)


# -- cross-checks with other implementations ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_jwcrypto_gives_the_same_thumbprint(
    sample_keys: dict[str, dict[str, str]], kind: str
) -> None:
    jwk = JWK.from_dict(sample_keys[kind])
    exported = jwk.to_dict(private=True)
    theirs = jwcrypto.jwk.JWK(**exported)
    assert theirs.thumbprint() == jwk.thumbprint()
    if kind != "oct":
        ours_public = jwk.to_dict()
        theirs_public = json.loads(theirs.export_public())
        assert theirs_public == ours_public


@pytest.mark.parametrize("kind", ["RSA", "P-256", "P-521", "Ed25519", "X25519", "oct"])
def test_generated_keys_load_in_jwcrypto(kind: str) -> None:
    if kind == "RSA":
        jwk = JWK.generate("RSA", kid="g")
    elif kind == "oct":
        jwk = JWK.generate("oct", kid="g")
    elif kind in EC_CURVES:
        jwk = JWK.generate("EC", crv=kind, kid="g")
    else:
        jwk = JWK.generate("OKP", crv=kind, kid="g")
    theirs = jwcrypto.jwk.JWK(**jwk.to_dict(private=True))
    # jwcrypto calls a symmetric key neither public nor private; it must hold the same k.
    assert theirs.has_private or theirs.get("k") == jwk.to_dict(private=True)["k"]
    assert theirs.thumbprint() == jwk.thumbprint()
    assert theirs.get("kid") == "g"


@pytest.mark.parametrize("kind", ["RSA", "P-256", "P-384", "Ed25519", "oct"])
def test_joserfc_gives_the_same_thumbprint(
    sample_keys: dict[str, dict[str, str]], kind: str
) -> None:
    jwk = JWK.from_dict(sample_keys[kind])
    theirs = JWKRegistry.import_key(jwk.to_dict(private=True))
    assert theirs.thumbprint() == jwk.thumbprint()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_jwcrypto_agrees_on_the_published_keys(vector: dict[str, Any]) -> None:
    for members in vector["keys"].values():
        assert jwcrypto.jwk.JWK(**members).thumbprint() == JWK.from_dict(members).thumbprint()
