"""RFC 9964 Appendix A.1: the all-zero-seed ML-DSA keys, their thumbprints and JWS.

The transcribed values are checked against independent computations first
(cryptography regenerates "pub" from the zero seed and verifies the printed
signatures; hashlib recomputes the thumbprints), then run through jose_ref:
the JWKs load and give the printed "kid" as thumbprint, the JWS verify, and
mutations of them are refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from jose_ref import JWK, JWKSet, jws
from jose_ref.errors import AlgorithmNotAllowedError, InvalidSignatureError, KeyNotFoundError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import mldsa
from tests import vectorlib
from tests.mldsa_support import needs_mldsa

LEVELS = ["44", "65", "87"]
pytestmark = needs_mldsa


def _b64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _vector(level: str, kind: str) -> dict[str, Any]:
    return vectorlib.load(f"rfc9964-a.1-ml-dsa-{level}-{kind}")


def test_every_parameter_set_has_its_key_and_jws_vector() -> None:
    ids = {v["id"] for v in vectorlib.all_of("jwk", "rfc9964") + vectorlib.all_of("jws", "rfc9964")}
    assert ids == {
        f"rfc9964-a.1-ml-dsa-{level}-{kind}" for level in LEVELS for kind in ("jwk", "jws")
    }


@pytest.mark.parametrize("level", LEVELS)
def test_transcription_matches_cryptography(level: str) -> None:
    members = _vector(level, "jwk")["keys"]["key"]
    classes = mldsa.key_classes(registry.signature(f"ML-DSA-{level}"))
    private = classes.private.from_seed_bytes(_b64u(members["priv"]))
    assert _b64u(members["priv"]) == bytes(32)
    assert private.public_key().public_bytes_raw() == _b64u(members["pub"])
    token = _vector(level, "jws")["expected"]["compact"]
    signing_input, _, signature = token.rpartition(".")
    private.public_key().verify(_b64u(signature), signing_input.encode("ascii"))


@pytest.mark.parametrize("level", LEVELS)
def test_thumbprint_is_the_printed_kid(level: str) -> None:
    vector = _vector(level, "jwk")
    members = vector["keys"]["key"]
    canonical = json.dumps(
        {"alg": members["alg"], "kty": "AKP", "pub": members["pub"]}, separators=(",", ":")
    ).encode()
    independent = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=")
    assert independent.decode() == members["kid"] == vector["expected"]["thumbprint"]["b64u"]
    key = JWK.from_dict(members)
    assert key.thumbprint() == key.public().thumbprint() == members["kid"]
    assert key.to_dict() == vector["expected"]["public"]


@pytest.mark.parametrize("level", LEVELS)
def test_printed_jws_verifies_with_the_public_key_and_the_key_set(level: str) -> None:
    vector = _vector(level, "jws")
    public = JWK.from_dict(vector["keys"]["akp"]).public()
    token = vector["expected"]["compact"]
    verified = jws.verify_compact(token, public)
    assert verified.payload == vectorlib.octets(vector["expected"]["payload"])
    assert verified.header == vector["input"]["signatures"][0]["protected"]
    assert jws.verify_compact(token, JWKSet([public])).key.kid == public.kid


@pytest.mark.parametrize("level", LEVELS)
def test_printed_jws_with_a_flipped_signature_bit_is_refused(level: str) -> None:
    vector = _vector(level, "jws")
    public = JWK.from_dict(vector["keys"]["akp"]).public()
    head, _, signature = vector["expected"]["compact"].rpartition(".")
    raw = bytearray(_b64u(signature))
    raw[100] ^= 0x01
    for wrong in (bytes(raw), _b64u(signature)[:-3]):  # one bit flipped; 3 octets short
        encoded = base64.urlsafe_b64encode(wrong).rstrip(b"=").decode()
        with pytest.raises(InvalidSignatureError):
            jws.verify_compact(f"{head}.{encoded}", public)


def test_printed_jws_of_one_set_is_refused_by_the_keys_of_the_others() -> None:
    token = _vector("44", "jws")["expected"]["compact"]
    others = [
        JWK.from_dict(_vector(level, "jwk")["keys"]["key"]).public() for level in ("65", "87")
    ]
    for key in others:
        with pytest.raises(AlgorithmNotAllowedError):
            jws.verify_compact(token, key, algorithms=["ML-DSA-44"])
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet(others), algorithms=["ML-DSA-44"])


@pytest.mark.parametrize("level", LEVELS)
def test_jwcrypto_agrees_on_the_printed_values(level: str) -> None:
    jc_jwk = pytest.importorskip("jwcrypto.jwk")
    jc_jws = pytest.importorskip("jwcrypto.jws")
    if f"ML-DSA-{level}" not in getattr(jc_jwk, "ImplementedAKPAlgorithms", ()):
        pytest.skip("the installed jwcrypto has no ML-DSA (RFC 9964 needs jwcrypto >= 1.6)")
    members = _vector(level, "jwk")["keys"]["key"]
    key = jc_jwk.JWK(**members)
    assert key.thumbprint() == members["kid"]
    checker = jc_jws.JWS()
    checker.deserialize(_vector(level, "jws")["expected"]["compact"])
    checker.verify(key, alg=f"ML-DSA-{level}")
