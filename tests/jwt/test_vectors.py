"""Published JWT examples: RFC 7519 s3.1, A.1, A.2 and RFC 7520 s6 (nesting)."""

from __future__ import annotations

import pytest

from jose_ref import JWK, jwe, jws, jwt
from jose_ref.errors import AlgorithmNotAllowedError, ExpiredError, MalformedError
from jose_ref.jws import sign
from tests import vectorlib

# The RFC examples expire at 1300819380 (2011-03-22); validate them just before.
BEFORE_EXP = 1_300_819_000


def test_rfc7519_3_1_verify_and_claims() -> None:
    vector = vectorlib.load("rfc7519-3.1-example-jwt-hs256")
    key = JWK.from_dict(vector["keys"]["hmac"])
    token = vector["expected"]["compact"]
    decoded = jwt.decode_complete(token, key, now=BEFORE_EXP)
    assert decoded.claims == vector["expected"]["claims"]
    assert decoded.header == {"typ": "JWT", "alg": "HS256"}
    with pytest.raises(ExpiredError):
        jwt.decode(token, key)


def test_rfc7519_3_1_resign_over_the_printed_header() -> None:
    vector = vectorlib.load("rfc7519-3.1-example-jwt-hs256")
    printed = vector["intermediate"]["signatures"][0]
    key = JWK.from_dict(vector["keys"]["hmac"])
    signed = sign.sign_encoded(
        vectorlib.octets(vector["input"]["payload"]), key, printed["encoded_protected_header"]
    )
    token = f"{signed.encoded_protected_header}.{signed.payload_segment}.{signed.signature}"
    assert token == vector["expected"]["compact"]


def test_rfc7519_a1_encrypted_claims_without_signature_are_refused() -> None:
    # A JWE whose plaintext is the claims set itself carries no signature: jwt.decode
    # needs a signed inner JWT (cty "JWT"), so it refuses.
    vector = vectorlib.load("rfc7519-a.1-encrypted-jwt-rsa1-5-a128cbc-hs256")
    key = JWK.from_dict(vector["keys"]["rsa"])
    with pytest.raises(MalformedError):
        jwt.decode(
            vector["expected"]["compact"],
            key,
            decryption_key=key,
            key_algorithms=["RSA1_5"],
            now=BEFORE_EXP,
        )


def test_rfc7519_a2_nested_jwt() -> None:
    vector = vectorlib.load("rfc7519-a.2-nested-jwt-rs256-rsa1-5")
    signing = JWK.from_dict(vector["keys"]["signing"]).public()
    encryption = JWK.from_dict(vector["keys"]["encryption"])
    token = vector["expected"]["compact"]
    decoded = jwt.decode_complete(
        token, signing, decryption_key=encryption, key_algorithms=["RSA1_5"], now=BEFORE_EXP
    )
    assert decoded.claims == vector["expected"]["claims"]
    assert decoded.encryption_header == vector["input"]["protected"]
    # RSA1_5 is opt-in (RFC 8725 s3.2): without naming it the token is refused.
    with pytest.raises(AlgorithmNotAllowedError):
        jwt.decode(token, signing, decryption_key=encryption, now=BEFORE_EXP)
    # The inner JWS is the printed one, and it verifies as a JWS on its own.
    assert jws.verify_compact(vector["expected"]["jws_compact"], signing).payload


@pytest.mark.parametrize("form", ["compact", "json", "json_flattened"])
def test_rfc7520_6_nesting(form: str) -> None:
    vector = vectorlib.load("rfc7520-6-nesting-signatures-and-encryption")
    signing = JWK.from_dict(vector["keys"]["signing"]).public()
    encryption = JWK.from_dict(vector["keys"]["encryption"])
    outer = vector["expected"][form]
    if form == "compact":
        decoded = jwt.decode_complete(outer, signing, decryption_key=encryption, now=BEFORE_EXP)
        assert decoded.encryption_header is not None
        assert decoded.encryption_header["cty"] == "JWT"
        assert decoded.header == {"alg": "PS256", "typ": "JWT"}
        claims = decoded.claims
    else:
        # The JSON serializations are opened with jwe.decrypt_json; the plaintext is the JWT.
        decrypted = jwe.decrypt_json(outer, encryption)
        assert decrypted.header["cty"] == "JWT"
        claims = jwt.decode(decrypted.plaintext, signing, now=BEFORE_EXP)
    assert claims == vector["expected"]["claims"]
