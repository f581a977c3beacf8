"""RFC 7518 s3.2 - HS256/HS384/HS512 against RFC 7515 A.1 and the standard library."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import hmac_sha2
from tests.jwa.signatures import (
    RFC7515_A1_KEY,
    RFC7515_A1_SIGNATURE,
    RFC7515_A1_SIGNING_INPUT,
    assert_invalid_signature,
    flip_bit,
)

HS256 = registry.signature("HS256")
HMAC_ALGS = [registry.signature(name) for name in ("HS256", "HS384", "HS512")]
# Independent reference: the standard library's hmac with the matching hashlib function.
STDLIB_HASH = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
OUTPUT_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


def _key(alg: registry.SignatureAlg) -> bytes:
    return bytes(range(OUTPUT_BYTES[alg.name]))


def test_rfc7515_a1_signature_is_reproduced() -> None:
    assert hmac_sha2.sign(HS256, RFC7515_A1_KEY, RFC7515_A1_SIGNING_INPUT) == RFC7515_A1_SIGNATURE


def test_rfc7515_a1_signature_verifies() -> None:
    hmac_sha2.verify(HS256, RFC7515_A1_KEY, RFC7515_A1_SIGNING_INPUT, RFC7515_A1_SIGNATURE)


@pytest.mark.parametrize("alg", HMAC_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(key_extra=st.binary(max_size=64), signing_input=st.binary(max_size=512))
def test_matches_stdlib_hmac_and_round_trips(
    alg: registry.SignatureAlg, key_extra: bytes, signing_input: bytes
) -> None:
    key = _key(alg) + key_extra
    expected = hmac.new(key, signing_input, STDLIB_HASH[alg.name]).digest()
    signature = hmac_sha2.sign(alg, key, signing_input)
    assert signature == expected
    hmac_sha2.verify(alg, key, signing_input, signature)


@pytest.mark.parametrize("alg", HMAC_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_single_bit_flip_is_rejected(
    alg: registry.SignatureAlg, signing_input: bytes, data: st.DataObject
) -> None:
    key = _key(alg)
    signature = hmac_sha2.sign(alg, key, signing_input)
    bit = data.draw(st.integers(0, len(signature) * 8 - 1), label="signature bit")
    assert_invalid_signature(
        lambda: hmac_sha2.verify(alg, key, signing_input, flip_bit(signature, bit))
    )
    bit = data.draw(st.integers(0, len(signing_input) * 8 - 1), label="input bit")
    assert_invalid_signature(
        lambda: hmac_sha2.verify(alg, key, flip_bit(signing_input, bit), signature)
    )


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1],
        lambda t: t[:16],
        lambda t: b"",
        lambda t: t + b"\x00",
        lambda t: t + t,
        lambda t: b"\x00" * len(t),
    ],
    ids=["truncated-by-1", "truncated-to-128-bits", "empty", "extended-by-1", "doubled", "zeros"],
)
def test_truncated_or_extended_tag_is_rejected(mutate: Callable[[bytes], bytes]) -> None:
    tag = mutate(RFC7515_A1_SIGNATURE)
    assert_invalid_signature(
        lambda: hmac_sha2.verify(HS256, RFC7515_A1_KEY, RFC7515_A1_SIGNING_INPUT, tag)
    )


def test_wrong_key_is_rejected() -> None:
    other_key = bytes(reversed(RFC7515_A1_KEY))
    assert_invalid_signature(
        lambda: hmac_sha2.verify(HS256, other_key, RFC7515_A1_SIGNING_INPUT, RFC7515_A1_SIGNATURE)
    )


@pytest.mark.parametrize("alg", HMAC_ALGS, ids=lambda a: a.name)
def test_key_shorter_than_hash_output_is_refused(alg: registry.SignatureAlg) -> None:
    short_key = _key(alg)[:-1]
    with pytest.raises(InvalidKeyError, match=r"RFC 7518 s3\.2"):
        hmac_sha2.sign(alg, short_key, b"input")
    # Verify refuses too, before comparing anything: a short key authenticates nothing.
    tag = hmac.new(short_key, b"input", STDLIB_HASH[alg.name]).digest()
    with pytest.raises(InvalidKeyError):
        hmac_sha2.verify(alg, short_key, b"input", tag)
    with pytest.raises(InvalidKeyError):
        hmac_sha2.verify(alg, b"", b"input", tag)


@pytest.mark.parametrize("alg", HMAC_ALGS, ids=lambda a: a.name)
def test_key_of_exactly_hash_output_length_is_accepted(alg: registry.SignatureAlg) -> None:
    key = _key(alg)
    hmac_sha2.verify(alg, key, b"input", hmac_sha2.sign(alg, key, b"input"))


def test_key_error_message_does_not_echo_the_key() -> None:
    secret = b"s3cr3t-short-key"
    with pytest.raises(InvalidKeyError) as info:
        hmac_sha2.sign(HS256, secret, b"input")
    assert "s3cr3t" not in str(info.value)
    assert secret.hex() not in str(info.value)


@pytest.mark.parametrize(
    "key",
    [
        None,
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0g",
        bytearray(64),
        64,
        rsa.generate_private_key(65537, 2048).public_key(),
        ec.generate_private_key(ec.SECP256R1()),
        ed25519.Ed25519PrivateKey.generate(),
    ],
    ids=["none", "str", "bytearray", "int", "rsa-public", "ec-private", "ed25519-private"],
)
def test_wrong_key_object_type_is_refused(key: object) -> None:
    with pytest.raises(InvalidKeyError):
        hmac_sha2.sign(HS256, key, b"input")
    with pytest.raises(InvalidKeyError):
        hmac_sha2.verify(HS256, key, b"input", RFC7515_A1_SIGNATURE)


def test_non_hmac_descriptor_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not an HMAC algorithm"):
        hmac_sha2.sign(registry.signature("RS256"), RFC7515_A1_KEY, b"input")


@pytest.mark.parametrize("alg", HMAC_ALGS, ids=lambda a: a.name)
def test_one_verifier_checks_many_messages(alg: registry.SignatureAlg) -> None:
    # The verifier keeps the keyed HMAC state and copies it per message: a message checked
    # before must not leave anything behind for the next one.
    key = _key(alg)
    check = hmac_sha2.verifier(alg, key)
    messages = [b"first", b"", b"first", b"x" * 300]
    for message in messages:
        check(message, hmac.new(key, message, STDLIB_HASH[alg.name]).digest())
    good = hmac.new(key, b"first", STDLIB_HASH[alg.name]).digest()
    assert_invalid_signature(lambda: check(b"second", good))
    assert_invalid_signature(lambda: check(b"first", good[:-1]))
    assert_invalid_signature(lambda: check(b"first", good + b"\x00"))
    check(b"first", good)
