"""The benchmark floor (benchmarks/floor.py) decrypts and verifies what jose_ref does.

The floor is bare cryptography; if it computed something else, the ratios of `make bench`
would compare unlike work. No timing here: each floor must return the plaintext or
payload that jose_ref returns for the same token, and fail on a tampered one.
"""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag

from benchmarks import floor
from benchmarks.scenarios import MIB, SCENARIOS, Prepared, prepare
from jose_ref import jwe, jws

# The 1 MiB and 4096-bit rows add time but no new code path.
_CHEAP = [s for s in SCENARIOS if s.plaintext is not MIB and s.size != 4096]


def _floor(prepared: Prepared) -> floor.Decrypt:
    scenario = prepared.scenario
    if scenario.kind == "jws":
        return floor.jws_floor(scenario.alg, prepared.key)
    return floor.jwe_floor(scenario.alg, str(scenario.enc), prepared.key)


def _jose_ref(prepared: Prepared) -> bytes:
    scenario = prepared.scenario
    if scenario.kind == "jws":
        return jws.verify_compact(prepared.token, prepared.key, algorithms=[scenario.alg]).payload
    return jwe.decrypt_compact(prepared.token, prepared.key, algorithms=[scenario.alg]).plaintext


@pytest.mark.parametrize("scenario", _CHEAP, ids=lambda s: s.name)
def test_floor_gives_jose_refs_plaintext(scenario: object) -> None:
    prepared = prepare(scenario)  # type: ignore[arg-type]
    expected = _jose_ref(prepared)
    assert expected == prepared.scenario.plaintext
    assert _floor(prepared)(prepared.token) == expected


@pytest.mark.parametrize("scenario", _CHEAP, ids=lambda s: s.name)
def test_floor_refuses_a_tampered_token(scenario: object) -> None:
    prepared = prepare(scenario)  # type: ignore[arg-type]
    parts = prepared.token.split(".")
    # Flip the first character of the tag (JWE) or signature (JWS).
    last = parts[-1]
    parts[-1] = ("B" if last[0] == "A" else "A") + last[1:]
    with pytest.raises((InvalidTag, InvalidSignature, ValueError)):
        _floor(prepared)(".".join(parts))
