"""Hostile x5c certificates (issue 12 item 1): only CertificateChainError ever comes out.

A certificate anyone can publish in a JWK Set must not be able to break the lookup of the
other keys: every malformed certificate is refused with CertificateChainError by
`x5c.verify_chain` / `verify_jwk`, and `trusted_keys` / `TrustedKeySource` leave that key
out while the good keys keep working. The named classes (invalid UTF-8 in a name, a
version outside 0-2, an unknown signature algorithm) have explicit tests; a
structure-aware fuzz (tests/security/der.py) edits one DER field of a chain built in the
test (bit flips in TBS fields, wrong or non-minimal lengths, truncation, swapped
algorithm identifiers, versions, hostile name strings) with a fixed seed.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from typing import Any

import pytest
from cryptography import x509

from jose_ref import jws, x5c
from jose_ref.errors import CertificateChainError, InvalidSignatureError
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import Limits
from jose_ref.x5c import path_validation
from tests import pki
from tests.security import der

# Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } and
# TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, issuer, validity,
# subject, subjectPublicKeyInfo, [3] extensions } (RFC 5280 s4.1).
TBS, OUTER_ALGORITHM, SIGNATURE = 0, 1, 2
VERSION, SERIAL, INNER_ALGORITHM, ISSUER, VALIDITY, SUBJECT, SPKI, EXTENSIONS = range(8)

# OID contents (X.690 s8.19): real algorithms of other families, unknown and malformed ones.
OIDS = [
    bytes.fromhex(hexa)
    for hexa in (
        "2a864886f70d01010b",  # sha256WithRSAEncryption
        "2a864886f70d010105",  # sha1WithRSAEncryption
        "2a864886f70d010104",  # md5WithRSAEncryption
        "2a864886f70d01010a",  # id-RSASSA-PSS (needs parameters)
        "2a864886f70d010101",  # rsaEncryption (a key, not a signature, algorithm)
        "2a8648ce3d040302",  # ecdsa-with-SHA256
        "2a8648ce3d040304",  # ecdsa-with-SHA512
        "2a8648ce3d0401",  # ecdsa-with-SHA1
        "2a8648ce3d0201",  # id-ecPublicKey
        "2b6570",  # id-Ed25519
        "2b6571",  # id-Ed448
        "608648016503040302",  # dsa-with-sha256
        "608648016503040311",  # id-ml-dsa-44
        "2a0304",  # 1.2.3.4, unknown
        "",  # empty
        "2a8001",  # an arc with a non-minimal leading 0x80
        "2a86",  # an arc cut in the middle
        "2a" + "ff" * 20 + "01",  # an arc far past 64 bits
    )
]

# (tag, content) for a name's attribute value: invalid UTF-8, illegal characters for the
# string type, odd-length BMP / UniversalString, surrogates, controls, a non-string type.
NAME_VALUES = [
    (0x0C, b"\xff\xfe"),
    (0x0C, b"\xc0\x80"),
    (0x0C, b"\xed\xa0\x80"),
    (0x0C, b"\xe2\x82"),
    (0x0C, b""),
    (0x0C, b"ok\x1b[2J\n\x00"),
    (0x13, b"a@b\x00"),
    (0x13, b"\xff"),
    (0x16, b"\x80\xff"),
    (0x14, b"\xff\x00"),
    (0x1E, b"\x00a\x00"),
    (0x1E, b"\xd8\x00"),
    (0x1C, b"\x00\x00\x00"),
    (0x1C, b"\x00\x11\x00\x00"),
    (0x04, b"x"),
    (0x02, b"\x01"),
]

VERSIONS = [b"\x03", b"\x07", b"\x7f", b"\xff", b"\x00\x02", b"", b"\x02" * 9, b"\x00", b"\x01"]


@pytest.fixture(scope="module", params=["EC", "RSA"])
def chain_pki(request: pytest.FixtureRequest) -> pki.PKI:
    return pki.build(request.param, root_name=f"Hostile {request.param} Root")


def jwk_with_chain(p: pki.PKI, chain: list[bytes], kid: str) -> JWK:
    """The leaf's public key published with `chain` as its "x5c", as a JWK Set would."""
    x5c_member = [base64.b64encode(cert).decode("ascii") for cert in chain]
    return JWK.from_key_object(p.leaf.key.public_key(), kid=kid, use="sig", x5c=x5c_member)


