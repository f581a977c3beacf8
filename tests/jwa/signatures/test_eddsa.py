"""RFC 8037 s3.1 - EdDSA (Ed25519, Ed448) against RFC 8037 A.4 and cryptography directly."""

from __future__ import annotations

from functools import partial

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x448, x25519
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import eddsa
from tests.jwa.signatures import (
    RFC8037_A1_D,
    RFC8037_A2_X,
    RFC8037_A4_SIGNATURE,
    RFC8037_A4_SIGNING_INPUT,
    assert_invalid_signature,
    flip_bit,
)

EDDSA = registry.signature("EdDSA")
# Group orders L (RFC 8032 s5.1 and s5.2); test_group_orders_are_prime guards the transcription.
L_ED25519 = 2**252 + 27742317777372353535851937790883648493
L_ED448 = 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885

SigningKey = ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey
CURVES = ["Ed25519", "Ed448"]
SIGNATURE_BYTES = {"Ed25519": 64, "Ed448": 114}


@pytest.fixture(scope="module")
def keys() -> dict[str, SigningKey]:
    return {
        "Ed25519": ed25519.Ed25519PrivateKey.generate(),
        "Ed448": ed448.Ed448PrivateKey.generate(),
    }


def _rfc8037_private_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(RFC8037_A1_D)


def test_group_orders_are_prime() -> None:
    for order in (L_ED25519, L_ED448):
        assert all(pow(base, order - 1, order) == 1 for base in (2, 3, 5, 7))


def test_rfc8037_a1_private_key_matches_the_a2_public_key() -> None:
    public = _rfc8037_private_key().public_key()
    assert public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == (
        RFC8037_A2_X
    )


def test_rfc8037_a4_signature_is_reproduced_byte_for_byte() -> None:
    signature = eddsa.sign(EDDSA, _rfc8037_private_key(), RFC8037_A4_SIGNING_INPUT)
    assert signature == RFC8037_A4_SIGNATURE


def test_rfc8037_a4_signature_verifies_with_public_and_private_key() -> None:
    public = ed25519.Ed25519PublicKey.from_public_bytes(RFC8037_A2_X)
    for key in (public, _rfc8037_private_key()):
        eddsa.verify(EDDSA, key, RFC8037_A4_SIGNING_INPUT, RFC8037_A4_SIGNATURE)


@pytest.mark.parametrize("curve", CURVES)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(max_size=512))
def test_round_trip_and_cryptography_agrees(
    keys: dict[str, SigningKey], curve: str, signing_input: bytes
) -> None:
    key = keys[curve]
    signature = eddsa.sign(EDDSA, key, signing_input)
    assert len(signature) == SIGNATURE_BYTES[curve]
    key.public_key().verify(signature, signing_input)  # independent check
    eddsa.verify(EDDSA, key.public_key(), signing_input, signature)


@pytest.mark.parametrize("curve", CURVES)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_single_bit_flip_is_rejected(
    keys: dict[str, SigningKey], curve: str, signing_input: bytes, data: st.DataObject
) -> None:
    public_key = keys[curve].public_key()
    signature = eddsa.sign(EDDSA, keys[curve], signing_input)
    bit = data.draw(st.integers(0, len(signature) * 8 - 1), label="signature bit")
    assert_invalid_signature(
        lambda: eddsa.verify(EDDSA, public_key, signing_input, flip_bit(signature, bit))
    )
    bit = data.draw(st.integers(0, len(signing_input) * 8 - 1), label="input bit")
    assert_invalid_signature(
        lambda: eddsa.verify(EDDSA, public_key, flip_bit(signing_input, bit), signature)
    )


def _add_order_to_s(signature: bytes, order: int) -> bytes:
    # RFC 8032 s5.1.6 / s5.2.6: signature = R || S, S little-endian, S < L.
    half = len(signature) // 2
    s = int.from_bytes(signature[half:], "little")
    return signature[:half] + (s + order).to_bytes(half, "little")


def test_rfc8037_a4_with_non_canonical_s_is_rejected() -> None:
    # S + L is the same scalar mod L: a lax verifier would accept this
    # malleated signature; RFC 8032 s5.1.7 step 1 requires S < L.
    public = ed25519.Ed25519PublicKey.from_public_bytes(RFC8037_A2_X)
    malleated = _add_order_to_s(RFC8037_A4_SIGNATURE, L_ED25519)
    assert malleated != RFC8037_A4_SIGNATURE
    assert_invalid_signature(
        lambda: eddsa.verify(EDDSA, public, RFC8037_A4_SIGNING_INPUT, malleated)
    )


def test_ed448_non_canonical_s_is_rejected(keys: dict[str, SigningKey]) -> None:
    key = keys["Ed448"]
    signature = eddsa.sign(EDDSA, key, b"input")
    malleated = _add_order_to_s(signature, L_ED448)
    assert_invalid_signature(lambda: eddsa.verify(EDDSA, key.public_key(), b"input", malleated))


@pytest.mark.parametrize("curve", CURVES)
def test_signature_of_wrong_length_is_rejected(keys: dict[str, SigningKey], curve: str) -> None:
    key = keys[curve]
    signature = eddsa.sign(EDDSA, key, b"input")
    other = eddsa.sign(EDDSA, keys["Ed448" if curve == "Ed25519" else "Ed25519"], b"input")
    for bad in (signature[:-1], signature + b"\x00", b"\x00" + signature, b"", other):
        assert_invalid_signature(partial(eddsa.verify, EDDSA, key.public_key(), b"input", bad))


def test_signature_under_another_key_is_rejected(keys: dict[str, SigningKey]) -> None:
    signature = eddsa.sign(EDDSA, keys["Ed25519"], RFC8037_A4_SIGNING_INPUT)
    public = ed25519.Ed25519PublicKey.from_public_bytes(RFC8037_A2_X)
    assert_invalid_signature(
        lambda: eddsa.verify(EDDSA, public, RFC8037_A4_SIGNING_INPUT, signature)
    )


@pytest.mark.parametrize(
    "bad_key",
    [
        x25519.X25519PrivateKey.generate(),
        x25519.X25519PrivateKey.generate().public_key(),
        x448.X448PrivateKey.generate(),
        x448.X448PrivateKey.generate().public_key(),
        rsa.generate_private_key(65537, 2048),
        ec.generate_private_key(ec.SECP256R1()),
        RFC8037_A1_D,
        None,
    ],
    ids=[
        "x25519-private",
        "x25519-public",
        "x448-private",
        "x448-public",
        "rsa",
        "ec",
        "raw-bytes",
        "none",
    ],
)
def test_wrong_key_object_type_is_refused(bad_key: object) -> None:
    with pytest.raises(InvalidKeyError, match="Ed25519 or Ed448"):
        eddsa.sign(EDDSA, bad_key, RFC8037_A4_SIGNING_INPUT)
    with pytest.raises(InvalidKeyError, match="Ed25519 or Ed448"):
        eddsa.verify(EDDSA, bad_key, RFC8037_A4_SIGNING_INPUT, RFC8037_A4_SIGNATURE)


@pytest.mark.parametrize("curve", CURVES)
def test_public_key_cannot_sign(keys: dict[str, SigningKey], curve: str) -> None:
    with pytest.raises(InvalidKeyError, match="private key"):
        eddsa.sign(EDDSA, keys[curve].public_key(), b"input")


def test_non_eddsa_descriptor_is_a_programming_error(keys: dict[str, SigningKey]) -> None:
    with pytest.raises(ValueError, match="not an EdDSA algorithm"):
        eddsa.sign(registry.signature("ES256"), keys["Ed25519"], b"input")
