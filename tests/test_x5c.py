"""x5c chains (RFC 7515 s4.1.6, RFC 7517 s4.7-4.9) validated by RFC 5280 s6 path validation."""

from __future__ import annotations

import base64
import dataclasses
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from jose_ref import b64url, x5c
from jose_ref.errors import CertificateChainError, LimitExceededError
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import Limits
from tests import pki


def spki(key: Any) -> bytes:
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def signing_jwk(p: pki.PKI, **params: Any) -> JWK:
    """The leaf's public key as a JWK carrying the chain, as a JWKS would publish it."""
    members: dict[str, Any] = {"kid": "signer", "use": "sig", "x5c": p.x5c}
    members.update(params)
    return JWK.from_key_object(p.leaf.key.public_key(), **members)


def thumbprint(p: pki.PKI, algorithm: hashes.HashAlgorithm) -> str:
    return b64url.encode_text(p.leaf.cert.fingerprint(algorithm))


def refused(chain: Any, anchors: Any, match: str, **kwargs: Any) -> None:
    with pytest.raises(CertificateChainError, match=match) as caught:
        x5c.verify_chain(chain, anchors, **kwargs)
    assert type(caught.value) is CertificateChainError


@pytest.fixture(scope="module")
def ec_pki() -> pki.PKI:
    return pki.build("EC")


@pytest.fixture(scope="module")
def rsa_pki() -> pki.PKI:
    return pki.build("RSA")


# -- a valid chain ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["EC", "RSA"])
def test_valid_chain_returns_the_leaf_key(kind: str, ec_pki: pki.PKI, rsa_pki: pki.PKI) -> None:
    p = ec_pki if kind == "EC" else rsa_pki
    key = x5c.verify_chain(p.x5c, [p.root.cert])
    assert key.kty == kind
    assert not key.is_private
    assert spki(key.crypto_public) == spki(p.leaf.key.public_key())


def test_chain_as_der_bytes_and_with_the_root_included(ec_pki: pki.PKI) -> None:
    p = ec_pki
    chain = [p.leaf.der, p.intermediate.der, p.root.der]
    assert spki(x5c.verify_chain(chain, [p.root.cert]).crypto_public) == spki(
        p.leaf.key.public_key()
    )


def test_anchors_as_der_pem_and_pem_bundle(ec_pki: pki.PKI) -> None:
    p = ec_pki
    other = pki.build("EC", root_name="Other Root").root
    pem = p.root.cert.public_bytes(serialization.Encoding.PEM)
    bundle = other.cert.public_bytes(serialization.Encoding.PEM) + pem
    for anchors in ([p.root.der], [pem], [bundle], [other.cert, p.root.cert]):
        x5c.verify_chain(p.x5c, anchors)


def test_an_intermediate_may_be_the_anchor(ec_pki: pki.PKI) -> None:
    x5c.verify_chain(ec_pki.x5c, [ec_pki.intermediate.cert])


@pytest.mark.parametrize(
    "purpose", [ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.SERVER_AUTH]
)
def test_issuer_extended_key_usage_needs_no_tls_purpose(purpose: x509.ObjectIdentifier) -> None:
    # JOSE signing has no registered purpose: an issuer's EKU is not held to a TLS one.
    p = pki.build("EC", root_name="EKU Root", intermediate_extended_key_usage=[purpose])
    x5c.verify_chain(p.x5c, [p.root.cert])


def test_leaf_without_key_usage_is_accepted() -> None:
    p = pki.build("EC", leaf_key_usage=None, leaf_ca=None)
    x5c.verify_chain(p.x5c, [p.root.cert])


# -- path validation failures, each with its reason ------------------------------------------


def test_wrong_root(ec_pki: pki.PKI) -> None:
    other = pki.build("EC", root_name="Other Root")
    refused(ec_pki.x5c, [other.root.cert], "path validation failed")


def test_self_signed_leaf_is_not_trusted() -> None:
    p = pki.build("EC", root_name="Attacker")
    refused([p.root.b64], [pki.build("EC").root.cert], "path validation failed")


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"leaf_not_after": pki.NOW - pki.DAY / 2}, "expired leaf"),
        ({"leaf_not_before": pki.NOW + pki.DAY}, "not-yet-valid leaf"),
        ({"intermediate_not_after": pki.NOW - pki.DAY / 2}, "expired intermediate"),
        ({"intermediate_not_before": pki.NOW + pki.DAY}, "not-yet-valid intermediate"),
    ],
)
def test_validity(options: dict[str, Any], why: str) -> None:
    p = pki.build("EC", **options)
    refused(p.x5c, [p.root.cert], "not valid at validation time")


