"""RFC 7518 s3.3 - RS256/RS384/RS512 against RFC 7515 A.2, RFC 7520 s4.1 and cryptography."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import rsassa_pkcs1_v1_5
from tests.jwa.signatures import (
    RFC7515_A2_JWK,
    RFC7515_A2_SIGNATURE,
    RFC7515_A2_SIGNING_INPUT,
    RFC7520_4_1_SIGNATURE,
    RFC7520_4_1_SIGNING_INPUT,
    RFC7520_RSA_N,
    assert_invalid_signature,
    flip_bit,
    rsa_private_key,
    rsa_public_key,
)

RS256 = registry.signature("RS256")
RS_ALGS = [registry.signature(name) for name in ("RS256", "RS384", "RS512")]
CRYPTO_HASH: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


def test_rfc7515_a2_signature_is_reproduced_byte_for_byte() -> None:
    private_key = rsa_private_key(RFC7515_A2_JWK)
    signature = rsassa_pkcs1_v1_5.sign(RS256, private_key, RFC7515_A2_SIGNING_INPUT)
    assert signature == RFC7515_A2_SIGNATURE


def test_rfc7515_a2_signature_verifies_with_public_and_private_key() -> None:
    private_key = rsa_private_key(RFC7515_A2_JWK)
    for key in (private_key, private_key.public_key()):
        rsassa_pkcs1_v1_5.verify(RS256, key, RFC7515_A2_SIGNING_INPUT, RFC7515_A2_SIGNATURE)


def test_rfc7520_4_1_signature_verifies() -> None:
    public_key = rsa_public_key(RFC7520_RSA_N)
    rsassa_pkcs1_v1_5.verify(RS256, public_key, RFC7520_4_1_SIGNING_INPUT, RFC7520_4_1_SIGNATURE)


@pytest.mark.parametrize("alg", RS_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(max_size=512))
def test_round_trip_and_cryptography_agrees(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg, signing_input: bytes
) -> None:
    signature = rsassa_pkcs1_v1_5.sign(alg, key, signing_input)
    assert len(signature) == 256
    # Independent check: cryptography with the RFC 7518 s3.3 parameters accepts it.
    hash_ = CRYPTO_HASH[alg.name]()
    key.public_key().verify(signature, signing_input, padding.PKCS1v15(), hash_)
    rsassa_pkcs1_v1_5.verify(alg, key.public_key(), signing_input, signature)


@pytest.mark.parametrize("alg", RS_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_single_bit_flip_is_rejected(
    key: rsa.RSAPrivateKey, alg: registry.SignatureAlg, signing_input: bytes, data: st.DataObject
) -> None:
    public_key = key.public_key()
    signature = rsassa_pkcs1_v1_5.sign(alg, key, signing_input)
    bit = data.draw(st.integers(0, len(signature) * 8 - 1), label="signature bit")
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(alg, public_key, signing_input, flip_bit(signature, bit))
    )
    bit = data.draw(st.integers(0, len(signing_input) * 8 - 1), label="input bit")
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(alg, public_key, flip_bit(signing_input, bit), signature)
    )


@pytest.mark.parametrize(
    "signature",
    [
        RFC7515_A2_SIGNATURE[:-1],
        RFC7515_A2_SIGNATURE[1:],
        b"\x00" + RFC7515_A2_SIGNATURE,  # the same integer, one octet longer
        RFC7515_A2_SIGNATURE + b"\x00",
        RFC7515_A2_SIGNATURE * 2,
        b"",
    ],
    ids=["short-tail", "short-head", "leading-zero", "trailing-zero", "doubled", "empty"],
)
def test_signature_length_other_than_modulus_length_is_rejected(signature: bytes) -> None:
    public_key = rsa_private_key(RFC7515_A2_JWK).public_key()
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(RS256, public_key, RFC7515_A2_SIGNING_INPUT, signature)
    )


@pytest.mark.parametrize("index", [0, 1, 127, 254, 255])
def test_mutated_signature_octet_is_rejected(index: int) -> None:
    public_key = rsa_private_key(RFC7515_A2_JWK).public_key()
    mutated = bytearray(RFC7515_A2_SIGNATURE)
    mutated[index] ^= 0xFF
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(
            RS256, public_key, RFC7515_A2_SIGNING_INPUT, bytes(mutated)
        )
    )


def test_signature_out_of_range_or_trivial_is_rejected() -> None:
    # RFC 8017 s5.2.2: a representative >= n is out of range; 0 and 1 are fixed points.
    public_key = rsa_private_key(RFC7515_A2_JWK).public_key()
    n = public_key.public_numbers().n
    for value in (n, n + 1, 2**2048 - 1, 0, 1, n - 1):
        signature = value.to_bytes(256, "big")
        assert_invalid_signature(
            partial(
                rsassa_pkcs1_v1_5.verify, RS256, public_key, RFC7515_A2_SIGNING_INPUT, signature
            )
        )


# RFC 8017 s9.2 note 1: DigestInfo DER prefixes; the no-NULL form omits the
# AlgorithmIdentifier parameters (some lax verifiers accepted it).
SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
SHA256_PREFIX_NO_NULL = bytes.fromhex("302f300b0609608648016503040201" + "0420")
# The SHA-256 prefix with the SHA-512 OID (last arc 3): well-formed DER, wrong hash.
SHA512_OID_PREFIX = bytes.fromhex("3031300d060960864801650304020305000420")


def _raw_rsa_sign(key: rsa.RSAPrivateKey, encoded_message: bytes) -> bytes:
    """Textbook RSA on a hand-made EM, to build malformed PKCS#1 v1.5 signatures."""
    numbers = key.private_numbers()
    n = numbers.public_numbers.n
    k = (n.bit_length() + 7) // 8
    return pow(int.from_bytes(encoded_message, "big"), numbers.d, n).to_bytes(k, "big")


