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

from jose_ref import b64url, deferred, trace
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    InvalidSignatureError,
    JoseError,
    KeyNotFoundError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jws import signing_input, verify
from jose_ref.jws.verify import Verified

if TYPE_CHECKING:
    from jose_ref.jws import sign, verify_notes
else:  # explain's notes load with the first recording, signing with the first detached
    # payload (jose_ref.deferred)
    verify_notes = deferred.module("jose_ref.jws.verify_notes", globals())
    sign = deferred.module("jose_ref.jws.sign", globals())

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
    part = _payload_part(payload_segment, detached, b64=b64)
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
        content = _payload_content(payload_segment, detached, part, b64=b64)
        if rec is not None:
            verify_notes.result(rec, failures, len(received), content)
        # Positional, in the order of the fields: payload, header, key, signature_index.
        return Verified(content, one.header, jwk, index)
    if rec is not None:
        verify_notes.result(rec, failures, len(received), None)
    # Step 10 (RFC 7515 s5.2): no signature validated, so the JWS is invalid.
    raise next((f for f in failures if isinstance(f, InvalidSignatureError)), failures[0])


def _payload_part(segment: str | None, detached: object, *, b64: bool) -> bytes:
    """The payload part of the JWS Signing Input (RFC 7515 s5.2 step 8), nothing decoded yet."""
    if detached is not None:
        # RFC 7515 Appendix F: detached content travels outside the JWS, whose payload is empty.
        if segment:
            raise MalformedError("payload= was given, but the JWS carries its own payload")
        return signing_input.payload_part(sign.payload_bytes(detached), b64=b64)
    if segment is None:
        raise MalformedError("the JWS payload is detached: pass the content as payload=")
    if b64:
        if not segment.isascii():
            raise MalformedError("the JWS payload is not base64url (RFC 7515 s2)")
        return segment.encode("ascii")
    # RFC 7797 s3: an unencoded payload is used as received.
    try:
        return segment.encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedError("the unencoded JWS payload is not valid Unicode") from None


def _payload_content(segment: str | None, detached: object, part: bytes, *, b64: bool) -> bytes:
    """Step 6 of RFC 7515 s5.2, once the signature validated: the JWS Payload."""
    if detached is not None:
        return sign.payload_bytes(detached)
    if b64:
        # Decoded only now: a token refused for its alg, key or signature costs no decoding.
        # `part` is the segment as ASCII octets already (step 8 signed over it).
        return b64url.decode(part, what="JWS payload")
    return part
