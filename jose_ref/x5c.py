"""RFC 7515 s4.1.6 and RFC 5280 s6 - x5c certificate chains, verified before trusted.

An "x5c" member carries a certificate chain, leaf first, each certificate
certified by the next (RFC 7515 s4.1.6, RFC 7517 s4.7). Nothing in it is
trusted until the whole chain validates to a trust anchor the caller names:
path validation is RFC 5280 s6 as done by `cryptography.x509.verification`,
with a policy for JOSE signing certificates (no TLS name checks; CA rules on
every issuer; a leaf that is no CA and whose keyUsage, when present, allows
digitalSignature). Count and size limits are checked before any parsing. Every
call to `x509.verification` (a young API) stays in this module, and an
unverified certificate never leaves it: callers get a JWK only after validation.

https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TypeAlias

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from jose_ref import b64url
from jose_ref.errors import CertificateChainError, JoseError, MalformedError
from jose_ref.jwk.jwk_set import JWKSet
from jose_ref.jwk.key import JWK
from jose_ref.limits import DEFAULT_LIMITS, Limits, check
from jose_ref.policy import KeySource

__all__ = ["TrustedKeySource", "trusted_keys", "verify_chain", "verify_jwk"]

TrustAnchor: TypeAlias = "x509.Certificate | bytes"

_LOG = logging.getLogger(__name__)
# cryptography stores the chain depth as an 8-bit integer.
_MAX_DEPTH = 255
_MAX_REASON_CHARS = 240


# -- decoding and parsing (limits first) ------------------------------------------------------


def _decoded_size(entry: str | bytes) -> int:
    """The DER size of one entry, computed without decoding it.

    Formula: canonical padded base64 of n octets has 4 * ceil(n / 3) characters, of which
    the trailing "=" are padding, so n = len / 4 * 3 - padding (RFC 4648 s4).
    """
    if isinstance(entry, bytes):
        return len(entry)
    return len(entry) // 4 * 3 - entry.endswith("=") - entry.endswith("==")


def _decode_chain(chain: object, limits: Limits) -> list[bytes]:
    """Type-check the chain, apply the count and size limits, then decode each entry."""
    if isinstance(chain, (str, bytes)) or not isinstance(chain, Sequence):
        raise CertificateChainError(
            f'"x5c" must be an array of certificates, got {type(chain).__name__} (RFC 7515 s4.1.6)'
        )
    if not chain:
        raise CertificateChainError('"x5c" is empty: it must hold the leaf (RFC 7515 s4.1.6)')
    # SECURITY.md: the count and total size are bounded BEFORE any decoding or parsing.
    check(limits, "max_x5c_certificates", len(chain), "x5c chain (certificates)")
    for index, entry in enumerate(chain):
        if not isinstance(entry, (str, bytes)):
            raise CertificateChainError(
                f"x5c[{index}] must be a base64 string or DER bytes, got {type(entry).__name__}"
            )
    check(limits, "max_x5c_bytes", sum(_decoded_size(e) for e in chain), "x5c chain (bytes)")
    ders = []
    for index, entry in enumerate(chain):
        if isinstance(entry, bytes):
            ders.append(entry)
            continue
        try:
            # RFC 7517 s4.7: base64 (RFC 4648 s4), not base64url; strict and canonical.
            ders.append(b64url.decode_std(entry, what=f"x5c[{index}]"))
        except MalformedError as error:
            raise CertificateChainError(str(error)) from None
    return ders


def _parse_chain(chain: object, limits: Limits) -> list[x509.Certificate]:
    """Parse the chain's DER certificates and check that each one certifies the one before."""
    certs = []
    for index, der in enumerate(_decode_chain(chain, limits)):
        try:
            certs.append(x509.load_der_x509_certificate(der))
        except ValueError:
            raise CertificateChainError(
                f"x5c[{index}] is not a DER X.509 certificate (RFC 7515 s4.1.6)"
            ) from None
    # RFC 7515 s4.1.6: "each subsequent certificate being the one used to certify the
    # previous one". A reordered chain would present another certificate as the leaf.
    for index in range(len(certs) - 1):
        if certs[index].issuer != certs[index + 1].subject:
            raise CertificateChainError(
                f"x5c[{index + 1}] is not the issuer of x5c[{index}]: the chain must be "
                "ordered leaf first, each certificate followed by its issuer (RFC 7515 s4.1.6)"
            )
    return certs