def outcome(chain: list[bytes], anchors: list[Any]) -> str:
    """Return "verified" or "refused"; any other exception escapes and fails the test."""
    try:
        x5c.verify_chain(chain, anchors)
    except CertificateChainError as error:
        # Certificate names are the certificate maker's text: no control character may
        # reach a message (log forging, terminal escapes).
        assert str(error).isprintable(), repr(str(error))
        return "refused"
    return "verified"


def assert_only_chain_errors(p: pki.PKI, chain: list[bytes], case: str) -> None:
    """verify_chain refuses (or accepts) `chain`; the trust filters drop only a bad key."""
    try:
        result = outcome(chain, [p.root.cert])
        hostile = jwk_with_chain(p, chain, "hostile")
        good = jwk_with_chain(p, [p.leaf.der, p.intermediate.der], "good")
        kept = x5c.trusted_keys(JWKSet([hostile, good]), [p.root.cert])
        source = x5c.TrustedKeySource(JWKSet([hostile, good]), [p.root.cert])
        found = source.find(use="sig")
    except Exception as error:  # noqa: BLE001 - the fuzz reports whatever escaped, and where.
        pytest.fail(f"{case}: {type(error).__module__}.{type(error).__name__}: {error}")
    expected = ["hostile", "good"] if result == "verified" else ["good"]
    assert [key.kid for key in kept] == expected, case
    assert [key.kid for key in found] == expected, case


# -- the named classes ------------------------------------------------------------------------


def tree(cert_der: bytes) -> der.Node:
    return der.parse(cert_der)


def name_value(name: der.Node, attribute: int = -1) -> der.Node:
    """The value node of one attribute of a Name (SEQUENCE OF SET OF SEQUENCE {oid, value})."""
    return name.children[attribute].children[0].children[1]


def with_issuer_name(p: pki.PKI, tag: int, content: bytes) -> list[bytes]:
    """The chain with the same hostile string in the leaf's issuer and the CA's subject."""
    leaf, intermediate = tree(p.leaf.der), tree(p.intermediate.der)
    for name in (leaf.children[TBS].children[ISSUER], intermediate.children[TBS].children[SUBJECT]):
        value = name_value(name)
        value.tag, value.content = tag, content
    return [der.encode(leaf), der.encode(intermediate)]


def with_subject_name(cert_der: bytes, tag: int, content: bytes) -> bytes:
    cert = tree(cert_der)
    value = name_value(cert.children[TBS].children[SUBJECT])
    value.tag, value.content = tag, content
    return der.encode(cert)


def with_version(cert_der: bytes, version: bytes) -> bytes:
    cert = tree(cert_der)
    cert.children[TBS].children[VERSION].children[0].content = version
    return der.encode(cert)


def with_algorithm(cert_der: bytes, oid: bytes, *, inner: bool) -> bytes:
    """The certificate with `oid` as its outer signature algorithm (and the TBS one)."""
    cert = tree(cert_der)
    places = [cert.children[OUTER_ALGORITHM]]
    if inner:
        places.append(cert.children[TBS].children[INNER_ALGORITHM])
    for algorithm in places:
        algorithm.children[0].content = oid
    return der.encode(cert)


UNKNOWN_OID = bytes.fromhex("2a0304")  # 1.2.3.4

