"""RFC 7515 s4.1.6 and RFC 7517 s4.7 - The x5c chain as received: limits, base64, DER, order.

An "x5c" value is an array of certificates, leaf first, each the standard
(not URL-safe) base64 of a DER certificate, and each certified by the next.
This module turns it into certificate objects, refusing anything that does
not fit: the count and total size are checked before anything is decoded,
the base64 is strict and canonical, every entry must parse as DER, and each
certificate must be followed by its issuer. It also loads the caller's trust
anchors. Nothing here trusts anything: that is path validation's job.

https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from cryptography import x509

from jose_ref import b64url
from jose_ref.errors import (
    CertificateChainError,
    CertificateChainLimitError,
    LimitExceededError,
    MalformedError,
)
from jose_ref.limits import Limits, check

__all__ = ["TrustAnchor", "load_anchors", "parse_chain"]

TrustAnchor: TypeAlias = "x509.Certificate | bytes"


def _decoded_size(entry: str | bytes) -> int:
    """The DER size of one entry, computed without decoding it.

    Formula: canonical padded base64 of n octets has 4 * ceil(n / 3) characters, of which
    the trailing "=" are padding, so n = len / 4 * 3 - padding (RFC 4648 s4).
    """
    if isinstance(entry, bytes):
        return len(entry)
    return len(entry) // 4 * 3 - entry.endswith("=") - entry.endswith("==")


def _check_limit(limits: Limits, field: str, actual: int, what: str) -> None:
    """limits.check, raising an error that is a CertificateChainError as well."""
    try:
        check(limits, field, actual, what)
    except LimitExceededError as error:
        raise CertificateChainLimitError(
            str(error), limit=error.limit, maximum=error.maximum, actual=error.actual
        ) from None


def decode_chain(chain: object, limits: Limits) -> list[bytes]:
    """Type-check the chain, apply the count and size limits, then decode each entry."""
    if isinstance(chain, (str, bytes)) or not isinstance(chain, Sequence):
        raise CertificateChainError(
            f'"x5c" must be an array of certificates, got {type(chain).__name__} (RFC 7515 s4.1.6)'
        )
    if not chain:
        raise CertificateChainError('"x5c" is empty: it must hold the leaf (RFC 7515 s4.1.6)')
    # SECURITY.md: the count and total size are bounded BEFORE any decoding or parsing.
    _check_limit(limits, "max_x5c_certificates", len(chain), "x5c chain (certificates)")
    for index, entry in enumerate(chain):
        if not isinstance(entry, (str, bytes)):
            raise CertificateChainError(
                f"x5c[{index}] must be a base64 string or DER bytes, got {type(entry).__name__}"
            )
    _check_limit(limits, "max_x5c_bytes", sum(_decoded_size(e) for e in chain), "x5c chain (bytes)")
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


def _decodable(cert: x509.Certificate, what: str) -> x509.Certificate:
    """`cert`, once its issuer and subject names are known to decode.

    cryptography decodes names lazily: a name holding invalid UTF-8 in a UTF8String (or a
    BMPString of odd length, ...) would raise ValueError later, from the order check below
    or from the message of a path validation failure. Reading them here refuses it at once.
    cryptography 45 raises KeyError for an attribute value of a non-string ASN.1 type.
    """
    try:
        cert.issuer, cert.subject  # noqa: B018 - decoding the names is the check.
    except (ValueError, KeyError):
        raise CertificateChainError(
            f"{what} has an issuer or subject name that does not decode (RFC 5280 s4.1.2.4)"
        ) from None
    return cert


def _load_der(der: bytes, what: str) -> x509.Certificate:
    """One DER certificate, refused with CertificateChainError whatever its defect."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except x509.InvalidVersion as error:
        # RFC 5280 s4.1.2.1: the version field holds 0, 1 or 2 (v1-v3); cryptography reads v1
        # and v3. A bare InvalidVersion (no ValueError) is what it raises for anything else.
        raise CertificateChainError(
            f"{what} has an unsupported X.509 version field {error.parsed_version!r:.20} "
            "(RFC 5280 s4.1.2.1)"
        ) from None
    except ValueError:
        raise CertificateChainError(
            f"{what} is not a DER X.509 certificate (RFC 5280 s4.1)"
        ) from None
    return _decodable(cert, what)


def parse_chain(chain: object, limits: Limits) -> list[x509.Certificate]:
    """Parse the chain's DER certificates and check that each one certifies the one before."""
    certs = [
        _load_der(der, f"x5c[{index}]") for index, der in enumerate(decode_chain(chain, limits))
    ]
    # RFC 7515 s4.1.6: "each subsequent certificate being the one used to certify the
    # previous one". A reordered chain would present another certificate as the leaf.
    for index in range(len(certs) - 1):
        if certs[index].issuer != certs[index + 1].subject:
            raise CertificateChainError(
                f"x5c[{index + 1}] is not the issuer of x5c[{index}]: the chain must be "
                "ordered leaf first, each certificate followed by its issuer (RFC 7515 s4.1.6)"
            )
    return certs


def _load_anchor(anchor: object, index: int) -> list[x509.Certificate]:
    """One trust anchor: a Certificate object, DER bytes or PEM bytes (one or more)."""
    what = f"trust anchor [{index}]"
    if isinstance(anchor, x509.Certificate):
        return [_decodable(anchor, what)]
    if not isinstance(anchor, bytes):
        raise TypeError(f"{what} must be an x509.Certificate or bytes, got {type(anchor).__name__}")
    if not anchor.lstrip().startswith(b"-----BEGIN"):
        return [_load_der(anchor, what)]
    try:
        certs = x509.load_pem_x509_certificates(anchor)
    except (ValueError, x509.InvalidVersion):
        raise CertificateChainError(f"{what} is not a PEM X.509 certificate (RFC 7468)") from None
    return [_decodable(cert, what) for cert in certs]


def load_anchors(trust_anchors: Sequence[TrustAnchor]) -> list[x509.Certificate]:
    """The caller's trust anchors: Certificate objects, DER bytes or PEM bytes (one or more)."""
    if isinstance(trust_anchors, (str, bytes, x509.Certificate)) or not isinstance(
        trust_anchors, Sequence
    ):
        raise TypeError("trust_anchors must be a sequence of x509.Certificate, DER or PEM bytes")
    anchors = [
        cert for index, anchor in enumerate(trust_anchors) for cert in _load_anchor(anchor, index)
    ]
    if not anchors:
        # SECURITY.md: anchors are required; a chain is never trusted on its own say-so.
        raise CertificateChainError("no trust anchors given: an x5c chain needs a trust anchor")
    return anchors
