"""RFC 9864 s2.2 - "Ed25519" and "Ed448" each bind one curve; "EdDSA" takes either.

Keys are made with cryptography directly. The fully specified names refuse a
key of the other curve in both directions (sign and verify); the deprecated
polymorphic "EdDSA" keeps working with both curves exactly as before.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, x25519

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry, signatures
from jose_ref.jwa.signatures import eddsa
from tests.jwa.signatures import (
    RFC8037_A2_X,
    RFC8037_A4_SIGNATURE,
    RFC8037_A4_SIGNING_INPUT,
    assert_invalid_signature,
)

CURVE_KEYS = {"Ed25519": ed25519.Ed25519PrivateKey, "Ed448": ed448.Ed448PrivateKey}
OTHER = {"Ed25519": "Ed448", "Ed448": "Ed25519"}


def test_registry_rows_of_rfc_9864() -> None:
    for name in ("Ed25519", "Ed448"):
        row = registry.signature(name)
        assert (row.family, row.kty, row.crv, row.deprecated) == ("EdDSA", "OKP", name, False)
    eddsa_row = registry.signature("EdDSA")
    assert (eddsa_row.crv, eddsa_row.deprecated) == (None, True)


@pytest.mark.parametrize("name", ["Ed25519", "Ed448"])
def test_fully_specified_round_trip(name: str) -> None:
    alg, key = registry.signature(name), CURVE_KEYS[name].generate()
    signature = signatures.sign(alg, key, b"input")
    key.public_key().verify(signature, b"input")  # the plain RFC 8032 signature
    signatures.verify(alg, key.public_key(), b"input", key.sign(b"input"))


@pytest.mark.parametrize("name", ["Ed25519", "Ed448"])
def test_the_other_curve_is_refused(name: str) -> None:
    alg, other = registry.signature(name), CURVE_KEYS[OTHER[name]].generate()
    with pytest.raises(InvalidKeyError, match=f"{name} requires an {name} key"):
        eddsa.sign(alg, other, b"input")
    with pytest.raises(InvalidKeyError, match=r"RFC 9864 s2\.2"):
        eddsa.verify(alg, other.public_key(), b"input", other.sign(b"input"))


def test_x25519_is_still_refused_for_the_new_names() -> None:
    with pytest.raises(InvalidKeyError):
        eddsa.sign(registry.signature("Ed25519"), x25519.X25519PrivateKey.generate(), b"input")


@pytest.mark.parametrize("name", ["Ed25519", "Ed448"])
def test_deprecated_eddsa_still_signs_and_verifies_both_curves(name: str) -> None:
    alg, key = registry.signature("EdDSA"), CURVE_KEYS[name].generate()
    signatures.verify(alg, key.public_key(), b"input", signatures.sign(alg, key, b"input"))


def test_rfc8037_a4_signature_verifies_under_ed25519_and_eddsa() -> None:
    # RFC 9864 s5: the Ed25519 key representation is RFC 8037's; only the "alg" label differs,
    # so the RFC 8037 A.4 signature bytes verify under either name.
    public = ed25519.Ed25519PublicKey.from_public_bytes(RFC8037_A2_X)
    for name in ("Ed25519", "EdDSA"):
        signatures.verify(
            registry.signature(name), public, RFC8037_A4_SIGNING_INPUT, RFC8037_A4_SIGNATURE
        )
    assert_invalid_signature(
        lambda: signatures.verify(
            registry.signature("Ed25519"),
            public,
            RFC8037_A4_SIGNING_INPUT + b"x",
            RFC8037_A4_SIGNATURE,
        )
    )
