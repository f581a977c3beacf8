"""Interop with jwcrypto for RFC 9864 (Ed25519, Ed448) and RFC 9964 (ML-DSA-44/65/87).

Both ways: jose_ref signs and jwcrypto verifies; jwcrypto makes the key and
signs and jose_ref verifies. Plus the negatives: a token of one ML-DSA
parameter set against a key of another, a key whose "pub" has the wrong
length, and an Ed25519 token against an Ed448 key. jwcrypto implements these
names from release 1.6 on (which needs cryptography >= 49); with an older
jwcrypto, or a cryptography without ML-DSA, the affected tests skip.
"""

from __future__ import annotations

import base64
import json

import pytest
from jwcrypto import jwa as jc_jwa  # type: ignore[import-untyped]
from jwcrypto import jwk as jc_jwk
from jwcrypto import jws as jc_jws

from jose_ref import JWK, JWKSet, jws
from jose_ref.errors import AlgorithmNotAllowedError, InvalidKeyError, KeyNotFoundError
from tests.mldsa_support import needs_mldsa

MLDSA = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"]
EDWARDS = ["Ed25519", "Ed448"]
PAYLOAD = b'{"sub":"interop","pq":true}'

_REGISTRY = getattr(jc_jwa.JWA, "algorithms_registry", {})
jwcrypto_rfc9864 = pytest.mark.skipif(
    not {"Ed25519", "Ed448"} <= set(_REGISTRY),
    reason="the installed jwcrypto predates RFC 9864 (jwcrypto >= 1.6 needs cryptography >= 49)",
)
jwcrypto_rfc9964 = pytest.mark.skipif(
    not set(MLDSA) <= set(getattr(jc_jwk, "ImplementedAKPAlgorithms", ())),
    reason="the installed jwcrypto has no ML-DSA (RFC 9964 needs jwcrypto >= 1.6)",
)


def _jwcrypto_key(kty: str, name: str) -> jc_jwk.JWK:
    if kty == "AKP":
        return jc_jwk.JWK.generate(kty="AKP", alg=name, kid=f"jc-{name}")
    return jc_jwk.JWK.generate(kty="OKP", crv=name, kid=f"jc-{name}")


def _ours(key: JWK) -> jc_jwk.JWK:
    return jc_jwk.JWK(**key.public().to_dict())


def _jwcrypto_token(key: jc_jwk.JWK, alg: str) -> str:
    signer = jc_jws.JWS(PAYLOAD)
    signer.add_signature(key, None, json.dumps({"alg": alg, "kid": key.get("kid")}))
    token: str = signer.serialize(compact=True)
    return token


def _jwcrypto_verifies(token: str, key: jc_jwk.JWK, alg: str) -> bytes:
    checker = jc_jws.JWS()
    checker.deserialize(token)
    checker.verify(key, alg=alg)
    payload: bytes = checker.payload
    return payload


def _public_jwk(key: jc_jwk.JWK) -> JWK:
    return JWK.from_dict(json.loads(key.export_public()))


@jwcrypto_rfc9864
@pytest.mark.parametrize("crv", EDWARDS)
def test_jose_ref_signs_jwcrypto_verifies_edwards(crv: str) -> None:
    key = JWK.generate("OKP", crv=crv, kid=crv)
    token = jws.sign_compact(PAYLOAD, key, alg=crv)
    assert _jwcrypto_verifies(token, _ours(key), crv) == PAYLOAD


@jwcrypto_rfc9864
@pytest.mark.parametrize("crv", EDWARDS)
def test_jwcrypto_signs_jose_ref_verifies_edwards(crv: str) -> None:
    key = _jwcrypto_key("OKP", crv)
    token = _jwcrypto_token(key, crv)
    verified = jws.verify_compact(token, JWKSet([_public_jwk(key)]))
    assert (verified.payload, verified.header["alg"]) == (PAYLOAD, crv)


@jwcrypto_rfc9864
def test_jwcrypto_ed25519_token_with_an_ed448_key_is_refused() -> None:
    token = _jwcrypto_token(_jwcrypto_key("OKP", "Ed25519"), "Ed25519")
    ed448 = _public_jwk(_jwcrypto_key("OKP", "Ed448"))
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, ed448, algorithms=["Ed25519"])
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet([ed448]))


@needs_mldsa
@jwcrypto_rfc9964
@pytest.mark.parametrize("alg", MLDSA)
def test_jose_ref_signs_jwcrypto_verifies_mldsa(alg: str) -> None:
    key = JWK.generate("AKP", alg=alg, kid=alg)
    token = jws.sign_compact(PAYLOAD, key, alg=alg)
    assert _jwcrypto_verifies(token, _ours(key), alg) == PAYLOAD


@needs_mldsa
@jwcrypto_rfc9964
@pytest.mark.parametrize("alg", MLDSA)
def test_jwcrypto_signs_jose_ref_verifies_mldsa(alg: str) -> None:
    key = _jwcrypto_key("AKP", alg)
    token = _jwcrypto_token(key, alg)
    ours = _public_jwk(key)
    assert jws.verify_compact(token, ours).payload == PAYLOAD
    # The private JWK jwcrypto exports (the seed in "priv") loads here with the same thumbprint.
    private = JWK.from_dict(json.loads(key.export_private()))
    assert private.thumbprint() == ours.thumbprint() == key.thumbprint()


@needs_mldsa
@jwcrypto_rfc9964
def test_jwcrypto_token_of_another_parameter_set_is_refused() -> None:
    token = _jwcrypto_token(_jwcrypto_key("AKP", "ML-DSA-44"), "ML-DSA-44")
    other = _public_jwk(_jwcrypto_key("AKP", "ML-DSA-65"))
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, other)
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, other, algorithms=["ML-DSA-44"])
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet([other]), algorithms=["ML-DSA-44"])


@needs_mldsa
@jwcrypto_rfc9964
@pytest.mark.parametrize("cut", [1, 32])
def test_jwcrypto_key_with_a_wrong_length_pub_is_refused(cut: int) -> None:
    members = json.loads(_jwcrypto_key("AKP", "ML-DSA-87").export_public())
    pub = base64.urlsafe_b64decode(members["pub"] + "==")
    members["pub"] = base64.urlsafe_b64encode(pub[:-cut]).rstrip(b"=").decode()
    with pytest.raises(InvalidKeyError, match="expected 2592 octets"):
        JWK.from_dict(members)
