"""RFC 7515 s7.2 - JWS JSON Serialization, general and flattened.

The general syntax carries one payload and a "signatures" array; each entry
has an optional "protected" header (base64url), an optional "header" object
(unprotected) and a "signature". The flattened syntax puts one signature's
members at the top level. The two header sets of a signature must be
disjoint, "crit" and "b64" only protected, and "b64" the same for every
signature (RFC 7797 s3). Verification succeeds with the first signature the
caller's keys validate, and exposes only that signature's header.

https://www.rfc-editor.org/rfc/rfc7515#section-7.2
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jose_ref import deferred, header, policy, strict_json, trace
from jose_ref.errors import (
    MalformedError,
)
from jose_ref.jwk.key import JWK
from jose_ref.jws import validation, verify
from jose_ref.jws.verify import Verified
from jose_ref.limits import Limits, check, check_document

if TYPE_CHECKING:
    from jose_ref.jws import sign, verify_notes
else:  # explain's notes load with the first recording, signing with the first signature
    # (jose_ref.deferred)
    verify_notes = deferred.module("jose_ref.jws.verify_notes", globals())
    sign = deferred.module("jose_ref.jws.sign", globals())

__all__ = ["parse", "sign_json", "verify_json"]

_SIGNATURE_MEMBERS = ("protected", "header", "signature")
Signer = tuple[JWK, Mapping[str, Any]] | tuple[JWK, Mapping[str, Any], Mapping[str, Any] | None]


def _document(obj: object, limits: Limits) -> dict[str, Any]:
    if isinstance(obj, (str, bytes)):
        check(limits, "max_token_bytes", len(obj), "JWS JSON Serialization")
        # The document holds headers nested up to max_json_depth, two levels down.
        return strict_json.loads_object(
            obj,
            what="JWS JSON Serialization",
            max_bytes=limits.max_token_bytes,
            max_depth=limits.max_json_depth + 2,
            size_limit="max_token_bytes",
        )
    if isinstance(obj, Mapping):
        # A parsed document is measured too, before any member is decoded.
        check_document(obj, limits, "JWS JSON Serialization")
        return dict(obj)
    raise MalformedError(f"a JWS JSON Serialization must be an object, got {type(obj).__name__}")


def _entries(document: Mapping[str, Any], limits: Limits) -> list[Mapping[str, Any]]:
    if "signatures" not in document:
        # RFC 7515 s7.2.2: the flattened syntax, one signature at the top level.
        if "signature" not in document:
            raise MalformedError('a JWS JSON Serialization needs "signatures" or "signature"')
        return [{name: document[name] for name in _SIGNATURE_MEMBERS if name in document}]
    if any(name in document for name in _SIGNATURE_MEMBERS):
        raise MalformedError('"signatures" cannot be combined with flattened members (s7.2.2)')
    entries = document["signatures"]
    if not isinstance(entries, list) or not entries:
        raise MalformedError('"signatures" must be a non-empty array (RFC 7515 s7.2.1)')
    check(limits, "max_recipients", len(entries), "JWS signatures")
    if not all(isinstance(entry, Mapping) for entry in entries):
        raise MalformedError('each "signatures" entry must be a JSON object (RFC 7515 s7.2.1)')
    return entries


def _received(entry: Mapping[str, Any], opts: verify.Options) -> verify.Received:
    encoded_header = entry.get("protected")
    unprotected = entry.get("header")
    if encoded_header is None and unprotected is None:
        raise MalformedError('a signature needs "protected" or "header" (RFC 7515 s7.2.1)')
    if encoded_header is not None and not isinstance(encoded_header, str):
        raise MalformedError('"protected" must be a base64url string (RFC 7515 s7.2.1)')
    if unprotected is not None and not isinstance(unprotected, Mapping):
        raise MalformedError('"header" must be a JSON object (RFC 7515 s7.2.1)')
    if unprotected is not None:
        header.check_unprotected(unprotected, opts.limits, 'JWS "header"')
    return verify.parse_signature(encoded_header or "", unprotected, entry.get("signature"), opts)


def parse(obj: object, opts: verify.Options) -> tuple[str | None, list[verify.Received]]:
    """Steps 1-5 and 7 of RFC 7515 s5.2 for every signature: (payload member, signatures)."""
    document = _document(obj, opts.limits)
    entries = _entries(document, opts.limits)
    rec = trace.recorder()
    if rec is not None:
        verify_notes.parsed(
            rec, "general" if "signatures" in document else "flattened", len(entries)
        )
    payload_segment = document.get("payload")
    if payload_segment is not None and not isinstance(payload_segment, str):
        raise MalformedError('"payload" must be a string (RFC 7515 s7.2.1)')
    # An error in any header makes the whole JWS invalid (RFC 7515 s4.1.11 for "crit").
    received = []
    for index, entry in enumerate(entries):
        if rec is not None and len(entries) > 1:
            rec.index = index
        received.append(_received(entry, opts))
    if len({r.b64 for r in received}) != 1:
        raise MalformedError('"b64" must be the same for every signature (RFC 7797 s3)')
    return payload_segment, received


def verify_json(
    obj: Mapping[str, Any] | str | bytes,
    key: JWK | policy.KeySource,
    *,
    algorithms: Collection[str] | None = None,
    payload: bytes | None = None,
    limits: Limits | None = None,
    critical: Collection[str] = (),
) -> Verified:
    """Verify a general or flattened JWS JSON Serialization (RFC 7515 s5.2, s7.2).

    Returns the first signature that the caller's keys validate, with its index and only
    its own header. Arguments and errors are those of `jws.verify_compact`; when no
    signature validates, InvalidSignatureError if any was tried, else the first reason.
    """
    opts = verify.options(key, algorithms, critical, limits)
    payload_segment, received = parse(obj, opts)
    # Steps 6 and 8-10 (RFC 7515 s5.2): the one verification routine, as for compact.
    return validation.verify_signatures(payload_segment, received, payload, opts)


def _signer(entry: Signer) -> tuple[JWK, Mapping[str, Any], Mapping[str, Any] | None]:
    if len(entry) == 2:
        return entry[0], entry[1], None
    if len(entry) == 3:
        return entry[0], entry[1], entry[2]
    raise TypeError("a signer is (key, protected header) or (key, protected, unprotected)")


def _with_kid(
    key: JWK, protected: Mapping[str, Any], unprotected: Mapping[str, Any] | None
) -> tuple[JWK, dict[str, Any], dict[str, Any] | None]:
    """Add the key's "kid" (RFC 7515 s4.1.4) to the header that holds "alg", unless one is set."""
    protected, unprotected = dict(protected), None if unprotected is None else dict(unprotected)
    if key.kid is not None and "kid" not in protected and "kid" not in (unprotected or {}):
        target = unprotected if unprotected is not None and "alg" not in protected else protected
        target["kid"] = key.kid
    return key, protected, unprotected