def test_intermediate_without_ca_flag() -> None:
    p = pki.build("EC", intermediate_ca=False)
    refused(p.x5c, [p.root.cert], "basicConstraints")


def test_leaf_not_signed_by_the_intermediate() -> None:
    p = pki.build("EC", leaf_forged=True)
    refused(p.x5c, [p.root.cert], "signature")


def test_mis_ordered_chain(ec_pki: pki.PKI) -> None:
    p = ec_pki
    refused([p.intermediate.b64, p.leaf.b64], [p.root.cert], "not the issuer of x5c")


def test_leaf_key_usage_without_digital_signature() -> None:
    p = pki.build("EC", leaf_key_usage=pki.ENCIPHER_ONLY_USAGE)
    refused(p.x5c, [p.root.cert], "digitalSignature")


def test_leaf_that_is_a_ca() -> None:
    p = pki.build("EC", leaf_ca=True, leaf_key_usage=None)
    refused(p.x5c, [p.root.cert], "leaf is a CA")


def test_intermediate_presented_as_leaf(ec_pki: pki.PKI) -> None:
    # A CA certificate of the trusted PKI is no signing certificate.
    refused([ec_pki.intermediate.b64], [ec_pki.root.cert], "leaf is a CA")


def test_leaf_with_an_unknown_critical_extension() -> None:
    unknown = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00")
    p = pki.build("EC", leaf_extra=[(unknown, True)])
    refused(p.x5c, [p.root.cert], "critical")
    # RFC 5280 s4.2: a non-critical extension that is not recognized may be ignored.
    p = pki.build("EC", leaf_extra=[(unknown, False)])
    x5c.verify_chain(p.x5c, [p.root.cert])


@pytest.mark.parametrize("oid", [ExtensionOID.EXTENDED_KEY_USAGE, ExtensionOID.KEY_USAGE])
def test_leaf_with_a_malformed_extension(oid: x509.ObjectIdentifier) -> None:
    garbage = x509.UnrecognizedExtension(oid, b"\x04\x01\xff")
    p = pki.build("EC", leaf_key_usage=None, leaf_extra=[(garbage, False)])
    refused(p.x5c, [p.root.cert], "path validation failed")


# -- validation time --------------------------------------------------------------------------


def test_at_is_honoured() -> None:
    p = pki.build("EC", leaf_not_after=pki.NOW - pki.DAY / 2)
    x5c.verify_chain(p.x5c, [p.root.cert], at=pki.NOW - pki.DAY * 3 / 4)
    refused(p.x5c, [p.root.cert], "not valid", at=pki.NOW)
    refused(p.x5c, [p.root.cert], "not valid", at=pki.NOW - 5 * pki.DAY)


def test_at_naive_is_utc_and_aware_is_converted(ec_pki: pki.PKI) -> None:
    not_after = ec_pki.leaf.cert.not_valid_after_utc
    x5c.verify_chain(ec_pki.x5c, [ec_pki.root.cert], at=(not_after - timedelta(hours=1)))
    naive_after = (not_after + timedelta(hours=1)).replace(tzinfo=None)
    refused(ec_pki.x5c, [ec_pki.root.cert], "not valid", at=naive_after)
    # One hour past expiry, written in UTC-12: its wall-clock time is still before it.
    aware_after = (not_after + timedelta(hours=1)).astimezone(timezone(timedelta(hours=-12)))
    refused(ec_pki.x5c, [ec_pki.root.cert], "not valid", at=aware_after)


def test_at_of_the_wrong_type(ec_pki: pki.PKI) -> None:
    wrong: Any = time.time()
    with pytest.raises(TypeError):
        x5c.verify_chain(ec_pki.x5c, [ec_pki.root.cert], at=wrong)


# -- limits, checked before parsing -----------------------------------------------------------


