"""Published JWS examples (RFC 7515 A, RFC 7520 s4, RFC 7797 s4, RFC 8037 A.4).

Every example is verified in every serialization it prints. Every deterministic
signature (HMAC, RSASSA-PKCS1-v1_5, EdDSA) is computed again over the exact encoded
protected header the RFC printed and compared byte for byte, as is the compact
serialization assembled from it.
"""

from __future__ import annotations

from typing import Any

import pytest

from jose_ref import JWK, JWKSet, jws
from jose_ref.errors import AlgorithmNotAllowedError
from jose_ref.jws import sign
from tests import vectorlib
from tests.jws.keys import private, public

VECTORS = vectorlib.all_of("jws")
VALID = [v for v in VECTORS if v["expected"]["result"] == "valid"]
DETERMINISTIC_ALGS = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "EdDSA"}


def _ids(vectors: list[dict[str, Any]]) -> list[str]:
    return [v["id"] for v in vectors]


def _serialized(vectors: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    return [(v, form) for v in vectors for form in v["serializations"]]


def _detached(vector: dict[str, Any], form: str) -> bytes | None:
    detached_forms = vector["input"].get("detached_serializations")
    if not vector["input"]["detached"]:
        return None
    if detached_forms is not None and form not in detached_forms:
        return None
    return vectorlib.octets(vector["input"]["payload"])


def _verify(vector: dict[str, Any], form: str, key: JWK | JWKSet) -> jws.Verified:
    detached = _detached(vector, form)
    if form == "compact":
        return jws.verify_compact(vector["expected"][form], key, payload=detached)
    return jws.verify_json(vector["expected"][form], key, payload=detached)


def test_the_jws_vectors_are_there() -> None:
    assert len(VALID) >= 15
    # The byte-for-byte re-sign cases (parametrized below) must not silently shrink.
    resigned = {(vector["id"], index) for vector, index in _resign_cases()}
    assert {
        ("rfc7515-a.1-hs256", 0),
        ("rfc7515-a.2-rs256", 0),
        ("rfc8037-a.4-ed25519-signing", 0),
        ("rfc7520-4.1-rsa-v15-signature-rs256", 0),
        ("rfc7797-4.2-b64-false-hs256", 0),
    } <= resigned


@pytest.mark.parametrize(
    ("vector", "form"), _serialized(VALID), ids=[f"{v['id']}-{f}" for v, f in _serialized(VALID)]
)
def test_verify_with_each_signers_public_key(vector: dict[str, Any], form: str) -> None:
    expected_payload = vectorlib.octets(vector["expected"]["payload"])
    for index, signature in enumerate(vector["input"]["signatures"]):
        key = public(JWK.from_dict(vector["keys"][signature["key"]]))
        verified = _verify(vector, form, key)
        assert verified.payload == expected_payload
        assert verified.signature_index == index
        assert verified.header["alg"] == signature["alg"]


@pytest.mark.parametrize(
    ("vector", "form"), _serialized(VALID), ids=[f"{v['id']}-{f}" for v, f in _serialized(VALID)]
)
def test_verify_with_the_key_set(vector: dict[str, Any], form: str) -> None:
    # The recipient's key set names each key by the "kid" its signature carries.
    members = []
    for signature in vector["input"]["signatures"]:
        key = dict(vector["keys"][signature["key"]])
        headers = {**(signature["protected"] or {}), **(signature["unprotected"] or {})}
        if "kid" in headers:
            key["kid"] = headers["kid"]
        members.append(public(JWK.from_dict(key)))
    verified = _verify(vector, form, JWKSet(members))
    assert verified.signature_index == 0
    assert verified.payload == vectorlib.octets(vector["expected"]["payload"])


def _resign_cases() -> list[tuple[dict[str, Any], int]]:
    return [
        (vector, index)
        for vector in VALID
        for index, signature in enumerate(vector["input"]["signatures"])
        if signature["alg"] in DETERMINISTIC_ALGS
    ]


@pytest.mark.parametrize(
    ("vector", "index"), _resign_cases(), ids=[f"{v['id']}-{i}" for v, i in _resign_cases()]
)
def test_resign_deterministic_byte_for_byte(vector: dict[str, Any], index: int) -> None:
    signature = vector["input"]["signatures"][index]
    printed = vector["intermediate"]["signatures"][index]
    key = JWK.from_dict(vector["keys"][signature["key"]])
    payload = vectorlib.octets(vector["input"]["payload"])
    signed = sign.sign_encoded(
        payload, key, printed["encoded_protected_header"] or "", signature["unprotected"]
    )
    assert signed.signature == printed["signature"]["b64u"]
    if "compact" in vector["serializations"]:
        segment = "" if _detached(vector, "compact") is not None else signed.payload_segment
        assembled = f"{signed.encoded_protected_header}.{segment}.{signed.signature}"
        assert assembled == vector["expected"]["compact"]


def test_rfc7520_4_8_signature_without_protected_header() -> None:
    vector = vectorlib.load("rfc7520-4.8-multiple-signatures")
    key = public(JWK.from_dict(vector["keys"]["ec"]))
    verified = jws.verify_json(vector["expected"]["json"], key)
    assert verified.signature_index == 1
    assert verified.header == {"alg": "ES512", "kid": "bilbo.baggins@hobbiton.example"}


@pytest.mark.parametrize("algorithms", [None, ["none"], ["HS256", "none"]])
def test_rfc7515_a5_unsecured_jws_is_refused(algorithms: list[str] | None) -> None:
    # RFC 8725 s3.1: "none" is never accepted by a verify call, whatever the caller allows.
    vector = vectorlib.load("rfc7515-a.5-unsecured-none")
    assert vector["expected"]["error"] == AlgorithmNotAllowedError.__name__
    token = vector["expected"]["compact"]
    for key in (private("oct256"), JWKSet([public(private("rsa"))])):
        with pytest.raises(AlgorithmNotAllowedError):
            jws.verify_compact(token, key, algorithms=algorithms)