def _em(t: bytes, k: int, *, block_type: int = 1, tail: bytes = b"") -> bytes:
    # RFC 8017 s9.2: EM = 0x00 || 0x01 || PS (0xFF...) || 0x00 || T.
    ps = b"\xff" * (k - len(t) - len(tail) - 3)
    return b"\x00" + bytes([block_type]) + ps + b"\x00" + t + tail


def test_hand_made_canonical_encoding_verifies(key: rsa.RSAPrivateKey) -> None:
    # Sanity check of the construction used by the negative cases below.
    digest = hashes.Hash(hashes.SHA256())
    digest.update(b"input")
    signature = _raw_rsa_sign(key, _em(SHA256_PREFIX + digest.finalize(), 256))
    rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature)


@pytest.mark.parametrize(
    "variant",
    ["no-null-parameters", "sha512-oid", "garbage-after-digest", "block-type-2", "ps-not-ff"],
)
def test_digest_info_mutations_are_rejected(key: rsa.RSAPrivateKey, variant: str) -> None:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(b"input")
    h = digest.finalize()
    if variant == "no-null-parameters":
        em = _em(SHA256_PREFIX_NO_NULL + h, 256)
    elif variant == "sha512-oid":
        em = _em(SHA512_OID_PREFIX + h, 256)
    elif variant == "garbage-after-digest":
        em = _em(SHA256_PREFIX + h, 256, tail=b"\x00" * 16)
    elif variant == "block-type-2":
        em = _em(SHA256_PREFIX + h, 256, block_type=2)
    else:
        em = _em(SHA256_PREFIX + h, 256)
        em = em[:10] + b"\xfe" + em[11:]
    signature = _raw_rsa_sign(key, em)
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature)
    )


def test_signature_for_another_hash_is_rejected(key: rsa.RSAPrivateKey) -> None:
    rs384 = registry.signature("RS384")
    signature = rsassa_pkcs1_v1_5.sign(rs384, key, b"input")
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature)
    )


def test_pss_signature_is_rejected(key: rsa.RSAPrivateKey) -> None:
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signature = key.sign(b"input", pss, hashes.SHA256())
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature)
    )


def test_modulus_not_a_multiple_of_8_bits_uses_the_rounded_up_length() -> None:
    key = rsa.generate_private_key(65537, 2050)
    signature = rsassa_pkcs1_v1_5.sign(RS256, key, b"input")
    assert len(signature) == 257
    rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature)
    assert_invalid_signature(
        lambda: rsassa_pkcs1_v1_5.verify(RS256, key.public_key(), b"input", signature[1:])
    )


def test_1024_bit_key_is_refused_for_sign_and_verify() -> None:
    weak = rsa.generate_private_key(65537, 1024)  # noqa: S505 - the weak key is the point
    signature = weak.sign(b"input", padding.PKCS1v15(), hashes.SHA256())
    with pytest.raises(InvalidKeyError, match=r"got 1024 .*RFC 7518 s3\.3"):
        rsassa_pkcs1_v1_5.sign(RS256, weak, b"input")
    with pytest.raises(InvalidKeyError):
        rsassa_pkcs1_v1_5.verify(RS256, weak.public_key(), b"input", signature)


def test_modulus_above_16384_bits_is_refused() -> None:
    huge = rsa.RSAPublicNumbers(65537, (1 << 16400) | 1).public_key()
    with pytest.raises(InvalidKeyError):
        rsassa_pkcs1_v1_5.verify(RS256, huge, b"input", b"\x01" * 2051)


@pytest.mark.parametrize(
    "bad_key",
    [
        None,
        b"\x00" * 256,
        "key",
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()).public_key(),
        ed25519.Ed25519PrivateKey.generate(),
    ],
    ids=["none", "bytes", "str", "ec-private", "ec-public", "ed25519"],
)
def test_wrong_key_object_type_is_refused(bad_key: object) -> None:
    with pytest.raises(InvalidKeyError):
        rsassa_pkcs1_v1_5.sign(RS256, bad_key, b"input")
    with pytest.raises(InvalidKeyError):
        rsassa_pkcs1_v1_5.verify(RS256, bad_key, b"input", RFC7515_A2_SIGNATURE)


def test_public_key_cannot_sign(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(InvalidKeyError, match="private key"):
        rsassa_pkcs1_v1_5.sign(RS256, key.public_key(), b"input")


def test_non_pkcs1_descriptor_is_a_programming_error(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(ValueError, match="not an RSASSA-PKCS1-v1_5 algorithm"):
        rsassa_pkcs1_v1_5.sign(registry.signature("PS256"), key, b"input")
    with pytest.raises(ValueError, match="not an RSA signature algorithm"):
        rsassa_pkcs1_v1_5.hash_algorithm(registry.signature("ES256"))
