"""RFC 7518 s3.4 and RFC 8812 s3.2 - ES256/384/512 and ES256K against RFC 7515 A.3/A.4."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa, x25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import ecdsa
from tests.jwa.signatures import (
    RFC7515_A3_JWK,
    RFC7515_A3_SIGNATURE,
    RFC7515_A3_SIGNING_INPUT,
    RFC7515_A4_JWK,
    RFC7515_A4_SIGNATURE,
    RFC7515_A4_SIGNING_INPUT,
    assert_invalid_signature,
    ec_private_key,
    ec_public_key,
    flip_bit,
)

ES256 = registry.signature("ES256")
ES512 = registry.signature("ES512")
ES_ALGS = [registry.signature(name) for name in ("ES256", "ES384", "ES512", "ES256K")]
CURVE = {
    "ES256": ec.SECP256R1(),
    "ES384": ec.SECP384R1(),
    "ES512": ec.SECP521R1(),
    "ES256K": ec.SECP256K1(),
}
CRYPTO_HASH: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "ES256": hashes.SHA256,
    "ES384": hashes.SHA384,
    "ES512": hashes.SHA512,
    "ES256K": hashes.SHA256,
}
# Octets of R and of S: ceil(curve bits / 8) (RFC 7518 s3.4, RFC 8812 s3.2).
SIZE = {"ES256": 32, "ES384": 48, "ES512": 66, "ES256K": 32}
# Group orders n, transcribed from SEC 2 v2 s2.4.1 (secp256k1) and FIPS 186-4
# D.1.2.3-5 (P-256, P-384, P-521); test_curve_orders checks them against cryptography.
ORDER = {
    "ES256": int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16),
    "ES384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
        "581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    "ES512": int(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    "ES256K": int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16),
}


@pytest.fixture(scope="module")
def keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    return {name: ec.generate_private_key(curve) for name, curve in CURVE.items()}


def _raw(r: int, s: int, size: int) -> bytes:
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _split(signature: bytes) -> tuple[int, int]:
    half = len(signature) // 2
    return int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")


@pytest.mark.parametrize("name", list(ORDER))
def test_curve_orders(name: str) -> None:
    n, curve = ORDER[name], CURVE[name]
    # d = n - 1 gives -G (same x as G, other y); d = n is out of range.
    minus_g = ec.derive_private_key(n - 1, curve).public_key().public_numbers()
    g = ec.derive_private_key(1, curve).public_key().public_numbers()
    assert (minus_g.x, minus_g.y) != (g.x, g.y)
    assert minus_g.x == g.x
    with pytest.raises(ValueError):
        ec.derive_private_key(n, curve)


def test_rfc7515_a3_es256_signature_verifies() -> None:
    private_key = ec_private_key(RFC7515_A3_JWK, ec.SECP256R1())
    for key in (private_key, ec_public_key(RFC7515_A3_JWK, ec.SECP256R1())):
        ecdsa.verify(ES256, key, RFC7515_A3_SIGNING_INPUT, RFC7515_A3_SIGNATURE)
    assert_invalid_signature(
        lambda: ecdsa.verify(
            ES256, private_key, RFC7515_A3_SIGNING_INPUT + b"x", RFC7515_A3_SIGNATURE
        )
    )


def test_rfc7515_a4_es512_signature_verifies() -> None:
    public_key = ec_public_key(RFC7515_A4_JWK, ec.SECP521R1())
    assert len(RFC7515_A4_SIGNATURE) == 132
    ecdsa.verify(ES512, public_key, RFC7515_A4_SIGNING_INPUT, RFC7515_A4_SIGNATURE)
    assert_invalid_signature(
        lambda: ecdsa.verify(
            ES512, public_key, RFC7515_A4_SIGNING_INPUT, RFC7515_A4_SIGNATURE[::-1]
        )
    )


def test_signing_with_the_rfc7515_a3_key_verifies_with_cryptography() -> None:
    private_key = ec_private_key(RFC7515_A3_JWK, ec.SECP256R1())
    signature = ecdsa.sign(ES256, private_key, RFC7515_A3_SIGNING_INPUT)
    r, s = _split(signature)
    private_key.public_key().verify(
        encode_dss_signature(r, s), RFC7515_A3_SIGNING_INPUT, ec.ECDSA(hashes.SHA256())
    )


@pytest.mark.parametrize("alg", ES_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(max_size=512))
def test_round_trip_and_cryptography_agrees(
    keys: dict[str, ec.EllipticCurvePrivateKey], alg: registry.SignatureAlg, signing_input: bytes
) -> None:
    key = keys[alg.name]
    signature = ecdsa.sign(alg, key, signing_input)
    assert len(signature) == 2 * SIZE[alg.name]
    # Independent check: R || S re-encoded as DER verifies with cryptography.
    r, s = _split(signature)
    scheme = ec.ECDSA(CRYPTO_HASH[alg.name]())
    key.public_key().verify(encode_dss_signature(r, s), signing_input, scheme)
    ecdsa.verify(alg, key.public_key(), signing_input, signature)


@pytest.mark.parametrize("alg", ES_ALGS, ids=lambda a: a.name)
@settings(max_examples=100, deadline=None)
@given(signing_input=st.binary(min_size=1, max_size=256), data=st.data())
def test_any_single_bit_flip_is_rejected(
    keys: dict[str, ec.EllipticCurvePrivateKey],
    alg: registry.SignatureAlg,
    signing_input: bytes,
    data: st.DataObject,
) -> None:
    public_key = keys[alg.name].public_key()
    signature = ecdsa.sign(alg, keys[alg.name], signing_input)
    bit = data.draw(st.integers(0, len(signature) * 8 - 1), label="signature bit")
    assert_invalid_signature(
        lambda: ecdsa.verify(alg, public_key, signing_input, flip_bit(signature, bit))
    )
    bit = data.draw(st.integers(0, len(signing_input) * 8 - 1), label="input bit")
    assert_invalid_signature(
        lambda: ecdsa.verify(alg, public_key, flip_bit(signing_input, bit), signature)
    )


def test_r_with_leading_zero_octets_keeps_its_full_width(
    keys: dict[str, ec.EllipticCurvePrivateKey],
) -> None:
    # RFC 7518 s3.4: R and S "MUST NOT be shortened to omit any leading zero
    # octets". Find, with cryptography directly, a signature whose r < 2^248.
    key = keys["ES256"]
    for attempt in range(20_000):
        message = attempt.to_bytes(4, "big")
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        if r < 1 << 248:
            break
    else:
        pytest.fail("no short r found")
    ecdsa.verify(ES256, key.public_key(), message, _raw(r, s, 32))
    shortened = r.to_bytes(31, "big") + s.to_bytes(32, "big")
    assert_invalid_signature(lambda: ecdsa.verify(ES256, key.public_key(), message, shortened))


@pytest.mark.parametrize("alg", ES_ALGS, ids=lambda a: a.name)
def test_signature_of_wrong_length_is_rejected(
    keys: dict[str, ec.EllipticCurvePrivateKey], alg: registry.SignatureAlg
) -> None:
    key = keys[alg.name]
    signature = ecdsa.sign(alg, key, b"input")
    for bad in (
        signature[:-1],
        signature + b"\x00",
        b"\x00" + signature,
        signature[: SIZE[alg.name]],
        signature * 2,
        b"",
    ):
        assert_invalid_signature(partial(ecdsa.verify, alg, key.public_key(), b"input", bad))


@pytest.mark.parametrize("alg", ES_ALGS, ids=lambda a: a.name)
def test_der_encoded_signature_is_rejected(
    keys: dict[str, ec.EllipticCurvePrivateKey], alg: registry.SignatureAlg
) -> None:
    key = keys[alg.name]
    der = key.sign(b"input", ec.ECDSA(CRYPTO_HASH[alg.name]()))
    assert_invalid_signature(lambda: ecdsa.verify(alg, key.public_key(), b"input", der))


def test_der_signature_of_exactly_64_octets_is_read_as_r_s_and_rejected(
    keys: dict[str, ec.EllipticCurvePrivateKey],
) -> None:
    key = keys["ES256"]
    r, s = decode_dss_signature(key.sign(b"input", ec.ECDSA(hashes.SHA256())))
    # 6 octets of DER framing + two 29-octet integers in [2^230, 2^231) = 64 octets.
    der = encode_dss_signature(r % (1 << 230) | 1 << 230, s % (1 << 230) | 1 << 230)
    assert len(der) == 64
    assert_invalid_signature(lambda: ecdsa.verify(ES256, key.public_key(), b"input", der))


@pytest.mark.parametrize("alg", ES_ALGS, ids=lambda a: a.name)
@pytest.mark.parametrize("component", ["r", "s"])
@pytest.mark.parametrize("value", ["0", "1", "n-1", "n", "n+1", "all-ones"])
def test_r_or_s_at_the_edges_of_the_range_is_rejected(
    keys: dict[str, ec.EllipticCurvePrivateKey],
    alg: registry.SignatureAlg,
    component: str,
    value: str,
) -> None:
    # 0, n, n+1 and 2^(8*size)-1 are outside [1, n-1] (SEC 1 s4.1.4 step 1);
    # 1 and n-1 are in range but are not the signature of this input.
    key, n, size = keys[alg.name], ORDER[alg.name], SIZE[alg.name]
    edge = {
        "0": 0,
        "1": 1,
        "n-1": n - 1,
        "n": n,
        "n+1": n + 1,
        "all-ones": (1 << (8 * size)) - 1,
    }[value]
    r, s = _split(ecdsa.sign(alg, key, b"input"))
    bad = _raw(edge, s, size) if component == "r" else _raw(r, edge, size)
    assert_invalid_signature(lambda: ecdsa.verify(alg, key.public_key(), b"input", bad))


def test_r_and_s_both_zero_is_rejected(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    key = keys["ES256"]
    assert_invalid_signature(lambda: ecdsa.verify(ES256, key.public_key(), b"", b"\x00" * 64))


@pytest.mark.parametrize(
    ("alg_name", "key_name"),
    [
        ("ES256", "ES384"),
        ("ES256", "ES256K"),
        ("ES256K", "ES256"),
        ("ES384", "ES512"),
        ("ES512", "ES384"),
        ("ES512", "ES256"),
    ],
)
def test_key_on_another_curve_is_refused(
    keys: dict[str, ec.EllipticCurvePrivateKey], alg_name: str, key_name: str
) -> None:
    alg, key = registry.signature(alg_name), keys[key_name]
    with pytest.raises(InvalidKeyError, match=f"requires a {alg.crv} key"):
        ecdsa.sign(alg, key, b"input")
    # A signature that is valid under the other curve's alg is not even looked at.
    signature = ecdsa.sign(registry.signature(key_name), key, b"input")
    with pytest.raises(InvalidKeyError):
        ecdsa.verify(alg, key.public_key(), b"input", signature)


@pytest.mark.parametrize(
    "bad_key",
    [
        None,
        b"\x00" * 32,
        rsa.generate_private_key(65537, 2048),
        ed25519.Ed25519PrivateKey.generate(),
        x25519.X25519PrivateKey.generate().public_key(),
    ],
    ids=["none", "bytes", "rsa-private", "ed25519-private", "x25519-public"],
)
def test_wrong_key_object_type_is_refused(bad_key: object) -> None:
    with pytest.raises(InvalidKeyError):
        ecdsa.sign(ES256, bad_key, b"input")
    with pytest.raises(InvalidKeyError):
        ecdsa.verify(ES256, bad_key, b"input", b"\x01" * 64)


def test_public_key_cannot_sign(keys: dict[str, ec.EllipticCurvePrivateKey]) -> None:
    with pytest.raises(InvalidKeyError, match="private key"):
        ecdsa.sign(ES256, keys["ES256"].public_key(), b"input")


def test_non_ecdsa_descriptor_is_a_programming_error(
    keys: dict[str, ec.EllipticCurvePrivateKey],
) -> None:
    with pytest.raises(ValueError, match="not an ECDSA algorithm"):
        ecdsa.sign(registry.signature("EdDSA"), keys["ES256"], b"input")
