"""JWK Sets loaded public-only: what a published set (a JWKS endpoint) may contribute."""

from __future__ import annotations

from unittest import mock

from jose_ref.jwk import JWK, JWKSet
from jose_ref.jwk.remote import RemoteJWKSet
from tests.jwk.test_remote import Endpoint, endpoint  # noqa: F401 - the server fixture
from tests.vectorlib import load

RSA_PRIVATE = load("rfc7520-3.4-rsa-private-2048")["keys"]["key"]
EC_PRIVATE = load("rfc7520-3.2-ec-private-p521")["keys"]["key"]
OCT = load("rfc7520-3.5-symmetric-mac-hs256")["keys"]["key"]


def test_private_members_are_dropped_and_symmetric_keys_skipped() -> None:
    keys = JWKSet.from_dict({"keys": [RSA_PRIVATE, EC_PRIVATE, OCT]}, public_only=True)
    assert [key.kty for key in keys] == ["RSA", "EC"]
    assert not any(key.is_private for key in keys)
    # The public members are the RFC's, untouched.
    rsa_key, ec_key = keys
    assert (rsa_key.get("n"), ec_key.get("x")) == (RSA_PRIVATE["n"], EC_PRIVATE["x"])


def test_no_private_key_is_ever_built_from_a_public_only_set() -> None:
    # A d-only RSA key would need prime recovery: public_only must never get that far.
    d_only = {name: RSA_PRIVATE[name] for name in ("kty", "n", "e", "d")}
    with mock.patch("jose_ref.jwk.rsa._private_numbers", side_effect=AssertionError("built")):
        keys = JWKSet.from_dict({"keys": [d_only]}, public_only=True)
    assert len(keys) == 1 and not next(iter(keys)).is_private


def test_the_default_still_loads_private_keys() -> None:
    keys = JWKSet.from_dict({"keys": [RSA_PRIVATE, OCT]})
    assert [key.is_private for key in keys] == [True, True]


def test_remote_sets_are_public_only(endpoint: Endpoint) -> None:  # noqa: F811
    endpoint.serve({"keys": [RSA_PRIVATE, OCT, JWK.generate("EC", kid="e").to_dict(private=True)]})
    remote = RemoteJWKSet(endpoint.url)
    assert [(key.kty, key.is_private) for key in remote] == [("RSA", False), ("EC", False)]
