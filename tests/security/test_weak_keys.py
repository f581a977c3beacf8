"""SECURITY.md "Found by outside testing": weak or non-canonical keys refused at load.

RSA moduli with the ROCA fingerprint (CVE-2017-15361), refused with InvalidKeyError.
Non-canonical X25519/X448 u-coordinates (RFC 7748 s5 decodes u modulo p, so u >= p is a
second encoding of u - p: another thumbprint for the same key, the same shared secret),
in a JWK and in an "epk" header. The field primes are computed here from RFC 7748
s4.1-4.2, not taken from jose_ref.
"""

from __future__ import annotations

import math
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import x448, x25519
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref import JWK, JWKSet, jwe
from jose_ref.errors import InvalidKeyError, MalformedError
from jose_ref.jwa.key_management import ecdh_es
from jose_ref.jwk import roca
from tests.jwe import seal
from tests.jwk import b64u, raises_exactly, rsa_members, rsa_private, uint

# RFC 7748 s4.1 (Curve25519) and s4.2 (Curve448): the field primes, and the key lengths.
P25519 = 2**255 - 19
P448 = 2**448 - 2**224 - 1
CURVES = {"X25519": (P25519, 32), "X448": (P448, 56)}


def _okp(crv: str, u: int) -> dict[str, Any]:
    size = CURVES[crv][1]
    return {"kty": "OKP", "crv": crv, "x": b64u(u.to_bytes(size, "little"))}


@pytest.mark.parametrize("crv", sorted(CURVES))
@pytest.mark.parametrize("offset", [0, 1, 9])
def test_u_at_or_above_p_is_refused(crv: str, offset: int) -> None:
    p = CURVES[crv][0]
    with raises_exactly(InvalidKeyError, match="RFC 7748"):
        JWK.from_dict(_okp(crv, p + offset))


@pytest.mark.parametrize("crv", sorted(CURVES))
def test_the_largest_encodable_u_is_refused(crv: str) -> None:
    # X25519: 2^255 - 1 (the top bit stays clear); X448: all 56 octets 0xff.
    largest = 2**255 - 1 if crv == "X25519" else 2**448 - 1
    with raises_exactly(InvalidKeyError, match="RFC 7748"):
        JWK.from_dict(_okp(crv, largest))


@pytest.mark.parametrize("crv", sorted(CURVES))
@pytest.mark.parametrize("u", [9, 5])
def test_reduced_u_below_p_loads(crv: str, u: int) -> None:
    key = JWK.from_dict(_okp(crv, u))
    assert key.crv == crv


@pytest.mark.parametrize("crv", sorted(CURVES))
def test_p_minus_one_loads(crv: str) -> None:
    assert JWK.from_dict(_okp(crv, CURVES[crv][0] - 1)).crv == crv


@settings(max_examples=60, deadline=None)
@given(data=st.data(), crv=st.sampled_from(sorted(CURVES)))
def test_every_u_loads_iff_it_is_below_p(data: st.DataObject, crv: str) -> None:
    p = CURVES[crv][0]
    top = 2**255 if crv == "X25519" else 2**448
    u = data.draw(st.one_of(st.integers(0, p - 1), st.integers(p, top - 1)))
    if u < p:
        assert JWK.from_dict(_okp(crv, u)).crv == crv
    else:
        with raises_exactly(InvalidKeyError):
            JWK.from_dict(_okp(crv, u))


