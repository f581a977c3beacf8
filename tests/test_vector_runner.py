"""`jose-ref vectors` checks the printed intermediates, not only that keys load or tokens open."""

from __future__ import annotations

import copy

import pytest

from jose_ref import vector_runner
from tests.vectorlib import load


@pytest.mark.parametrize(
    ("vector_id", "path", "passing_detail"),
    [
        ("rfc7520-5.2-rsa-oaep-a256gcm", ("intermediate", "aad"), "intermediates"),
        (
            "rfc7520-5.9-compressed-content",
            ("intermediate", "compressed_plaintext"),
            "intermediates",
        ),
        (
            "rfc7520-4.1-rsa-v15-signature-rs256",
            ("intermediate", "signatures", 0, "signing_input"),
            "intermediates",
        ),
        ("rfc7518-b.1-a128cbc-hs256", ("intermediate", "mac_key"), "MAC_KEY"),
        ("rfc7518-c-ecdh-es-a128gcm", ("intermediate", "other_info"), "other_info"),
        ("rfc8037-a.6-x25519-ecdh-es", ("intermediate", "z"), "z"),
    ],
)
def test_a_changed_intermediate_fails(
    vector_id: str, path: tuple[object, ...], passing_detail: str
) -> None:
    vector = load(vector_id)
    passed = vector_runner.run_one(vector)
    assert passed.passed and passing_detail in passed.detail
    changed = copy.deepcopy(vector)
    target = changed
    for part in path[:-1]:
        target = target[part]  # type: ignore[index]
    target[path[-1]] = {"hex": "00"}  # type: ignore[index]
    failed = vector_runner.run_one(changed)
    assert not failed.passed
    assert "differs" in failed.detail
