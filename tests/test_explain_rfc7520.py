"""`jose-ref explain --reveal --json` shows every value RFC 7520 s4 and s5 print, under its step.

For each example, each serialization it prints and each of its keys, the
command runs in-process (`cli.main`, what the `jose-ref` script calls) and
its JSON is compared with the vector's published values: the intermediates
(encoded protected header, AAD, JWE Encrypted Key, ciphertext, tag, derived
key, compressed plaintext, JWS Signing Input, signature), the fixed randomness
(CEK, IV, p2s, p2c, epk, key-wrapping IV) and the plaintext or payload. Each
value must sit under the RFC step number that produces or uses it (RFC 7516
s5.2, RFC 7515 s5.2), and the steps must come in RFC order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jose_ref import b64url, rfc_steps
from jose_ref.cli import main
from tests.vectorlib import all_of, octets

EXAMPLES = [
    v
    for v in all_of("jws", "rfc7520") + all_of("jwe", "rfc7520")
    if v["source"]["section"][0] in "45"
]
FORMS = ("compact", "json", "json_flattened")
CASES = [
    (vector, form, key)
    for vector in EXAMPLES
    for form in FORMS
    if form in vector["expected"]
    for key in sorted(
        {e["key"] for e in vector["input"].get("recipients", [])}
        | {e["key"] for e in vector["input"].get("signatures", [])}
    )
]


def _id(case: tuple[dict[str, Any], str, str]) -> str:
    return f"{case[0]['id']}-{case[1]}-{case[2]}"


def _as_bytes(shown: Any) -> bytes:
    """A value of the explain JSON as octets: {"b64u"}, {"utf8"} or text."""
    if isinstance(shown, str):
        return shown.encode("utf-8")
    assert isinstance(shown, dict) and len(shown) == 1, shown
    ((encoding, text),) = shown.items()
    return b64url.decode(text) if encoding == "b64u" else str(text).encode("utf-8")


def _explain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], vector: dict[str, Any], form: str, key: str
) -> dict[str, Any]:
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(vector["keys"][key]), encoding="utf-8")
    token = vector["expected"][form]
    argv = ["explain", "--key", str(key_file), "--reveal", "--json"]
    entries = vector["input"].get("recipients") or vector["input"]["signatures"]
    for alg in sorted({e["alg"] for e in entries}):
        argv += ["--alg", alg]
    if vector["input"].get("detached"):
        payload_file = tmp_path / "payload"
        payload_file.write_bytes(octets(vector["input"]["payload"]))
        argv += ["--payload", str(payload_file)]
    argv.append(token if isinstance(token, str) else json.dumps(token))
    assert main(argv) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert document["ok"] is True and document["result"] == "accepted"
    return document


class Checker:
    """Finds a value by name under a step number (and recipient or signature index)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.steps = document["steps"]
        self.checked = 0

    def shown(self, number: int, name: str, index: int | None) -> list[Any]:
        return [
            s["values"][name]
            for s in self.steps
            if s["number"] == number and s["index"] == index and name in s["values"]
        ]

    def expect(self, number: int, name: str, value: bytes, index: int | None = None) -> None:
        shown = self.shown(number, name, index)
        assert shown, f"no {name} under step {number} (index {index})"
        assert all(_as_bytes(v) == value for v in shown), f"{name} under step {number}"
        self.checked += 1


def _jwe_recipient(check: Checker, vector: dict[str, Any], i: int, index: int | None) -> None:
    recipient = vector["input"]["recipients"][i]
    alg = recipient["alg"]
    printed = vector["intermediate"]["recipients"][i]
    drawn = vector["fixed_randomness"]["recipients"][i]
    direct = alg in ("dir", "ECDH-ES")
    if not direct:
        check.expect(9, "encrypted_key", octets(printed["encrypted_key"]), index)
    cek = vector["fixed_randomness"].get("cek") or vector["intermediate"].get("cek")
    # With "dir" the CEK is the shared key itself (RFC 7516 s5.2 step 11).
    shared = vector["keys"][recipient["key"]].get("k", "")
    value = octets(cek) if cek is not None else b64url.decode(shared)
    check.expect({"dir": 11, "ECDH-ES": 8}.get(alg, 9), "cek", value, index)
    if "derived_key" in printed:
        check.expect(8, "derived_key", octets(printed["derived_key"]), index)
    if "tag" in printed:  # the A*GCMKW key-wrapping tag
        check.expect(9, "tag", octets(printed["tag"]), index)
    if "iv" in drawn:
        check.expect(9, "iv", octets(drawn["iv"]), index)
    if "p2s" in drawn:
        check.expect(9, "salt_input", octets(drawn["p2s"]), index)
        assert check.shown(9, "p2c", index) == [drawn["p2c"]]
    if "epk" in drawn:
        public = {k: v for k, v in drawn["epk"].items() if k != "d"}
        assert check.shown(8, "epk", index) == [public]


