"""RFC 7518 s4.6.1, s4.7.1, s4.8.1 - Key management header parameters, read with no key at all.

`read_params` types and bounds what an algorithm carries in the JOSE Header before any key
is touched (SECURITY.md "JWE key management"): these tests call it with a header alone.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import x25519

from jose_ref import Limits
from jose_ref.errors import LimitExceededError, MalformedError
from jose_ref.jwa import registry
from jose_ref.jwe import header_params
from jose_ref.jwe.header_params import AgreementParams, GcmKwParams, Pbes2Params
from tests.jwe import b64u, epk_members

LIMITS = Limits()


def read(alg: str, header: dict[str, Any], encrypted_key: bytes = b"") -> Any:
    return header_params.read_params(registry.key_management(alg), header, encrypted_key, LIMITS)


def x25519_epk() -> tuple[dict[str, str], bytes]:
    ephemeral = x25519.X25519PrivateKey.generate()
    raw = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return epk_members(ephemeral), raw


def test_ecdh_es_reads_epk_apu_apv() -> None:
    epk, raw = x25519_epk()
    # RFC 7518 Appendix C: "apu" is "QWxpY2U" (Alice), "apv" is "Qm9i" (Bob).
    params = read("ECDH-ES", {"epk": epk, "apu": "QWxpY2U", "apv": "Qm9i"})
    assert isinstance(params, AgreementParams)
    assert (params.apu, params.apv) == (b"Alice", b"Bob")
    assert (params.epk.kty, params.epk.crv) == ("OKP", "X25519")
    public = params.epk.public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert public == raw


def test_ecdh_es_without_apu_apv_reads_them_empty() -> None:
    epk, _ = x25519_epk()
    params = read("ECDH-ES+A128KW", {"epk": epk})
    assert isinstance(params, AgreementParams)
    assert (params.apu, params.apv) == (b"", b"")


@pytest.mark.parametrize("epk", [None, "not an object", ["kty", "OKP"]])
def test_ecdh_es_without_an_epk_object_is_malformed(epk: Any) -> None:
    header = {} if epk is None else {"epk": epk}
    with pytest.raises(MalformedError, match='"epk" is required and must be a JWK object'):
        read("ECDH-ES", header)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"apu": 5}, 'header parameter "apu" must be'),
        ({"apv": "Qm9i="}, "invalid base64url"),
    ],
)
def test_ecdh_es_bad_party_info_is_malformed(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        read("ECDH-ES", {"epk": x25519_epk()[0], **extra})


@pytest.mark.parametrize("alg", ["dir", "ECDH-ES"])
def test_direct_modes_need_an_empty_encrypted_key(alg: str) -> None:
    # RFC 7516 s5.2 step 10; refused before the "epk" is even read.
    with pytest.raises(MalformedError, match="requires an empty JWE Encrypted Key"):
        read(alg, {}, encrypted_key=b"\x00" * 16)


def test_pbes2_reads_salt_and_count() -> None:
    params = read("PBES2-HS256+A128KW", {"p2s": b64u(b"8 octets"), "p2c": 4096})
    assert params == Pbes2Params(b"8 octets", 4096)


@pytest.mark.parametrize(
    ("header", "error", "message"),
    [
        ({"p2s": b64u(bytes(8))}, MalformedError, '"p2c" is required'),
        ({"p2s": b64u(bytes(8)), "p2c": 0}, MalformedError, "positive integer"),
        ({"p2s": b64u(bytes(8)), "p2c": True}, MalformedError, "must be an integer"),
        ({"p2s": b64u(bytes(8)), "p2c": 10_001}, LimitExceededError, "max_pbes2_count"),
        ({"p2c": 1000}, MalformedError, '"p2s" is required'),
        ({"p2s": b64u(bytes(7)), "p2c": 1000}, MalformedError, "at least 8 octets"),
    ],
)
def test_pbes2_bad_parameters_are_refused(
    header: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        read("PBES2-HS256+A128KW", header)


def test_pbes2_count_bound_follows_the_limits() -> None:
    raised = dataclasses.replace(LIMITS, max_pbes2_count=20_000)
    alg = registry.key_management("PBES2-HS256+A128KW")
    header = {"p2s": b64u(bytes(8)), "p2c": 20_000}
    assert header_params.read_params(alg, header, b"", raised) == Pbes2Params(bytes(8), 20_000)


def test_gcmkw_reads_iv_and_tag() -> None:
    params = read("A128GCMKW", {"iv": b64u(bytes(12)), "tag": b64u(bytes(range(16)))})
    assert params == GcmKwParams(bytes(12), bytes(range(16)))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ({"tag": b64u(bytes(16))}, '"iv" is required'),
        ({"iv": b64u(bytes(12))}, '"tag" is required'),
        ({"iv": b64u(bytes(16)), "tag": b64u(bytes(16))}, '96-bit "iv"'),
        ({"iv": b64u(bytes(12)), "tag": b64u(bytes(12))}, '128-bit "tag"'),
    ],
)
def test_gcmkw_bad_parameters_are_malformed(header: dict[str, Any], message: str) -> None:
    with pytest.raises(MalformedError, match=message):
        read("A256GCMKW", header)


@pytest.mark.parametrize("alg", ["RSA-OAEP-256", "A128KW", "dir"])
def test_other_families_carry_no_parameters(alg: str) -> None:
    # Unrelated members ("epk" here) are not read for families that define none.
    assert read(alg, {"epk": "ignored"}) is None
