"""RFC 7519 s4.1 and RFC 8725 s3.8-3.11 - Validating the registered claims and the type.

After the signature is verified, the claims decide whether the token is
acceptable now, here: "exp", "nbf" and "iat" are NumericDate values (finite
JSON numbers, never booleans) compared with a leeway against an injectable
clock; "iss" is compared exactly to the expected issuer and "aud" (a string
or an array of strings) must name the expected audience. Claims the caller
requires must be present. An explicit "typ" (RFC 8725 s3.11) guards against
one kind of JWT being accepted as another.

https://www.rfc-editor.org/rfc/rfc7519#section-4.1
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping
from typing import Any

from jose_ref import trace
from jose_ref.errors import (
    AudienceError,
    ClaimError,
    ExpiredError,
    IssuedInFutureError,
    IssuerError,
    MalformedError,
    MissingClaimError,
    NotYetValidError,
)
from jose_ref.escape import shown

__all__ = ["NUMERIC_DATES", "caller_seconds", "check_typ", "media_type", "numeric_date", "validate"]

NUMERIC_DATES = ("exp", "nbf", "iat")


def numeric_date(claims: Mapping[str, Any], name: str) -> float | None:
    """A NumericDate claim (RFC 7519 s2): a finite JSON number, not a boolean; None if absent."""
    if name not in claims:
        return None
    value = claims[name]
    message = f'"{name}" must be a finite number (NumericDate, RFC 7519 s2)'
    # type() rather than isinstance(): True is an int in Python but not a JSON number.
    if type(value) not in (int, float):
        raise ClaimError(message)
    try:
        seconds = float(value)
    except OverflowError:
        # An integer beyond the range of a double (10**400) is no date this library can compare.
        raise ClaimError(message) from None
    if not math.isfinite(seconds):
        raise ClaimError(message)
    return seconds


def caller_seconds(value: object, name: str) -> float:
    """A caller's `now` or `leeway`: a finite number of seconds (misuse is TypeError/ValueError).

    A NaN would make every comparison false and so disable every time check.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
    try:
        seconds = float(value)
    except OverflowError:
        raise ValueError(f"{name} is out of range of a double") from None
    if not math.isfinite(seconds):
        raise ValueError(f"{name} must be a finite number of seconds")
    return seconds


def media_type(value: str) -> str:
    """A "typ"/"cty" value as a comparable media type (RFC 7515 s4.1.9-4.1.10)."""
    # Media types are case-insensitive (RFC 2045 s5.1), and a value without '/' is read
    # as if "application/" were prepended (RFC 7515 s4.1.9).
    lowered = value.strip().lower()
    return lowered if "/" in lowered else f"application/{lowered}"


def check_typ(header: Mapping[str, Any], typ: str | None) -> None:
    """Refuse a token whose "typ" is not the one the caller requires (RFC 8725 s3.11).

    A missing or different type is a token-type confusion, reported as MalformedError
    like the other "wrong kind of token" failures (a JWE given to a JWS call).
    """
    if typ is None:
        return
    value = header.get("typ")
    if not isinstance(value, str) or media_type(value) != media_type(typ):
        raise MalformedError(f'the JWT "typ" is not {shown(typ)} (RFC 8725 s3.11)')


def _times(claims: Mapping[str, Any], now: float, leeway: float) -> None:
    exp, nbf, iat = (numeric_date(claims, name) for name in NUMERIC_DATES)
    # RFC 7519 s4.1.4: the current time MUST be before "exp" (a little leeway allowed).
    if exp is not None and now >= exp + leeway:
        raise ExpiredError('the JWT has expired ("exp", RFC 7519 s4.1.4)')
    # RFC 7519 s4.1.5: the current time MUST be after or equal to "nbf".
    if nbf is not None and now < nbf - leeway:
        raise NotYetValidError('the JWT is not valid yet ("nbf", RFC 7519 s4.1.5)')
    # RFC 7519 s4.1.6 with RFC 8725 s3.8: a token issued in the future is refused.
    if iat is not None and iat > now + leeway:
        raise IssuedInFutureError('the JWT was issued in the future ("iat", RFC 7519 s4.1.6)')


def _issuer(claims: Mapping[str, Any], issuer: str | None) -> None:
    if "iss" in claims and not isinstance(claims["iss"], str):
        raise IssuerError('"iss" must be a string (RFC 7519 s4.1.1)')
    if issuer is None:
        return
    if "iss" not in claims:
        raise MissingClaimError('the JWT has no "iss" but an issuer is expected (RFC 7519 s4.1.1)')
    # RFC 8725 s3.8: an exact, case-sensitive comparison (StringOrURI, RFC 7519 s2).
    if claims["iss"] != issuer:
        raise IssuerError('the JWT "iss" is not the expected issuer (RFC 7519 s4.1.1)')


def _audience(claims: Mapping[str, Any], audience: str | Collection[str] | None) -> None:
    if "aud" in claims:
        aud = claims["aud"]
        # RFC 7519 s4.1.3: an array of strings, or a single string.
        values = [aud] if isinstance(aud, str) else aud
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise AudienceError('"aud" must be a string or an array of strings (RFC 7519 s4.1.3)')
        # RFC 7519 s4.1.3: a recipient that does not identify itself with a value in "aud"
        # MUST reject the JWT, so "aud" without an expected audience is refused too.
        expected = {audience} if isinstance(audience, str) else set(audience or ())
        if not expected.intersection(values):
            raise AudienceError('the JWT "aud" does not name this audience (RFC 7519 s4.1.3)')
    elif audience is not None:
        raise MissingClaimError('the JWT has no "aud" but an audience is expected (s4.1.3)')


def validate(
    claims: Mapping[str, Any],
    *,
    issuer: str | None,
    audience: str | Collection[str] | None,
    leeway: float,
    now: float | None,
    require: Collection[str],
) -> None:
    """Check the registered claims (RFC 7519 s4.1) and the required ones (RFC 8725 s3.8-3.9)."""
    if isinstance(require, str):
        raise TypeError("require must be a collection of claim names, not a string")
    leeway = caller_seconds(leeway, "leeway")
    if leeway < 0:
        raise ValueError("leeway must be a finite number of seconds >= 0")
    current = time.time() if now is None else caller_seconds(now, "now")
    for name in require:
        if name not in claims:
            raise MissingClaimError(f"the JWT has no required {shown(name)} claim")
    for name in ("sub", "jti"):
        if name in claims and not isinstance(claims[name], str):
            raise ClaimError(f'"{name}" must be a string (RFC 7519 s4.1)')
    _times(claims, current, leeway)
    _issuer(claims, issuer)
    _audience(claims, audience)
    trace.note("RFC 7519 s4.1", "The registered claims are valid.", now=current, leeway=leeway)
