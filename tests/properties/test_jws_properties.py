"""Hypothesis properties of JWS: round trips, and no change to a valid token verifies.

Round trip: for every algorithm x key type x serialization (compact, general JSON,
flattened JSON), verify(sign(payload)) gives the payload back. Tampering: any bit flip,
truncation, insertion or splice of a valid compact token raises a JoseError and never
returns a payload; a change confined to the payload or signature segments is exactly
InvalidSignatureError or MalformedError.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jose_ref import JWK, jws
from jose_ref.errors import InvalidSignatureError, JoseError, MalformedError
from tests.jws.keys import CASES, private, public

ROUND_TRIP = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAMPER = settings(max_examples=200, deadline=None)
TAMPER_CASES = [
    ("HS256", "oct256"),
    ("RS256", "rsa"),
    ("PS256", "rsa"),
    ("ES256", "p256"),
    ("EdDSA", "ed25519"),
]
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _verify(serialization: str, key: JWK, alg: str, payload: bytes) -> bytes:
    verifier = public(key)
    if serialization == "compact":
        return jws.verify_compact(jws.sign_compact(payload, key, alg=alg), verifier).payload
    document = jws.sign_json(payload, [(key, {"alg": alg})], flatten=serialization == "flat")
    return jws.verify_json(document, verifier).payload


@pytest.mark.parametrize("serialization", ["compact", "json", "flat"])
@pytest.mark.parametrize(("alg", "key_name"), CASES)
@ROUND_TRIP
@given(payload=st.binary(max_size=300))
def test_round_trip(serialization: str, alg: str, key_name: str, payload: bytes) -> None:
    assert _verify(serialization, private(key_name), alg, payload) == payload


@ROUND_TRIP
@given(payload=st.binary(max_size=300), case=st.sampled_from(CASES))
def test_detached_round_trip(payload: bytes, case: tuple[str, str]) -> None:
    alg, key_name = case
    key = private(key_name)
    token = jws.sign_compact(payload, key, alg=alg, detached=True, header={"b64": True})
    assert jws.verify_compact(token, public(key), payload=payload).payload == payload


@functools.cache
def _tokens(alg: str, key_name: str) -> tuple[str, str]:
    key = private(key_name)
    first = jws.sign_compact(b'{"sub":"alice","admin":false}', key, alg=alg)
    second = jws.sign_compact(b'{"sub":"mallory","admin":true}', key, alg=alg)
    return first, second


def _assert_refused(token: str | bytes, alg: str, key_name: str, *, exact: bool) -> None:
    with pytest.raises(JoseError) as info:
        jws.verify_compact(token, public(private(key_name)))
    if exact:
        assert isinstance(info.value, (InvalidSignatureError, MalformedError)), info.value


def _header_end(token: str) -> int:
    return token.index(".")


@TAMPER
@given(case=st.sampled_from(TAMPER_CASES), data=st.data())
def test_bit_flip(case: tuple[str, str], data: st.DataObject) -> None:
    token = _tokens(*case)[0].encode("ascii")
    position = data.draw(st.integers(0, len(token) - 1))
    bit = data.draw(st.integers(0, 7))
    changed = bytearray(token)
    changed[position] ^= 1 << bit
    _assert_refused(bytes(changed), *case, exact=position > _header_end(token.decode()))


@TAMPER
@given(case=st.sampled_from(TAMPER_CASES), data=st.data())
def test_truncation(case: tuple[str, str], data: st.DataObject) -> None:
    token = _tokens(*case)[0]
    start = data.draw(st.integers(0, len(token)))
    end = data.draw(st.integers(start, len(token)))
    assume((start, end) != (0, len(token)))
    _assert_refused(token[start:end], *case, exact=start > _header_end(token) or start == 0)


@TAMPER
@given(case=st.sampled_from(TAMPER_CASES), data=st.data())
def test_insertion(case: tuple[str, str], data: st.DataObject) -> None:
    token = _tokens(*case)[0]
    position = data.draw(st.integers(0, len(token)))
    inserted = data.draw(st.text(alphabet=B64URL + ".=+/ \n\x00é", min_size=1, max_size=8))
    _assert_refused(
        token[:position] + inserted + token[position:], *case, exact=position > _header_end(token)
    )


@TAMPER
@given(case=st.sampled_from(TAMPER_CASES), data=st.data())
def test_splice(case: tuple[str, str], data: st.DataObject) -> None:
    first, second = _tokens(*case)
    if data.draw(st.booleans()):
        # Segment-wise: each of the three parts from either token, not all from one.
        choice = data.draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
        assume(len(set(choice)) == 2)
        parts = [(first if pick else second).split(".")[i] for i, pick in enumerate(choice)]
        spliced = ".".join(parts)
    else:
        cut_first = data.draw(st.integers(0, len(first)))
        cut_second = data.draw(st.integers(0, len(second)))
        spliced = first[:cut_first] + second[cut_second:]
    assume(spliced not in (first, second))
    _assert_refused(spliced, *case, exact=False)
