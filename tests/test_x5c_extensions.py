"""x5c leaf extensions: every extension the leaf carries must parse (RFC 5280 s4.2).

A malformed extension in a signing certificate is refused, critical or not, and the
authority key identifier must not be critical (RFC 5280 s4.2.1.1).
"""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID

from jose_ref import x5c
from jose_ref.errors import CertificateChainError
from tests import pki

# DER that is no valid value of the extension (an ASN.1 NULL, or an empty OCTET STRING).
GARBAGE = {
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME: b"\x05\x00",
    ExtensionOID.EXTENDED_KEY_USAGE: b"\x04\x00",
}


@pytest.mark.parametrize("critical", [False, True])
@pytest.mark.parametrize("oid", list(GARBAGE), ids=lambda oid: oid._name)
def test_undecodable_leaf_extension_is_refused(oid: x509.ObjectIdentifier, critical: bool) -> None:
    extension = x509.UnrecognizedExtension(oid, GARBAGE[oid])
    chain = pki.build("EC", leaf_extra=[(extension, critical)])
    with pytest.raises(CertificateChainError) as info:
        x5c.verify_chain(chain.x5c, [chain.root.cert])
    assert type(info.value) is CertificateChainError


def test_well_formed_leaf_extensions_verify() -> None:
    # The same extensions, well formed, do not stand in the way (the control case).
    san = x509.SubjectAlternativeName([x509.DNSName("signer.example")])
    usage = x509.ExtendedKeyUsage([x509.ObjectIdentifier("1.3.6.1.5.5.7.3.3")])
    chain = pki.build("EC", leaf_extra=[(san, False), (usage, False)])
    assert x5c.verify_chain(chain.x5c, [chain.root.cert]).kty == "EC"
