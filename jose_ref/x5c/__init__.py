"""RFC 7515 s4.1.6 and RFC 5280 s6 - x5c certificate chains, verified before trusted.

An "x5c" member carries a certificate chain, leaf first, each certificate
certified by the next (RFC 7515 s4.1.6, RFC 7517 s4.7). Nothing in it is
trusted until the whole chain validates to a trust anchor the caller names:
path validation is RFC 5280 s6 as done by `cryptography.x509.verification`,
with a policy for JOSE signing certificates (no TLS name checks; CA rules on
every issuer; a leaf that is no CA and whose keyUsage, when present, allows
digitalSignature). Three steps, one module each: `chain` reads the chain as
received (limits first), `path_validation` holds every call to
`x509.verification` (a young API), and this module binds the result to keys.
An unverified certificate never leaves the package: callers get a JWK only
after validation.

https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from jose_ref import b64url
from jose_ref.errors import CertificateChainError, JoseError
from jose_ref.jwk.jwk_set import JWKSet
from jose_ref.jwk.key import JWK
from jose_ref.limits import DEFAULT_LIMITS, Limits
from jose_ref.policy import KeySource
from jose_ref.x5c.chain import TrustAnchor, load_anchors, parse_chain
from jose_ref.x5c.path_validation import validate, validation_time

__all__ = ["TrustedKeySource", "trusted_keys", "verify_chain", "verify_jwk"]

_LOG = logging.getLogger(__name__)


def _leaf_public_key(cert: x509.Certificate) -> CertificatePublicKeyTypes:
    """The leaf certificate's public key object."""
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise CertificateChainError("the leaf certificate's key type is not supported") from None


def verify_chain(
    chain: Sequence[str | bytes],
    trust_anchors: Sequence[TrustAnchor],
    *,
    at: datetime | None = None,
    limits: Limits | None = None,
) -> JWK:
    """Validate an x5c chain to one of `trust_anchors` and return the leaf public key.

    Args:
        chain: Leaf first; standard base64 DER strings as in "x5c", or raw DER bytes.
        trust_anchors: x509.Certificate objects, DER bytes or PEM bytes; at least one.
        at: The validation time (default now; a naive datetime is read as UTC).
        limits: max_x5c_certificates and max_x5c_bytes bound the chain.

    Raises:
        LimitExceededError: too many certificates or bytes (checked before parsing); the
            error is a CertificateChainError as well.
        CertificateChainError: any defect of the chain, with the reason: not an array,
            base64url or non-canonical base64, DER that is no certificate (or has a
            version other than v1/v3, or a name that does not decode), out of order, or
            path validation failed (untrusted root, validity, CA flags, key usage,
            signature algorithm).
        InvalidKeyError, UnsupportedAlgorithmError: the verified leaf key has no usable JWK.
        TypeError: trust_anchors or at of the wrong type (a misuse of the API).
    """
    limits = limits or DEFAULT_LIMITS
    anchors = load_anchors(trust_anchors)
    certs = parse_chain(chain, limits)
    # Step 1 (RFC 5280 s6.1): the whole path validates before the key is handed out.
    validate(certs, anchors, validation_time(at), limits)
    return JWK.from_key_object(_leaf_public_key(certs[0]))


def _check_binding(key: JWK, leaf: x509.Certificate) -> None:
    """RFC 7517 s4.7-4.9: the JWK's key is the leaf's key, and x5t / x5t#S256 name the leaf."""
    if key.kty == "oct":
        raise CertificateChainError('a symmetric (oct) JWK cannot have an "x5c" (RFC 7517 s4.7)')
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    # RFC 7517 s4.7: "The key in the first certificate MUST match the public key
    # represented by other members of the JWK." Compared as SubjectPublicKeyInfo DER.
    if key.crypto_public.public_bytes(*spki) != _leaf_public_key(leaf).public_bytes(*spki):
        raise CertificateChainError(
            "the JWK's public key is not the key of the first x5c certificate (RFC 7517 s4.7)"
        )
    # RFC 7517 s4.8-4.9: each is a digest of the DER encoding of the leaf certificate.
    # SHA-1 is what "x5t" is defined as: it names a certificate here, it secures nothing.
    thumbprints = (("x5t", hashes.SHA1()), ("x5t#S256", hashes.SHA256()))  # noqa: S303
    for name, algorithm in thumbprints:
        thumbprint = key.get(name)
        if thumbprint is not None and b64url.decode(thumbprint) != leaf.fingerprint(algorithm):
            raise CertificateChainError(
                f'the JWK "{name}" is not the thumbprint of the first x5c certificate '
                "(RFC 7517 s4.8-4.9)"
            )


