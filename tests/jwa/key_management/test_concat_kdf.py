"""RFC 7518 s4.6.2 - Concat KDF: OtherInfo and the derived key of RFC 7518 Appendix C."""

from __future__ import annotations

import hashlib
import os

import pytest

from jose_ref.jwa.key_management import concat_kdf
from tests.vectorlib import load, octets

VECTOR = load("rfc7518-c-ecdh-es-a128gcm")


def _reference(z: bytes, key_bytes: int, other_info: bytes) -> bytes:
    """NIST SP 800-56A Concat KDF with SHA-256, written out with hashlib."""
    output = b""
    counter = 1
    while len(output) < key_bytes:
        output += hashlib.sha256(counter.to_bytes(4, "big") + z + other_info).digest()
        counter += 1
    return output[:key_bytes]


def test_appendix_c_other_info() -> None:
    intermediate = VECTOR["intermediate"]
    other_info = concat_kdf.other_info(b"A128GCM", b"Alice", b"Bob", intermediate["keydatalen"])
    assert other_info == octets(intermediate["other_info"])
    assert other_info == b"".join(
        octets(intermediate[name])
        for name in ("algorithm_id", "party_u_info", "party_v_info", "supp_pub_info")
    )


def test_appendix_c_derived_key() -> None:
    z = octets(VECTOR["intermediate"]["z"])
    inputs = VECTOR["input"]
    derived = concat_kdf.derive(
        z, inputs["key_bytes"], b"A128GCM", octets(inputs["apu"]), octets(inputs["apv"])
    )
    assert derived == octets(VECTOR["expected"]["derived_key"])
    assert derived == octets(VECTOR["expected"]["derived_key_b64u"])
    round_1 = octets(VECTOR["intermediate"]["kdf_round_1_input"])
    assert hashlib.sha256(round_1).digest()[:16] == derived


def test_empty_party_info_is_length_prefixed_zero() -> None:
    assert concat_kdf.other_info(b"A256KW", b"", b"", 256) == (
        b"\x00\x00\x00\x06A256KW" + b"\x00" * 8 + b"\x00\x00\x01\x00"
    )


@pytest.mark.parametrize("key_bytes", [16, 24, 32, 48, 64])
def test_matches_reference_over_several_rounds(key_bytes: int) -> None:
    z, apu, apv = os.urandom(32), os.urandom(7), os.urandom(300)
    expected = _reference(
        z, key_bytes, concat_kdf.other_info(b"A256CBC-HS512", apu, apv, key_bytes * 8)
    )
    assert concat_kdf.derive(z, key_bytes, b"A256CBC-HS512", apu, apv) == expected


@pytest.mark.parametrize("key_bytes", [1, 16, 24, 31, 32, 33, 48, 64, 65, 100])
def test_matches_cryptography_concat_kdf_hash(key_bytes: int) -> None:
    # Independent implementation: cryptography's ConcatKDFHash (NIST SP 800-56A s5.8.1).
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash

    z, apu, apv = os.urandom(32), os.urandom(5), os.urandom(7)
    info = concat_kdf.other_info(b"ECDH-ES+A128KW", apu, apv, key_bytes * 8)
    expected = ConcatKDFHash(hashes.SHA256(), key_bytes, info).derive(z)
    assert concat_kdf.derive(z, key_bytes, b"ECDH-ES+A128KW", apu, apv) == expected


def test_zero_length_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one octet"):
        concat_kdf.derive(b"z", 0, b"A128GCM", b"", b"")
