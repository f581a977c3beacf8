"""RFC 7515 s4 and RFC 7516 s4, s7.2.1 - The JOSE Header: parsing, union, typed members, crit.

A JOSE Header is the union of the protected header (integrity-protected,
base64url-encoded JSON) and the unprotected ones of the JSON serialization.
The member sets must be disjoint (RFC 7515 s7.2.1, RFC 7516 s7.2.1) so that
no unprotected value can shadow a protected one. Members are read through
typed getters that raise MalformedError for the wrong JSON type (booleans
are not integers). "crit" (RFC 7515 s4.1.11) must be protected, a non-empty
array of distinct names that are not registered header names, each present
and understood.

https://www.rfc-editor.org/rfc/rfc7515#section-4
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from jose_ref import b64url, strict_json
from jose_ref.errors import MalformedError
from jose_ref.escape import shown
from jose_ref.limits import Limits, check

__all__ = [
    "check_crit",
    "check_unprotected",
    "get_b64",
    "get_int",
    "get_kid",
    "get_str",
    "join",
    "parse_protected",
]

# Header parameter names registered by RFC 7515 s4.1 and RFC 7516 s4.1; they may not
# appear in "crit" (RFC 7515 s4.1.11). "b64" (RFC 7797) is an extension meant for crit.
REGISTERED = frozenset(
    {
        "alg",
        "jku",
        "jwk",
        "kid",
        "x5u",
        "x5c",
        "x5t",
        "x5t#S256",
        "typ",
        "cty",
        "crit",
        "enc",
        "zip",
        "epk",
        "apu",
        "apv",
        "iv",
        "tag",
        "p2s",
        "p2c",
    }
)


# Protected headers already parsed, by (encoded text, size and depth limits): a receiver
# sees the same few headers again and again. Only flat headers of string members are kept,
# and each caller gets its own shallow copy, so no caller can change what another receives.
# Bounded: emptied when full. Refusals are never remembered; the text is public.
_PARSED: dict[tuple[str | bytes, int, int], dict[str, Any]] = {}
_PARSED_MAX = 256
_PARSED_MAX_CHARS = 1024


def parse_protected(encoded: str | bytes, limits: Limits, what: str) -> dict[str, Any]:
    """Decode BASE64URL(UTF8(JWS/JWE Protected Header)) to an object (RFC 7515 s5.2 steps 2-3)."""
    if not isinstance(encoded, (str, bytes)):
        raise MalformedError(f"{what}: expected a base64url string, got {type(encoded).__name__}")
    memo = (encoded, limits.max_header_bytes, limits.max_json_depth)
    known = _PARSED.get(memo)
    if known is not None:
        # This text passed every check below before, under the same bounds.
        return dict(known)
    # Four base64url characters carry three octets: bound the size before decoding anything.
    check(limits, "max_header_bytes", len(encoded) * 3 // 4, what)
    raw = b64url.decode(encoded, what=what)
    parsed = strict_json.loads_object(
        raw, what=what, max_bytes=limits.max_header_bytes, max_depth=limits.max_json_depth
    )
    if len(encoded) <= _PARSED_MAX_CHARS and all(type(v) is str for v in parsed.values()):
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[memo] = dict(parsed)
    return parsed


def check_unprotected(value: Mapping[str, Any], limits: Limits, what: str) -> None:
    """Hold an unprotected header (JSON serializations) to the protected header's size bound."""
    check(limits, "max_header_bytes", len(strict_json.dumps(value, what=what)), what)


def join(*headers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The JOSE Header: the union of the given header objects, which must be disjoint.

    With only the first one present (every compact serialization), "the JOSE Header and the
    JWS [JWE] Protected Header are the same" (RFC 7515 s3.1, RFC 7516 s3.1): that dict is
    returned as it is, not copied.
    """
    if headers and type(headers[0]) is dict and headers.count(None) + 1 == len(headers):
        return headers[0]
    joined: dict[str, Any] = {}
    for header in headers:
        if header is None:
            continue
        for name, value in header.items():
            if name in joined:
                raise MalformedError(
                    f"header parameter {shown(name)} is in more than one header "
                    "(RFC 7515 s7.2.1, RFC 7516 s7.2.1)"
                )
            joined[name] = value
    return joined


# What `Mapping.get` returns for an absent member: absent is not null, and an explicit
# JSON null is a value of the wrong type.
_ABSENT = object()


def get_str(header: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    """A string member; MalformedError when of another type or required and absent."""
    value = header.get(name, _ABSENT)
    if isinstance(value, str):
        return value
    if value is _ABSENT:
        if required:
            raise MalformedError(f'header parameter "{name}" is required')
        return None
    raise MalformedError(f'header parameter "{name}" must be a string, got {type(value).__name__}')


def get_kid(header: Mapping[str, Any], limits: Limits, *, required: bool = False) -> str | None:
    """The "kid" member (RFC 7515 s4.1.4, RFC 7516 s4.1.6): a string, bounded in length."""
    kid = get_str(header, "kid", required=required)
    if kid is not None:
        check(limits, "max_kid_bytes", len(kid.encode("utf-8", "surrogatepass")), '"kid"')
    return kid


def get_b64(header: Mapping[str, Any], name: str, *, required: bool = False) -> bytes | None:
    """A base64url member, decoded strictly."""
    value = get_str(header, name, required=required)
    return None if value is None else b64url.decode(value, what=f'header parameter "{name}"')


def get_int(header: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
    """An integer member; a boolean is not an integer here (type(True) is bool)."""
    value = header.get(name, _ABSENT)
    if type(value) is int:
        return value
    if value is _ABSENT:
        if required:
            raise MalformedError(f'header parameter "{name}" is required')
        return None
    raise MalformedError(
        f'header parameter "{name}" must be an integer, got {type(value).__name__}'
    )


def check_crit(
    protected: Mapping[str, Any],
    unprotected: Collection[Mapping[str, Any] | None],
    understood: Collection[str],
) -> None:
    """Enforce "crit" (RFC 7515 s4.1.11, RFC 7516 s4.1.13)."""
    for header in unprotected:
        if header is not None and "crit" in header:
            raise MalformedError('"crit" must be in the protected header (RFC 7515 s4.1.11)')
    if "crit" not in protected:
        return
    crit = protected["crit"]
    if not isinstance(crit, list) or not crit or not all(isinstance(n, str) for n in crit):
        raise MalformedError('"crit" must be a non-empty array of strings (RFC 7515 s4.1.11)')
    if len(set(crit)) != len(crit):
        raise MalformedError('"crit" repeats a name (RFC 7515 s4.1.11)')
    for name in crit:
        if name in REGISTERED:
            raise MalformedError(f'"crit" may not list the registered parameter {shown(name)}')
        if name not in understood:
            raise MalformedError(
                f'"crit" names the extension {shown(name)}, which is not understood'
            )
        if name not in protected:
            raise MalformedError(f'"crit" names {shown(name)}, which is absent from the header')
