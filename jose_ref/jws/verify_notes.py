"""RFC 7515 s5.2 - What each JWS validation step shows in a trace (`jose-ref explain`).

The verify path calls these only when a recording is active (`rec =
trace.recorder()`, then `if rec is not None:`), so that the values are built
only then. Each function records one step under its number from
`jose_ref.rfc_steps`; with several signatures (JSON serialization) the
trace's index says which signature a step belongs to.

https://www.rfc-editor.org/rfc/rfc7515#section-5.2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jose_ref import trace
from jose_ref.errors import JoseError
from jose_ref.jwk.key import JWK
from jose_ref.rfc_steps import JWS_VERIFY

__all__ = [
    "header",
    "inputs",
    "not_validated",
    "parsed",
    "protected",
    "result",
    "validated",
]


def parsed(rec: trace.Trace, form: str, signatures: int) -> None:
    """Step 1."""
    if form == "compact":
        rec.note(JWS_VERIFY[1], "Split the JWS compact serialization into its 3 parts.")
        return
    rec.note(JWS_VERIFY[1], f"Parsed the {form} JWS JSON serialization.", signatures=signatures)


def protected(rec: trace.Trace, encoded: str, header: Mapping[str, Any]) -> None:
    """Steps 2-3 for one signature."""
    rec.note(
        JWS_VERIFY[2],
        "Base64url-decoded the encoded JWS Protected Header.",
        encoded_protected_header=encoded,
    )
    rec.note(
        JWS_VERIFY[3],
        "The JWS Protected Header is one UTF-8 JSON object (no duplicate member names).",
        protected_header=dict(header) or None,
    )


def header(rec: trace.Trace, joined: Mapping[str, Any], protected: Mapping[str, Any]) -> None:
    """Steps 4-5 for one signature."""
    rec.note(
        JWS_VERIFY[4], "The JOSE Header: the disjoint union of the header sets.", header=joined
    )
    rec.note(JWS_VERIFY[5], 'Every "crit" name is understood.', crit=protected.get("crit", []))


def inputs(
    rec: trace.Trace, alg: str, b64: bool, part: bytes, signature: bytes, data: bytes
) -> None:
    """Steps 6-8 for one signature: what step 8 validates over."""
    if b64:
        rec.note(
            JWS_VERIFY[6],
            "The encoded JWS Payload (base64url-decoded once a signature validated).",
            encoded_payload=part.decode("ascii"),
        )
    else:
        rec.note(
            JWS_VERIFY[6],
            'Unencoded payload ("b64": false, RFC 7797 s3): used as received.',
            payload=trace.Content(part),
        )
    rec.note(JWS_VERIFY[7], "Base64url-decoded the JWS Signature.", signature=signature)
    rec.note(
        JWS_VERIFY[8],
        f"Validating the signature ({alg}) over the JWS Signing Input.",
        signing_input=trace.Content(data),
    )


def validated(rec: trace.Trace, alg: str, key: JWK) -> None:
    """Step 8: the key that validated the signature."""
    rec.note(
        JWS_VERIFY[8],
        "The signature validated with this key.",
        alg=alg,
        kid=key.kid,
        thumbprint=key.thumbprint(),
    )


def not_validated(rec: trace.Trace, alg: str) -> None:
    """Step 8: no candidate key validated the signature."""
    rec.note(JWS_VERIFY[8], "No candidate key validated the signature.", alg=alg)


def result(
    rec: trace.Trace, failures: Sequence[JoseError], count: int, content: bytes | None
) -> None:
    """Step 10: the payload, and which signatures validated, failed or were not tried."""
    rec.index = None
    if count == 1 and content is not None and not failures:
        rec.note(
            JWS_VERIFY[10], "The JWS is valid: its JWS Payload.", payload=trace.Content(content)
        )
        return
    outcomes = [f"failed: {type(f).__name__}: {f}" for f in failures]
    if content is not None:
        outcomes.append("validated")
    outcomes.extend(
        "not tried: an earlier signature validated" for _ in range(count - len(outcomes))
    )
    signatures = {str(i): outcome for i, outcome in enumerate(outcomes)}
    if content is None:
        rec.note(
            JWS_VERIFY[10], "No signature validated: the JWS is invalid.", signatures=signatures
        )
        return
    rec.note(
        JWS_VERIFY[10],
        "The JWS is valid: its JWS Payload, and which signatures validated or failed.",
        payload=trace.Content(content),
        signatures=signatures,
    )
