"""Cross-library JWS: tokens of jwcrypto and joserfc verify here, and ours verify there."""

from __future__ import annotations

import json
import warnings
from typing import cast

import pytest
from joserfc import jwk as rfc_jwk
from joserfc import jws as rfc_jws
from joserfc.jws import FlattenedJSONSerialization
from jwcrypto import jwk as jc_jwk  # type: ignore[import-untyped]
from jwcrypto import jws as jc_jws

from jose_ref import JWK, JWKSet, jws
from tests.jws.keys import private, public, with_members

CASES = [
    ("RS256", "rsa"),
    ("PS256", "rsa"),
    ("ES256", "p256"),
    ("EdDSA", "ed25519"),
    ("HS256", "oct256"),
]
PAYLOAD = b'{"sub":"interop","n":1}'

# joserfc flags EdDSA as deprecated by RFC 9864; the warning is not what is tested here.
pytestmark = pytest.mark.filterwarnings("ignore::joserfc.jwk.SecurityWarning")


def _key(key_name: str) -> JWK:
    return with_members(private(key_name), kid=f"interop-{key_name}")


def _jwcrypto(key: JWK) -> jc_jwk.JWK:
    return jc_jwk.JWK(**key.to_dict(private=True))


def _jwcrypto_public(key: JWK) -> jc_jwk.JWK:
    return jc_jwk.JWK(**public(key).to_dict(private=key.kty == "oct"))


def _joserfc(key: JWK) -> rfc_jwk.Key:
    return rfc_jwk.import_key(key.to_dict(private=True))


def _joserfc_public(key: JWK) -> rfc_jwk.Key:
    return rfc_jwk.import_key(public(key).to_dict(private=key.kty == "oct"))


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_jwcrypto_compact_verifies_here(alg: str, key_name: str) -> None:
    key = _key(key_name)
    signer = jc_jws.JWS(PAYLOAD)
    signer.add_signature(_jwcrypto(key), None, json.dumps({"alg": alg, "kid": key.kid}))
    token = signer.serialize(compact=True)
    verified = jws.verify_compact(token, JWKSet([public(key)]))
    assert verified.payload == PAYLOAD
    assert verified.key.kid == key.kid


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_jwcrypto_json_verifies_here(alg: str, key_name: str) -> None:
    key = _key(key_name)
    signer = jc_jws.JWS(PAYLOAD)
    signer.add_signature(_jwcrypto(key), None, json.dumps({"alg": alg}), {"kid": key.kid})
    document = signer.serialize()
    assert jws.verify_json(document, public(key)).header == {"alg": alg, "kid": key.kid}


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_ours_verify_in_jwcrypto(alg: str, key_name: str) -> None:
    key = _key(key_name)
    token = jws.sign_compact(PAYLOAD, key, alg=alg)
    checker = jc_jws.JWS()
    checker.deserialize(token)
    checker.verify(_jwcrypto_public(key), alg=alg)
    assert checker.payload == PAYLOAD
    document = json.dumps(jws.sign_json(PAYLOAD, [(key, {"alg": alg})]))
    checker = jc_jws.JWS()
    checker.deserialize(document)
    checker.verify(_jwcrypto_public(key), alg=alg)
    assert checker.payload == PAYLOAD


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_joserfc_compact_verifies_here(alg: str, key_name: str) -> None:
    key = _key(key_name)
    token = rfc_jws.serialize_compact({"alg": alg}, PAYLOAD, _joserfc(key), algorithms=[alg])
    assert jws.verify_compact(token, public(key)).payload == PAYLOAD


@pytest.mark.parametrize(("alg", "key_name"), CASES)
def test_ours_verify_in_joserfc(alg: str, key_name: str) -> None:
    key = _key(key_name)
    token = jws.sign_compact(PAYLOAD, key, alg=alg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = rfc_jws.deserialize_compact(token, _joserfc_public(key), algorithms=[alg])
    assert result.payload == PAYLOAD
    flattened = jws.sign_json(PAYLOAD, [(key, {"alg": alg})], flatten=True)
    result_json = rfc_jws.deserialize_json(
        cast("FlattenedJSONSerialization", flattened), _joserfc_public(key), algorithms=[alg]
    )
    assert result_json.payload == PAYLOAD