# The classes the outside review found, each a chain built from the test PKI.
NAMED: dict[str, Callable[[pki.PKI], list[bytes]]] = {
    "invalid UTF-8 in issuer": lambda p: with_issuer_name(p, 0x0C, b"\xff\xfe\xfd"),
    "invalid UTF-8 in subject": lambda p: [
        with_subject_name(p.leaf.der, 0x0C, b"\xc0\x80"),
        p.intermediate.der,
    ],
    # Path validation fails on the algorithm and describes the leaf by its subject.
    "invalid UTF-8 in subject, unknown outer signature algorithm": lambda p: [
        with_algorithm(with_subject_name(p.leaf.der, 0x0C, b"\xff"), UNKNOWN_OID, inner=False),
        p.intermediate.der,
    ],
    "leaf version 7": lambda p: [with_version(p.leaf.der, b"\x07"), p.intermediate.der],
    "CA version -1": lambda p: [p.leaf.der, with_version(p.intermediate.der, b"\xff")],
    "unknown outer signature algorithm": lambda p: [
        with_algorithm(p.leaf.der, UNKNOWN_OID, inner=False),
        p.intermediate.der,
    ],
    "unknown signature algorithm in both places": lambda p: [
        with_algorithm(p.leaf.der, UNKNOWN_OID, inner=True),
        p.intermediate.der,
    ],
    "CA with unknown signature algorithm": lambda p: [
        p.leaf.der,
        with_algorithm(p.intermediate.der, UNKNOWN_OID, inner=True),
    ],
}


@pytest.mark.parametrize("case", sorted(NAMED))
def test_malformed_certificate_is_a_chain_error(chain_pki: pki.PKI, case: str) -> None:
    chain = NAMED[case](chain_pki)
    with pytest.raises(CertificateChainError):
        x5c.verify_chain(chain, [chain_pki.root.cert])
    with pytest.raises(CertificateChainError):
        x5c.verify_jwk(jwk_with_chain(chain_pki, chain, "hostile"), [chain_pki.root.cert])
    assert_only_chain_errors(chain_pki, chain, case)


@pytest.mark.parametrize("case", sorted(NAMED))
def test_one_hostile_key_does_not_deny_service_to_the_set(chain_pki: pki.PKI, case: str) -> None:
    """A token without a kid is checked against every trusted key: the bad one is skipped."""
    hostile = jwk_with_chain(chain_pki, NAMED[case](chain_pki), "hostile")
    good = jwk_with_chain(chain_pki, [chain_pki.leaf.der, chain_pki.intermediate.der], "good")
    signer = JWK.from_key_object(chain_pki.leaf.key)
    alg = "ES256" if good.kty == "EC" else "RS256"
    token = jws.sign_compact(b"payload", signer, alg=alg)
    source = x5c.TrustedKeySource(JWKSet([hostile, good]), [chain_pki.root.cert])
    verified = jws.verify_compact(token, source, algorithms=[alg])
    assert verified.payload == b"payload"
    assert verified.key.kid == "good"
    other = jws.sign_compact(b"payload", JWK.from_key_object(pki.key(good.kty, "Forger")), alg=alg)
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(other, source, algorithms=[alg])


@pytest.mark.parametrize("version", VERSIONS)
def test_malformed_trust_anchor_is_a_chain_error(chain_pki: pki.PKI, version: bytes) -> None:
    """A caller-supplied anchor in DER with a bad version is refused as a bad anchor."""
    anchor = with_version(chain_pki.root.der, version)
    try:
        x5c.verify_chain([chain_pki.leaf.der, chain_pki.intermediate.der], [anchor])
    except CertificateChainError:
        return
    # A version that still parses (0 or 1, re-encoded) changes the signed bytes only.
    assert version in (b"\x00", b"\x01")


# -- structure-aware fuzz ---------------------------------------------------------------------

Mutation = Callable[[random.Random, der.Node, der.Node], str]


def _pick_primitive(rng: random.Random, node: der.Node) -> der.Node | None:
    leaves = [n for n in node.walk() if not n.constructed and n.content]
    return rng.choice(leaves) if leaves else None


def flip_tbs_field(rng: random.Random, leaf: der.Node, ca: der.Node) -> str:
    cert, who = rng.choice([(leaf, "leaf"), (ca, "CA")])
    index = rng.randrange(len(cert.children[TBS].children))
    target = _pick_primitive(rng, cert.children[TBS].children[index])
    if target is None:
        return f"{who} TBS field {index}: nothing to flip"
    position, bit = rng.randrange(len(target.content)), 1 << rng.randrange(8)
    flipped = bytearray(target.content)
    flipped[position] ^= bit
    target.content = bytes(flipped)
    return f"{who} TBS field {index}: bit {bit:#x} of octet {position} flipped"