def _load_anchors(trust_anchors: Sequence[TrustAnchor]) -> list[x509.Certificate]:
    """The caller's trust anchors: Certificate objects, DER bytes or PEM bytes (one or more)."""
    if isinstance(trust_anchors, (str, bytes, x509.Certificate)) or not isinstance(
        trust_anchors, Sequence
    ):
        raise TypeError("trust_anchors must be a sequence of x509.Certificate, DER or PEM bytes")
    anchors: list[x509.Certificate] = []
    for index, anchor in enumerate(trust_anchors):
        if isinstance(anchor, x509.Certificate):
            anchors.append(anchor)
        elif isinstance(anchor, bytes):
            try:
                if anchor.lstrip().startswith(b"-----BEGIN"):
                    anchors.extend(x509.load_pem_x509_certificates(anchor))
                else:
                    anchors.append(x509.load_der_x509_certificate(anchor))
            except ValueError:
                raise CertificateChainError(
                    f"trust anchor [{index}] is not a DER or PEM X.509 certificate"
                ) from None
        else:
            raise TypeError(
                f"trust anchor [{index}] must be an x509.Certificate or bytes, "
                f"got {type(anchor).__name__}"
            )
    if not anchors:
        # SECURITY.md: anchors are required; a chain is never trusted on its own say-so.
        raise CertificateChainError("no trust anchors given: an x5c chain needs a trust anchor")
    return anchors


def _validation_time(at: datetime | None) -> datetime:
    """`at` in UTC (a naive datetime is read as UTC), or now."""
    if at is None:
        return datetime.now(timezone.utc)
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime, got {type(at).__name__}")
    return at.astimezone(timezone.utc) if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


# -- RFC 5280 s6 path validation by cryptography ----------------------------------------------


def _check_leaf_key_usage(
    policy: Policy, cert: x509.Certificate, key_usage: x509.KeyUsage | None
) -> None:
    # RFC 5280 s4.2.1.3: a key that signs JOSE objects needs digitalSignature when the
    # certificate restricts its key usage at all.
    if key_usage is not None and not key_usage.digital_signature:
        raise CertificateChainError(
            "the leaf keyUsage does not allow digitalSignature (RFC 5280 s4.2.1.3)"
        )


def _check_leaf_not_ca(
    policy: Policy, cert: x509.Certificate, constraints: x509.BasicConstraints | None
) -> None:
    # RFC 5280 s4.2.1.9: a CA certificate certifies keys; a signing leaf must not be one.
    if constraints is not None and constraints.ca:
        raise CertificateChainError("the leaf is a CA certificate (RFC 5280 s4.2.1.9)")


def _parsed(policy: Policy, cert: x509.Certificate, value: object) -> None:
    # RFC 5280 s4.2: an extension that cannot be processed is refused. Naming a validator
    # makes cryptography parse the extension; JOSE asks nothing more of its content.
    return None


def _signing_leaf_policy() -> ExtensionPolicy:
    """The end-entity policy for JOSE signing certificates.

    The web PKI defaults demand a subjectAltName and a TLS extendedKeyUsage, which signing
    certificates need not have; so every extension is permitted except that keyUsage and
    basicConstraints, when present, must fit a signing key, the authority key identifier
    must not be critical, and extendedKeyUsage and subjectAltName must parse
    (cryptography 45 cannot name certificatePolicies in a policy). An unknown or
    unprocessable critical extension is still refused (RFC 5280 s4.2).
    """
    return (
        ExtensionPolicy.permit_all()
        .may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, _check_leaf_key_usage)
        .may_be_present(x509.BasicConstraints, Criticality.AGNOSTIC, _check_leaf_not_ca)
        .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _parsed)
        # RFC 5280 s4.2.1.1: the authority key identifier MUST NOT be critical.
        .may_be_present(x509.AuthorityKeyIdentifier, Criticality.NON_CRITICAL, _parsed)
        .may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, _parsed)
    )