def test_chain_longer_than_the_cap(ec_pki: pki.PKI) -> None:
    chain = [ec_pki.leaf.b64] * 9
    with pytest.raises(LimitExceededError) as caught:
        x5c.verify_chain(chain, [ec_pki.root.cert])
    assert caught.value.limit == "max_x5c_certificates"
    assert (caught.value.maximum, caught.value.actual) == (8, 9)


def test_huge_chain_is_refused_before_parsing(ec_pki: pki.PKI) -> None:
    started = time.perf_counter()
    with pytest.raises(LimitExceededError):
        x5c.verify_chain(["not base64 at all"] * 10_000, [ec_pki.root.cert])
    with pytest.raises(LimitExceededError) as caught:
        x5c.verify_chain(["A" * 4_000_000], [ec_pki.root.cert])
    assert caught.value.limit == "max_x5c_bytes"
    assert time.perf_counter() - started < 0.5


def test_total_size_limit_is_exact(ec_pki: pki.PKI) -> None:
    total = len(ec_pki.leaf.der) + len(ec_pki.intermediate.der)
    exact = dataclasses.replace(Limits(), max_x5c_bytes=total)
    x5c.verify_chain(ec_pki.x5c, [ec_pki.root.cert], limits=exact)
    short = dataclasses.replace(Limits(), max_x5c_bytes=total - 1)
    for chain in (ec_pki.x5c, [ec_pki.leaf.der, ec_pki.intermediate.der]):
        with pytest.raises(LimitExceededError) as caught:
            x5c.verify_chain(chain, [ec_pki.root.cert], limits=short)
        assert caught.value.actual == total


def test_count_limit_caps_the_depth(ec_pki: pki.PKI) -> None:
    one = dataclasses.replace(Limits(), max_x5c_certificates=1)
    with pytest.raises(LimitExceededError):
        x5c.verify_chain(ec_pki.x5c, [ec_pki.root.cert], limits=one)
    # With one certificate allowed, the leaf must be issued by an anchor directly.
    x5c.verify_chain([ec_pki.leaf.b64], [ec_pki.intermediate.cert], limits=one)
    refused([ec_pki.leaf.b64], [ec_pki.root.cert], "path validation failed", limits=one)


# -- encoding and syntax ----------------------------------------------------------------------


def test_base64url_instead_of_base64() -> None:
    # Find a leaf whose DER has a '+' or '/' in its base64 (almost all do).
    p = pki.build("RSA")
    url = base64.urlsafe_b64encode(p.leaf.der).decode("ascii")
    assert url != p.leaf.b64
    refused([url, p.intermediate.b64], [p.root.cert], "not base64url")
    refused([url.rstrip("="), p.intermediate.b64], [p.root.cert], "base64")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s + "\n",
        lambda s: s[:64] + "\n" + s[64:],
        lambda s: " " + s,
        lambda s: s + "====",
    ],
)
def test_non_canonical_base64(ec_pki: pki.PKI, mangle: Any) -> None:
    leaf = mangle(ec_pki.leaf.b64)
    refused([leaf, ec_pki.intermediate.b64], [ec_pki.root.cert], "base64")


def test_garbage_der(ec_pki: pki.PKI) -> None:
    garbage = base64.b64encode(b"\x30\x03\x02\x01\x00 not a certificate").decode()
    refused([garbage, ec_pki.intermediate.b64], [ec_pki.root.cert], r"x5c\[0\] is not a DER")
    refused([ec_pki.leaf.der[:-10]], [ec_pki.root.cert], "not a DER")
    refused([ec_pki.leaf.b64, "AAAA"], [ec_pki.root.cert], r"x5c\[1\] is not a DER")


@pytest.mark.parametrize(
    ("chain", "match"),
    [
        ([], "empty"),
        ("MIIB", "must be an array"),
        (b"\x30\x00", "must be an array"),
        ({"0": "MIIB"}, "must be an array"),
        (None, "must be an array"),
        ([1], r"x5c\[0\] must be"),
        ([["MIIB"]], r"x5c\[0\] must be"),
    ],
)
def test_chain_of_the_wrong_shape(ec_pki: pki.PKI, chain: Any, match: str) -> None:
    refused(chain, [ec_pki.root.cert], match)


# -- trust anchors ----------------------------------------------------------------------------


def test_anchors_are_required(ec_pki: pki.PKI) -> None:
    refused(ec_pki.x5c, [], "no trust anchors")


