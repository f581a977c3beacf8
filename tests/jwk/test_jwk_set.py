"""JWK Sets (RFC 7517 s5): loading, skipping what is not understood, limits, find."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

import jose_ref
from jose_ref import JWK, JWKSet, Limits
from jose_ref.errors import InvalidKeyError, LimitExceededError, MalformedError
from tests.jwk import b64u, ec_members, new_ec, new_okp, okp_members, raises_exactly

OCT = {"kty": "oct", "k": b64u(b"\x07" * 32)}


@pytest.fixture(scope="module")
def ec_key() -> dict[str, str]:
    return ec_members(new_ec("P-256"), "P-256", private=False)


@pytest.fixture(scope="module")
def ed_key() -> dict[str, str]:
    return okp_members(new_okp("Ed25519"), "Ed25519", private=False)


def test_exported_name() -> None:
    assert jose_ref.JWKSet is JWKSet


def test_from_dict_keeps_order(ec_key: dict[str, str], ed_key: dict[str, str]) -> None:
    keys = JWKSet.from_dict({"keys": [{**ec_key, "kid": "a"}, {**ed_key, "kid": "b"}, OCT]})
    assert len(keys) == 3
    assert [key.kid for key in keys] == ["a", "b", None]
    assert [key.kty for key in keys] == ["EC", "OKP", "oct"]


def test_from_json(ec_key: dict[str, str]) -> None:
    text = json.dumps({"keys": [ec_key, OCT], "extra": 1})
    for data in (text, text.encode("utf-8")):
        keys = JWKSet.from_json(data)
        assert [key.to_dict(private=True) for key in keys] == [ec_key, OCT]


def test_empty_set() -> None:
    assert len(JWKSet.from_dict({"keys": []})) == 0
    assert JWKSet.from_dict({"keys": []}).find() == []


def test_to_dict(ec_key: dict[str, str]) -> None:
    assert JWKSet.from_dict({"keys": [ec_key]}).to_dict() == {"keys": [ec_key]}


# -- skipped and refused entries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        {"kty": "DSA", "y": "AA"},
        {"kty": "ec", "crv": "P-256"},
        {"kty": "OCT", "k": ""},
        {"kty": "PQC", "alg": "ML-DSA-44"},
    ],
)
def test_unknown_kty_is_skipped(entry: dict[str, Any]) -> None:
    # RFC 7517 s5: JWKs with a "kty" that is not understood SHOULD be ignored.
    keys = JWKSet.from_dict({"keys": [entry, OCT, entry]})
    assert [key.to_dict(private=True) for key in keys] == [OCT]


@pytest.mark.parametrize(
    "entry",
    [
        {"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"},
        {"kty": "EC", "crv": "brainpoolP256r1", "x": "AA", "y": "AA"},
        {"kty": "OKP", "crv": "Ed1", "x": "AA"},
        {"kty": "OKP", "crv": "X9999", "x": "AA"},
    ],
)
def test_unknown_curve_of_a_known_kty_is_skipped(entry: dict[str, Any]) -> None:
    keys = JWKSet.from_dict({"keys": [entry, OCT]})
    assert [key.kty for key in keys] == ["oct"]


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ({"kty": "oct", "k": ""}, InvalidKeyError),
        ({"kty": "oct"}, InvalidKeyError),
        ({"kty": "oct", "k": "AA=="}, MalformedError),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, InvalidKeyError),
        ({"kty": "EC", "x": "AA", "y": "AA"}, InvalidKeyError),
        ({"kty": "RSA", "n": "AQAB", "e": "AQAB"}, InvalidKeyError),
        ({"kty": "OKP", "crv": "Ed25519", "x": "AA"}, InvalidKeyError),
        ({**OCT, "key_ops": ["sign", "sign"]}, InvalidKeyError),
        ({**OCT, "kid": 1}, MalformedError),
        ({"k": "AA"}, MalformedError),
        ({"kty": 1}, MalformedError),
        ({"kty": None}, MalformedError),
    ],
)
def test_malformed_known_key_is_an_error(entry: dict[str, Any], error: type) -> None:
    with raises_exactly(error):
        JWKSet.from_dict({"keys": [OCT, entry]})


@pytest.mark.parametrize(
    "document",
    [{}, {"keys": None}, {"keys": {}}, {"keys": "x"}, {"keys": OCT}, {"key": [OCT]}],
)
def test_keys_missing_or_not_a_list(document: dict[str, Any]) -> None:
    with raises_exactly(MalformedError) as info:
        JWKSet.from_dict(document)
    assert "keys" in str(info.value)


@pytest.mark.parametrize("entry", [1, "x", None, [], [OCT], True])
def test_non_object_entries(entry: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWKSet.from_dict({"keys": [OCT, entry]})
    assert "keys[1]" in str(info.value)


@pytest.mark.parametrize("document", [[], None, "keys", [OCT]])
def test_set_must_be_an_object(document: Any) -> None:
    with raises_exactly(MalformedError):
        JWKSet.from_dict(document)


@pytest.mark.parametrize(
    "data",
    [
        "[]",
        '{"keys":[]}x',
        '{"keys":[],"keys":[{"kty":"oct","k":"AA"}]}',
        '{"keys":[{"kty":"oct","k":"AA","\\u006b":"AB"}]}',
        '{"keys":[]}'.encode("utf-16"),
        b'{"keys":[],"x":"\xff"}',
        '{"keys":[{"kty":"oct","k":"AA","n":Infinity}]}',
    ],
)
def test_from_json_is_strict(data: str | bytes) -> None:
    with raises_exactly(MalformedError):
        JWKSet.from_json(data)


@pytest.mark.parametrize("data", [None, 1, {"keys": []}])
def test_from_json_needs_text(data: Any) -> None:
    with raises_exactly(MalformedError):
        JWKSet.from_json(data)


# -- limits ------------------------------------------------------------------------------------


def test_100000_keys_refused_before_any_key_is_parsed() -> None:
    # Every entry is a malformed known key: had one been parsed, InvalidKeyError would show.
    entries = [{"kty": "oct", "k": ""}] * 100_000
    with raises_exactly(LimitExceededError) as info:
        JWKSet.from_dict({"keys": entries})
    assert info.value.limit == "max_jwks_keys"
    assert info.value.maximum == Limits().max_jwks_keys
    assert info.value.actual == 100_000


def test_100000_keys_from_json() -> None:
    text = '{"keys":[' + ",".join(['{"kty":"oct","k":""}'] * 100_000) + "]}"
    limits = dataclasses.replace(Limits(), max_jwks_bytes=len(text))
    with raises_exactly(LimitExceededError) as info:
        JWKSet.from_json(text, limits=limits)
    assert info.value.limit == "max_jwks_keys"
    assert info.value.actual == 100_000


def test_huge_document_refused_by_size() -> None:
    text = '{"keys":[' + ",".join(['{"kty":"oct","k":"AAAA"}'] * 100_000) + "]}"
    with raises_exactly(LimitExceededError) as info:
        JWKSet.from_json(text)
    assert info.value.limit == "max_jwks_bytes"
    assert info.value.maximum == Limits().max_jwks_bytes
    assert info.value.actual == len(text)


@pytest.mark.parametrize("maximum", [0, 1, 3])
def test_key_count_accepted_iff_within_the_limit(maximum: int) -> None:
    limits = dataclasses.replace(Limits(), max_jwks_keys=maximum)
    assert len(JWKSet.from_dict({"keys": [OCT] * maximum}, limits=limits)) == maximum
    with raises_exactly(LimitExceededError):
        JWKSet.from_dict({"keys": [OCT] * (maximum + 1)}, limits=limits)


def test_document_size_accepted_iff_within_the_limit() -> None:
    text = json.dumps({"keys": [OCT]})
    exact = dataclasses.replace(Limits(), max_jwks_bytes=len(text))
    assert len(JWKSet.from_json(text, limits=exact)) == 1
    below = dataclasses.replace(Limits(), max_jwks_bytes=len(text) - 1)
    with raises_exactly(LimitExceededError):
        JWKSet.from_json(text, limits=below)


def test_deep_nesting_in_a_set_is_a_limit() -> None:
    text = '{"keys":[],"x":' + "[" * 100_000 + "]" * 100_000 + "}"
    with raises_exactly(LimitExceededError):
        JWKSet.from_json(text)


def test_skipped_entries_count_towards_the_limit() -> None:
    limits = dataclasses.replace(Limits(), max_jwks_keys=2)
    with raises_exactly(LimitExceededError):
        JWKSet.from_dict({"keys": [{"kty": "XX"}, {"kty": "XX"}, OCT]}, limits=limits)


# -- find --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyset(ec_key: dict[str, str], ed_key: dict[str, str]) -> JWKSet:
    return JWKSet.from_dict(
        {
            "keys": [
                {**ec_key, "kid": "ec-sig", "use": "sig", "alg": "ES256"},
                {**ed_key, "kid": "ed-any"},
                {**OCT, "kid": "hs", "alg": "HS256"},
                {**OCT, "kid": "enc-ops", "key_ops": ["wrapKey", "unwrapKey"]},
                {**OCT, "kid": "sig-ops", "key_ops": ["sign", "verify"]},
                {**OCT, "kid": "enc-use", "use": "enc"},
                {**OCT, "kid": "dup"},
                {**OCT, "kid": "dup", "alg": "A128KW"},
                {**OCT, "kid": "custom-ops", "key_ops": ["custom"]},
            ]
        }
    )


def kids(found: list[JWK]) -> list[str | None]:
    return [key.kid for key in found]


def test_find_without_criteria_gives_everything(keyset: JWKSet) -> None:
    assert len(keyset.find()) == len(keyset) == 9


def test_find_by_kid(keyset: JWKSet) -> None:
    assert kids(keyset.find(kid="hs")) == ["hs"]
    assert kids(keyset.find(kid="dup")) == ["dup", "dup"]
    assert keyset.find(kid="HS") == []
    assert keyset.find(kid="nope") == []


def test_find_by_alg_keys_without_alg_match_any(keyset: JWKSet) -> None:
    assert kids(keyset.find(alg="ES256")) == [
        "ec-sig",
        "ed-any",
        "enc-ops",
        "sig-ops",
        "enc-use",
        "dup",
        "custom-ops",
    ]
    assert kids(keyset.find(alg="HS256", kid="hs")) == ["hs"]
    assert keyset.find(alg="HS512", kid="hs") == []
    assert kids(keyset.find(alg="A128KW", kid="dup")) == ["dup", "dup"]
    assert kids(keyset.find(alg="HS256", kid="dup")) == ["dup"]


def test_find_by_use_keys_without_use_match_any(keyset: JWKSet) -> None:
    # key_ops restrict use too: wrapKey/unwrapKey are "enc", sign/verify "sig" (RFC 7517 s4.3).
    assert kids(keyset.find(use="sig")) == ["ec-sig", "ed-any", "hs", "sig-ops", "dup", "dup"]
    assert kids(keyset.find(use="enc")) == ["ed-any", "hs", "enc-ops", "enc-use", "dup", "dup"]


def test_find_combines_criteria(keyset: JWKSet) -> None:
    assert kids(keyset.find(kid="ec-sig", alg="ES256", use="sig")) == ["ec-sig"]
    assert keyset.find(kid="ec-sig", use="enc") == []
    assert keyset.find(kid="ec-sig", alg="ES384") == []
    assert keyset.find(kid="enc-ops", use="sig") == []
    assert keyset.find(kid="sig-ops", use="enc") == []


def test_find_is_case_sensitive(keyset: JWKSet) -> None:
    assert keyset.find(kid="ec-sig", alg="es256") == []
    assert keyset.find(kid="ec-sig", use="SIG") == []


def test_constructor_needs_jwks() -> None:
    assert len(JWKSet([JWK.from_dict(OCT)])) == 1
    with pytest.raises(TypeError):
        JWKSet([OCT])  # type: ignore[list-item]
