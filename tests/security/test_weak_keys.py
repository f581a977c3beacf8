"""SECURITY.md "Found by outside testing": weak or non-canonical keys refused at load.

Non-canonical X25519/X448 u-coordinates (RFC 7748 s5 decodes u modulo p, so u >= p is a
second encoding of u - p: another thumbprint for the same key, the same shared secret),
in a JWK and in an "epk" header. The field primes are computed here from RFC 7748
s4.1-4.2, not taken from jose_ref.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import x448, x25519
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref import JWK, jwe
from jose_ref.errors import InvalidKeyError, MalformedError
from jose_ref.jwa.key_management import ecdh_es
from tests.jwe import seal
from tests.jwk import b64u, raises_exactly

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