def sign_json(
    payload: bytes | str,
    signers: Sequence[Signer],
    *,
    flatten: bool = False,
    detached: bool = False,
) -> dict[str, Any]:
    """Sign `payload` once per signer; return the general or flattened JSON (RFC 7515 s7.2).

    Each signer is (key, protected header) or (key, protected, unprotected header); "alg"
    may be in either header. The key's "kid" is added to the header holding "alg" when
    neither header names one. `detached=True` omits "payload" (RFC 7515 Appendix F).
    """
    if not signers or (flatten and len(signers) != 1):
        raise MalformedError("give one signer for flattened JSON, at least one for general JSON")
    content = sign.payload_bytes(payload)
    results = []
    for entry in signers:
        key, protected, unprotected = _with_kid(*_signer(entry))
        results.append(sign.sign_encoded(content, key, sign.encode_header(protected), unprotected))
    if len({r.b64 for r in results}) != 1:
        raise MalformedError('"b64" must be the same for every signature (RFC 7797 s3)')
    signatures = [_members(r) for r in results]
    # Step 8 (RFC 7515 s5.1): the general or flattened JSON serialization.
    document: dict[str, Any] = {} if detached else {"payload": results[0].payload_segment}
    if flatten:
        document.update(signatures[0])
    else:
        document["signatures"] = signatures
    return document


def _members(signed: sign.Signed) -> dict[str, Any]:
    members: dict[str, Any] = {}
    if signed.encoded_protected_header:
        members["protected"] = signed.encoded_protected_header
    if signed.unprotected:
        members["header"] = signed.unprotected
    members["signature"] = signed.signature
    return members
