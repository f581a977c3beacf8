"""RFC 7516 s5.2 and RFC 7515 s5.2, step by step - The one formatter of recorded traces.

`jose-ref explain` (text and `--json`) and `make demo` print traces through
this module only. Octets are shown in base64url, as RFC 7520 prints them;
text (the AAD, the encoded header, the JWS Signing Input, a UTF-8 plaintext
or payload) is shown as text; headers as JSON. Nothing is cut unless a width
is asked for, and every value says whether it is octets or text. Secrets
(CEK, derived keys, plaintext) are masked unless revealed. `run` is what
`jose-ref explain` calls: decrypt or verify while recording.

https://www.rfc-editor.org/rfc/rfc7520
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jose_ref import b64url, trace
from jose_ref.errors import JoseError
from jose_ref.jwk import JWK, JWKSet

__all__ = ["MASK", "Explained", "document", "render", "render_steps", "run", "value_document"]

MASK = "<masked: use --reveal>"
_READING = (
    "Each heading is a numbered step of {rfc} with the RFC's own words; the lines under it say "
    "what this run did and the values the step used or produced. [RFC 7518 ...] marks a "
    "detail of the algorithm inside that step. Octets are shown in base64url (as RFC 7520 "
    "prints them), text as text."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Explained:
    """A traced decrypt or verify: the steps and the outcome."""

    kind: str  # "JWE" or "JWS"
    steps: list[trace.Step]
    outcome: dict[str, Any]


def _is_jwe(token: str) -> bool:
    stripped = token.strip()
    if stripped.startswith("{"):
        return '"ciphertext"' in stripped
    return stripped.count(".") == 4


def run(
    token: str,
    keys: JWK | JWKSet,
    *,
    algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
    payload: bytes | None = None,
) -> Explained:
    """Decrypt (JWE) or verify (JWS) `token` while recording every RFC step."""
    from jose_ref import jwe, jws

    is_jwe = _is_jwe(token)
    json_form = token.strip().startswith("{")
    with trace.recording() as recorded:
        try:
            result: Any
            if is_jwe:
                decrypt = jwe.decrypt_json if json_form else jwe.decrypt_compact
                result = decrypt(token, keys, algorithms=algorithms, encryptions=encryptions)
            else:
                verify = jws.verify_json if json_form else jws.verify_compact
                result = verify(token, keys, algorithms=algorithms, payload=payload)
            outcome: dict[str, Any] = {"result": "accepted", "kid": result.key.kid}
        except JoseError as error:
            outcome = {"result": "rejected", "error": type(error).__name__, "message": str(error)}
    return Explained(kind="JWE" if is_jwe else "JWS", steps=recorded.steps, outcome=outcome)


def _text_of(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(c.isprintable() or c in "\t\r\n" for c in text) else None


def value_document(value: object) -> Any:
    """A value as JSON: octets {"b64u": ...}, content {"utf8": ...} (else octets), JSON as is."""
    if isinstance(value, bytes):
        return {"b64u": b64url.encode_text(value)}
    if isinstance(value, trace.Content):
        text = _text_of(value.data)
        return {"utf8": text} if text is not None else {"b64u": b64url.encode_text(value.data)}
    if isinstance(value, Mapping):
        return {str(k): value_document(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [value_document(v) for v in value]
    return value


def _step_document(step: trace.Step, reveal: bool) -> dict[str, Any]:
    values = {
        name: {"masked": "use --reveal"}
        if name in step.secret and not reveal
        else value_document(value)
        for name, value in step.values.items()
    }
    return {
        "step": step.rfc,
        "section": step.section,
        "number": step.number,
        "description": step.description,
        "clause": step.clause,
        "index": step.index,
        "text": step.text,
        "values": values,
    }


def document(explained: Explained, *, reveal: bool) -> dict[str, Any]:
    """The `--json` document: every step with its values, then the outcome."""
    return {
        "kind": explained.kind,
        "steps": [_step_document(s, reveal) for s in explained.steps],
        **explained.outcome,
    }


def _shown(value: object) -> tuple[str, str]:
    """(kind, text) of one value for the text output."""
    if isinstance(value, bytes):
        return ("octets, base64url", b64url.encode_text(value) or "(empty)")
    if isinstance(value, trace.Content):
        text = _text_of(value.data)
        if text is None:
            return ("octets, base64url: not UTF-8 text", b64url.encode_text(value.data))
        return ("text", text)
    if value is None:
        return ("", "(none)")
    if isinstance(value, str):
        return ("", value)
    return ("", json.dumps(value_document(value), ensure_ascii=False, separators=(",", ":")))


def _cut(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return f"{text[:width]}... ({len(text) - width} more characters; no --width to see all)"


def _value_line(name: str, value: object, secret: bool, reveal: bool, width: int | None) -> str:
    if secret and not reveal:
        return f"    {name}: {MASK}"
    kind, text = _shown(value)
    label = f"{name} ({kind})" if kind else name
    return f"    {label}: " + _cut(text, width).replace("\n", "\n      ")


def _heading(step: trace.Step) -> str:
    where = ""
    if step.index is not None:
        where = f" ({'signature' if step.section.startswith('RFC 7515') else 'recipient'} "
        where += f"{step.index})"
    if step.number is None:
        return f"{step.rfc}{where}"
    return f"{step.rfc}{where}: {step.description}"


def render_steps(steps: Iterable[trace.Step], *, reveal: bool, width: int | None = None) -> str:
    """The steps as text, one heading per run of notes of the same step."""
    lines: list[str] = []
    masked = False
    previous: tuple[str, int | None] | None = None
    for step in steps:
        if (step.rfc, step.index) != previous:
            lines.append(_heading(step))
            previous = (step.rfc, step.index)
        clause = f"[{step.clause}] " if step.clause else ""
        lines.append(f"  {clause}{step.text}")
        for name, value in step.values.items():
            secret = name in step.secret
            masked = masked or (secret and not reveal)
            lines.append(_value_line(name, value, secret, reveal, width))
    if masked:
        lines.append("Secret values are masked: `jose-ref explain --reveal` shows them.")
    return "\n".join(lines)


def render(explained: Explained, *, reveal: bool, width: int | None = None) -> str:
    """The text output of `jose-ref explain`: how to read it, the steps, the outcome."""
    rfc = "RFC 7516 s5.2 (JWE decryption)" if explained.kind == "JWE" else "RFC 7515 s5.2"
    if explained.kind == "JWS":
        rfc += " (JWS validation)"
    outcome = explained.outcome
    verdict = outcome["result"]
    if "error" in outcome:
        verdict += f": {outcome['error']}: {outcome['message']}"
    elif outcome.get("kid") is not None:
        verdict += f" (key {outcome['kid']})"
    body = render_steps(explained.steps, reveal=reveal, width=width)
    return f"{_READING.format(rfc=rfc)}\n\n{body}\n\n{verdict}"
