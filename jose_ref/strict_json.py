"""RFC 7515 s4 and s5.2 step 3, RFC 8259 - One JSON object, parsed strictly.

JOSE headers, JWKs and JWT claims are JSON objects encoded in UTF-8 (RFC
7515 s5.2, RFC 7519 s7.2). Python's json module is lenient in ways that
matter for security: it keeps the last of duplicate member names (RFC 7515
s4 lets a parser either reject them or keep the last; we reject), detects
UTF-16/32 from bytes, accepts NaN and Infinity, turns 1e999 into infinity
and raises RecursionError on deep nesting. This
parser decodes strict UTF-8 first, bounds size and depth before parsing,
refuses duplicates however they are spelled, and refuses non-finite numbers.

https://www.rfc-editor.org/rfc/rfc7515#section-5.2
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from jose_ref.errors import LimitExceededError, MalformedError
from jose_ref.escape import shown
from jose_ref.limits import bounded_text

__all__ = ["dumps", "loads_object"]

# A \uD800-\uDFFF escape may leave a lone surrogate, which no UTF-8 text can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class _RefusedError(Exception):
    """Internal signal from the json hooks; turned into MalformedError below."""


def _no_constant(name: str) -> NoReturn:
    raise _RefusedError(f"non-finite number {name} is not JSON (RFC 8259 s6)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _RefusedError("number out of range (RFC 8259 s6)")
    return value


def _bounded_int(text: str) -> int:
    # CPython refuses 4300+ digit integers with ValueError; refuse earlier and clearly.
    if len(text) > 64:
        raise _RefusedError("integer too long")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Member names are compared after escape processing, so "\u0061lg" and "alg" collide:
    # the object has fewer members than the text has pairs exactly when a name repeats.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise _RefusedError(f"duplicate member name {shown(name)} (RFC 7515 s4)")
            seen.add(name)
    return result


# Built once: json.loads with hooks would construct a new decoder on every call.
_DECODER = json.JSONDecoder(
    object_pairs_hook=_object,
    parse_constant=_no_constant,
    parse_float=_finite_float,
    parse_int=_bounded_int,
)


def _depth(text: str, max_depth: int) -> int:
    """Return the maximum nesting depth of brackets outside strings, stopping past max_depth."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def _bounded_text(
    data: bytes | str, what: str, max_bytes: int, max_depth: int, limit_names: tuple[str, str]
) -> str:
    """The text of `data` after the size, UTF-8 and depth checks, all before parsing."""
    data = bounded_text(data, what=what, max_bytes=max_bytes, limit=limit_names[0])
    # The character scan runs only when there are enough brackets to exceed the bound.
    if data.count("[") + data.count("{") > max_depth:
        depth = _depth(data, max_depth)
        if depth > max_depth:
            raise LimitExceededError(
                f"{what}: JSON nesting deeper than {max_depth}",
                limit=limit_names[1],
                maximum=max_depth,
                actual=depth,
            )
    return data


def loads_object(
    data: bytes | str,
    *,
    what: str,
    max_bytes: int,
    max_depth: int,
    size_limit: str = "max_header_bytes",
    depth_limit: str = "max_json_depth",
) -> dict[str, Any]:
    """Parse exactly one JSON object from UTF-8 `data`, or raise MalformedError naming `what`.

    Raises:
        LimitExceededError: `data` is longer than `max_bytes` or nests deeper than `max_depth`.
        MalformedError: not UTF-8, not JSON, not an object, duplicate names, non-finite numbers.
    """
    text = _bounded_text(data, what, max_bytes, max_depth, (size_limit, depth_limit))
    try:
        value = _DECODER.decode(text)
    except _RefusedError as exc:
        raise MalformedError(f"{what}: {exc}") from None
    except (ValueError, RecursionError):
        raise MalformedError(f"{what}: not valid JSON (RFC 8259)") from None
    if not isinstance(value, dict):
        raise MalformedError(f"{what}: must be a JSON object, got {type(value).__name__}")
    if _SURROGATE_ESCAPE.search(text) and not _encodable(value):
        raise MalformedError(f"{what}: a string holds a lone surrogate (RFC 8259 s8.2)")
    return value


def _encodable(value: Any) -> bool:
    # Escaped surrogate pairs are fine; only unpaired ones fail to encode as UTF-8.
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def dumps(value: Any, *, what: str = "value") -> bytes:
    """Serialize compactly to UTF-8 (what this library emits in headers and claims).

    Raises:
        MalformedError: `value` holds something JSON cannot (a non-JSON type, NaN, a lone
            surrogate that UTF-8 cannot encode).
    """
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError):
        # UnicodeEncodeError is a ValueError: a lone surrogate has no UTF-8 form.
        raise MalformedError(f"{what}: not a JSON value that UTF-8 can encode") from None
