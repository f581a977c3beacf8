"""One formatter for `jose-ref explain` and `make demo`: octets as base64url, text as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jose_ref import demo, explain_format, trace
from jose_ref.cli import main
from jose_ref.rfc_steps import JWE_DECRYPT
from tests.vectorlib import load


def _key_file(tmp_path: Path, vector: dict[str, Any], name: str) -> str:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(vector["keys"][name]), encoding="utf-8")
    return str(path)


def _text(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    status = main(argv)
    return status, capsys.readouterr().out


def test_text_output_has_no_python_reprs_and_shows_utf8_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vector = load("rfc7520-4.1-rsa-v15-signature-rs256")
    key = _key_file(tmp_path, vector, "rsa")
    token = vector["expected"]["compact"]
    status, out = _text(capsys, ["explain", "--key", key, "--alg", "RS256", token])
    assert status == 0
    # RFC 7520 s4 payload: "It’s a dangerous business" (U+2019), shown as text.
    assert "payload (text): It’s a dangerous business, Frodo" in out
    assert "signature (octets, base64url): MRjdkly7_-oTPTS3AXP41iQIGKa80A0Zm" in out
    for python_repr in ("b'", "{'", ": None", ": True", "Content("):
        assert python_repr not in out
    assert "RFC 7515 s5.2 step 8: Validate the JWS Signature" in out
    assert out.rstrip().endswith("accepted (key bilbo.baggins@hobbiton.example)")


def test_width_cuts_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vector = load("rfc7520-5.8-a128kw-a128gcm")
    key = _key_file(tmp_path, vector, "aes-128-kw")
    token = vector["expected"]["compact"]
    _, full = _text(capsys, ["explain", "--key", key, token])
    assert vector["intermediate"]["ciphertext"]["b64u"] in full
    assert "more characters" not in full
    _, cut = _text(capsys, ["explain", "--key", key, "--width", "20", token])
    assert vector["intermediate"]["ciphertext"]["b64u"][:20] + "... (" in cut
    assert main(["explain", "--key", key, "--width", "0", token]) == 2


def test_secrets_masked_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vector = load("rfc7520-5.8-a128kw-a128gcm")
    key = _key_file(tmp_path, vector, "aes-128-kw")
    _, out = _text(capsys, ["explain", "--key", key, vector["expected"]["compact"]])
    assert "cek: <masked: use --reveal>" in out
    assert "aY5_Ghmk9KxWPBLu_glx1w" not in out  # the CEK of RFC 7520 s5.8.2
    assert "thick and thin" not in out
    assert "`jose-ref explain --reveal` shows them" in out


def test_skipped_recipients_are_shown_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vector = load("rfc7520-5.13-multiple-recipients")
    key = _key_file(tmp_path, vector, "aes-256-gcmkw")
    token = json.dumps(vector["expected"]["json"])
    _, out = _text(capsys, ["explain", "--key", key, "--json", token])
    document = json.loads(out)
    (result,) = [s for s in document["steps"] if s["number"] == 18]
    outcomes = result["values"]["recipients"]
    assert outcomes["2"] == "succeeded"
    for skipped in ("0", "1"):
        assert outcomes[skipped].startswith("skipped: ")
    twelves = [s for s in document["steps"] if s["number"] == 12 and "reason" in s["values"]]
    assert [s["index"] for s in twelves] == [0, 1]
    _, text = _text(capsys, ["explain", "--key", key, token])
    assert "RFC 7516 s5.2 step 12 (recipient 0): Record whether the CEK" in text


def test_failed_signatures_are_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vector = load("rfc7520-4.8-multiple-signatures")
    key = _key_file(tmp_path, vector, "hmac")
    token = json.dumps(vector["expected"]["json"])
    _, out = _text(capsys, ["explain", "--key", key, "--alg", "HS256", "--json", token])
    (result,) = [s for s in json.loads(out)["steps"] if s["number"] == 10]
    outcomes = result["values"]["signatures"]
    assert outcomes["2"] == "validated"
    assert outcomes["0"].startswith("failed: ") and outcomes["1"].startswith("failed: ")


def test_a_refused_token_ends_at_step_18(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vector = load("rfc7520-5.8-a128kw-a128gcm")
    key = _key_file(tmp_path, vector, "aes-128-kw")
    parts = vector["expected"]["compact"].split(".")
    parts[4] = "AAAAAAAAAAAAAAAAAAAAAA"  # another 128-bit tag
    status, out = _text(capsys, ["explain", "--key", key, "--json", ".".join(parts)])
    document = json.loads(out)
    assert status == 1 and document["ok"] is False and document["error"] == "DecryptionError"
    assert document["steps"][-1]["number"] == 18
    assert document["steps"][-1]["values"]["recipients"]["0"].startswith("failed: ")


def test_values_as_json_and_text() -> None:
    assert explain_format.value_document(b"\x00\x01") == {"b64u": "AAE"}
    assert explain_format.value_document(trace.Content("thin–to".encode())) == {"utf8": "thin–to"}
    assert explain_format.value_document(trace.Content(b"\xff\x00")) == {"b64u": "_wA"}
    assert explain_format.value_document({"k": [b"\x00"]}) == {"k": [{"b64u": "AA"}]}
    recorder = trace.Trace()
    recorder.note(JWE_DECRYPT[17], "Uncompressed.", plaintext=trace.Content(b"\xff\x00"))
    recorder.note(JWE_DECRYPT[17], "Empty.", tag=b"", kid=None)
    text = explain_format.render_steps(recorder.steps, reveal=True)
    assert "plaintext (octets, base64url: not UTF-8 text): _wA" in text
    assert "tag (octets, base64url): (empty)" in text
    assert "kid: (none)" in text
    assert text.count("RFC 7516 s5.2 step 17") == 1  # one heading per run of one step


def test_demo_traces_with_the_same_formatter(capsys: pytest.CaptureFixture[str]) -> None:
    demo._login_hint()
    out = capsys.readouterr().out
    assert "RFC 7516 s5.2 step 8: Direct Key Agreement" in out
    assert "z: <masked: use --reveal>" in out
    assert "`jose-ref explain --reveal` shows them" in out
    assert "..." not in out


def test_a_missing_payload_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vector = load("rfc7520-4.5-signature-detached-content-hs256")
    key = _key_file(tmp_path, vector, "hmac")
    token = vector["expected"]["compact"]
    missing = str(tmp_path / "absent")
    assert main(["explain", "--key", key, "--payload", missing, token]) == 2
    assert "--payload" in capsys.readouterr().err
