"""A throwaway test PKI (root, intermediate, leaf) built with cryptography, RSA or EC.

Every certificate is made fresh in the test process, so no key or certificate is
checked in. Options produce the defects the x5c tests need: validity windows, an
intermediate without CA:true, a leaf whose keyUsage lacks digitalSignature, a
leaf signed by a key other than its named issuer's, a root nobody trusts.
Keys are cached per (type, name) because RSA key generation is slow.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

NOW = datetime.now(timezone.utc).replace(microsecond=0)
DAY = timedelta(days=1)

# keyUsage of a CA (RFC 5280 s4.2.1.3: keyCertSign, cRLSign) and of a signing leaf.
CA_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
ENCIPHER_ONLY_USAGE = x509.KeyUsage(
    digital_signature=False,
    content_commitment=False,
    key_encipherment=True,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


@functools.cache
def key(kind: str, name: str) -> PrivateKey:
    """A private key of `kind` ("RSA" 2048 or "EC" P-256), cached under `name`."""
    if kind == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "EC":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key kind {kind!r}")


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "jose_ref test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def der(self) -> bytes:
        """The certificate DER."""
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.cert.public_bytes(Encoding.DER)

    @property
    def b64(self) -> str:
        """The certificate as an "x5c" entry: standard, padded base64 of the DER."""
        return base64.b64encode(self.der).decode("ascii")


def issue(
    common_name: str,
    subject_key: PrivateKey,
    *,
    issuer: Issued | None,
    ca: bool | None,
    key_usage: x509.KeyUsage | None,
    not_before: datetime = NOW - DAY,
    not_after: datetime = NOW + 365 * DAY,
    signing_key: PrivateKey | None = None,
    path_length: int | None = None,
    extended_key_usage: list[x509.ObjectIdentifier] | None = None,
    extra: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> Issued:
    """Issue a certificate; without `issuer` it is self-signed (a root).

    `ca=None` leaves basicConstraints out; `key_usage=None` leaves keyUsage out;
    `signing_key` signs with another key than the issuer's (a forged issuer);
    `extended_key_usage` adds that extension (non-critical); `extra` adds any
    (extension, critical) pairs, raw `x509.UnrecognizedExtension` values included.
    """
    issuer_name = issuer.cert.subject if issuer is not None else _name(common_name)
    issuer_key = issuer.key if issuer is not None else subject_key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer_name)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca is not None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True
        )
    if key_usage is not None:
        builder = builder.add_extension(key_usage, critical=True)
    if extended_key_usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=False)
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    cert = builder.sign(signing_key or issuer_key, hashes.SHA256())
    return Issued(cert=cert, key=subject_key)


@dataclass(frozen=True)
class PKI:
    """A root, an intermediate CA and a signing leaf."""

    root: Issued
    intermediate: Issued
    leaf: Issued

    @property
    def x5c(self) -> list[str]:
        """The "x5c" chain, leaf first, without the root (RFC 7515 s4.1.6)."""
        return [self.leaf.b64, self.intermediate.b64]


def build(
    kind: str = "EC",
    *,
    root_name: str = "Test Root",
    leaf_name: str = "Test Signer",
    intermediate_ca: bool = True,
    intermediate_extended_key_usage: list[x509.ObjectIdentifier] | None = None,
    intermediate_not_before: datetime = NOW - DAY,
    intermediate_not_after: datetime = NOW + 730 * DAY,
    leaf_not_before: datetime = NOW - DAY,
    leaf_not_after: datetime = NOW + 365 * DAY,
    leaf_key_usage: x509.KeyUsage | None = SIGNING_USAGE,
    leaf_ca: bool | None = False,
    leaf_forged: bool = False,
    leaf_extra: Sequence[tuple[x509.ExtensionType, bool]] = (),
) -> PKI:
    """Build a three-level PKI with `kind` ("RSA" or "EC") keys and the chosen defects."""
    root = issue(
        root_name,
        key(kind, root_name),
        issuer=None,
        ca=True,
        key_usage=CA_USAGE,
        not_before=NOW - 10 * DAY,
        not_after=NOW + 3650 * DAY,
    )
    intermediate = issue(
        f"{root_name} Intermediate",
        key(kind, f"{root_name} Intermediate"),
        issuer=root,
        ca=intermediate_ca,
        key_usage=CA_USAGE if intermediate_ca else SIGNING_USAGE,
        not_before=intermediate_not_before,
        not_after=intermediate_not_after,
        path_length=0,
        extended_key_usage=intermediate_extended_key_usage,
    )
    leaf = issue(
        leaf_name,
        key(kind, leaf_name),
        issuer=intermediate,
        ca=leaf_ca,
        key_usage=leaf_key_usage,
        not_before=leaf_not_before,
        not_after=leaf_not_after,
        signing_key=key(kind, "Forger") if leaf_forged else None,
        extra=leaf_extra,
    )
    return PKI(root=root, intermediate=intermediate, leaf=leaf)
