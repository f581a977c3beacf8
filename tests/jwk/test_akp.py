"""RFC 9964 s3-s6 - AKP keys: members, lengths, seed, thumbprint, PEM, sets, generate.

Expected values are computed independently: key bytes with cryptography
directly, thumbprints with hashlib over the RFC 7638 s3 canonical JSON built
here by hand, base64url with Python's base64.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from unittest import mock

import pytest

from jose_ref import JWK, JWKSet, jws
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    KeyNotFoundError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import mldsa
from tests.jwk import raises_exactly
from tests.mldsa_support import needs_mldsa

ALGS = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"]
PUBLIC_BYTES = {"ML-DSA-44": 1312, "ML-DSA-65": 1952, "ML-DSA-87": 2592}


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def members_from_seed(alg: str, seed: bytes) -> dict[str, Any]:
    """An AKP private JWK built with cryptography directly (RFC 9964 s3, s4)."""
    private = mldsa.key_classes(registry.signature(alg)).private.from_seed_bytes(seed)
    pub = private.public_key().public_bytes_raw()
    return {"kty": "AKP", "alg": alg, "pub": b64u(pub), "priv": b64u(seed)}


def public_members(members: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in members.items() if name != "priv"}


@needs_mldsa
@pytest.mark.parametrize("alg", ALGS)
def test_from_dict_to_dict_public_round_trip(alg: str) -> None:
    members = {**members_from_seed(alg, bytes(range(32))), "kid": "k1", "use": "sig"}
    key = JWK.from_dict(members)
    assert (key.kty, key.alg, key.kid, key.use, key.crv, key.is_private) == (
        "AKP",
        alg,
        "k1",
        "sig",
        None,
        True,
    )
    assert key.to_dict(private=True) == members
    assert key.to_dict() == public_members(members)
    assert key.public().to_dict() == public_members(members)
    assert not key.public().is_private
    assert JWK.from_json(key.to_json(private=True)) == key


@needs_mldsa
@pytest.mark.parametrize("alg", ALGS)
def test_thumbprint_uses_alg_kty_pub(alg: str) -> None:
    members = {**members_from_seed(alg, bytes(32)), "kid": "ignored", "use": "sig"}
    # RFC 9964 s6 with RFC 7638 s3: "alg", "kty", "pub" in that order, no whitespace.
    canonical = json.dumps(
        {"alg": alg, "kty": "AKP", "pub": members["pub"]}, separators=(",", ":")
    ).encode()
    expected = b64u(hashlib.sha256(canonical).digest())
    key = JWK.from_dict(members)
    assert key.thumbprint_input() == canonical
    assert key.thumbprint() == key.public().thumbprint() == expected
    assert key.thumbprint("SHA-512") == b64u(hashlib.sha512(canonical).digest())


@needs_mldsa
def test_thumbprint_differs_by_alg_for_the_same_seed() -> None:
    prints = {JWK.from_dict(members_from_seed(alg, bytes(32))).thumbprint() for alg in ALGS}
    assert len(prints) == 3


@needs_mldsa
@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("delta", [-1, 1])
def test_pub_of_the_wrong_length_is_refused_before_cryptography(alg: str, delta: int) -> None:
    members = public_members(members_from_seed(alg, bytes(32)))
    pub = base64.urlsafe_b64decode(members["pub"] + "==")
    members["pub"] = b64u(pub[:delta] if delta < 0 else pub + b"\x00")
    classes = mldsa.key_classes(registry.signature(alg))
    with (
        mock.patch.object(classes.public, "from_public_bytes") as load,
        raises_exactly(InvalidKeyError),
    ):
        JWK.from_dict(members)
    assert load.call_count == 0


@needs_mldsa
@pytest.mark.parametrize("size", [0, 31, 33, 64, 2560])
def test_priv_must_be_the_32_octet_seed(size: int) -> None:
    # RFC 9964 s4: "priv" MUST be the seed, 32 octets; the expanded key (2560 for -44) is refused.
    members = members_from_seed("ML-DSA-44", bytes(32))
    members["priv"] = b64u(bytes(size))
    with raises_exactly(InvalidKeyError):
        JWK.from_dict(members)


@needs_mldsa
def test_priv_that_does_not_match_pub_is_refused() -> None:
    # RFC 9964 s7.4: mismatched public and private parameters.
    members = members_from_seed("ML-DSA-65", bytes(32))
    members["priv"] = b64u(b"\x01" * 32)
    with pytest.raises(InvalidKeyError, match="does not match"):
        JWK.from_dict(members)


@needs_mldsa
def test_pub_of_one_set_under_the_alg_of_another_is_refused() -> None:
    members = members_from_seed("ML-DSA-44", bytes(32))
    with raises_exactly(InvalidKeyError):
        JWK.from_dict({**members, "alg": "ML-DSA-65"})


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"alg": None}, InvalidKeyError),  # RFC 9964 s3: "alg" is REQUIRED
        ({"alg": "ES256"}, UnsupportedAlgorithmError),  # not an AKP algorithm
        ({"alg": "ML-DSA-1024"}, UnsupportedAlgorithmError),
        ({"alg": ["ML-DSA-44"]}, MalformedError),
        ({"pub": None}, InvalidKeyError),  # "pub" is REQUIRED
        ({"pub": 12}, MalformedError),
        ({"pub": "not base64url!"}, MalformedError),
    ],
)
def test_malformed_members(change: dict[str, Any], error: type[Exception]) -> None:
    members: dict[str, Any] = {"kty": "AKP", "alg": "ML-DSA-44", "pub": b64u(bytes(1312))}
    for name, value in change.items():
        if value is None:
            del members[name]
        else:
            members[name] = value
    with raises_exactly(error):
        JWK.from_dict(members)


def test_without_mldsa_a_well_formed_key_names_the_version_needed() -> None:
    members = {"kty": "AKP", "alg": "ML-DSA-87", "pub": b64u(bytes(2592))}
    with mock.patch.object(mldsa, "available", return_value=False):
        with pytest.raises(UnsupportedAlgorithmError, match=r"cryptography >= 48\.0"):
            JWK.from_dict(members)
        with pytest.raises(UnsupportedAlgorithmError, match="ML-DSA-65"):
            JWK.generate("AKP", alg="ML-DSA-65")
        # RFC 7517 s5: a set skips a key it cannot use instead of failing as a whole.
        assert len(JWKSet.from_dict({"keys": [members]})) == 0


@needs_mldsa
@pytest.mark.parametrize("alg", ALGS)
def test_generate_gives_a_key_of_the_named_set(alg: str) -> None:
    key = JWK.generate("AKP", alg=alg, kid="gen")
    members = key.to_dict(private=True)
    assert (members["kty"], members["alg"], members["kid"]) == ("AKP", alg, "gen")
    seed = base64.urlsafe_b64decode(members["priv"] + "=")
    assert len(seed) == 32
    # The seed regenerates the published pub (cryptography directly).
    assert members == {**members_from_seed(alg, seed), "kid": "gen"}
    assert len(base64.urlsafe_b64decode(members["pub"] + "==")) == PUBLIC_BYTES[alg]


def test_generate_needs_alg() -> None:
    with raises_exactly(InvalidKeyError):
        JWK.generate("AKP")
    with raises_exactly(UnsupportedAlgorithmError):
        JWK.generate("AKP", alg="Ed25519")


@needs_mldsa
@pytest.mark.parametrize("alg", ALGS)
def test_pem_round_trip(alg: str) -> None:
    members = members_from_seed(alg, bytes(range(32, 64)))
    key = JWK.from_dict(members)
    private_pem, public_pem = key.to_pem(private=True), key.to_pem()
    assert b"BEGIN PRIVATE KEY" in private_pem and b"BEGIN PUBLIC KEY" in public_pem
    assert JWK.from_pem(private_pem).to_dict(private=True) == members
    assert JWK.from_pem(public_pem, kid="p").to_dict() == {**public_members(members), "kid": "p"}
    assert JWK.from_pem(key.to_pem(private=True, password=b"pw"), password=b"pw") == key


@needs_mldsa
def test_pem_with_a_conflicting_alg_is_refused() -> None:
    key = JWK.generate("AKP", alg="ML-DSA-44")
    with raises_exactly(InvalidKeyError):
        JWK.from_pem(key.to_pem(), alg="ML-DSA-87")


@needs_mldsa
def test_key_sets_find_and_use_akp_keys() -> None:
    keys = [JWK.generate("AKP", alg=alg, kid=alg) for alg in ALGS]
    document = {"keys": [key.public().to_dict() for key in keys]}
    key_set = JWKSet.from_dict(document)
    assert [key.kid for key in key_set.find(alg="ML-DSA-65")] == ["ML-DSA-65"]
    token = jws.sign_compact(b"set", keys[2], alg="ML-DSA-87")
    assert jws.verify_compact(token, key_set).key.kid == "ML-DSA-87"
    # The token's "kid" names the ML-DSA-44 key: it cannot verify an ML-DSA-87 token.
    forged = jws.sign_compact(b"set", keys[2], alg="ML-DSA-87", header={"kid": "ML-DSA-44"})
    with raises_exactly(KeyNotFoundError):
        jws.verify_compact(forged, key_set)


@needs_mldsa
def test_use_and_key_ops_are_honoured() -> None:
    signer = JWK.generate("AKP", alg="ML-DSA-44")
    token = jws.sign_compact(b"ops", signer, alg="ML-DSA-44")
    for extra in ({"use": "enc"}, {"key_ops": ["sign"]}):
        verifier = JWK.from_dict({**signer.public().to_dict(), **extra})
        with raises_exactly(InvalidKeyError):
            jws.verify_compact(token, verifier)
    with raises_exactly(InvalidKeyError):
        jws.sign_compact(
            b"ops",
            JWK.from_dict({**signer.to_dict(private=True), "key_ops": ["verify"]}),
            alg="ML-DSA-44",
        )
    assert (
        jws.verify_compact(
            token, JWK.from_dict({**signer.public().to_dict(), "key_ops": ["verify"]})
        ).payload
        == b"ops"
    )


@needs_mldsa
def test_an_akp_key_fits_only_its_own_alg() -> None:
    key = JWK.generate("AKP", alg="ML-DSA-65")
    with raises_exactly(AlgorithmNotAllowedError):
        jws.sign_compact(b"x", key, alg="ML-DSA-44")
    token = jws.sign_compact(b"x", JWK.generate("AKP", alg="ML-DSA-44"), alg="ML-DSA-44")
    with raises_exactly(AlgorithmNotAllowedError):
        jws.verify_compact(token, key.public())  # its own alg is the only one it accepts
    with raises_exactly(AlgorithmNotAllowedError):
        jws.verify_compact(token, key.public(), algorithms=["ML-DSA-44"])  # even when allowed
    for other in ("ES256", "EdDSA", "Ed25519", "HS256"):
        with pytest.raises((InvalidKeyError, AlgorithmNotAllowedError)):
            jws.sign_compact(b"x", key, alg=other)
