"""RFC 7515 s7.1 - JWS Compact Serialization.

A compact JWS is three base64url segments joined by periods: the encoded
protected header, the encoded payload and the encoded signature. There is no
unprotected header, so "alg" can only come from the protected one. This
module checks the token size before splitting, splits exactly three parts
(a five-part JWE is refused here, never auto-detected: RFC 8725 s3.10), and
hands each part to the numbered steps of RFC 7515 s5.1 and s5.2.

https://www.rfc-editor.org/rfc/rfc7515#section-7.1
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from jose_ref import deferred, policy, trace
from jose_ref.errors import MalformedError
from jose_ref.jwk.key import JWK
from jose_ref.jws import validation, verify
from jose_ref.jws.verify import Verified
from jose_ref.limits import Limits, bounded_text

if TYPE_CHECKING:
    from jose_ref.jws import sign, verify_notes
else:  # explain's notes load with the first recording, signing with the first signature
    # (jose_ref.deferred)
    verify_notes = deferred.module("jose_ref.jws.verify_notes", globals())
    sign = deferred.module("jose_ref.jws.sign", globals())

__all__ = ["sign_compact", "split", "verify_compact"]


def split(token: object, limits: Limits) -> tuple[str, str, str]:
    """Step 1 of RFC 7515 s5.2: the three segments of a compact JWS, or MalformedError."""
    text = bounded_text(
        token, what="compact JWS", max_bytes=limits.max_token_bytes, limit="max_token_bytes"
    )
    if text.startswith("{"):
        raise MalformedError("this is a JWS JSON Serialization: use jws.verify_json")
    # At most 4 pieces: a flood of periods is never split into a list of its own size.
    parts = text.split(".", 3)
    if len(parts) != 3:
        periods = text.count(".")
        if periods == 4:
            # RFC 7516 s9: five parts make a JWE. A verify call never decrypts: an attacker
            # could otherwise encrypt claims to the verifier's public key and have them
            # "verified".
            raise MalformedError("this token has 5 parts: it is a JWE (RFC 7516 s7.1), not a JWS")
        raise MalformedError(f"a compact JWS has 3 parts (RFC 7515 s7.1), got {periods + 1}")
    encoded_header, payload_segment, encoded_signature = parts
    return encoded_header, payload_segment, encoded_signature


def sign_compact(
    payload: bytes | str,
    key: JWK,
    *,
    alg: str,
    header: Mapping[str, Any] | None = None,
    detached: bool = False,
) -> str:
    """Sign `payload` and return a compact JWS (RFC 7515 s5.1, s7.1).

    The protected header is {"alg": alg}, the key's "kid" when it has one, then `header`.
    With `detached=True` the payload segment is left empty (RFC 7515 Appendix F) and,
    unless `header` sets "b64" itself, the payload is signed unencoded with
    {"b64": false, "crit": ["b64"]} (RFC 7797).

    Raises:
        UnsupportedAlgorithmError, AlgorithmNotAllowedError: `alg` is unknown or "none".
        InvalidKeyError: the key cannot sign with `alg` (type, curve, size, use, key_ops).
        MalformedError: the header is not JSON, or an unencoded payload holds '.'.
    """
    content = sign.payload_bytes(payload)
    protected = sign.protected_header(alg, key, header, detached=detached)
    signed = sign.sign_encoded(content, key, sign.encode_header(protected))
    # RFC 7797 s5.2: an unencoded attached payload must not contain '.', which ends a segment.
    if not detached and not signed.b64 and "." in signed.payload_segment:
        raise MalformedError("an unencoded compact payload must not contain '.' (RFC 7797 s5.2)")
    payload_segment = "" if detached else signed.payload_segment
    # Step 8 (RFC 7515 s5.1): the compact serialization of the three parts.
    return f"{signed.encoded_protected_header}.{payload_segment}.{signed.signature}"


def verify_compact(
    token: str | bytes,
    key: JWK | policy.KeySource,
    *,
    algorithms: Collection[str] | None = None,
    payload: bytes | None = None,
    limits: Limits | None = None,
    critical: Collection[str] = (),
) -> Verified:
    """Verify a compact JWS with the caller's key or key set (RFC 7515 s5.2).

    Args:
        token: The compact JWS.
        key: A JWK, or a key set (candidates by "kid", "alg", "use"/"key_ops").
        algorithms: The allowed "alg" values; None means the key's own "alg", else the
            default set (never "none").
        payload: The detached content, when the token's payload segment is empty.
        limits: Resource bounds; None means `Limits()`.
        critical: Extension names understood besides "b64" (RFC 7515 s4.1.11).

    Raises:
        MalformedError, LimitExceededError: the token's syntax or size.
        UnsupportedAlgorithmError, AlgorithmNotAllowedError: "alg" unknown or not allowed.
        InvalidKeyError, KeyNotFoundError: no key of the caller may verify this "alg".
        InvalidSignatureError: no candidate key validates the signature.
    """
    opts = verify.options(key, algorithms, critical, limits)
    # Step 1 (RFC 7515 s5.2): parse the three segments.
    encoded_header, payload_segment, encoded_signature = split(token, opts.limits)
    rec = trace.recorder()
    if rec is not None:
        verify_notes.parsed(rec, "compact", 1)
    received = verify.parse_signature(encoded_header, None, encoded_signature, opts)
    # Steps 6 and 8-10 (RFC 7515 s5.2): the one verification routine, as for JSON.
    return validation.verify_signatures(payload_segment, (received,), payload, opts)
