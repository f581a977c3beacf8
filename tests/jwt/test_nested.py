"""RFC 7519 s5.2 and s7 - nested JWTs: signed, then encrypted (cty JWT)."""

from __future__ import annotations

import dataclasses

import pytest

from jose_ref import JWK, JWKSet, Limits, jwe, jwt
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
)
from jose_ref.jwt import nested
from tests.jws.keys import other_private, private, public, with_members

NOW = 1_700_000_000
CLAIMS = {"iss": "https://issuer.example", "sub": "user", "aud": "client", "exp": NOW + 60}
SIGNER = with_members(private("rsa"), kid="issuer-sig")


def _encryption_key(kind: str) -> JWK:
    if kind == "rsa":
        return with_members(other_private("rsa"), kid="client-enc", use="enc")
    if kind == "ec":
        return with_members(other_private("p256"), kid="client-enc", use="enc")
    if kind == "x25519":
        return JWK.generate("OKP", crv="X25519", kid="client-enc")
    return with_members(other_private("oct256"), kid="client-enc")


@pytest.mark.parametrize(
    ("kind", "key_algorithm", "encryption"),
    [
        ("rsa", "RSA-OAEP", "A256GCM"),
        ("rsa", "RSA-OAEP-256", "A128CBC-HS256"),
        ("ec", "ECDH-ES", "A256GCM"),
        ("ec", "ECDH-ES+A128KW", "A128GCM"),
        ("x25519", "ECDH-ES+A256KW", "A256CBC-HS512"),
        ("oct", "A256KW", "A256GCM"),
        ("oct", "dir", "A256GCM"),
    ],
)
def test_round_trip(kind: str, key_algorithm: str, encryption: str) -> None:
    enc_key = _encryption_key(kind)
    to_encrypt = enc_key if enc_key.kty == "oct" else enc_key.public()
    token = jwt.encode(
        CLAIMS,
        SIGNER,
        alg="RS256",
        encryption_key=to_encrypt,
        key_algorithm=key_algorithm,
        encryption=encryption,
    )
    assert token.count(".") == 4
    decoded = jwt.decode_complete(
        token, JWKSet([public(SIGNER)]), decryption_key=enc_key, audience="client", now=NOW
    )
    assert decoded.claims == CLAIMS
    assert decoded.header == {"alg": "RS256", "kid": "issuer-sig", "typ": "JWT"}
    assert decoded.encryption_header is not None
    assert decoded.encryption_header["cty"] == "JWT"
    assert decoded.encryption_header["alg"] == key_algorithm


def test_key_algorithm_defaults_to_the_keys_alg() -> None:
    enc_key = with_members(_encryption_key("rsa"), alg="RSA-OAEP-256")
    token = jwt.encode(
        CLAIMS, SIGNER, alg="RS256", encryption_key=enc_key.public(), encryption="A256GCM"
    )
    assert jwt.decode(token, public(SIGNER), decryption_key=enc_key, audience="client", now=NOW)


def _nested() -> str:
    enc_key = _encryption_key("rsa")
    return jwt.encode(
        CLAIMS,
        SIGNER,
        alg="RS256",
        encryption_key=enc_key.public(),
        key_algorithm="RSA-OAEP-256",
        encryption="A256GCM",
    )


def test_allow_sets_of_both_layers() -> None:
    token = _nested()
    enc_key = _encryption_key("rsa")
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(
            token,
            public(SIGNER),
            decryption_key=enc_key,
            key_algorithms=["RSA-OAEP"],
            audience="client",
            now=NOW,
        )
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(
            token,
            public(SIGNER),
            decryption_key=enc_key,
            encryptions=["A128GCM"],
            audience="client",
            now=NOW,
        )
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(
            token,
            public(SIGNER),
            decryption_key=enc_key,
            algorithms=["PS256"],
            audience="client",
            now=NOW,
        )


def test_wrong_decryption_key() -> None:
    token = _nested()
    with pytest.raises(DecryptionError):
        jwt.decode(token, public(SIGNER), decryption_key=private("rsa"), audience="client")
    with pytest.raises(KeyNotFoundError):
        jwt.decode(
            token,
            public(SIGNER),
            decryption_key=JWKSet([with_members(private("rsa"), kid="other")]),
        )


def test_jwe_without_decryption_key() -> None:
    with pytest.raises(MalformedError, match="decryption_key"):
        jwt.decode(_nested(), public(SIGNER), audience="client", now=NOW)


def test_plain_jws_when_encryption_is_expected() -> None:
    token = jwt.encode(CLAIMS, SIGNER, alg="RS256")
    with pytest.raises(MalformedError, match="expected an encrypted JWT"):
        jwt.decode(
            token, public(SIGNER), decryption_key=_encryption_key("rsa"), audience="client", now=NOW
        )


def test_nesting_depth() -> None:
    enc_key = _encryption_key("rsa")
    twice = jwe.encrypt_compact(
        _nested(), enc_key.public(), alg="RSA-OAEP-256", enc="A256GCM", header={"cty": "JWT"}
    )
    with pytest.raises(LimitExceededError) as info:
        jwt.decode(twice, public(SIGNER), decryption_key=enc_key, audience="client", now=NOW)
    assert info.value.limit == "max_nesting"
    deeper = dataclasses.replace(Limits(), max_nesting=3)
    claims = jwt.decode(
        twice, public(SIGNER), decryption_key=enc_key, audience="client", now=NOW, limits=deeper
    )
    assert claims == CLAIMS


@pytest.mark.parametrize(
    ("cty", "accepted"),
    [
        ("JWT", True),
        ("jwt", True),
        ("application/jwt", True),
        ("Application/JWT", True),
        ("JWS", False),
        ("application/json", False),
        ("", False),
        ("JWT; x", False),
        ("text/jwt", False),
        (None, False),
        (1, False),
    ],
)
def test_is_jwt(cty: object, accepted: bool) -> None:
    assert nested.is_jwt(cty) is accepted