@pytest.mark.parametrize("crv", sorted(CURVES))
def test_non_canonical_epk_is_a_malformed_header_before_any_agreement(crv: str) -> None:
    private: Any = (x25519.X25519PrivateKey if crv == "X25519" else x448.X448PrivateKey).generate()
    victim = JWK.from_key_object(private)
    epk = _okp(crv, CURVES[crv][0] + 9)
    token = seal({"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk}, cek=bytes(16), plaintext=b"x")
    agree = mock.patch.object(ecdh_es, "agree", side_effect=AssertionError("ECDH ran"))
    with agree, raises_exactly(MalformedError, match="epk"):
        jwe.decrypt_compact(token, victim, algorithms=["ECDH-ES"])


# -- ROCA (CVE-2017-15361): Nemec, Sys, Svenda, Klinec, Matyas, ACM CCS 2017 -------------------

# A ROCA-affected 2048-bit modulus published by the paper's authors as a positive test key:
# crocs-muni/roca, roca/tests/data/mod03.txt (listed under "Positive keys" in
# roca/tests/README.md), https://github.com/crocs-muni/roca
ROCA_MODULUS = int(
    "9dcd7420e420c270a68060eb8b5aa7457a9f6648f86fafed2775cc1f79ae962f1e63f1b9e51c55f9ea6fdc73"
    "32e9b0058c9ff2eb1fc89855029cf6aafe21e689feb38ac9ffb12f1ce371bb5d0e9aae64161abce74b4244bf"
    "68f1edb4411f756a097c8929c14740245ea355f8332d1aa36bb50c7dcb4505da8de02e4e53d38f8df06097da"
    "7524df0df93db48eac8cc4af2d3a16257eb2b2adca6ba464e5974fa92550d31b1babf161e7692d00b86e3dd8"
    "86ecab4abfbe1a8f8cc263ff4af55cdb45f4249a5193925f5e983d762f0b6800943eb0267b08f42ed311ce1f"
    "5c86eacbc8ce4d3cb7a2fee1ef5641423a1cf4114e5ecf50034a60a412523af9e6f4aa11",
    16,
)
# The published detector's marker for each of its first primes 3, 5, 7, 11, 13, 17: bit i is
# set when i is a power of 65537 modulo the prime (crocs-muni/roca, roca/detect.py, "prints").
PUBLISHED_MARKERS = {3: 6, 5: 30, 7: 126, 11: 1026, 13: 5658, 17: 107286}


def _rsa_public(n: int) -> dict[str, str]:
    return {"kty": "RSA", "n": uint(n), "e": uint(65537)}


def test_the_published_roca_modulus_is_refused() -> None:
    assert ROCA_MODULUS.bit_length() == 2048
    with raises_exactly(InvalidKeyError, match="ROCA"):
        JWK.from_dict(_rsa_public(ROCA_MODULUS))


def test_a_roca_modulus_is_refused_in_a_private_key_and_in_a_set() -> None:
    with raises_exactly(InvalidKeyError, match="ROCA"):
        JWK.from_dict({**_rsa_public(ROCA_MODULUS), "d": uint(3)})
    with raises_exactly(InvalidKeyError, match="ROCA"):
        JWKSet.from_dict({"keys": [_rsa_public(ROCA_MODULUS)]}, public_only=True)


def test_the_residue_sets_are_those_of_the_published_detector() -> None:
    # The detector's primes: every odd prime from 3 to 167 (38 of them).
    assert tuple(r for r in range(3, 168) if all(r % f for f in range(2, r))) == roca.PRIMES
    assert len(roca.PRIMES) == 38
    # Independent of jose_ref: the subgroup of (Z/rZ)* generated by 65537, as a bit mask.
    for r, marker in PUBLISHED_MARKERS.items():
        assert sum(1 << i for i in {pow(65537, k, r) for k in range(r)}) == marker
    assert roca.has_fingerprint(ROCA_MODULUS)


@pytest.mark.parametrize("bits", [2048, 3072, 4096])
def test_moduli_generated_by_cryptography_are_accepted(bits: int) -> None:
    key = JWK.from_dict(rsa_members(rsa_private(bits), private=True))
    assert key.is_private


def test_a_modulus_with_one_residue_outside_the_subgroup_is_accepted() -> None:
    # Step the ROCA modulus by 2 * (product of the other listed primes): by the Chinese
    # remainder theorem it stays odd and unchanged modulo every listed prime but 167.
    subgroup = {pow(65537, k, 167) for k in range(166)}
    step = 2 * math.prod(r for r in range(3, 167) if all(r % f for f in range(2, r)))
    candidate = ROCA_MODULUS + step
    while candidate % 167 in subgroup:
        candidate += step
    assert JWK.from_dict(_rsa_public(candidate)).kty == "RSA"
