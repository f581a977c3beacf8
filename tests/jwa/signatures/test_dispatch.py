"""RFC 7518 s3.1 - the signature dispatcher routes every registry "alg" to its family."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x25519

from jose_ref import errors
from jose_ref.jwa import registry, signatures
from jose_ref.jwa.signatures import ecdsa, eddsa, hmac_sha2, mldsa, rsassa_pkcs1_v1_5, rsassa_pss
from tests import mldsa_support, vectorlib
from tests.jwa.signatures import (
    RFC7515_A1_KEY,
    RFC7515_A1_SIGNATURE,
    RFC7515_A1_SIGNING_INPUT,
    RFC7515_A2_JWK,
    RFC7515_A2_SIGNATURE,
    RFC7515_A2_SIGNING_INPUT,
    RFC7515_A3_JWK,
    RFC7515_A3_SIGNATURE,
    RFC7515_A3_SIGNING_INPUT,
    RFC7515_A4_JWK,
    RFC7515_A4_SIGNATURE,
    RFC7515_A4_SIGNING_INPUT,
    RFC7520_4_1_SIGNATURE,
    RFC7520_4_1_SIGNING_INPUT,
    RFC7520_4_2_SIGNATURE,
    RFC7520_4_2_SIGNING_INPUT,
    RFC7520_RSA_N,
    RFC8037_A1_D,
    RFC8037_A2_X,
    RFC8037_A4_SIGNATURE,
    RFC8037_A4_SIGNING_INPUT,
    assert_invalid_signature,
    b64u,
    ec_public_key,
    rsa_private_key,
    rsa_public_key,
)

FAMILY_MODULE = {
    "HMAC": hmac_sha2,
    "RSASSA-PKCS1-v1_5": rsassa_pkcs1_v1_5,
    "RSASSA-PSS": rsassa_pss,
    "ECDSA": ecdsa,
    "EdDSA": eddsa,
    "ML-DSA": mldsa,
}
ALL_ALGS = list(registry.SIGNATURES.values())
ALL_ALG_PARAMS = [mldsa_support.param(alg, id=alg.name) for alg in ALL_ALGS]


@pytest.fixture(scope="module")
def key_for() -> dict[str, object]:
    """One signing key per alg name, built with cryptography directly."""
    rsa_key = rsa.generate_private_key(65537, 2048)
    curves = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
    curves["secp256k1"] = ec.SECP256K1()
    keys: dict[str, object] = {}
    for alg in ALL_ALGS:
        if alg.family == "HMAC":
            keys[alg.name] = b"k" * 64
        elif alg.family == "ECDSA":
            assert alg.crv is not None
            keys[alg.name] = ec.generate_private_key(curves[alg.crv])
        elif alg.family == "EdDSA":
            edwards = ed448.Ed448PrivateKey if alg.crv == "Ed448" else ed25519.Ed25519PrivateKey
            keys[alg.name] = edwards.generate()
        elif alg.family == "ML-DSA":
            if mldsa.available():
                keys[alg.name] = mldsa.key_classes(alg).private.generate()
        else:
            keys[alg.name] = rsa_key
    return keys


def test_every_registry_family_has_a_module() -> None:
    assert {alg.family for alg in ALL_ALGS} == set(FAMILY_MODULE)


@pytest.mark.parametrize("alg", ALL_ALG_PARAMS)
def test_dispatcher_and_family_module_agree(
    key_for: dict[str, object], alg: registry.SignatureAlg
) -> None:
    key, module = key_for[alg.name], FAMILY_MODULE[alg.family]
    signature = signatures.sign(alg, key, b"signing input")
    # The family module accepts what the dispatcher produced, and vice versa.
    module.verify(alg, key, b"signing input", signature)
    signatures.verify(alg, key, b"signing input", module.sign(alg, key, b"signing input"))
    assert_invalid_signature(lambda: signatures.verify(alg, key, b"signing inpuT", signature))


def test_dispatcher_reproduces_the_deterministic_rfc_signatures() -> None:
    hs256, rs256 = registry.signature("HS256"), registry.signature("RS256")
    assert signatures.sign(hs256, RFC7515_A1_KEY, RFC7515_A1_SIGNING_INPUT) == RFC7515_A1_SIGNATURE
    rsa_key = rsa_private_key(RFC7515_A2_JWK)
    assert signatures.sign(rs256, rsa_key, RFC7515_A2_SIGNING_INPUT) == RFC7515_A2_SIGNATURE


@pytest.mark.parametrize(
    ("alg_name", "make_key", "signing_input", "signature"),
    [
        ("HS256", lambda: RFC7515_A1_KEY, RFC7515_A1_SIGNING_INPUT, RFC7515_A1_SIGNATURE),
        (
            "RS256",
            lambda: rsa_private_key(RFC7515_A2_JWK).public_key(),
            RFC7515_A2_SIGNING_INPUT,
            RFC7515_A2_SIGNATURE,
        ),
        (
            "ES256",
            lambda: ec_public_key(RFC7515_A3_JWK, ec.SECP256R1()),
            RFC7515_A3_SIGNING_INPUT,
            RFC7515_A3_SIGNATURE,
        ),
        (
            "PS384",
            lambda: rsa_public_key(RFC7520_RSA_N),
            RFC7520_4_2_SIGNING_INPUT,
            RFC7520_4_2_SIGNATURE,
        ),
        (
            "EdDSA",
            lambda: ed25519.Ed25519PublicKey.from_public_bytes(RFC8037_A2_X),
            RFC8037_A4_SIGNING_INPUT,
            RFC8037_A4_SIGNATURE,
        ),
    ],
)
def test_published_signatures_verify_through_the_dispatcher(
    alg_name: str, make_key: Callable[[], object], signing_input: bytes, signature: bytes
) -> None:
    alg, key = registry.signature(alg_name), make_key()
    signatures.verify(alg, key, signing_input, signature)
    assert_invalid_signature(lambda: signatures.verify(alg, key, signing_input, signature[::-1]))


@pytest.mark.parametrize(
    ("alg_name", "wrong_key"),
    [
        # An asymmetric key object can never key an HMAC (RFC 8725 s3.1).
        ("HS256", lambda: rsa.generate_private_key(65537, 2048).public_key()),
        ("HS512", lambda: ed25519.Ed25519PrivateKey.generate()),
        ("RS256", lambda: b"k" * 64),
        ("RS256", lambda: ec.generate_private_key(ec.SECP256R1())),
        ("PS256", lambda: ed448.Ed448PrivateKey.generate()),
        ("ES256", lambda: rsa.generate_private_key(65537, 2048)),
        ("ES256", lambda: ec.generate_private_key(ec.SECP384R1())),
        ("ES256K", lambda: ec.generate_private_key(ec.SECP256R1())),
        ("EdDSA", lambda: x25519.X25519PrivateKey.generate()),
        ("EdDSA", lambda: ec.generate_private_key(ec.SECP256R1())),
    ],
)
def test_key_of_the_wrong_family_is_refused(alg_name: str, wrong_key: Callable[[], object]) -> None:
    alg, key = registry.signature(alg_name), wrong_key()
    with pytest.raises(errors.InvalidKeyError):
        signatures.sign(alg, key, b"signing input")
    with pytest.raises(errors.InvalidKeyError):
        signatures.verify(alg, key, b"signing input", b"\x00" * 64)
    # The key is checked when the verifier is made, before any signature is seen.
    with pytest.raises(errors.InvalidKeyError):
        signatures.verifier(alg, key)


@pytest.mark.parametrize("alg", ["HS256", None, {"name": "HS256"}])
def test_alg_that_is_not_a_descriptor_is_a_programming_error(alg: object) -> None:
    with pytest.raises(TypeError, match="SignatureAlg"):
        signatures.sign(alg, b"k" * 32, b"signing input")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="SignatureAlg"):
        signatures.verify(alg, b"k" * 32, b"signing input", b"")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("vector_id", "signing_input", "signature", "key_members"),
    [
        ("rfc7515-a.1-hs256", RFC7515_A1_SIGNING_INPUT, RFC7515_A1_SIGNATURE, {}),
        ("rfc7515-a.2-rs256", RFC7515_A2_SIGNING_INPUT, RFC7515_A2_SIGNATURE, RFC7515_A2_JWK),
        ("rfc7515-a.3-es256", RFC7515_A3_SIGNING_INPUT, RFC7515_A3_SIGNATURE, RFC7515_A3_JWK),
        ("rfc7515-a.4-es512", RFC7515_A4_SIGNING_INPUT, RFC7515_A4_SIGNATURE, RFC7515_A4_JWK),
        (
            "rfc7520-4.1-rsa-v15-signature-rs256",
            RFC7520_4_1_SIGNING_INPUT,
            RFC7520_4_1_SIGNATURE,
            {"n": RFC7520_RSA_N},
        ),
        (
            "rfc7520-4.2-rsa-pss-signature-ps384",
            RFC7520_4_2_SIGNING_INPUT,
            RFC7520_4_2_SIGNATURE,
            {"n": RFC7520_RSA_N},
        ),
        ("rfc8037-a.4-ed25519-signing", RFC8037_A4_SIGNING_INPUT, RFC8037_A4_SIGNATURE, {}),
    ],
)
def test_transcriptions_match_the_vector_files(
    vector_id: str, signing_input: bytes, signature: bytes, key_members: dict[str, str]
) -> None:
    # Two independent transcriptions of the same RFC values must agree.
    vector = vectorlib.load(vector_id)
    (entry,) = vector["intermediate"]["signatures"]
    assert vectorlib.octets(entry["signing_input"]) == signing_input
    assert vectorlib.octets(entry["signature"]) == signature
    (jwk,) = vector["keys"].values()
    for member, value in key_members.items():
        assert jwk[member] == value
    if vector_id == "rfc7515-a.1-hs256":
        assert b64u(jwk["k"]) == RFC7515_A1_KEY
    if vector_id == "rfc8037-a.4-ed25519-signing":
        assert (b64u(jwk["d"]), b64u(jwk["x"])) == (RFC8037_A1_D, RFC8037_A2_X)
