"""RFC 7515 s7 and RFC 7516 s7 - What `jose-ref inspect` shows of a token, with no key.

The serialization (compact or JSON, JWS or JWE), the headers, who each
recipient or signature is for ("alg", "kid") and, for a JWS, the payload as
received: all of it unverified, and said so. A JSON object that is neither a
JWS nor a JWE is refused, not described.

https://www.rfc-editor.org/rfc/rfc7515#section-7
"""

from __future__ import annotations

from typing import Any

from jose_ref import b64url, cli_io, header
from jose_ref.errors import MalformedError
from jose_ref.limits import DEFAULT_LIMITS

__all__ = ["describe"]


def describe(token: str) -> dict[str, Any]:
    """The structure and headers of a compact or JSON token; nothing is verified."""
    return _inspect_json(token) if token.startswith("{") else _inspect_compact(token)


def _header_of(encoded: str) -> dict[str, Any]:
    return header.parse_protected(encoded, DEFAULT_LIMITS, "protected header")


def _inspect_compact(token: str) -> dict[str, Any]:
    parts = token.split(".")
    kinds = {3: "JWS compact serialization", 5: "JWE compact serialization"}
    if len(parts) not in kinds:
        raise MalformedError(
            f"not a compact JWS or JWE: {len(parts)} dot-separated parts where a JWS has 3 "
            "and a JWE 5 (RFC 7515 s7.1, RFC 7516 s7.1)"
        )
    protected = _header_of(parts[0])
    info: dict[str, Any] = {
        "type": kinds[len(parts)],
        "headers": {"protected": protected},
        "part_lengths": [len(p) for p in parts],
    }
    if len(parts) == 3:
        info["unverified_payload"] = _unverified_payload(parts[1], protected)
    return info


def _unverified_payload(segment: object, protected: dict[str, Any]) -> Any:
    if not isinstance(segment, str) or not segment:
        return None
    if protected.get("b64") is False:
        # RFC 7797 s3: the payload is carried as it is, unencoded.
        return {"payload": segment}
    return cli_io.payload_members(b64url.decode(segment, what="JWS payload"))


def _objects(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _names(document: dict[str, Any]) -> dict[str, Any]:
    # Who a recipient or signature is for, from its protected and unprotected headers.
    protected = document.get("protected")
    members = dict(_header_of(protected)) if isinstance(protected, str) else {}
    header = document.get("header")
    members.update(header if isinstance(header, dict) else {})
    return {name: members.get(name) for name in ("alg", "kid")}


def _inspect_json(token: str) -> dict[str, Any]:
    document = cli_io.json_document(token, "JSON serialization")
    protected = document.get("protected")
    shared = _header_of(protected) if isinstance(protected, str) else None
    info: dict[str, Any] = {"members": sorted(document)}
    if "ciphertext" in document:
        # RFC 7516 s7.2.1: the general form lists recipients; the flattened form is one.
        recipients = _objects(document["recipients"]) if "recipients" in document else [document]
        info["type"] = "JWE JSON serialization"
        info["headers"] = {"protected": shared, "unprotected": document.get("unprotected")}
        info["recipients"] = [
            _names({"header": r.get("header"), **_only(protected)}) for r in recipients
        ]
    elif "signatures" in document or "signature" in document:
        signatures = _objects(document["signatures"]) if "signatures" in document else [document]
        info["type"] = "JWS JSON serialization"
        info["signatures"] = [_names(s) for s in signatures]
        first = signatures[0].get("protected") if signatures else None
        first_header = _header_of(first) if isinstance(first, str) else {}
        info["unverified_payload"] = _unverified_payload(document.get("payload"), first_header)
    else:
        raise MalformedError(
            'not a JWS or JWE JSON serialization: no "ciphertext", "signature" or '
            '"signatures" member (RFC 7515 s7.2, RFC 7516 s7.2)'
        )
    return info


def _only(protected: object) -> dict[str, Any]:
    return {"protected": protected} if isinstance(protected, str) else {}