def verify_jwk(
    key: JWK,
    trust_anchors: Sequence[TrustAnchor],
    *,
    at: datetime | None = None,
    limits: Limits | None = None,
) -> JWK:
    """Return `key` once its "x5c" chain validates and binds to it; raise otherwise.

    Checks, in order: the chain's limits and syntax; the JWK's public key equals the leaf
    certificate's; "x5t" and "x5t#S256", when present, are the leaf's SHA-1 and SHA-256
    thumbprints; then the path validates to one of `trust_anchors` at `at`.

    Raises:
        CertificateChainError: no "x5c", a key or thumbprint mismatch, or a chain defect.
        LimitExceededError: the chain is over max_x5c_certificates or max_x5c_bytes (also
            a CertificateChainError).
    """
    if not isinstance(key, JWK):
        raise TypeError(f"key must be a JWK, got {type(key).__name__}")
    limits = limits or DEFAULT_LIMITS
    anchors = load_anchors(trust_anchors)
    return _verify_jwk(key, anchors, validation_time(at), limits)


def _verify_jwk(key: JWK, anchors: list[x509.Certificate], at: datetime, limits: Limits) -> JWK:
    chain = key.get("x5c")
    if chain is None:
        raise CertificateChainError('the JWK has no "x5c" certificate chain (RFC 7517 s4.7)')
    certs = parse_chain(chain, limits)
    _check_binding(key, certs[0])
    validate(certs, anchors, at, limits)
    return key


def _is_trusted(key: JWK, anchors: list[x509.Certificate], at: datetime, limits: Limits) -> bool:
    try:
        _verify_jwk(key, anchors, at, limits)
    except JoseError as error:
        # Any defect (no x5c, mismatch, limits, path validation) means: not trusted.
        _LOG.debug("key %.64r is not trusted: %s", key.kid, error)
        return False
    return True


def trusted_keys(
    keys: JWKSet | KeySource,
    trust_anchors: Sequence[TrustAnchor],
    *,
    at: datetime | None = None,
    limits: Limits | None = None,
) -> JWKSet:
    """A JWKSet of only those keys whose "x5c" chains verify (see `verify_jwk`).

    Keys without "x5c", or whose chain fails, are left out. The result is a snapshot: for a
    `RemoteJWKSet` whose keys rotate, prefer `TrustedKeySource`, which checks on each lookup.
    Use: `jws.verify_compact(token, x5c.trusted_keys(jwks, anchors))`.
    """
    limits = limits or DEFAULT_LIMITS
    anchors = load_anchors(trust_anchors)
    when = validation_time(at)
    candidates = list(keys) if isinstance(keys, JWKSet) else keys.find()
    return JWKSet(key for key in candidates if _is_trusted(key, anchors, when, limits))


class TrustedKeySource:
    """A key source that hands out only keys whose "x5c" chains verify, checked per lookup.

    It wraps any KeySource (a JWKSet or a RemoteJWKSet) and is accepted wherever a JWKSet
    is: a lookup by "kid" reaches the wrapped source (so a RemoteJWKSet still refetches on
    an unknown kid), then every candidate is checked with `verify_jwk` at that moment.
    """

    __slots__ = ("_anchors", "_at", "_keys", "_limits")

    def __init__(
        self,
        keys: KeySource,
        trust_anchors: Sequence[TrustAnchor],
        *,
        at: datetime | None = None,
        limits: Limits | None = None,
    ) -> None:
        """Wrap `keys`; `trust_anchors` are parsed once, here."""
        if not callable(getattr(keys, "find", None)):
            raise TypeError(f"keys must be a JWKSet or a KeySource, got {type(keys).__name__}")
        self._keys = keys
        self._anchors = load_anchors(trust_anchors)
        self._at = None if at is None else validation_time(at)
        self._limits = limits or DEFAULT_LIMITS

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """The wrapped source's matching keys whose chains verify now (or at `at`)."""
        when = self._at or validation_time(None)
        return [
            key
            for key in self._keys.find(kid=kid, alg=alg, use=use)
            if _is_trusted(key, self._anchors, when, self._limits)
        ]

    def __repr__(self) -> str:
        """A short description."""
        return f"<TrustedKeySource over {self._keys!r}, {len(self._anchors)} anchors>"
