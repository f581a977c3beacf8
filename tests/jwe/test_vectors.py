"""Every published JWE vector: decrypt every serialization; re-encrypt the deterministic ones.

Sources: RFC 7520 s5, RFC 7516 Appendix A, RFC 7517 Appendix C, RFC 7519 A.1
(transcribed into vectors/). Re-encryption uses the deterministic core with
the RFC's fixed CEK, IV, ephemeral key, p2s/p2c and GCMKW IV, and must give
the RFC's output byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from jose_ref import JWK, jwe
from jose_ref.jwa import registry
from jose_ref.jwe import compact, json_serialization
from jose_ref.jwe.encrypt import Randomness, Recipient, encrypt
from jose_ref.jwe.key_management import RecipientRandomness
from tests.vectorlib import all_of, octets

# Published vectors that decrypt; derived (negative) ones run in tests/test_derived_vectors.py.
VECTORS = [v for v in all_of("jwe") + all_of("pbes2") if v["expected"]["result"] == "valid"]
DETERMINISTIC = [v for v in VECTORS if v["deterministic"]]


def _ids(vectors: list[dict[str, Any]]) -> list[str]:
    return [v["id"] for v in vectors]


def _key(vector: dict[str, Any], name: str) -> JWK:
    return JWK.from_dict(vector["keys"][name])


def _serialized(vector: dict[str, Any]) -> list[tuple[str, Any]]:
    expected = vector["expected"]
    return [
        (form, expected[form]) for form in ("compact", "json", "json_flattened") if form in expected
    ]


def test_the_published_vectors_are_there() -> None:
    ids = set(_ids(VECTORS))
    # RFC 7520 s5.1-5.13 must all be present (a missing file would silently shrink the suite).
    assert {f"rfc7520-5.{n}" for n in range(1, 14)} <= {
        i.split("-", 2)[0] + "-" + i.split("-", 2)[1] for i in ids
    }
    # RFC 7516 Appendix A.1-A.5 and RFC 7517 Appendix C, by their exact ids.
    assert {
        "rfc7516-a.1-rsa-oaep-a256gcm",
        "rfc7516-a.2-rsa1-5-a128cbc-hs256",
        "rfc7516-a.3-a128kw-a128cbc-hs256",
        "rfc7516-a.4-general-json-two-recipients",
        "rfc7516-a.5-flattened-json",
        "rfc7517-c-pbes2-encrypted-jwk",
    } <= ids
    # Those with no random values left (fixed CEK, IV, epk, p2s) must be re-encrypted.
    assert {
        "rfc7516-a.3-a128kw-a128cbc-hs256",
        "rfc7516-a.5-flattened-json",
        "rfc7517-c-pbes2-encrypted-jwk",
        "rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256",
        "rfc7520-5.4-ecdh-es-a128kw-a128gcm",
        "rfc7520-5.6-dir-a128gcm",
    } <= set(_ids(DETERMINISTIC))
    assert len(DETERMINISTIC) >= 8


@pytest.mark.parametrize("vector", VECTORS, ids=_ids(VECTORS))
def test_decrypts_every_serialization(vector: dict[str, Any]) -> None:
    plaintext = octets(vector["input"]["plaintext"])
    algorithms = {r["alg"] for r in vector["input"]["recipients"]}
    key_names = {r["key"] for r in vector["input"]["recipients"]}
    # Neither loop may be empty: a vector without a serialization or a key tests nothing.
    assert _serialized(vector)
    assert key_names
    for name in key_names:
        key = _key(vector, name)
        for form, token in _serialized(vector):
            if form == "compact":
                result = jwe.decrypt_compact(token, key, algorithms=algorithms)
            else:
                result = jwe.decrypt_json(token, key, algorithms=algorithms)
            assert result.plaintext == plaintext, (form, name)
            if vector["input"].get("aad") is not None and form != "compact":
                assert result.aad == octets(vector["input"]["aad"])


def _recipient_randomness(drawn: dict[str, Any]) -> RecipientRandomness:
    epk = drawn.get("epk")
    return RecipientRandomness(
        epk=JWK.from_dict(epk).crypto_private if epk else None,
        p2s=octets(drawn["p2s"]) if "p2s" in drawn else None,
        p2c=drawn.get("p2c"),
        iv=octets(drawn["iv"]) if "iv" in drawn else None,
    )


def _printed_protected_header(vector: dict[str, Any], form: str) -> dict[str, Any]:
    """The protected header exactly as the RFC printed it in this serialization.

    RFC 7520 s5.7 computed its flattened example over a header whose members are in
    another order than in its compact and general forms (so its tag differs too):
    each serialization is reproduced from its own printed header.
    """
    output = vector["expected"][form]
    encoded = output.split(".")[0] if form == "compact" else output.get("protected", "")
    if not encoded:
        return {}
    decoded: dict[str, Any] = json.loads(octets({"b64u": encoded}))
    return decoded


def _reencrypt(vector: dict[str, Any], form: str) -> Any:
    given = vector["input"]
    fixed = vector["fixed_randomness"]
    enc = registry.content_encryption(given["enc"])
    recipients = [
        Recipient(
            key=_key(vector, r["key"]).public()
            if _key(vector, r["key"]).kty != "oct"
            else _key(vector, r["key"]),
            alg=registry.key_management(r["alg"]),
            header=dict(r["header"] or {}),
        )
        for r in given["recipients"]
    ]
    randomness = Randomness(
        cek=octets(fixed["cek"]) if "cek" in fixed else b"",
        iv=octets(fixed["iv"]),
        recipients=tuple(
            _recipient_randomness(d) for d in fixed.get("recipients", [{}] * len(recipients))
        ),
    )
    encrypted = encrypt(
        octets(given["plaintext"]),
        recipients,
        enc,
        protected=_printed_protected_header(vector, form),
        unprotected=given.get("unprotected"),
        jwe_aad=octets(given["aad"]) if given.get("aad") is not None else None,
        randomness=randomness,
        compact=form == "compact",
    )
    if form == "compact":
        return compact.serialize(encrypted)
    # RFC 7520 s5.5 and s5.6 print their "general" form with no "recipients" member (direct
    # modes have neither an encrypted key nor a recipient header): that is flattened syntax.
    flatten = form == "json_flattened" or "recipients" not in vector["expected"][form]
    return json_serialization.serialize(encrypted, flatten=flatten)


@pytest.mark.parametrize("vector", DETERMINISTIC, ids=_ids(DETERMINISTIC))
def test_reencrypts_deterministic_vectors_byte_for_byte(vector: dict[str, Any]) -> None:
    encoded = vector.get("intermediate", {}).get("encoded_protected_header")
    if encoded and "compact" in vector["expected"]:
        # Our header JSON must be the RFC's byte for byte, or the AAD (and the tag) would differ.
        assert _reencrypt(vector, "compact").split(".")[0] == encoded
    assert _serialized(vector)
    for form, expected in _serialized(vector):
        assert _reencrypt(vector, form) == expected, form
