"""RFC 7519 s7.1 steps 1-2 and s7.2 steps 9-10 - The JWT Claims Set as a JSON object.

A JWT Claims Set is one JSON object whose member names are unique (RFC 7519
s4: a parser must reject duplicate claim names or keep only the last; we
reject them, however they are spelled). It is parsed with the strict JSON
parser, bounded by the token size and by `Limits.max_claims_depth`, and it
is produced as compact UTF-8 JSON. The registered date claims are checked
for type on the way out too, so jose_ref never issues a token it would refuse.

https://www.rfc-editor.org/rfc/rfc7519#section-7.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import strict_json, trace
from jose_ref.errors import MalformedError
from jose_ref.jwt import validation
from jose_ref.limits import Limits

__all__ = ["parse", "serialize"]


def parse(payload: bytes, limits: Limits) -> dict[str, Any]:
    """Steps 9-10 of RFC 7519 s7.2: the claims set from the verified JWS payload."""
    # Step 10 (RFC 7519 s7.2): "a completely valid JSON object"; duplicates refused (s4).
    claims = strict_json.loads_object(
        payload,
        what="JWT Claims Set",
        max_bytes=limits.max_token_bytes,
        max_depth=limits.max_claims_depth,
        size_limit="max_token_bytes",
        depth_limit="max_claims_depth",
    )
    trace.note("RFC 7519 s7.2 step 10", "Parsed the JWT Claims Set.", claims=claims)
    return claims


def serialize(claims: Mapping[str, Any]) -> bytes:
    """Steps 1-2 of RFC 7519 s7.1: the claims set as UTF-8 JSON."""
    if not isinstance(claims, Mapping):
        raise MalformedError(f"JWT claims must be a mapping, got {type(claims).__name__}")
    if not all(isinstance(name, str) for name in claims):
        raise MalformedError("JWT claim names must be strings (RFC 7519 s4)")
    for name in validation.NUMERIC_DATES:
        validation.numeric_date(claims, name)
    return strict_json.dumps(dict(claims), what="the JWT claims (RFC 7519 s7.1)")