def skew_length(rng: random.Random, leaf: der.Node, ca: der.Node) -> str:
    cert, who = rng.choice([(leaf, "leaf"), (ca, "CA")])
    nodes = list(cert.walk())
    index = rng.randrange(len(nodes))
    if rng.random() < 0.3:
        nodes[index].long_form = rng.choice([1, 2, 4])
        return f"{who} node {index}: non-minimal long-form length {nodes[index].long_form}"
    nodes[index].length_skew = rng.choice([-3, -1, 1, 2, 0x80, 0x10000])
    return f"{who} node {index}: length off by {nodes[index].length_skew}"


def swap_algorithm(rng: random.Random, leaf: der.Node, ca: der.Node) -> str:
    cert, who = rng.choice([(leaf, "leaf"), (ca, "CA")])
    places = {
        "inner": [cert.children[TBS].children[INNER_ALGORITHM]],
        "outer": [cert.children[OUTER_ALGORITHM]],
        "both": [cert.children[TBS].children[INNER_ALGORITHM], cert.children[OUTER_ALGORITHM]],
        "key": [cert.children[TBS].children[SPKI].children[0]],
    }
    where = rng.choice(sorted(places))
    oid = rng.choice(OIDS)
    parameters = rng.choice(["keep", "none", "null", "integer"])
    for algorithm in places[where]:
        algorithm.children[0].content = oid
        if parameters == "none":
            del algorithm.children[1:]
        elif parameters == "null":
            algorithm.children[1:] = [der.Node(0x05)]
        elif parameters == "integer":
            algorithm.children[1:] = [der.Node(0x02, b"\x01")]
    return f"{who} {where} algorithm OID {oid.hex()} parameters {parameters}"


def bad_version(rng: random.Random, leaf: der.Node, ca: der.Node) -> str:
    cert, who = rng.choice([(leaf, "leaf"), (ca, "CA")])
    tbs = cert.children[TBS]
    if rng.random() < 0.2:
        del tbs.children[VERSION]
        return f"{who} version field removed (v1 with extensions)"
    version = rng.choice(VERSIONS)
    tbs.children[VERSION].children[0].content = version
    return f"{who} version {version.hex()}"


def hostile_name(rng: random.Random, leaf: der.Node, ca: der.Node) -> str:
    # The leaf's issuer and the CA's subject edited alike, so that the chain order check
    # passes and the name reaches path validation; or one name alone.
    choices = {
        "leaf issuer and CA subject": [
            leaf.children[TBS].children[ISSUER],
            ca.children[TBS].children[SUBJECT],
        ],
        "leaf subject": [leaf.children[TBS].children[SUBJECT]],
        "leaf issuer": [leaf.children[TBS].children[ISSUER]],
        "CA issuer": [ca.children[TBS].children[ISSUER]],
    }
    where = rng.choice(sorted(choices))
    tag, content = rng.choice(NAME_VALUES)
    attribute = rng.randrange(2)
    retype = rng.random() < 0.2
    for name in choices[where]:
        value = name_value(name, attribute)
        value.tag, value.content = tag, content
        if retype:
            name.children[attribute].children[0].children[0].content = rng.choice(OIDS)
    return f"{where}: attribute {attribute} value {tag:#x} {content!r}, type changed {retype}"


MUTATIONS: list[Mutation] = [flip_tbs_field, skew_length, swap_algorithm, bad_version, hostile_name]
CASES_PER_MUTATION = 30


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_fuzzed_chain_gives_only_chain_errors(chain_pki: pki.PKI, mutation: Mutation) -> None:
    rng = random.Random(f"x5c {mutation.__name__}")
    for number in range(CASES_PER_MUTATION):
        leaf, ca = tree(chain_pki.leaf.der), tree(chain_pki.intermediate.der)
        case = f"case {number}: " + mutation(rng, leaf, ca)
        assert_only_chain_errors(chain_pki, [der.encode(leaf), der.encode(ca)], case)


