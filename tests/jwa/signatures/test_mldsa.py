"""RFC 9964 s5 - ML-DSA-44/65/87: one parameter set per "alg", fixed lengths, ctx empty.

Keys and signatures are made with cryptography directly; jose_ref's module must
accept what cryptography signs (and the reverse), refuse a key of another
parameter set, and refuse a signature of the wrong length before cryptography
is called. On a cryptography without ML-DSA these tests skip, except the one
that checks the UnsupportedAlgorithmError message.
"""

from __future__ import annotations

from unittest import mock

import pytest

from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.jwa import registry
from jose_ref.jwa.signatures import mldsa
from tests.jwa.signatures import assert_invalid_signature, flip_bit
from tests.mldsa_support import needs_mldsa

ALGS = ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"]
# FIPS 204 Table 2, repeated in RFC 9964 s5 Table 1: (public key, signature) octets.
SIZES = {"ML-DSA-44": (1312, 2420), "ML-DSA-65": (1952, 3309), "ML-DSA-87": (2592, 4627)}
MESSAGE = b"eyJhbGciOiJNTC1EU0EtNDQifQ.cGF5bG9hZA"


def _classes(name: str) -> mldsa.KeyClasses:
    return mldsa.key_classes(registry.signature(name))


def test_registry_rows_carry_the_rfc_sizes() -> None:
    for name, (public_bytes, signature_bytes) in SIZES.items():
        row = registry.signature(name)
        assert (row.family, row.kty, row.hash, row.crv) == ("ML-DSA", "AKP", None, None)
        assert (row.public_key_bytes, row.signature_bytes) == (public_bytes, signature_bytes)


@needs_mldsa
@pytest.mark.parametrize("name", ALGS)
def test_round_trip_with_cryptography(name: str) -> None:
    alg, classes = registry.signature(name), _classes(name)
    key = classes.private.generate()
    signature = mldsa.sign(alg, key, MESSAGE)
    assert len(signature) == SIZES[name][1]
    key.public_key().verify(signature, MESSAGE)  # cryptography accepts ours (ctx empty)
    mldsa.verify(alg, key.public_key(), MESSAGE, key.sign(MESSAGE))  # and we accept its
    mldsa.verify(alg, key, MESSAGE, signature)  # a private key verifies through its public half


@needs_mldsa
@pytest.mark.parametrize("name", ALGS)
def test_tampered_message_or_signature_is_refused(name: str) -> None:
    alg, key = registry.signature(name), _classes(name).private.generate()
    signature = mldsa.sign(alg, key, MESSAGE)
    assert_invalid_signature(lambda: mldsa.verify(alg, key.public_key(), MESSAGE + b".", signature))
    tampered = flip_bit(signature, 77)
    assert_invalid_signature(lambda: mldsa.verify(alg, key.public_key(), MESSAGE, tampered))


@needs_mldsa
def test_a_signature_made_with_a_context_string_is_refused() -> None:
    # RFC 9964 s5: ctx MUST be the empty string; a signature over another ctx never verifies.
    alg, key = registry.signature("ML-DSA-44"), _classes("ML-DSA-44").private.generate()
    signature = key.sign(MESSAGE, b"jose")
    assert_invalid_signature(lambda: mldsa.verify(alg, key.public_key(), MESSAGE, signature))


@needs_mldsa
@pytest.mark.parametrize("name", ALGS)
@pytest.mark.parametrize("delta", [-1, 1, -100])
def test_wrong_signature_length_is_refused_before_cryptography(name: str, delta: int) -> None:
    alg, key = registry.signature(name), _classes(name).private.generate()
    signature = mldsa.sign(alg, key, MESSAGE)
    wrong = signature[:delta] if delta < 0 else signature + b"\x00"
    public = key.public_key()
    with mock.patch.object(type(public), "verify", side_effect=AssertionError("called")) as call:
        assert_invalid_signature(lambda: mldsa.verify(alg, public, MESSAGE, wrong))
    assert call.call_count == 0


@needs_mldsa
@pytest.mark.parametrize(
    ("alg_name", "key_name"), [("ML-DSA-44", "ML-DSA-65"), ("ML-DSA-87", "ML-DSA-44")]
)
def test_a_key_of_another_parameter_set_is_refused(alg_name: str, key_name: str) -> None:
    alg, key = registry.signature(alg_name), _classes(key_name).private.generate()
    with pytest.raises(InvalidKeyError, match=alg_name):
        mldsa.sign(alg, key, MESSAGE)
    with pytest.raises(InvalidKeyError, match=alg_name):
        mldsa.verify(alg, key.public_key(), MESSAGE, bytes(SIZES[alg_name][1]))


@needs_mldsa
def test_non_mldsa_keys_are_refused() -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    alg = registry.signature("ML-DSA-65")
    with pytest.raises(InvalidKeyError):
        mldsa.sign(alg, ed25519.Ed25519PrivateKey.generate(), MESSAGE)
    with pytest.raises(InvalidKeyError):
        mldsa.verify(alg, b"secret", MESSAGE, bytes(3309))


def test_a_cryptography_without_mldsa_names_the_version_needed() -> None:
    with (
        mock.patch.object(mldsa, "available", return_value=False),
        pytest.raises(UnsupportedAlgorithmError) as info,
    ):
        mldsa.key_classes(registry.signature("ML-DSA-65"))
    message = str(info.value)
    assert "ML-DSA-65" in message and "cryptography >= 48.0" in message and "RFC 9964" in message


def test_other_families_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not an ML-DSA"):
        mldsa.key_classes(registry.signature("EdDSA"))