def _issuer_policy() -> ExtensionPolicy:
    """The CA policy: the web PKI defaults, less the TLS rule on extendedKeyUsage.

    The defaults require basicConstraints cA (critical), keyUsage keyCertSign, well-formed
    key identifiers and name constraints on every issuer. They also require an
    issuer's extendedKeyUsage, when present, to hold the TLS purpose of the verifier;
    JOSE signing has no registered purpose, so the extension is permitted as it is
    (RFC 5280 s4.2.1.12 defines it for end entities).
    """
    return ExtensionPolicy.webpki_defaults_ca().may_be_present(
        x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None
    )


def _validate(
    certs: list[x509.Certificate],
    anchors: list[x509.Certificate],
    at: datetime,
    limits: Limits,
) -> None:
    """RFC 5280 s6 path validation of certs[0] through certs[1:] to one of the anchors."""
    builder = (
        PolicyBuilder()
        .store(Store(anchors))
        .time(at)
        # Depth counts intermediates; a chain of n certificates holds at most n - 1.
        .max_chain_depth(min(max(limits.max_x5c_certificates - 1, 0), _MAX_DEPTH))
        .extension_policies(ca_policy=_issuer_policy(), ee_policy=_signing_leaf_policy())
    )
    try:
        builder.build_client_verifier().verify(certs[0], certs[1:])
    except (VerificationError, x509.UnsupportedGeneralNameType) as error:
        reason = str(error).removeprefix("validation failed: ")[:_MAX_REASON_CHARS]
        raise CertificateChainError(
            f"x5c certificate path validation failed (RFC 5280 s6): {reason}"
        ) from None


def _leaf_public_key(cert: x509.Certificate) -> CertificatePublicKeyTypes:
    """The leaf certificate's public key object."""
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise CertificateChainError("the leaf certificate's key type is not supported") from None


# -- public API --------------------------------------------------------------------------------


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
        LimitExceededError: too many certificates or bytes (checked before parsing).
        CertificateChainError: any defect of the chain, with the reason: not an array,
            base64url or non-canonical base64, DER that is no certificate, out of order,
            or path validation failed (untrusted root, validity, CA flags, key usage).
        InvalidKeyError, UnsupportedAlgorithmError: the verified leaf key has no usable JWK.
        TypeError: trust_anchors or at of the wrong type (a misuse of the API).
    """
    limits = limits or DEFAULT_LIMITS
    anchors = _load_anchors(trust_anchors)
    certs = _parse_chain(chain, limits)
    # Step 1 (RFC 5280 s6.1): the whole path validates before the key is handed out.
    _validate(certs, anchors, _validation_time(at), limits)
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
        LimitExceededError: the chain is over max_x5c_certificates or max_x5c_bytes.
    """
    if not isinstance(key, JWK):
        raise TypeError(f"key must be a JWK, got {type(key).__name__}")
    limits = limits or DEFAULT_LIMITS
    anchors = _load_anchors(trust_anchors)
    return _verify_jwk(key, anchors, _validation_time(at), limits)


def _verify_jwk(key: JWK, anchors: list[x509.Certificate], at: datetime, limits: Limits) -> JWK:
    chain = key.get("x5c")
    if chain is None:
        raise CertificateChainError('the JWK has no "x5c" certificate chain (RFC 7517 s4.7)')
    certs = _parse_chain(chain, limits)
    _check_binding(key, certs[0])
    _validate(certs, anchors, at, limits)
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
    anchors = _load_anchors(trust_anchors)
    when = _validation_time(at)
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
        self._anchors = _load_anchors(trust_anchors)
        self._at = None if at is None else _validation_time(at)
        self._limits = limits or DEFAULT_LIMITS

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """The wrapped source's matching keys whose chains verify now (or at `at`)."""
        when = self._at or _validation_time(None)
        return [
            key
            for key in self._keys.find(kid=kid, alg=alg, use=use)
            if _is_trusted(key, self._anchors, when, self._limits)
        ]

    def __repr__(self) -> str:
        """A short description."""
        return f"<TrustedKeySource over {self._keys!r}, {len(self._anchors)} anchors>"
