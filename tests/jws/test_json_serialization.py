"""RFC 7515 s7.2 - jws.sign_json / jws.verify_json, general and flattened."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from jose_ref import JWKSet, Limits, jws
from jose_ref.errors import (
    InvalidSignatureError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
)
from tests.jws.keys import other_private, private, public, with_members

RSA = with_members(private("rsa"), kid="rsa-1")
EC = with_members(private("p521"), kid="ec-1")
MAC = with_members(private("oct256"), kid="mac-1")


def _three() -> dict[str, Any]:
    return jws.sign_json(
        b"payload",
        [(RSA, {"alg": "RS256"}), (EC, {}, {"alg": "ES512"}), (MAC, {"alg": "HS256"})],
    )


def test_general_three_signatures_each_key_finds_its_own() -> None:
    document = _three()
    assert set(document) == {"payload", "signatures"}
    for index, key in enumerate((RSA, EC, MAC)):
        verified = jws.verify_json(document, public(key))
        assert verified.signature_index == index
        assert verified.key.kid == key.kid
        assert verified.payload == b"payload"
    # Only the header of the signature that verified is exposed.
    assert jws.verify_json(document, public(EC)).header == {"alg": "ES512", "kid": "ec-1"}
    assert jws.verify_json(document, MAC).header == {"alg": "HS256", "kid": "mac-1"}


def test_general_with_key_set_returns_first_that_verifies() -> None:
    verified = jws.verify_json(_three(), JWKSet([public(EC), MAC]))
    assert verified.signature_index == 1


def test_unprotected_only_signature_has_no_protected_member() -> None:
    entry = _three()["signatures"][1]
    assert set(entry) == {"header", "signature"}


def test_text_and_bytes_input() -> None:
    text = json.dumps(_three())
    assert jws.verify_json(text, MAC).signature_index == 2
    assert jws.verify_json(text.encode(), MAC).signature_index == 2


def test_flattened_round_trip() -> None:
    document = jws.sign_json(b"p", [(RSA, {"alg": "PS256"}, {"x-note": "n"})], flatten=True)
    assert set(document) == {"payload", "protected", "header", "signature"}
    verified = jws.verify_json(document, public(RSA))
    assert verified.header == {"alg": "PS256", "kid": "rsa-1", "x-note": "n"}


def test_flattened_needs_exactly_one_signer() -> None:
    with pytest.raises(MalformedError):
        jws.sign_json(b"p", [(RSA, {"alg": "RS256"}), (MAC, {"alg": "HS256"})], flatten=True)
    with pytest.raises(MalformedError):
        jws.sign_json(b"p", [])


def test_detached_json() -> None:
    document = jws.sign_json(b"p", [(MAC, {"alg": "HS256"})], detached=True)
    assert "payload" not in document
    assert jws.verify_json(document, MAC, payload=b"p").payload == b"p"
    with pytest.raises(MalformedError, match="detached"):
        jws.verify_json(document, MAC)


def test_unencoded_payload_in_json() -> None:
    document = jws.sign_json(b"$.02", [(MAC, {"alg": "HS256", "b64": False})], flatten=True)
    assert document["payload"] == "$.02"
    assert jws.verify_json(document, MAC).payload == b"$.02"


def test_valid_signature_after_invalid_ones() -> None:
    document = _three()
    document["signatures"][0]["signature"] = document["signatures"][2]["signature"]
    assert jws.verify_json(document, JWKSet([public(RSA), MAC])).signature_index == 2
    with pytest.raises(InvalidSignatureError):
        jws.verify_json(document, public(RSA))


def test_no_key_fits_any_signature() -> None:
    stranger = with_members(other_private("rsa"), kid="other")
    with pytest.raises(KeyNotFoundError):
        jws.verify_json(_three(), JWKSet([public(stranger)]))


def test_signature_failure_outranks_key_not_found() -> None:
    stranger = with_members(other_private("rsa"), kid="rsa-1")
    with pytest.raises(InvalidSignatureError):
        jws.verify_json(_three(), JWKSet([public(stranger)]))


def _flat() -> dict[str, Any]:
    return jws.sign_json(b"p", [(MAC, {"alg": "HS256"})], flatten=True)


def test_header_sets_must_be_disjoint() -> None:
    document = _flat()
    document["header"] = {"alg": "HS256"}
    with pytest.raises(MalformedError, match="more than one header"):
        jws.verify_json(document, MAC)


def test_crit_and_b64_only_protected() -> None:
    for unprotected in ({"crit": ["b64"]}, {"b64": False}):
        document = _flat()
        document["header"] = unprotected
        with pytest.raises(MalformedError):
            jws.verify_json(document, MAC)


def test_b64_must_agree_across_signatures() -> None:
    with pytest.raises(MalformedError, match="b64"):
        jws.sign_json(b"p", [(MAC, {"alg": "HS256"}), (RSA, {"alg": "RS256", "b64": False})])
    encoded = _three()
    unencoded = jws.sign_json(b"payload", [(MAC, {"alg": "HS256", "b64": False})])
    encoded["signatures"].append(unencoded["signatures"][0])
    with pytest.raises(MalformedError, match="b64"):
        jws.verify_json(encoded, MAC)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("signature"),
        lambda d: d.update(signatures=[]),
        lambda d: d.update(payload=1),
        lambda d: d.update(signature=7),
        lambda d: d.update(protected=["x"]),
        lambda d: d.update(header="x"),
        lambda d: (d.pop("protected"), d.pop("header", None)),
        lambda d: d.update(protected="e30"),  # {} : no "alg"
        lambda d: d.update(protected=""),
    ],
)
def test_malformed_flattened(mutate: Any) -> None:
    document = _flat()
    mutate(document)
    with pytest.raises(MalformedError):
        jws.verify_json(document, MAC)


@pytest.mark.parametrize(
    "signatures",
    ["x", {}, [1], [[]], [{"signature": "AA"}]],
)
def test_malformed_general(signatures: object) -> None:
    with pytest.raises(MalformedError):
        jws.verify_json({"payload": "", "signatures": signatures}, MAC)


def test_general_and_flattened_members_together() -> None:
    document = _three()
    document["signature"] = "AA"
    with pytest.raises(MalformedError, match=r"7\.2\.2"):
        jws.verify_json(document, MAC)


@pytest.mark.parametrize("obj", [b"[]", "not json", b"\xff", 7, None, '{"a":1,"a":2}'])
def test_not_a_json_object(obj: object) -> None:
    with pytest.raises(MalformedError):
        jws.verify_json(obj, MAC)  # type: ignore[arg-type]


def test_signature_count_is_bounded() -> None:
    document = jws.sign_json(b"p", [(MAC, {"alg": "HS256"})] * 3)
    limits = dataclasses.replace(Limits(), max_recipients=2)
    with pytest.raises(LimitExceededError):
        jws.verify_json(document, MAC, limits=limits)


def test_document_size_checked_first() -> None:
    limits = dataclasses.replace(Limits(), max_token_bytes=64)
    with pytest.raises(LimitExceededError):
        jws.verify_json(json.dumps(_three()), MAC, limits=limits)