def _check_jwe(document: dict[str, Any], vector: dict[str, Any], form: str, key: str) -> int:
    check = Checker(document)
    printed = {**vector["intermediate"], **vector["intermediate"].get(form, {})}
    recipients = vector["input"]["recipients"]
    many = form == "json" and len(recipients) > 1
    check.expect(2, "iv", octets(vector["fixed_randomness"]["iv"]))
    for number in (2, 16):
        check.expect(number, "ciphertext", octets(printed["ciphertext"]))
        check.expect(number, "tag", octets(printed["tag"]))
    check.expect(
        14, "encoded_protected_header", (printed["encoded_protected_header"] or "").encode()
    )
    check.expect(15, "aad", octets(printed["aad"]))
    for j, entry in enumerate(vector["intermediate"]["recipients"]):
        name = f"encrypted_key[{j}]" if many else "encrypted_key"
        check.expect(2, name, octets(entry["encrypted_key"]))
    mine = next(i for i, r in enumerate(recipients) if r["key"] == key)
    _jwe_recipient(check, vector, mine, mine if many else None)
    plaintext = octets(vector["input"]["plaintext"])
    if "compressed_plaintext" in printed:
        check.expect(16, "compressed_plaintext", octets(printed["compressed_plaintext"]))
        check.expect(17, "plaintext", plaintext)
    else:
        check.expect(16, "plaintext", plaintext)
    check.expect(18, "plaintext", plaintext)
    # Step 18 says which recipients succeeded and why the others did not.
    (outcomes,) = check.shown(18, "recipients", None)
    assert outcomes[str(mine)] == "succeeded"
    assert all(
        o.startswith(("skipped:", "not tried:")) for i, o in outcomes.items() if i != str(mine)
    )
    return check.checked


def _check_jws(document: dict[str, Any], vector: dict[str, Any], form: str, key: str) -> int:
    check = Checker(document)
    signatures = vector["input"]["signatures"]
    mine = next(i for i, s in enumerate(signatures) if s["key"] == key)
    index = mine if form == "json" and len(signatures) > 1 else None
    printed = vector["intermediate"]["signatures"][mine]
    check.expect(
        2, "encoded_protected_header", (printed["encoded_protected_header"] or "").encode(), index
    )
    check.expect(6, "encoded_payload", vector["intermediate"]["encoded_payload"].encode(), index)
    check.expect(7, "signature", octets(printed["signature"]), index)
    check.expect(8, "signing_input", octets(printed["signing_input"]), index)
    check.expect(10, "payload", octets(vector["input"]["payload"]))
    if index is not None:
        (outcomes,) = check.shown(10, "signatures", None)
        assert outcomes[str(mine)] == "validated"
    return check.checked


@pytest.mark.parametrize(("vector", "form", "key"), CASES, ids=[_id(c) for c in CASES])
def test_explain_shows_every_printed_value_under_its_step(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    vector: dict[str, Any],
    form: str,
    key: str,
) -> None:
    document = _explain(tmp_path, capsys, vector, form, key)
    is_jwe = vector["kind"] == "jwe"
    procedure = rfc_steps.JWE_DECRYPT if is_jwe else rfc_steps.JWS_VERIFY
    numbered = [s for s in document["steps"] if s["number"] is not None]
    assert {s["section"] for s in numbered} == {procedure.section}
    assert rfc_steps.order_problem(procedure, [(s["number"], s["index"]) for s in numbered]) is None
    for step in numbered:
        assert step["description"] == procedure[step["number"]].description
    checked = (_check_jwe if is_jwe else _check_jws)(document, vector, form, key)
    assert checked >= 5


def test_every_rfc7520_signing_and_encryption_example_is_covered() -> None:
    sections = {v["source"]["section"] for v in EXAMPLES}
    assert sections == {f"4.{n}" for n in range(1, 9)} | {f"5.{n}" for n in range(1, 14)}
    assert len(CASES) >= 55
