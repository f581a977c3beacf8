"""Issue 5 end to end: BankID ID tokens verified with JWKS keys trusted only after x5c.

The signing key's JWK carries an x5c chain (leaf, intermediate) issued under a
test root built with cryptography (tests/pki.py). The token verifies when the
JWKS key's chain goes to the caller's root, and is refused when it goes to
another root, also through a rotating RemoteJWKSet served on 127.0.0.1.
"""

from __future__ import annotations

import time

import pytest

from jose_ref import JWK, JWKSet, jwt, x5c
from jose_ref.errors import KeyNotFoundError
from jose_ref.jwk.remote import RemoteJWKSet
from tests import pki
from tests.jwk.test_remote import Endpoint, endpoint  # noqa: F401 - the server fixture

ISSUER = "https://bankid.example"


def _signing_jwk(chain: pki.PKI, kid: str) -> JWK:
    return JWK.from_key_object(chain.leaf.key, kid=kid, use="sig", alg="ES256", x5c=chain.x5c)


def _token(signer: JWK) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "rp", "sub": "bankid-user", "iat": now, "exp": now + 300}
    return jwt.encode(claims, signer, alg="ES256")


def test_token_verifies_after_the_chain_of_its_jwks_key_verifies() -> None:
    trusted_pki = pki.build("EC", root_name="BankID Test Root")
    signer = _signing_jwk(trusted_pki, "bankid-2026-11")
    decoy = JWK.generate("EC", kid="bankid-2026-05", use="sig", alg="ES256")
    published = JWKSet.from_dict({"keys": [signer.public().to_dict(), decoy.public().to_dict()]})
    keys = x5c.trusted_keys(published, [trusted_pki.root.cert])
    assert [key.kid for key in keys] == ["bankid-2026-11"]
    claims = jwt.decode(_token(signer), keys, issuer=ISSUER, audience="rp")
    assert claims["sub"] == "bankid-user"


def test_same_token_refused_when_the_chain_goes_to_another_root() -> None:
    other_pki = pki.build("EC", root_name="Some Other Root")
    bankid_root = pki.build("EC", root_name="BankID Test Root").root.cert
    signer = _signing_jwk(other_pki, "bankid-2026-11")
    published = JWKSet([signer.public()])
    token = _token(signer)
    # The key is in the JWKS and its signature is genuine, but its chain is not BankID's.
    assert jwt.decode(token, published, issuer=ISSUER, audience="rp")["iss"] == ISSUER
    with pytest.raises(KeyNotFoundError):
        jwt.decode(token, x5c.trusted_keys(published, [bankid_root]), issuer=ISSUER, audience="rp")


def test_rotating_remote_jwks_through_trusted_key_source(endpoint: Endpoint) -> None:  # noqa: F811
    bankid = pki.build("EC", root_name="BankID Test Root")
    old, new = _signing_jwk(bankid, "bankid-old"), _signing_jwk(bankid, "bankid-new")
    endpoint.serve({"keys": [old.public().to_dict()]})
    remote = RemoteJWKSet(endpoint.url, cooldown=0)
    keys = x5c.TrustedKeySource(remote, [bankid.root.cert])
    assert jwt.decode(_token(old), keys, issuer=ISSUER, audience="rp")["sub"] == "bankid-user"
    # Rotation: the endpoint now publishes the new kid; an unknown kid triggers one refetch.
    endpoint.serve({"keys": [old.public().to_dict(), new.public().to_dict()]})
    assert jwt.decode(_token(new), keys, issuer=ISSUER, audience="rp")["sub"] == "bankid-user"
    assert endpoint.requests == 2
    # A key from another root, even when published at the endpoint, is never trusted.
    rogue = _signing_jwk(pki.build("EC", root_name="Rogue Root"), "bankid-rogue")
    endpoint.serve({"keys": [rogue.public().to_dict()]})
    with pytest.raises(KeyNotFoundError):
        jwt.decode(_token(rogue), keys, issuer=ISSUER, audience="rp")
