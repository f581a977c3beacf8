"""RFC 7515 s5.1 - What each JWS signing step shows in a trace.

`jws.sign` calls these only when a recording is active (`rec =
trace.recorder()`, then `if rec is not None:`), so the values are built
only then, each under its step number from `jose_ref.rfc_steps`.

https://www.rfc-editor.org/rfc/rfc7515#section-5.1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import trace
from jose_ref.rfc_steps import JWS_SIGN

__all__ = ["inputs", "signed"]


def inputs(
    rec: trace.Trace,
    payload: bytes,
    part: bytes,
    protected: Mapping[str, Any],
    unprotected: Mapping[str, Any] | None,
    encoded: str,
) -> None:
    """Steps 1-4: the payload, its encoded form, the JOSE Header and its encoded form."""
    rec.note(JWS_SIGN[1], "The JWS Payload.", payload=trace.Content(payload))
    rec.note(
        JWS_SIGN[2],
        'BASE64URL(JWS Payload), or the payload itself when "b64" is false (RFC 7797 s3).',
        encoded_payload=trace.Content(part),
    )
    rec.note(
        JWS_SIGN[3],
        "The JOSE Header: protected and unprotected header.",
        protected_header=dict(protected) or None,
        unprotected_header=dict(unprotected) if unprotected else None,
    )
    rec.note(
        JWS_SIGN[4], "BASE64URL(UTF8(JWS Protected Header)).", encoded_protected_header=encoded
    )


def signed(rec: trace.Trace, alg: str, data: bytes, signature: bytes) -> None:
    """Steps 5-6: the signature over the JWS Signing Input."""
    rec.note(
        JWS_SIGN[5],
        f"The JWS Signature ({alg}) over the JWS Signing Input.",
        signing_input=trace.Content(data),
        signature=signature,
    )
    rec.note(JWS_SIGN[6], "BASE64URL(JWS Signature).", signature=signature)
