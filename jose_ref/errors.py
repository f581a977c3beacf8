"""The JoseError tree: every failure a caller can trigger with bad input.

Each class names the RFC clauses that raise it. Messages say what was wrong
and where, and never echo the token, plaintext, CEK or key material.
Decryption and signature failures carry fixed messages so that no stage of
the check can be told apart from another (RFC 7516 s11.5, RFC 7518 s5.2.2.2).
"""

from __future__ import annotations

__all__ = [
    "AlgorithmNotAllowedError",
    "AudienceError",
    "CertificateChainError",
    "ClaimError",
    "DecryptionError",
    "ExpiredError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "IssuedInFutureError",
    "IssuerError",
    "JoseError",
    "KeyNotFoundError",
    "LimitExceededError",
    "MalformedError",
    "MissingClaimError",
    "NotYetValidError",
    "UnsupportedAlgorithmError",
]


class JoseError(Exception):
    """Base of every error jose_ref raises for bad input."""


class MalformedError(JoseError):
    """Syntax: parts, base64url, JSON, member types, header union, crit.

    RFC 7515 s5.2 and RFC 7516 s5.2 steps 1-5; RFC 7516 s7.2.1 (disjoint
    header sets); RFC 7515 s4.1.11 (crit).
    """


class UnsupportedAlgorithmError(JoseError):
    """An alg, enc, zip, crv or kty that jose_ref does not implement.

    RFC 7515 s4.1.1, RFC 7516 s4.1.1-4.1.3, RFC 7517 s4.1.
    """


class AlgorithmNotAllowedError(JoseError):
    """An implemented algorithm that the caller's policy refuses (RFC 8725 s3.1)."""


class InvalidKeyError(JoseError):
    """JWK content is wrong, or the key is unfit for the algorithm.

    RFC 7517 s4-6, RFC 7518 s6, RFC 8037 s2, RFC 8725 s3.4.
    """


class KeyNotFoundError(JoseError):
    """No candidate key matched (kid, alg, use, key_ops): RFC 7517 s4.5, s5."""


class LimitExceededError(JoseError):
    """A configured resource bound was exceeded (RFC 7518 s4.8.1.2; SECURITY.md).

    Attributes:
        limit: The name of the `Limits` field that was exceeded.
        maximum: The configured bound.
        actual: The value seen, or a lower bound of it when counting stopped early.
    """

    def __init__(self, message: str, *, limit: str, maximum: int, actual: int) -> None:
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum
        self.actual = actual


class InvalidSignatureError(JoseError):
    """The signature or MAC does not verify (RFC 7515 s5.2 step 8)."""

    MESSAGE = "JWS signature verification failed"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class DecryptionError(JoseError):
    """JWE decryption failed; one fixed message whatever stage failed.

    RFC 7516 s11.4-11.5 and RFC 7518 s5.2.2.2: key unwrap, RSA padding, tag
    and padding failures must not be distinguishable (no oracle). Always
    raised `from None`.
    """

    MESSAGE = "JWE decryption failed"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class CertificateChainError(JoseError):
    """x5c parse, leaf key mismatch, x5t mismatch or path validation failure.

    RFC 7515 s4.1.6-4.1.8, RFC 7517 s4.7-4.9, RFC 5280 s6.
    """


class CertificateChainLimitError(CertificateChainError, LimitExceededError):
    """An x5c chain over max_x5c_certificates or max_x5c_bytes (SECURITY.md, RFC 7515 s4.1.6).

    Both a CertificateChainError (the chain is refused, as any other chain defect) and a
    LimitExceededError (a configured bound, with `limit`, `maximum` and `actual`), so that
    either catch works. Not in `__all__`: callers catch it through its two parents.
    """


class InvalidURLError(JoseError, ValueError):
    """A RemoteJWKSet URL that cannot be used: not https (http only for loopback), no host,
    a bad port, or credentials in it (RFC 7517 s9.1, RFC 8725 s3.10).

    Also a ValueError, as an argument the caller chose: code catching either works. Not in
    `__all__`: callers catch it as JoseError or ValueError.
    """


class ClaimError(JoseError):
    """A JWT claim is invalid (RFC 7519 s4.1, s7.2 step 10)."""


class ExpiredError(ClaimError):
    """The current time is on or after `exp` (RFC 7519 s4.1.4)."""


class NotYetValidError(ClaimError):
    """The current time is before `nbf` (RFC 7519 s4.1.5)."""


class IssuedInFutureError(ClaimError):
    """`iat` lies in the future beyond the leeway (RFC 7519 s4.1.6)."""


class AudienceError(ClaimError):
    """`aud` does not name the expected audience (RFC 7519 s4.1.3)."""


class IssuerError(ClaimError):
    """`iss` is not the expected issuer (RFC 7519 s4.1.1)."""


class MissingClaimError(ClaimError):
    """A required claim is absent (RFC 7519 s4, RFC 8725 s3.8-3.9)."""
