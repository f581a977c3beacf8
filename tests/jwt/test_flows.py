"""The seed flows end to end: a BankID-style JWKS, and the Signicat FTN nested ID token.

The FTN flow runs in both directions with jwcrypto, an independent implementation:
an ID token signed RS256 by the issuer and encrypted RSA-OAEP to the client's
encryption key (2048 and 4096 bits) decodes with one jwt.decode call, and ours
decodes in jwcrypto.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from jwcrypto import jwk as jc_jwk  # type: ignore[import-untyped]
from jwcrypto import jwt as jc_jwt

from jose_ref import JWK, JWKSet, jwt
from jose_ref.errors import KeyNotFoundError
from tests import vectorlib
from tests.jws.keys import other_private, private, with_members

NOW = 1_700_000_000
ISSUER = "https://idp.example/oidc"
CLIENT = "client-4711"
CLAIMS: dict[str, Any] = {
    "iss": ISSUER,
    "aud": CLIENT,
    "sub": "19121212-1212",
    "iat": NOW - 5,
    "exp": NOW + 300,
    "nonce": "n-0S6_WzA2Mj",
}

# -- BankID-style key set: signing and encryption keys, rotated kids -----------------------

CURRENT = with_members(private("rsa"), kid="sig-2024-06", use="sig", alg="RS256")
PREVIOUS = with_members(other_private("rsa"), kid="sig-2023-06", use="sig", alg="RS256")
EC_SIGNER = with_members(private("p256"), kid="sig-ec-2024", use="sig", alg="ES256")
ENCRYPTION = with_members(other_private("p256"), kid="enc-2024-06", use="enc")
RETIRED = with_members(JWK.generate("RSA", size=2048), kid="sig-2022-06", use="sig", alg="RS256")


def _published_jwks() -> JWKSet:
    document = {"keys": [k.public().to_dict() for k in (PREVIOUS, CURRENT, EC_SIGNER, ENCRYPTION)]}
    return JWKSet.from_json(json.dumps(document))


@pytest.mark.parametrize(
    ("signer", "alg"), [(CURRENT, "RS256"), (PREVIOUS, "RS256"), (EC_SIGNER, "ES256")]
)
def test_bankid_token_verifies_with_the_key_of_its_kid(signer: JWK, alg: str) -> None:
    token = jwt.encode(CLAIMS, signer, alg=alg)
    decoded = jwt.decode_complete(token, _published_jwks(), issuer=ISSUER, audience=CLIENT, now=NOW)
    assert decoded.claims == CLAIMS
    assert decoded.key.kid == signer.kid


def test_bankid_kid_absent_from_the_set() -> None:
    token = jwt.encode(CLAIMS, RETIRED, alg="RS256")
    with pytest.raises(KeyNotFoundError, match="sig-2022-06"):
        jwt.decode(token, _published_jwks(), issuer=ISSUER, audience=CLIENT, now=NOW)


def test_bankid_kid_of_the_encryption_key() -> None:
    signer = with_members(other_private("p256"), kid="enc-2024-06")
    token = jwt.encode(CLAIMS, signer, alg="ES256")
    with pytest.raises(KeyNotFoundError):
        jwt.decode(token, _published_jwks(), issuer=ISSUER, audience=CLIENT, now=NOW)


def test_bankid_kid_matches_but_alg_does_not() -> None:
    signer = with_members(private("rsa"), kid="sig-2024-06")
    token = jwt.encode(CLAIMS, signer, alg="PS256")
    with pytest.raises(KeyNotFoundError):
        jwt.decode(token, _published_jwks(), issuer=ISSUER, audience=CLIENT, now=NOW)


# -- Signicat FTN: RS256 ID token inside an RSA-OAEP JWE -----------------------------------


def _client_key(bits: int) -> JWK:
    if bits == 4096:
        # The 4096-bit RSA key of RFC 7520 s5.2 (Figure 84), without a fresh key generation.
        members = vectorlib.load("rfc7520-5.2-rsa-oaep-a256gcm")["keys"]
        (only,) = members.values()
        return with_members(JWK.from_dict(only), kid="client-enc", use="enc", alg="RSA-OAEP")
    return with_members(other_private("rsa"), kid="client-enc", use="enc", alg="RSA-OAEP")


def _jc(key: JWK, *, private_part: bool) -> jc_jwk.JWK:
    return jc_jwk.JWK(**(key.to_dict(private=True) if private_part else key.public().to_dict()))


def _decode_ours(token: str, client: JWK) -> dict[str, Any]:
    return jwt.decode(
        token,
        JWKSet([CURRENT.public(), PREVIOUS.public()]),
        decryption_key=JWKSet([client]),
        issuer=ISSUER,
        audience=CLIENT,
        now=NOW,
    )


@pytest.mark.parametrize("bits", [2048, 4096])
@pytest.mark.parametrize("enc", ["A256GCM", "A128CBC-HS256"])
def test_ftn_nested_token_from_jwcrypto_decodes_here(bits: int, enc: str) -> None:
    client = _client_key(bits)
    signed = jc_jwt.JWT(header={"alg": "RS256", "kid": CURRENT.kid, "typ": "JWT"}, claims=CLAIMS)
    signed.make_signed_token(_jc(CURRENT, private_part=True))
    encrypted = jc_jwt.JWT(
        header={"alg": "RSA-OAEP", "enc": enc, "cty": "JWT", "kid": client.kid},
        claims=signed.serialize(),
    )
    encrypted.make_encrypted_token(_jc(client, private_part=False))
    assert _decode_ours(encrypted.serialize(), client) == CLAIMS


@pytest.mark.parametrize("bits", [2048, 4096])
def test_ftn_nested_token_from_here_decodes_in_jwcrypto(bits: int) -> None:
    client = _client_key(bits)
    token = jwt.encode(
        CLAIMS, CURRENT, alg="RS256", encryption_key=client.public(), encryption="A256GCM"
    )
    assert _decode_ours(token, client) == CLAIMS
    outer = jc_jwt.JWT(jwt=token, key=_jc(client, private_part=True), expected_type="JWE")
    inner = jc_jwt.JWT(
        jwt=outer.claims,
        key=_jc(CURRENT, private_part=False),
        expected_type="JWS",
        check_claims=False,
    )
    assert json.loads(inner.claims) == CLAIMS
