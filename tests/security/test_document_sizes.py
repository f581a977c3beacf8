"""SECURITY.md "Found by outside testing": a parsed JSON document is measured too.

`jwe.decrypt_json` / `jws.verify_json` given a dict used to decode, decrypt or MAC a
50 MB member, while the same document as text was refused at once. A dict is now
measured against `max_token_bytes` (its names and strings counted, never more than its
compact JSON text) before any member is decoded. A huge non-ASCII str is refused from
its length in characters, without encoding a UTF-8 copy just to measure it.
"""

from __future__ import annotations

import dataclasses
import json
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jose_ref import JWK, JWKSet, Limits, b64url, jwe, jws, jwt
from jose_ref.errors import LimitExceededError
from jose_ref.jwa import content_encryption
from tests.jwk import raises_exactly

KEY = JWK.from_dict({"kty": "oct", "k": "AAECAwQFBgcICQoLDA0ODw", "alg": "dir"})
MAC_KEY = JWK.from_dict({"kty": "oct", "k": "c2VjcmV0LWtleS1vZi0zMi1vY3RldHMtZm9yLWhzMjU2"})
HUGE = 2_000_000  # characters: far above the 256 KiB default


def _jwe_document(plaintext: bytes = b"hello") -> dict[str, Any]:
    return jwe.encrypt_json(
        plaintext, [(KEY, {})], enc="A128GCM", protected={"alg": "dir"}, flatten=True
    )


def _jws_document(payload: bytes = b"hello") -> dict[str, Any]:
    return jws.sign_json(payload, [(MAC_KEY, {"alg": "HS256"})], flatten=True)


JWE_DOCUMENT = _jwe_document()
JWS_DOCUMENT = _jws_document()


@pytest.fixture
def nothing_decoded() -> Iterator[None]:
    """Fail the test if any member is base64url-decoded or any content decrypted."""
    boom = AssertionError("work started before the size check")
    with (
        mock.patch.object(b64url, "decode", side_effect=boom),
        mock.patch.object(content_encryption, "decrypt", side_effect=boom),
    ):
        yield


def _limit_error(call: Callable[[], object]) -> LimitExceededError:
    with raises_exactly(LimitExceededError) as info:
        call()
    error: LimitExceededError = info.value
    assert error.limit == "max_token_bytes"
    return error


@pytest.mark.parametrize("member", ["ciphertext", "iv", "tag", "aad", "protected"])
def test_a_jwe_dict_with_a_huge_member_is_refused_before_decoding(
    member: str, nothing_decoded: None
) -> None:
    document = {**JWE_DOCUMENT, member: "A" * HUGE}
    _limit_error(lambda: jwe.decrypt_json(document, KEY))


@pytest.mark.parametrize("member", ["payload", "signature", "protected"])
def test_a_jws_dict_with_a_huge_member_is_refused_before_decoding(
    member: str, nothing_decoded: None
) -> None:
    document = {**JWS_DOCUMENT, member: "A" * HUGE}
    _limit_error(lambda: jws.verify_json(document, MAC_KEY, algorithms=["HS256"]))


def test_huge_nested_headers_and_many_entries_are_counted(nothing_decoded: None) -> None:
    deep = {**JWE_DOCUMENT, "unprotected": {"x": ["y" * 1000] * 1000}}
    _limit_error(lambda: jwe.decrypt_json(deep, KEY))
    many = {**JWS_DOCUMENT, "signatures": [{}] * HUGE}
    del many["signature"]
    _limit_error(lambda: jws.verify_json(many, MAC_KEY, algorithms=["HS256"]))


def test_a_document_that_contains_itself_is_a_limit_not_a_hang() -> None:
    document: dict[str, Any] = _jwe_document()
    document["unprotected"] = {"loop": document}
    _limit_error(lambda: jwe.decrypt_json(document, KEY))


def test_documents_within_the_limit_still_work() -> None:
    assert jwe.decrypt_json(_jwe_document(b"x" * 1000), KEY).plaintext == b"x" * 1000
    assert jws.verify_json(_jws_document(), MAC_KEY, algorithms=["HS256"]).payload == b"hello"


@settings(max_examples=30, deadline=None)
@given(size=st.integers(min_value=0, max_value=3000))
def test_a_dict_whose_text_fits_is_never_refused_by_size(size: int) -> None:
    # The dict measure never exceeds the compact JSON text, and a member alone over the
    # limit is always refused.
    limits = dataclasses.replace(Limits(), max_token_bytes=2000)
    document = _jws_document(b"p" * size)
    text = json.dumps(document, separators=(",", ":"))
    if len(text) <= limits.max_token_bytes:
        jws.verify_json(document, MAC_KEY, algorithms=["HS256"], limits=limits)
    if len(document["payload"]) > limits.max_token_bytes:
        _limit_error(
            lambda: jws.verify_json(document, MAC_KEY, algorithms=["HS256"], limits=limits)
        )


# -- a huge non-ASCII str is measured by its length, not by encoding a copy ----------------------

CALLS: dict[str, Callable[[str], object]] = {
    "jws compact": lambda text: jws.verify_compact(text, MAC_KEY, algorithms=["HS256"]),
    "jwe compact": lambda text: jwe.decrypt_compact(text, KEY),
    "jws json": lambda text: jws.verify_json(text, MAC_KEY, algorithms=["HS256"]),
    "jwe json": lambda text: jwe.decrypt_json(text, KEY),
    "jwt": lambda text: jwt.decode(text, MAC_KEY, algorithms=["HS256"]),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_huge_non_ascii_str_is_refused_without_a_utf8_copy(name: str) -> None:
    text = "\u00e9" * 4_000_000  # 4 MB as a str, 8 MB once encoded
    tracemalloc.start()
    try:
        error = _limit_error(lambda: CALLS[name](text))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak} bytes allocated to refuse a {len(text)}-character str"
    assert error.actual >= len(text)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_non_ascii_text_within_the_limit_in_characters_but_not_in_octets(name: str) -> None:
    limit = Limits().max_token_bytes
    text = "\u00e9" * (limit // 2 + 1)  # fewer characters than the limit, more octets
    error = _limit_error(lambda: CALLS[name](text))
    assert error.actual == 2 * len(text)


def test_a_jwk_set_dict_is_held_to_max_jwks_bytes(nothing_decoded: None) -> None:
    document = {"keys": [{"kty": "oct", "k": "A" * HUGE}]}
    with raises_exactly(LimitExceededError) as info:
        JWKSet.from_dict(document)
    assert info.value.limit == "max_jwks_bytes"


def test_a_jwk_set_dict_within_the_limit_loads() -> None:
    document = {"keys": [MAC_KEY.to_dict(private=True)] * 100}
    assert len(JWKSet.from_dict(document)) == 100
