"""Symmetric ("oct") JWKs (RFC 7518 s6.4)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError
from tests.jwk import assert_no_secret_in, b64u, raises_exactly

SECRET = bytes(range(32))


def test_loads_and_exposes_the_secret() -> None:
    jwk = JWK.from_dict({"kty": "oct", "k": b64u(SECRET), "alg": "HS256"})
    assert jwk.secret == SECRET
    assert jwk.is_private
    assert jwk.crv is None
    assert jwk.to_dict(private=True) == {"kty": "oct", "k": b64u(SECRET), "alg": "HS256"}


@pytest.mark.parametrize("size", [1, 16, 24, 32, 64, 1000])
def test_any_non_empty_length_loads(size: int) -> None:
    # Length rules depend on the algorithm (RFC 7518 s3.2) and are checked where it is chosen.
    assert JWK.from_dict({"kty": "oct", "k": b64u(b"\x01" * size)}).secret == b"\x01" * size


def test_empty_k_refused() -> None:
    with raises_exactly(InvalidKeyError) as info:
        JWK.from_dict({"kty": "oct", "k": ""})
    assert '"k"' in str(info.value)


def test_missing_k_refused() -> None:
    with raises_exactly(InvalidKeyError) as info:
        JWK.from_dict({"kty": "oct"})
    assert '"k"' in str(info.value)


@pytest.mark.parametrize(
    "k", [None, 1, ["AAAA"], b64u(SECRET) + "=", "AA+A", "AA/A", " AAAA", "A", "QR"]
)
def test_badly_encoded_k_refused(k: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({"kty": "oct", "k": k})
    assert '"k"' in str(info.value)


def test_messages_do_not_echo_k() -> None:
    k = b64u(SECRET) + "+"
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({"kty": "oct", "k": k})
    assert_no_secret_in(str(info.value), k)


def test_public_forms_are_refused() -> None:
    jwk = JWK.from_dict({"kty": "oct", "k": b64u(SECRET)})
    for call in (jwk.to_dict, jwk.public, jwk.to_json, jwk.to_pem):
        with raises_exactly(InvalidKeyError) as info:
            call()
        assert_no_secret_in(str(info.value), b64u(SECRET))
    with raises_exactly(InvalidKeyError):
        jwk.to_pem(private=True)


def test_thumbprint_of_a_symmetric_key() -> None:
    # RFC 7638 s3.2: the required members of oct are k and kty.
    jwk = JWK.from_dict({"kty": "oct", "k": b64u(SECRET), "kid": "x", "alg": "A256GCM"})
    canonical = json.dumps({"k": b64u(SECRET), "kty": "oct"}, separators=(",", ":")).encode()
    assert jwk.thumbprint_input() == canonical
    assert jwk.thumbprint() == b64u(hashlib.sha256(canonical).digest())


def test_repr_does_not_show_the_secret() -> None:
    text = repr(JWK.from_dict({"kty": "oct", "k": b64u(SECRET), "kid": "x"}))
    assert b64u(SECRET) not in text
    assert b64u(SECRET)[:8] not in text
