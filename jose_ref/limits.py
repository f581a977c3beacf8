"""RFC 7518 s4.8.1.2 and RFC 8725 s3.6 - Resource limits, checked before the work they guard.

A frozen value that travels with each call (never a module setting that
callers patch). `Limits()` holds the defaults of SECURITY.md; raise one
bound with `dataclasses.replace(Limits(), max_pbes2_count=20_000)`. Every
limit is checked BEFORE the expensive work it guards: token size before
splitting, header size and depth before parsing, p2c before PBKDF2, the
inflated size while inflating.

https://www.rfc-editor.org/rfc/rfc7518#section-4.8.1.2
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jose_ref.errors import LimitExceededError, MalformedError

__all__ = ["Limits", "bounded_text", "check", "check_document"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Upper bounds on what one token, key or key set may make the library do.

    Attributes:
        max_token_bytes: A compact token or a JSON serialization, before any parsing.
        max_header_bytes: One decoded JOSE header (protected or unprotected).
        max_plaintext_bytes: A JWE plaintext after inflating "zip": "DEF".
        max_pbes2_count: The PBES2 iteration count "p2c" accepted on decrypt.
        min_pbes2_salt_bytes: The shortest PBES2 salt input "p2s" accepted (RFC 7518 s4.8.1.1).
        max_recipients: Recipients of a JWE or signatures of a JWS JSON serialization.
        max_json_depth: Nesting depth of a JOSE header.
        max_claims_depth: Nesting depth of a JWT claims set.
        max_kid_bytes: Length of a "kid" value.
        max_jwks_keys: Keys in one JWK Set.
        max_jwks_bytes: Size of one JWK Set document.
        max_x5c_certificates: Certificates in one "x5c" chain.
        max_x5c_bytes: Total DER size of one "x5c" chain.
        max_nesting: Levels of a nested JWT (a JWE around a JWS is 2).
        max_rsa_private_bits: Modulus size of a private RSA JWK, read before its members.
            Public RSA keys stay bounded at 16384 bits (RFC 7518 s6.3).
    """

    max_token_bytes: int = 256 * 1024
    max_header_bytes: int = 8 * 1024
    max_plaintext_bytes: int = 250_000
    max_pbes2_count: int = 10_000
    min_pbes2_salt_bytes: int = 8
    max_recipients: int = 16
    max_json_depth: int = 32
    max_claims_depth: int = 64
    max_kid_bytes: int = 256
    max_jwks_keys: int = 1_000
    max_jwks_bytes: int = 1_000_000
    max_x5c_certificates: int = 8
    max_x5c_bytes: int = 64 * 1024
    max_nesting: int = 2
    max_rsa_private_bits: int = 8192


DEFAULT_LIMITS = Limits()


def check(limits: Limits, field: str, actual: int, what: str) -> None:
    """Raise LimitExceededError when `actual` exceeds the bound named `field`."""
    maximum: int = getattr(limits, field)
    if actual > maximum:
        raise LimitExceededError(
            f"{what}: {actual} exceeds the limit {field}={maximum}",
            limit=field,
            maximum=maximum,
            actual=actual,
        )


def check_document(
    document: Mapping[str, object], limits: Limits, what: str, field: str = "max_token_bytes"
) -> None:
    """Measure a JSON document given as parsed objects against `field` (max_token_bytes).

    A dict skips the text size check, so its member names and string values are counted
    (in characters, a lower bound of their UTF-8 octets) before anything is decoded. The
    count stops as soon as the limit is passed: its cost is bounded by the limit, whatever
    the document holds (even a container that contains itself).
    """
    maximum: int = getattr(limits, field)
    size = 0
    pending: list[object] = [document]
    while pending:
        value = pending.pop()
        # Never more than the value's compact JSON text: a string its characters and quotes,
        # a container one octet per member (brackets, separators) before its members are
        # looked at, anything else one octet.
        if isinstance(value, (str, bytes)):
            size += len(value) + 2
        elif isinstance(value, (Mapping, list, tuple)):
            size += len(value) + 1
        else:
            size += 1
        if size > maximum:
            raise LimitExceededError(
                f"{what}: {size} bytes or more exceeds the limit {field}={maximum}",
                limit=field,
                maximum=maximum,
                actual=size,
            )
        if isinstance(value, Mapping):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, (list, tuple)):
            pending.extend(value)


def bounded_text(data: object, *, what: str, max_bytes: int, limit: str) -> str:
    """`data` (str or UTF-8 bytes) as text, its size in UTF-8 octets checked before anything else.

    Raises:
        MalformedError: not str or bytes, not UTF-8, or a str holding a lone surrogate.
        LimitExceededError: longer than `max_bytes` octets (`limit` names the Limits field).
    """
    if isinstance(data, str):
        # ASCII text (every compact token) is counted without encoding a copy. Text longer in
        # characters than the limit is longer in UTF-8 octets too: refused without encoding.
        size = len(data) if data.isascii() or len(data) > max_bytes else _utf8_length(data, what)
    elif isinstance(data, bytes):
        size = len(data)
    else:
        raise MalformedError(f"{what}: expected str or bytes, got {type(data).__name__}")
    if size > max_bytes:
        raise LimitExceededError(
            f"{what}: {size} bytes exceeds the limit {limit}={max_bytes}",
            limit=limit,
            maximum=max_bytes,
            actual=size,
        )
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedError(f"{what}: not valid UTF-8 (RFC 7515 s5.2 step 3)") from None


def _utf8_length(text: str, what: str) -> int:
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        # A str may hold a lone surrogate, which no UTF-8 text (and so no JOSE text) can.
        raise MalformedError(f"{what}: text holds a lone surrogate (RFC 8259 s8.1)") from None
