"""RFC 7518 s3.5 - PS256/PS384/PS512 against RFC 7520 s4.2 and cryptography directly."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import rsassa_pss
from tests.jwa.signatures import (
    RFC7520_4_2_SIGNATURE,
    RFC7520_4_2_SIGNING_INPUT,
    RFC7520_RSA_N,
    assert_invalid_signature,
    flip_bit,
    rsa_public_key,
)

PS256 = registry.signature("PS256")
PS_ALGS = [registry.signature(name) for name in ("PS256", "PS384", "PS512")]
CRYPTO_HASH: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "PS256": hashes.SHA256,
    "PS384": hashes.SHA384,
    "PS512": hashes.SHA512,
}


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


def _pss(hash_: hashes.HashAlgorithm, salt_length: int) -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hash_), salt_length=salt_length)


def test_rfc7520_4_2_ps384_signature_verifies() -> None:
    public_key = rsa_public_key(RFC7520_RSA_N)
    ps384 = registry.signature("PS384")
    rsassa_pss.verify(ps384, public_key, RFC7520_4_2_SIGNING_INPUT, RFC7520_4_2_SIGNATURE)
    assert_invalid_signature(
        lambda: rsassa_pss.verify(
            ps384, public_key, RFC7520_4_2_SIGNING_INPUT + b".", RFC7520_4_2_SIGNATURE
        )
    )


@pytest.mark.parametrize("alg", PS_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(max_size=512))
def test_round_trip_and_cryptography_agrees_on_salt_length(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg, signing_input: bytes
) -> None:
    signature = rsassa_pss.sign(alg, key, signing_input)
    assert len(signature) == 256
    hash_ = CRYPTO_HASH[alg.name]()
    # Independent check: cryptography accepts it with salt = hash length and
    # MGF1 over the same hash (OpenSSL checks a fixed salt length exactly) ...
    key.public_key().verify(signature, signing_input, _pss(hash_, hash_.digest_size), hash_)
    # ... and refuses it with any other salt length.
    with pytest.raises(InvalidSignature):
        key.public_key().verify(signature, signing_input, _pss(hash_, hash_.digest_size - 1), hash_)
    rsassa_pss.verify(alg, key.public_key(), signing_input, signature)


@pytest.mark.parametrize("alg", PS_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_single_bit_flip_is_rejected(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg, signing_input: bytes, data: st.DataObject
) -> None:
    public_key = key.public_key()
    signature = rsassa_pss.sign(alg, key, signing_input)
    bit = data.draw(st.integers(0, len(signature) * 8 - 1), label="signature bit")
    assert_invalid_signature(
        lambda: rsassa_pss.verify(alg, public_key, signing_input, flip_bit(signature, bit))
    )
    bit = data.draw(st.integers(0, len(signing_input) * 8 - 1), label="input bit")
    assert_invalid_signature(
        lambda: rsassa_pss.verify(alg, public_key, flip_bit(signing_input, bit), signature)
    )


def test_signatures_are_randomized(key: rsa.RSAPrivateKey) -> None:
    assert rsassa_pss.sign(PS256, key, b"input") != rsassa_pss.sign(PS256, key, b"input")


@pytest.mark.parametrize("alg", PS_ALGS, ids=lambda a: a.name)
@pytest.mark.parametrize("salt", ["zero", "max", "hash-minus-1", "hash-plus-1"])
def test_signature_with_another_salt_length_is_rejected(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg, salt: str
) -> None:
    hash_ = CRYPTO_HASH[alg.name]()
    if salt == "max":
        pss = padding.PSS(mgf=padding.MGF1(hash_), salt_length=padding.PSS.MAX_LENGTH)
    else:
        delta = {"zero": -hash_.digest_size, "hash-minus-1": -1, "hash-plus-1": 1}[salt]
        pss = _pss(hash_, hash_.digest_size + delta)
    signature = key.sign(b"input", pss, hash_)
    assert_invalid_signature(lambda: rsassa_pss.verify(alg, key.public_key(), b"input", signature))


@pytest.mark.parametrize("alg", PS_ALGS, ids=lambda a: a.name)
def test_signature_made_by_cryptography_with_jose_parameters_verifies(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg
) -> None:
    hash_ = CRYPTO_HASH[alg.name]()
    signature = key.sign(b"input", _pss(hash_, hash_.digest_size), hash_)
    rsassa_pss.verify(alg, key.public_key(), b"input", signature)


def test_mgf1_with_another_hash_is_rejected(key: rsa.RSAPrivateKey) -> None:
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA1()), salt_length=32)  # noqa: S303
    signature = key.sign(b"input", pss, hashes.SHA256())
    assert_invalid_signature(
        lambda: rsassa_pss.verify(PS256, key.public_key(), b"input", signature)
    )


def test_pkcs1_v1_5_signature_is_rejected(key: rsa.RSAPrivateKey) -> None:
    signature = key.sign(b"input", padding.PKCS1v15(), hashes.SHA256())
    assert_invalid_signature(
        lambda: rsassa_pss.verify(PS256, key.public_key(), b"input", signature)
    )


def test_signature_for_another_hash_is_rejected(key: rsa.RSAPrivateKey) -> None:
    signature = rsassa_pss.sign(registry.signature("PS384"), key, b"input")
    assert_invalid_signature(
        lambda: rsassa_pss.verify(PS256, key.public_key(), b"input", signature)
    )


@pytest.mark.parametrize("cut", ["short", "leading-zero", "trailing-zero", "empty"])
def test_signature_length_other_than_modulus_length_is_rejected(
    key: rsa.RSAPrivateKey, cut: str
) -> None:
    signature = rsassa_pss.sign(PS256, key, b"input")
    bad = {
        "short": signature[:-1],
        "leading-zero": b"\x00" + signature,
        "trailing-zero": signature + b"\x00",
        "empty": b"",
    }[cut]
    assert_invalid_signature(lambda: rsassa_pss.verify(PS256, key.public_key(), b"input", bad))


def test_1024_bit_key_is_refused_for_sign_and_verify() -> None:
    weak = rsa.generate_private_key(65537, 1024)  # noqa: S505 - the weak key is the point
    signature = weak.sign(b"input", _pss(hashes.SHA256(), 32), hashes.SHA256())
    with pytest.raises(InvalidKeyError, match=r"got 1024 .*RFC 7518 s3\.5"):
        rsassa_pss.sign(PS256, weak, b"input")
    with pytest.raises(InvalidKeyError):
        rsassa_pss.verify(PS256, weak.public_key(), b"input", signature)


@pytest.mark.parametrize(
    "bad_key",
    [
        None,
        b"\x00" * 256,
        ec.generate_private_key(ec.SECP256R1()),
        ed25519.Ed25519PrivateKey.generate().public_key(),
    ],
    ids=["none", "bytes", "ec-private", "ed25519-public"],
)
def test_wrong_key_object_type_is_refused(bad_key: object) -> None:
    with pytest.raises(InvalidKeyError):
        rsassa_pss.sign(PS256, bad_key, b"input")
    with pytest.raises(InvalidKeyError):
        rsassa_pss.verify(PS256, bad_key, b"input", b"\x00" * 256)


def test_public_key_cannot_sign(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(InvalidKeyError, match="private key"):
        rsassa_pss.sign(PS256, key.public_key(), b"input")


def test_verify_accepts_the_private_key(key: rsa.RSAPrivateKey) -> None:
    rsassa_pss.verify(PS256, key, b"input", rsassa_pss.sign(PS256, key, b"input"))


def test_non_pss_descriptor_is_a_programming_error(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(ValueError, match="not an RSASSA-PSS algorithm"):
        rsassa_pss.sign(registry.signature("RS256"), key, b"input")