def test_bad_anchor_bytes(ec_pki: pki.PKI) -> None:
    refused(ec_pki.x5c, [b"not a certificate"], r"trust anchor \[0\]")
    refused(ec_pki.x5c, [b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"], "PEM")


@pytest.mark.parametrize("anchors", ["root", b"root", None, ["a pem string"], [42]])
def test_anchors_of_the_wrong_type(ec_pki: pki.PKI, anchors: Any) -> None:
    with pytest.raises(TypeError):
        x5c.verify_chain(ec_pki.x5c, anchors)


def test_a_single_certificate_is_not_a_sequence(ec_pki: pki.PKI) -> None:
    wrong: Any = ec_pki.root.cert
    with pytest.raises(TypeError):
        x5c.verify_chain(ec_pki.x5c, wrong)


# -- verify_jwk: the JWK is bound to the leaf ---------------------------------------------------


@pytest.mark.parametrize("kind", ["EC", "RSA"])
def test_verify_jwk_returns_the_same_key(kind: str, ec_pki: pki.PKI, rsa_pki: pki.PKI) -> None:
    p = ec_pki if kind == "EC" else rsa_pki
    key = signing_jwk(
        p,
        x5t=thumbprint(p, hashes.SHA1()),  # noqa: S303
        **{"x5t#S256": thumbprint(p, hashes.SHA256())},
    )
    assert x5c.verify_jwk(key, [p.root.cert]) is key


def test_verify_jwk_without_thumbprints(ec_pki: pki.PKI) -> None:
    key = signing_jwk(ec_pki)
    assert x5c.verify_jwk(key, [ec_pki.root.der]) is key


def test_x5t_mismatch(ec_pki: pki.PKI) -> None:
    wrong = b64url.encode_text(ec_pki.intermediate.cert.fingerprint(hashes.SHA1()))  # noqa: S303
    with pytest.raises(CertificateChainError, match='"x5t" is not the thumbprint'):
        x5c.verify_jwk(signing_jwk(ec_pki, x5t=wrong), [ec_pki.root.cert])


def test_x5t_s256_mismatch(ec_pki: pki.PKI) -> None:
    wrong = b64url.encode_text(bytes(32))
    key = signing_jwk(
        ec_pki,
        x5t=thumbprint(ec_pki, hashes.SHA1()),  # noqa: S303
        **{"x5t#S256": wrong},
    )
    with pytest.raises(CertificateChainError, match='"x5t#S256" is not the thumbprint'):
        x5c.verify_jwk(key, [ec_pki.root.cert])


def test_jwk_key_different_from_the_leaf(ec_pki: pki.PKI) -> None:
    stranger = JWK.generate("EC", crv="P-256").public()
    members = stranger.to_dict()
    members["x5c"] = ec_pki.x5c
    with pytest.raises(CertificateChainError, match="not the key of the first x5c certificate"):
        x5c.verify_jwk(JWK.from_dict(members), [ec_pki.root.cert])


def test_jwk_key_of_another_type_than_the_leaf(ec_pki: pki.PKI, rsa_pki: pki.PKI) -> None:
    key = JWK.from_key_object(rsa_pki.leaf.key.public_key(), x5c=ec_pki.x5c)
    with pytest.raises(CertificateChainError, match="not the key of the first"):
        x5c.verify_jwk(key, [ec_pki.root.cert])


def test_jwk_without_x5c(ec_pki: pki.PKI) -> None:
    key = JWK.from_key_object(ec_pki.leaf.key.public_key())
    with pytest.raises(CertificateChainError, match='no "x5c"'):
        x5c.verify_jwk(key, [ec_pki.root.cert])


def test_symmetric_jwk_with_x5c(ec_pki: pki.PKI) -> None:
    key = JWK.from_dict({"kty": "oct", "k": b64url.encode_text(bytes(32)), "x5c": ec_pki.x5c})
    with pytest.raises(CertificateChainError, match="symmetric"):
        x5c.verify_jwk(key, [ec_pki.root.cert])


def test_verify_jwk_bound_but_untrusted(ec_pki: pki.PKI) -> None:
    other = pki.build("EC", root_name="Other Root")
    with pytest.raises(CertificateChainError, match="path validation failed"):
        x5c.verify_jwk(signing_jwk(ec_pki), [other.root.cert])


def test_verify_jwk_checks_binding_before_the_path(ec_pki: pki.PKI) -> None:
    # Both are wrong: the binding is reported, as API.md orders the checks.
    stranger = JWK.generate("EC", crv="P-256").to_dict()
    stranger["x5c"] = ec_pki.x5c
    with pytest.raises(CertificateChainError, match="not the key"):
        x5c.verify_jwk(JWK.from_dict(stranger), [pki.build("EC", root_name="Other Root").root.cert])


def test_verify_jwk_honours_limits_and_at(ec_pki: pki.PKI) -> None:
    key = signing_jwk(ec_pki)
    with pytest.raises(LimitExceededError):
        x5c.verify_jwk(
            key, [ec_pki.root.cert], limits=dataclasses.replace(Limits(), max_x5c_certificates=1)
        )
    with pytest.raises(CertificateChainError, match="not valid"):
        x5c.verify_jwk(key, [ec_pki.root.cert], at=datetime(2001, 1, 1, tzinfo=timezone.utc))


def test_verify_jwk_needs_a_jwk(ec_pki: pki.PKI) -> None:
    wrong: Any = signing_jwk(ec_pki).to_dict()
    with pytest.raises(TypeError):
        x5c.verify_jwk(wrong, [ec_pki.root.cert])


# -- trusted_keys and TrustedKeySource --------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_set(ec_pki: pki.PKI, rsa_pki: pki.PKI) -> JWKSet:
    other = pki.build("EC", root_name="Other Root", leaf_name="Other Signer")
    return JWKSet(
        [
            signing_jwk(ec_pki, kid="trusted"),
            signing_jwk(other, kid="other-root"),
            JWK.generate("EC", crv="P-256", kid="no-x5c").public(),
            signing_jwk(rsa_pki, kid="trusted-rsa"),
        ]
    )


def test_trusted_keys_keeps_only_verified_keys(ec_pki: pki.PKI, mixed_set: JWKSet) -> None:
    trusted = x5c.trusted_keys(mixed_set, [ec_pki.root.cert])
    assert [key.kid for key in trusted] == ["trusted"]


def test_trusted_keys_with_several_anchors(
    ec_pki: pki.PKI, rsa_pki: pki.PKI, mixed_set: JWKSet
) -> None:
    trusted = x5c.trusted_keys(mixed_set, [ec_pki.root.cert, rsa_pki.root.cert])
    assert [key.kid for key in trusted] == ["trusted", "trusted-rsa"]


def test_trusted_keys_from_a_key_source(ec_pki: pki.PKI, mixed_set: JWKSet) -> None:
    class Source:
        def find(
            self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
        ) -> list[JWK]:
            return mixed_set.find(kid=kid, alg=alg, use=use)

    assert [k.kid for k in x5c.trusted_keys(Source(), [ec_pki.root.cert])] == ["trusted"]


def test_trusted_keys_at_a_time_when_nothing_is_valid(ec_pki: pki.PKI, mixed_set: JWKSet) -> None:
    past = datetime(2001, 1, 1, tzinfo=timezone.utc)
    assert len(x5c.trusted_keys(mixed_set, [ec_pki.root.cert], at=past)) == 0


def test_trusted_key_source_checks_per_lookup(ec_pki: pki.PKI, mixed_set: JWKSet) -> None:
    source = x5c.TrustedKeySource(mixed_set, [ec_pki.root.cert])
    assert [k.kid for k in source.find(kid="trusted", use="sig")] == ["trusted"]
    assert source.find(kid="other-root") == []
    assert source.find(kid="no-x5c") == []
    assert [k.kid for k in source.find()] == ["trusted"]


def test_trusted_key_source_needs_a_source(ec_pki: pki.PKI) -> None:
    wrong: Any = [signing_jwk(ec_pki)]
    with pytest.raises(TypeError):
        x5c.TrustedKeySource(wrong, [ec_pki.root.cert])


def test_messages_carry_no_certificate_data(ec_pki: pki.PKI) -> None:
    with pytest.raises(CertificateChainError) as caught:
        x5c.verify_chain(ec_pki.x5c, [pki.build("EC", root_name="Other Root").root.cert])
    assert ec_pki.leaf.b64[:40] not in str(caught.value)
    assert len(str(caught.value)) < 400