def test_stacked_mutations_give_only_chain_errors(chain_pki: pki.PKI) -> None:
    """Two edits at once: e.g. a name that does not decode in a certificate whose signature
    algorithm is refused, so that path validation fails and describes that certificate."""
    rng = random.Random("x5c stacked")
    for number in range(2 * CASES_PER_MUTATION):
        leaf, ca = tree(chain_pki.leaf.der), tree(chain_pki.intermediate.der)
        first, second = rng.choice(MUTATIONS), rng.choice(MUTATIONS)
        case = f"case {number}: {first(rng, leaf, ca)}; then {second(rng, leaf, ca)}"
        assert_only_chain_errors(chain_pki, [der.encode(leaf), der.encode(ca)], case)


def test_certificate_names_reach_messages_escaped(chain_pki: pki.PKI) -> None:
    """A failure that describes the leaf quotes its subject: escaped, never raw."""
    subject = with_subject_name(chain_pki.leaf.der, 0x0C, b"ok\x1b[2J\nFORGED LOG LINE\x00")
    leaf = with_algorithm(subject, UNKNOWN_OID, inner=False)
    with pytest.raises(CertificateChainError) as caught:
        x5c.verify_chain([leaf, chain_pki.intermediate.der], [chain_pki.root.cert])
    message = str(caught.value)
    assert "FORGED LOG LINE" in message  # the subject is quoted...
    assert message.isprintable()  # ...with its ESC, newline and NUL escaped
    assert "\\x1b" in message


def test_path_validation_refuses_a_name_that_does_not_decode(chain_pki: pki.PKI) -> None:
    """validate() alone (parse_chain decodes names first): its failure message describes
    the leaf by its subject, which must not escape as ValueError while being decoded."""
    leaf_der = with_subject_name(chain_pki.leaf.der, 0x0C, b"\xff")
    leaf_der = with_algorithm(leaf_der, UNKNOWN_OID, inner=False)
    leaf = x509.load_der_x509_certificate(leaf_der)
    with pytest.raises(CertificateChainError, match="does not decode"):
        path_validation.validate(
            [leaf, chain_pki.intermediate.cert],
            [chain_pki.root.cert],
            path_validation.validation_time(None),
            Limits(),
        )


def test_truncated_chain_gives_only_chain_errors(chain_pki: pki.PKI) -> None:
    rng = random.Random(12)
    for number in range(CASES_PER_MUTATION):
        chain = [chain_pki.leaf.der, chain_pki.intermediate.der]
        which = rng.randrange(2)
        cut = rng.randrange(len(chain[which]))
        chain[which] = chain[which][:cut]
        assert_only_chain_errors(chain_pki, chain, f"case {number}: x5c[{which}] cut at {cut}")


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_fuzzed_trust_anchor_gives_only_chain_errors(
    chain_pki: pki.PKI, mutation: Mutation
) -> None:
    """Anchors come from configuration, but a bad one must still fail as a chain error."""
    rng = random.Random(f"anchor {mutation.__name__}")
    for number in range(CASES_PER_MUTATION // 3):
        root = tree(chain_pki.root.der)
        case = f"case {number}: root as " + mutation(rng, root, root)
        try:
            outcome([chain_pki.leaf.der, chain_pki.intermediate.der], [der.encode(root)])
        except Exception as error:  # noqa: BLE001 - the fuzz reports whatever escaped.
            pytest.fail(f"{case}: {type(error).__module__}.{type(error).__name__}: {error}")


def test_the_fuzz_reaches_path_validation(chain_pki: pki.PKI) -> None:
    """The DER writer round-trips, so an unmutated chain still verifies (the fuzz bites)."""
    leaf, ca = tree(chain_pki.leaf.der), tree(chain_pki.intermediate.der)
    assert der.encode(leaf) == chain_pki.leaf.der
    chain = [der.encode(leaf), der.encode(ca)]
    assert outcome(chain, [chain_pki.root.cert]) == "verified"
    parsed = x509.load_der_x509_certificate(chain[0])
    assert parsed.subject == chain_pki.leaf.cert.subject
