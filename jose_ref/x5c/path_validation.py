"""RFC 5280 s6 - Certification path validation, done by cryptography.x509.verification.

Every call to `cryptography.x509.verification` (a young API) is in this
module. The policy fits JOSE signing certificates: no TLS name checks; the
web PKI CA rules on every issuer (basicConstraints, keyCertSign, key
identifiers, name constraints); a leaf that is no CA, whose keyUsage, when
present, allows digitalSignature, and whose extensions parse. Validity is
checked at the caller's time; the chain depth is bounded by the Limits.

https://www.rfc-editor.org/rfc/rfc5280#section-6
"""

from __future__ import annotations

from datetime import datetime, timezone

from cryptography import x509
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    Policy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from jose_ref.errors import CertificateChainError
from jose_ref.limits import Limits

__all__ = ["validate", "validation_time"]

# cryptography stores the chain depth as an 8-bit integer.
_MAX_DEPTH = 255
_MAX_REASON_CHARS = 240


def validation_time(at: datetime | None) -> datetime:
    """`at` in UTC (a naive datetime is read as UTC), or now."""
    if at is None:
        return datetime.now(timezone.utc)
    if not isinstance(at, datetime):
        raise TypeError(f"at must be a datetime, got {type(at).__name__}")
    return at.astimezone(timezone.utc) if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)


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


def validate(
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
    except (ValueError, KeyError):
        # cryptography decodes some fields only while it builds the path or its message
        # (a name, for the certificate's repr): a field that does not decode is a defect
        # (ValueError; KeyError from cryptography 45 for a name value of a non-string type).
        raise CertificateChainError(
            "x5c certificate path validation failed (RFC 5280 s6): a certificate field "
            "does not decode"
        ) from None
    except (VerificationError, x509.UnsupportedGeneralNameType) as error:
        reason = str(error).removeprefix("validation failed: ")[:_MAX_REASON_CHARS]
        # The reason may quote a certificate's names, text of the certificate's maker:
        # repr-escaped (quotes dropped) so that no control character reaches a log or terminal.
        reason = repr(reason)[1:-1]
        raise CertificateChainError(
            f"x5c certificate path validation failed (RFC 5280 s6): {reason}"
        ) from None
