"""Write docs/explain.md: how to read `jose-ref explain`, with real output on RFC 7520 examples.

The page walks through one JWE (RFC 7520 s5.8) and one JWS (RFC 7520 s4.4):
the keys and tokens are the RFC's (vectors/rfc7520), and every trace shown is
the output of `jose-ref explain` run here, in-process, on them. The step
tables come from jose_ref/rfc_steps.py. `make docs` writes the page;
tests/test_explain_doc.py checks that it is current.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "docs" / "explain.md"
sys.path.insert(0, str(ROOT))

from jose_ref import rfc_steps  # noqa: E402
from jose_ref.cli import main  # noqa: E402

JWE_VECTOR = "5.8-a128kw-a128gcm"
JWS_VECTOR = "4.4-hmac-sha2-integrity-hs256"

INTRO = """\
# Reading `jose-ref explain`

`jose-ref explain --key FILE TOKEN` decrypts a JWE or verifies a JWS exactly as
`jose-ref decrypt` and `jose-ref verify` do, and prints what each numbered step
of RFC 7516 s5.2 (JWE decryption) or RFC 7515 s5.2 (JWS validation) did, with
the values it used and produced. The trace is recorded by the library's own
code path (`jose_ref.trace`): nothing is recomputed for the printout.

## How to read the trace

- A heading is one numbered step: `RFC 7516 s5.2 step 9: <the RFC's words>`.
  Step numbers and descriptions come from one table, `jose_ref/rfc_steps.py`
  (reproduced at the end of this page).
- The indented sentence under a heading says what this run did in that step;
  the lines under it are the values, by name.
- `[RFC 7518 s4.8.1.1]`, `[RFC 7518 s5.2.2.1]`, `[RFC 7518 s4.6.2]`: a detail
  from inside the algorithm that ran in that step (the PBES2 salt and derived
  key, the AES-CBC-HMAC MAC_KEY, ENC_KEY, AL and tag input, the ECDH-ES Z and
  Concat KDF OtherInfo).
- `(octets, base64url)`: the value is octets, shown in unpadded base64url as
  RFC 7520 prints them. `(text)`: a plaintext or payload that is UTF-8 text,
  shown as text. Values without a kind are text (the AAD, the encoded header),
  numbers, or JSON (headers, keys).
- `(recipient 1)`, `(signature 2)`: a JSON serialization with several
  recipients or signatures. RFC 7516 steps 4-12 and RFC 7515 steps 4-8 repeat
  for each; RFC 7516 steps 14-16 are shared by all recipients.
- Step 18 (JWE) and step 10 (JWS) say which recipients or signatures succeeded,
  which were skipped and why (no key, not allowed) and which failed.
- A JWS payload is base64url-decoded only after its signature validated: step
  6 shows the encoded payload that step 8 signs over, step 10 the payload.
- Secret values (CEK, derived keys, MAC_KEY, ENC_KEY, Z, plaintext) are shown
  as `<masked: use --reveal>` unless `--reveal` is given. The examples below
  use `--reveal`: their keys are published in RFC 7520.
- Nothing is cut: `--width N` cuts each value to N characters.
- `--json` prints the same steps as one JSON object: each step has `step`,
  `number`, `description`, `clause` (for details), `index` (recipient or
  signature) and `values`, where octets are `{"b64u": ...}` and text
  `{"utf8": ...}`, as in vectors/FORMAT.md.
- The exit status is 0 when the token was accepted, 1 when it was refused (the
  last line then names the error).
"""


def _explain(vector: dict[str, Any], key_name: str, algs: list[str]) -> tuple[str, str]:
    keys, expected = vector["keys"], vector["expected"]
    with tempfile.TemporaryDirectory() as directory:
        key_file = Path(directory) / f"{key_name}.json"
        key_file.write_text(json.dumps(keys[key_name]), encoding="utf-8")
        argv = ["explain", "--key", str(key_file), "--reveal"]
        for alg in algs:
            argv += ["--alg", alg]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = main([*argv, str(expected["compact"])])
    if status != 0:
        raise SystemExit(f"explain refused the RFC 7520 example: {out.getvalue()}")
    shown = f"jose-ref explain --key {key_name}.json --reveal " + " ".join(
        f"--alg {a}" for a in algs
    )
    return shown + " TOKEN", out.getvalue().rstrip("\n")


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "vectors" / "rfc7520" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


def _section(title: str, walk: str, command: str, output: str) -> str:
    return f"{title}\n\n{walk}\n\n```text\n$ {command}\n{output}\n```\n"


JWE_WALK = """\
RFC 7520 s5.8 encrypts "You can trust us to stick with you through thick and
thin–to the bitter end. [...]" to a 128-bit AES key with A128KW (key wrapping)
and A128GCM. Read it against RFC 7516 s5.2: steps 1-3 split and decode the
five parts and the protected header; step 4 forms the JOSE Header; step 5
checks "crit"; step 6 finds the Key Management Mode of "alg" (key wrapping);
step 7 names the caller's key that is tried; step 9 unwraps the JWE Encrypted
Key to the CEK (the CEK that RFC 7520 s5.8.2 generated); steps 14-15 give the
Encoded Protected Header and the AAD (as RFC 7520 s5.8.4 prints them); step
16 decrypts and validates the tag; step 18 outputs the plaintext, shown as
text with its en dashes."""

JWS_WALK = """\
RFC 7520 s4.4 protects a payload with HS256. Read it against RFC 7515 s5.2:
step 1 splits the three parts; steps 2-3 decode the protected header (the
encoded header of RFC 7520 s4.4.2); steps 4-5 form the JOSE Header and check
"crit"; step 6 shows the encoded payload (RFC 7520 s4.4.1), step 7 the
signature; step 8 validates it over the JWS Signing Input, printed as text;
step 10 outputs the payload, text with its right single quotation marks."""


def _cell(text: str) -> str:
    # A '|' inside a Markdown table cell must be escaped.
    return text.replace("|", "\\|")


def _tables() -> str:
    lines = ["## The step tables (jose_ref/rfc_steps.py)", ""]
    for procedure in rfc_steps.PROCEDURES.values():
        lines += [f"### {procedure.section} - {procedure.title}", ""]
        lines += ["| step | the RFC's words |", "| --- | --- |"]
        lines += [f"| {s.number} | {_cell(s.description)} |" for s in procedure.steps]
        lines.append("")
    return "\n".join(lines)


def render() -> str:
    """The Markdown page."""
    jwe_command, jwe_output = _explain(_load(JWE_VECTOR), "aes-128-kw", ["A128KW"])
    jws_command, jws_output = _explain(_load(JWS_VECTOR), "hmac", ["HS256"])
    return "\n".join(
        [
            INTRO,
            _section(
                "## A JWE: RFC 7520 s5.8 (A128KW, A128GCM)", JWE_WALK, jwe_command, jwe_output
            ),
            _section("## A JWS: RFC 7520 s4.4 (HS256)", JWS_WALK, jws_command, jws_output),
            _tables(),
        ]
    )


def main_write() -> int:
    """Write docs/explain.md."""
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main_write())
