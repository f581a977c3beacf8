"""RFC 7515 s5.2 steps 6 and 8-10 - One verification routine for both serializations.

A compact JWS (s7.1) parses into one received signature, a JSON one (s7.2)
into one per "signatures" entry; both then come here. Each signature is
validated in turn (step 9) until one validates; a failure that concerns one
signature only (its algorithm, its key, its value) lets the next one try.
The payload is decoded only once a signature has validated (step 6). When
none validates the JWS is invalid (step 10).

https://www.rfc-editor.org/rfc/rfc7515#section-5.2
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jose_ref import deferred, trace
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    InvalidSignatureError,
    JoseError,
    KeyNotFoundError,
    UnsupportedAlgorithmError,
)
from jose_ref.jws import verify
from jose_ref.jws.verify import Verified

if TYPE_CHECKING:
    from jose_ref.jws import verify_notes
else:  # explain's notes load with the first recording (jose_ref.deferred)
    verify_notes = deferred.module("jose_ref.jws.verify_notes", globals())

__all__ = ["verify_signatures"]

# Failures that concern one signature only: another signature may still verify (step 9).
_PER_SIGNATURE = (
    UnsupportedAlgorithmError,
    AlgorithmNotAllowedError,
    InvalidKeyError,
    KeyNotFoundError,
    InvalidSignatureError,
)


def verify_signatures(
    payload_segment: str | None,
    received: Sequence[verify.Received],
    detached: object,
    opts: verify.Options,
) -> Verified:
    """Steps 6 and 8-10 of RFC 7515 s5.2 for a parsed JWS, compact (one signature) or JSON.

    The first signature the caller's keys validate gives the result, with its own header;
    when none does, InvalidSignatureError if any was tried, else the first reason.
    """
    # One payload for all signatures, attached or detached; decoded once one validates.
    b64 = received[0].b64
    part = verify.payload_part(payload_segment, detached, b64=b64)
    failures: list[JoseError] = []
    rec = trace.recorder()
    # Step 9 (RFC 7515 s5.2): each signature in turn, until one validates.
    for index, one in enumerate(received):
        if rec is not None and len(received) > 1:
            rec.index = index
        try:
            jwk = verify.verify(one, part, opts)
        except _PER_SIGNATURE as exc:
            failures.append(exc)
            continue
        # Step 6 (RFC 7515 s5.2): the JWS Payload, attached or detached (Appendix F).
        content = verify.payload_content(payload_segment, detached, part, b64=b64)
        if rec is not None:
            verify_notes.result(rec, failures, len(received), content)
        # Positional, in the order of the fields: payload, header, key, signature_index.
        return Verified(content, one.header, jwk, index)
    if rec is not None:
        verify_notes.result(rec, failures, len(received), None)
    # Step 10 (RFC 7515 s5.2): no signature validated, so the JWS is invalid.
    raise next((f for f in failures if isinstance(f, InvalidSignatureError)), failures[0])
