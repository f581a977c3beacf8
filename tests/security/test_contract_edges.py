"""Contract edges (issue 12 item 9): errors that two reasonable catches must both see.

API.md "Errors": an x5c chain over the limits is both a CertificateChainError and a
LimitExceededError; a RemoteJWKSet URL that cannot be used is a JoseError that is also a
ValueError. Both classes stay out of `errors.__all__` (callers catch the parents).
"""

from __future__ import annotations

import dataclasses

import pytest

from jose_ref import errors, x5c
from jose_ref.errors import CertificateChainError, JoseError, LimitExceededError
from jose_ref.jwk import JWK, JWKSet
from jose_ref.jwk.remote import RemoteJWKSet
from jose_ref.limits import Limits
from tests import pki


@pytest.fixture(scope="module")
def chain_pki() -> pki.PKI:
    return pki.build("EC", root_name="Edges Root")


def too_long(p: pki.PKI) -> list[str]:
    return [p.leaf.b64, p.intermediate.b64] * 5  # 10 > max_x5c_certificates (8)


@pytest.mark.parametrize("catch", [CertificateChainError, LimitExceededError, JoseError])
def test_chain_over_the_count_limit_is_caught_either_way(chain_pki: pki.PKI, catch: type) -> None:
    with pytest.raises(catch) as caught:
        x5c.verify_chain(too_long(chain_pki), [chain_pki.root.cert])
    assert isinstance(caught.value, CertificateChainError)
    assert isinstance(caught.value, LimitExceededError)
    assert caught.value.limit == "max_x5c_certificates"
    assert (caught.value.maximum, caught.value.actual) == (Limits().max_x5c_certificates, 10)


def test_chain_over_the_byte_limit_is_caught_either_way(chain_pki: pki.PKI) -> None:
    chain = [chain_pki.leaf.b64, chain_pki.intermediate.b64]
    small = dataclasses.replace(Limits(), max_x5c_bytes=len(chain_pki.leaf.der))
    with pytest.raises(CertificateChainError) as caught:
        x5c.verify_chain(chain, [chain_pki.root.cert], limits=small)
    assert isinstance(caught.value, LimitExceededError)
    assert caught.value.limit == "max_x5c_bytes"


def test_key_with_a_long_chain_is_only_untrusted(chain_pki: pki.PKI) -> None:
    public = chain_pki.leaf.key.public_key()
    long_key = JWK.from_key_object(public, kid="long", x5c=too_long(chain_pki))
    with pytest.raises(CertificateChainError):
        x5c.verify_jwk(long_key, [chain_pki.root.cert])
    good = JWK.from_key_object(public, kid="good", x5c=chain_pki.x5c)
    kept = x5c.trusted_keys(JWKSet([long_key, good]), [chain_pki.root.cert])
    assert [key.kid for key in kept] == ["good"]


BAD_URLS = [
    "http://example.org/jwks",
    "ftp://127.0.0.1/jwks",
    "https:///jwks",
    "https://user:secret@example.com/jwks",
    "https://example.com:99999/jwks",
    "http://[::1/jwks",
    "jwks.json",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("catch", [JoseError, ValueError])
def test_bad_url_is_caught_either_way(url: str, catch: type) -> None:
    with pytest.raises(catch) as caught:
        RemoteJWKSet(url)
    assert isinstance(caught.value, JoseError)
    assert isinstance(caught.value, ValueError)
    assert "JWK Set URL" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_settings_out_of_range_stay_plain_value_errors() -> None:
    """Only the URL is a JoseError: a negative max_age is a programming mistake."""
    with pytest.raises(ValueError) as caught:
        RemoteJWKSet("https://example.com/jwks", max_age=-1)
    assert not isinstance(caught.value, JoseError)


def test_new_classes_are_not_exported() -> None:
    for name in ("CertificateChainLimitError", "InvalidURLError"):
        assert name not in errors.__all__
        assert getattr(errors, name).__doc__
