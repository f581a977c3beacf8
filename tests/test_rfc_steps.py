"""The table of RFC steps matches the RFCs, and the trace follows it.

The expected numbers and key phrases are those of RFC 7516 s5.1 (19 steps)
and s5.2 (18 steps), RFC 7515 s5.1 (8 steps) and s5.2 (10 steps), read from
the RFC text. The trace costs nothing when nobody records: no value of a
step is even built.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jose_ref import JWK, jwe, jws, rfc_steps, trace, trace_record
from jose_ref.jwa import content_encryption, registry
from jose_ref.jwa.key_management import ecdh_es
from tests.vectorlib import all_of, load, octets

ROOT = Path(__file__).resolve().parent.parent

# One phrase of each step, in the RFC's words (RFC 7516 s5.1, s5.2; RFC 7515 s5.1, s5.2).
PHRASES = {
    rfc_steps.JWE_ENCRYPT: (
        "Key Management Mode",
        "generate a random CEK",
        "agreed upon key",
        "encrypt the CEK",
        "empty octet sequence",
        "shared symmetric key",
        "BASE64URL(JWE Encrypted Key)",
        "repeat steps 1-7",
        "Initialization Vector",
        "BASE64URL(JWE Initialization Vector)",
        "compress",
        "JOSE Header",
        "Encoded Protected Header",
        "Additional Authenticated Data",
        "Encrypt M",
        "BASE64URL(JWE Ciphertext)",
        "BASE64URL(JWE Authentication Tag)",
        "BASE64URL(JWE AAD)",
        "serialized output",
    ),
    rfc_steps.JWE_DECRYPT: (
        "Parse",
        "Base64url decode",
        "UTF-8",
        "union",
        "understands",
        "Key Management Mode",
        "key known to the recipient",
        "agreed upon key",
        "decrypt the JWE Encrypted Key",
        "Encrypted Key is empty",
        "shared symmetric key",
        "Record whether the CEK",
        "repeat steps 4-12",
        "Encoded Protected Header",
        "Additional Authenticated Data",
        "Decrypt the JWE Ciphertext",
        "uncompress",
        "invalid",
    ),
    rfc_steps.JWS_SIGN: (
        "JWS Payload",
        "BASE64URL(JWS Payload)",
        "JOSE Header",
        "BASE64URL(UTF8(JWS Protected Header))",
        "JWS Signature",
        "BASE64URL(JWS Signature)",
        "repeat steps 3-6",
        "serialized output",
    ),
    rfc_steps.JWS_VERIFY: (
        "Parse",
        "JWS Protected Header",
        "UTF-8",
        "union",
        "understands",
        "JWS Payload",
        "JWS Signature",
        "Validate the JWS Signature",
        "repeat steps 4-8",
        "invalid",
    ),
}


@pytest.mark.parametrize("procedure", list(PHRASES), ids=lambda p: p.section)
def test_the_table_has_the_rfc_numbering(procedure: rfc_steps.Procedure) -> None:
    phrases = PHRASES[procedure]
    assert len(procedure) == len(phrases)
    for number, phrase in enumerate(phrases, start=1):
        assert phrase in procedure[number].description, (procedure.section, number)
        assert procedure[number].label == f"{procedure.section} step {number}"
    first, last = procedure.repeated
    assert f"repeat steps {first}-{last}" in procedure[procedure.repeat].description
    with pytest.raises(KeyError):
        procedure[len(phrases) + 1]


def test_step_counts() -> None:
    counts = {p.section: len(p) for p in rfc_steps.PROCEDURES.values()}
    assert counts == {
        "RFC 7516 s5.1": 19,
        "RFC 7516 s5.2": 18,
        "RFC 7515 s5.1": 8,
        "RFC 7515 s5.2": 10,
    }


def test_order_problem_allows_only_the_rfc_repeat() -> None:
    jwe_steps = rfc_steps.JWE_DECRYPT
    assert rfc_steps.order_problem(jwe_steps, [(n, None) for n in (1, 2, 3, 4, 9, 16, 18)]) is None
    # Another key of one recipient goes back to step 7; another recipient to step 4.
    again = [(1, None), (4, 0), (7, 0), (9, 0), (16, None), (7, 0), (9, 0), (16, None)]
    assert rfc_steps.order_problem(jwe_steps, again) is None
    assert rfc_steps.order_problem(jwe_steps, [(16, None), (14, None)]) is not None
    assert rfc_steps.order_problem(jwe_steps, [(18, None), (2, None)]) is not None


def test_no_stale_step_ranges_remain() -> None:
    # The ranges the old labels used (issue 8): none may come back in code, docs or vectors.
    stale = re.compile(
        r"s5\.2 steps? (7-10|11-14|15-16)\b|steps 1-6\b|s5\.1 step 9: comp"
        r"|step 15: the JWE Authentication Tag|step 14: the AAD|step 16 uncompresses"
        r"|tag \(step 15\)|tag \(s5\.2 step 15\)"
    )
    for path in [
        *ROOT.joinpath("jose_ref").rglob("*.py"),
        *ROOT.joinpath("docs").rglob("*.md"),
        *ROOT.joinpath("vectors", "derived").glob("*.json"),
        ROOT / "vectors" / "tools" / "derive.py",
    ]:
        text = path.read_text(encoding="utf-8")
        assert not stale.search(text), f"{path}: {stale.search(text)}"


def _steps_of(vector_id: str) -> list[trace.Step]:
    vector = load(vector_id)
    key = JWK.from_dict(next(iter(vector["keys"].values())))
    with trace.recording() as recorded:
        jwe.decrypt_compact(vector["expected"]["compact"], key, algorithms=["RSA1_5"])
    return recorded.steps


def test_trace_of_rsa1_5_follows_rfc_7516_s5_2() -> None:
    steps = _steps_of("rfc7520-5.1-rsa1-5-a128cbc-hs256")
    numbers = [s.number for s in steps if s.clause is None]
    assert numbers == [1, 2, 3, 4, 5, 6, 7, 9, 9, 12, 14, 15, 16, 16, 18]
    assert {s.section for s in steps} == {"RFC 7516 s5.2"}
    # The CBC-HMAC details sit under step 16 (RFC 7518 s5.2.2.1).
    assert {s.number for s in steps if s.clause == "RFC 7518 s5.2.2.1"} == {16}


@pytest.mark.parametrize("vector", all_of("aes-cbc-hmac", "rfc7518"), ids=lambda v: v["id"])
def test_cbc_hmac_trace_shows_rfc_7518_appendix_b_values(vector: dict[str, object]) -> None:
    given, printed = vector["input"], vector["intermediate"]
    assert isinstance(given, dict) and isinstance(printed, dict)
    enc = registry.content_encryption(given["enc"])
    with trace.recording() as recorded:
        content_encryption.encrypt(
            enc, octets(given["k"]), octets(given["iv"]), octets(given["p"]), octets(given["a"])
        )
    values = {name: v for s in recorded.steps for name, v in s.values.items()}
    for name in ("mac_key", "enc_key", "al"):
        assert values[name] == octets(printed[name]), name
    expected = vector["expected"]
    assert isinstance(expected, dict)
    assert values["t"] == octets(expected["t"])
    # The full tag input: A || IV || E || AL (RFC 7518 s5.2.2.1 step 5).
    assert values["mac_input"] == octets(given["a"]) + octets(given["iv"]) + octets(
        expected["e"]
    ) + octets(printed["al"])


def test_ecdh_es_trace_shows_rfc_7518_appendix_c_values() -> None:
    vector = load("rfc7518-c-ecdh-es-a128gcm")
    given, printed = vector["input"], vector["intermediate"]
    bob = JWK.from_dict(vector["keys"]["bob"])
    epk = JWK.from_dict(given["header"]["epk"])
    alg = registry.key_management(given["alg"])
    enc = registry.content_encryption(given["enc"])
    with trace.recording() as recorded:
        z = ecdh_es.agree(bob.crypto_private, epk.crypto_public)
        ecdh_es.derive_key(z, alg, enc, octets(given["apu"]), octets(given["apv"]))
    values = {name: v for s in recorded.steps for name, v in s.values.items()}
    for name in ("z", "algorithm_id", "party_u_info", "party_v_info", "supp_pub_info"):
        assert values[name] == octets(printed[name]), name
    assert values["supp_priv_info"] == octets(printed["supp_priv_info"])
    assert values["other_info"] == octets(printed["other_info"])
    assert values["keydatalen"] == printed["keydatalen"]
    assert values["derived_key"] == octets(vector["expected"]["derived_key"])
    assert {"z", "derived_key"} <= set().union(*(s.secret for s in recorded.steps))


class _Refused:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a trace value was built while nobody was recording")


def test_nothing_is_built_when_nobody_records(monkeypatch: pytest.MonkeyPatch) -> None:
    # Values of steps are built only under `if rec is not None:`; outside a recording,
    # building one (a Content, a Step) fails this test.
    monkeypatch.setattr(trace, "Content", _Refused)
    monkeypatch.setattr(trace, "Step", _Refused)
    # A Trace builds its steps from jose_ref.trace_record's own names.
    monkeypatch.setattr(trace_record, "Content", _Refused)
    monkeypatch.setattr(trace_record, "Step", _Refused)
    for vector in all_of("jwe", "rfc7520"):
        if "compact" in vector["expected"]:
            (recipient,) = vector["input"]["recipients"]
            key = JWK.from_dict(vector["keys"][recipient["key"]])
            algorithms = [recipient["alg"]]
            jwe.decrypt_compact(vector["expected"]["compact"], key, algorithms=algorithms)
    for vector in all_of("jws", "rfc7520"):
        token = vector["expected"].get("json")
        if token is not None and not vector["input"].get("detached"):
            for signature in vector["input"]["signatures"]:
                key = JWK.from_dict(vector["keys"][signature["key"]])
                jws.verify_json(token, key, algorithms=[signature["alg"]])
    assert trace.recorder() is None


def _encrypt_cases() -> list[dict[str, object]]:
    from tests.jwe.test_vectors import DETERMINISTIC

    return [
        v for v in DETERMINISTIC if v["id"].startswith("rfc7520") and "compact" in v["expected"]
    ]


@pytest.mark.parametrize("vector", _encrypt_cases(), ids=lambda v: str(v["id"]))
def test_encryption_trace_follows_rfc_7516_s5_1(vector: dict[str, Any]) -> None:
    from tests.jwe.test_vectors import _reencrypt

    with trace.recording() as recorded:
        _reencrypt(vector, "compact")
    procedure = rfc_steps.JWE_ENCRYPT
    numbered = [(s.number, s.index) for s in recorded.steps if s.number is not None]
    assert rfc_steps.order_problem(procedure, numbered) is None
    assert {s.section for s in recorded.steps} == {procedure.section}

    def shown(number: int, name: str) -> list[object]:
        return [s.values[name] for s in recorded.steps if s.number == number and name in s.values]

    printed = vector["intermediate"]
    (recipient,) = vector["input"]["recipients"]
    if recipient["alg"] not in ("dir", "ECDH-ES"):
        assert shown(4, "encrypted_key") == [octets(printed["recipients"][0]["encrypted_key"])]
        assert shown(2, "cek") == [octets(vector["fixed_randomness"]["cek"])]
    assert shown(9, "iv") == [octets(vector["fixed_randomness"]["iv"])]
    assert shown(13, "encoded_protected_header") == [printed["encoded_protected_header"]]
    assert shown(14, "aad") == [octets(printed["aad"]).decode()]
    assert shown(15, "ciphertext") == [octets(printed["ciphertext"])]
    assert shown(15, "tag") == [octets(printed["tag"])]
    if "compressed_plaintext" in printed:
        assert shown(11, "compressed_plaintext") == [
            trace.Content(octets(printed["compressed_plaintext"]))
        ]
