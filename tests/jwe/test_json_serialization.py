"""RFC 7516 s7.2 - The JWE JSON serialization, general and flattened.

Valid documents round trip with several recipients, shared and per-recipient
unprotected headers and "aad"; hand-built documents (content sealed with
cryptography under ASCII(protected || '.' || aad)) decrypt. Bad documents get
the exact error: header sets that are not disjoint, "crit"/"zip" outside the
protected header, missing or mistyped members, recipient counts out of bounds,
and the other serialization given to the wrong entry point.
"""

from __future__ import annotations

import json
import os
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from jose_ref import JWK, JWKSet, jwe
from jose_ref.errors import (
    DecryptionError,
    InvalidKeyError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jwa import content_encryption
from tests.jwe import (
    aes_kw,
    b64u,
    content_encrypt,
    encode_header,
    expect,
    oaep,
    oct_jwk,
    rsa_jwk,
    rsa_private,
    ub64u,
)

KEK = bytes(range(16))
PLAINTEXT = b"json serialized secret"


@pytest.fixture(scope="module")
def kek() -> JWK:
    return oct_jwk(KEK, kid="kw")


@pytest.fixture(scope="module")
def rsa_key() -> JWK:
    return rsa_jwk(2048, 0, kid="rsa")


@pytest.fixture(scope="module")
def ec_key() -> JWK:
    return JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()), kid="ec")


def sealed_document(
    *,
    protected: dict[str, Any] | None,
    unprotected: dict[str, Any] | None = None,
    header: dict[str, Any] | None = None,
    aad: bytes | None = None,
    flatten: bool = True,
    plaintext: bytes = PLAINTEXT,
) -> dict[str, Any]:
    """An A128KW + A128GCM JSON JWE built with cryptography only (RFC 7516 s5.1 step 14)."""
    cek, iv = os.urandom(16), os.urandom(12)
    encoded = encode_header(protected) if protected is not None else ""
    full_aad = encoded if aad is None else f"{encoded}.{b64u(aad)}"
    ciphertext, tag = content_encrypt("A128GCM", cek, iv, plaintext, full_aad.encode("ascii"))
    recipient: dict[str, Any] = {"encrypted_key": b64u(aes_kw(KEK, cek))}
    if header is not None:
        recipient["header"] = header
    document: dict[str, Any] = {}
    if protected is not None:
        document["protected"] = encoded
    if unprotected is not None:
        document["unprotected"] = unprotected
    if flatten:
        document.update(recipient)
    else:
        document["recipients"] = [recipient]
    if aad is not None:
        document["aad"] = b64u(aad)
    document.update(iv=b64u(iv), ciphertext=b64u(ciphertext), tag=b64u(tag))
    return document


GOOD = {"protected": {"enc": "A128GCM"}, "header": {"alg": "A128KW"}}


# -- valid documents -----------------------------------------------------------------------------


@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("form", ["dict", "str", "bytes"])
def test_hand_built_document_decrypts(flatten: bool, form: str, kek: JWK) -> None:
    document = sealed_document(
        protected={"enc": "A128GCM"},
        unprotected={"cty": "text/plain"},
        header={"alg": "A128KW"},
        aad=b"bound but not encrypted",
        flatten=flatten,
    )
    given: Any = document
    if form != "dict":
        given = json.dumps(document)
        given = given if form == "str" else given.encode()
    result = jwe.decrypt_json(given, kek)
    assert result.plaintext == PLAINTEXT
    assert result.aad == b"bound but not encrypted"
    assert result.header == {"enc": "A128GCM", "cty": "text/plain", "alg": "A128KW"}
    assert result.key is kek


def test_document_without_protected_header_decrypts(kek: JWK) -> None:
    # RFC 7516 s5.1 step 14: with no protected header the AAD is the empty string.
    document = sealed_document(protected=None, unprotected={"enc": "A128GCM", "alg": "A128KW"})
    assert "protected" not in document
    assert jwe.decrypt_json(document, kek).plaintext == PLAINTEXT


@pytest.mark.parametrize("flatten", [True, False])
def test_encrypt_json_output_is_readable_with_cryptography_alone(flatten: bool) -> None:
    secret = bytes(range(32))
    key = oct_jwk(secret)
    document = jwe.encrypt_json(
        PLAINTEXT, [(key, {"alg": "dir"})], enc="A256GCM", aad=b"extra", flatten=flatten
    )
    assert ("recipients" in document) is not flatten
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aad = f"{document['protected']}.{document['aad']}".encode("ascii")
    opened = AESGCM(secret).decrypt(
        ub64u(document["iv"]), ub64u(document["ciphertext"]) + ub64u(document["tag"]), aad
    )
    assert opened == PLAINTEXT
    assert json.loads(ub64u(document["protected"])) == {"enc": "A256GCM"}


def test_several_recipients_each_decrypt(kek: JWK, rsa_key: JWK, ec_key: JWK) -> None:
    document = jwe.encrypt_json(
        PLAINTEXT,
        [
            (rsa_key.public(), {"alg": "RSA-OAEP-256", "kid": "rsa"}),
            (kek, {"alg": "A128KW", "kid": "kw"}),
            (ec_key.public(), {"alg": "ECDH-ES+A256KW", "kid": "ec"}),
        ],
        enc="A256CBC-HS512",
        unprotected={"jku": "https://example.invalid/never-fetched"},
        aad=b"aad",
    )
    assert len(document["recipients"]) == 3
    for index, key in enumerate((rsa_key, kek, ec_key)):
        result = jwe.decrypt_json(document, key)
        assert result.plaintext == PLAINTEXT
        assert result.recipient_index == index
        assert result.key is key
        assert result.header["kid"] == key.kid
    # From a set, the recipient whose kid matches a key is used.
    assert jwe.decrypt_json(document, JWKSet([ec_key])).recipient_index == 2


def test_several_recipients_none_for_us(kek: JWK, rsa_key: JWK) -> None:
    document = jwe.encrypt_json(PLAINTEXT, [(rsa_key.public(), {"alg": "RSA-OAEP"})], enc="A128GCM")
    other = oct_jwk(os.urandom(16))
    document2 = jwe.encrypt_json(
        PLAINTEXT,
        [(rsa_key.public(), {"alg": "RSA-OAEP"}), (other, {"alg": "A128KW"})],
        enc="A128GCM",
    )
    expect(DecryptionError, lambda: jwe.decrypt_json(document2, kek), PLAINTEXT)
    expect(KeyNotFoundError, lambda: jwe.decrypt_json(document, JWKSet([kek])), PLAINTEXT)


# -- header sets must be disjoint (RFC 7516 s7.2.1) ----------------------------------------------


P = {"enc": "A128GCM"}
H = {"alg": "A128KW"}
OVERLAPS = [
    {"protected": P, "unprotected": {"enc": "A128GCM"}, "header": H},  # protected and shared
    {"protected": {**P, **H}, "header": H},  # protected and per-recipient
    {"protected": P, "unprotected": H, "header": H},  # shared and per-recipient
    {"protected": {**P, "kid": "a"}, "header": {**H, "kid": "a"}},  # a harmless member, repeated
    {"protected": P, "unprotected": {"cty": "x"}, "header": {**H, "cty": "y"}},
]


@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("layout", OVERLAPS)
def test_a_name_in_two_header_sets_is_malformed(
    layout: dict[str, Any], flatten: bool, kek: JWK
) -> None:
    document = sealed_document(**layout, flatten=flatten)
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek), PLAINTEXT)


@pytest.mark.parametrize("where", ["unprotected", "header"])
@pytest.mark.parametrize("member", [{"crit": ["exp"], "exp": 1}, {"zip": "DEF"}])
def test_crit_and_zip_only_in_the_protected_header(
    where: str, member: dict[str, Any], kek: JWK
) -> None:
    layout: dict[str, Any] = {"protected": {"enc": "A128GCM"}, "header": {"alg": "A128KW"}}
    layout[where] = {**layout.get(where, {}), **member}
    for flatten in (True, False):
        document = sealed_document(**layout, flatten=flatten)
        expect(MalformedError, lambda document=document: jwe.decrypt_json(document, kek))


# -- members: presence and types (RFC 7516 s7.2.1) ----------------------------------------------


@pytest.mark.parametrize("member", ["iv", "ciphertext", "tag"])
@pytest.mark.parametrize("flatten", [True, False])
def test_missing_required_member_is_malformed(member: str, flatten: bool, kek: JWK) -> None:
    document = sealed_document(**GOOD, flatten=flatten)
    del document[member]
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


@pytest.mark.parametrize("member", ["protected", "iv", "ciphertext", "tag", "aad", "encrypted_key"])
@pytest.mark.parametrize("value", [1, None, True, ["x"], {"x": 1}])
def test_member_of_wrong_type_is_malformed(member: str, value: Any, kek: JWK) -> None:
    document = sealed_document(**GOOD, aad=b"a")
    document[member] = value
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


@pytest.mark.parametrize("member", ["protected", "iv", "ciphertext", "tag", "aad", "encrypted_key"])
@pytest.mark.parametrize("suffix", ["=", " ", "+", "A"])
def test_member_not_canonical_base64url_is_malformed(member: str, suffix: str, kek: JWK) -> None:
    document = sealed_document(**GOOD, aad=b"aadaa")
    value = document[member]
    while len(value + suffix) % 4 != 1 and suffix == "A":
        value += "A"
    document[member] = value + suffix
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


@pytest.mark.parametrize("value", ["x", 1, ["x"], True])
@pytest.mark.parametrize("member", ["unprotected", "header"])
def test_header_member_not_an_object_is_malformed(member: str, value: Any, kek: JWK) -> None:
    document = sealed_document(**GOOD)
    document[member] = value
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


@pytest.mark.parametrize("recipients", [[], {}, "x", None, 1, [1], ["x"], [[]], [{}, None]])
def test_recipients_not_a_non_empty_array_of_objects_is_malformed(
    recipients: Any, kek: JWK
) -> None:
    document = sealed_document(**GOOD, flatten=False)
    document["recipients"] = recipients
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


@pytest.mark.parametrize("member", ["header", "encrypted_key"])
def test_recipients_mixed_with_flattened_members_is_malformed(member: str, kek: JWK) -> None:
    document = sealed_document(**GOOD, flatten=False)
    document[member] = document["recipients"][0][member]
    expect(MalformedError, lambda: jwe.decrypt_json(document, kek))


def test_recipient_count_limit(kek: JWK) -> None:
    document = sealed_document(**GOOD, flatten=False)
    document["recipients"] = document["recipients"] * 16
    assert jwe.decrypt_json(document, kek).plaintext == PLAINTEXT
    document["recipients"] = document["recipients"] + document["recipients"][:1]
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(document, kek))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_recipients"
    assert error.maximum == 16
    document["recipients"] = document["recipients"][:1] * 10_000
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(json.dumps(document), kek))
    assert isinstance(error, LimitExceededError)
    assert error.limit in ("max_recipients", "max_token_bytes")


# -- the JSON text itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "null",
        "1",
        '"x"',
        "",
        "{",
        '{"iv":"AAAA","iv":"AAAA"}',
        '{"\\u0069v":"AAAA","iv":"AAAA"}',
        '{"protected":NaN}',
        '{"a":Infinity}',
        '{"a":1e999}',
    ],
)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_bad_json_text_is_malformed(text: str, as_bytes: bool, kek: JWK) -> None:
    given: str | bytes = text.encode() if as_bytes else text
    expect(MalformedError, lambda: jwe.decrypt_json(given, kek))


def test_duplicate_member_in_document_is_malformed(kek: JWK) -> None:
    document = sealed_document(**GOOD)
    text = json.dumps(document)
    doubled = text[:-1] + ', "tag": ' + json.dumps(document["tag"]) + "}"
    expect(MalformedError, lambda: jwe.decrypt_json(doubled, kek))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_non_utf8_document_is_malformed(encoding: str, kek: JWK) -> None:
    text = json.dumps(sealed_document(**GOOD))
    expect(MalformedError, lambda: jwe.decrypt_json(text.encode(encoding), kek))


def test_trailing_data_after_document_is_malformed(kek: JWK) -> None:
    text = json.dumps(sealed_document(**GOOD))
    expect(MalformedError, lambda: jwe.decrypt_json(text + "x", kek))
    expect(MalformedError, lambda: jwe.decrypt_json(text + "{}", kek))


def test_deep_nesting_in_document_is_a_limit(kek: JWK) -> None:
    document = sealed_document(**GOOD)
    text = json.dumps(document)[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert len(text) < 256 * 1024
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(text, kek))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"
    # Headers are nested in the document, but a header deeper than the limit is still refused.
    deep_header = sealed_document(**GOOD)
    deep_header["header"] = {"alg": "A128KW", "x": json.loads("[" * 40 + "]" * 40)}
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(json.dumps(deep_header), kek))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"


@pytest.mark.parametrize("as_bytes", [False, True])
def test_oversized_document_is_refused_before_parsing(as_bytes: bool, kek: JWK) -> None:
    text = " " * (256 * 1024) + json.dumps(sealed_document(**GOOD))
    given: str | bytes = text.encode() if as_bytes else text
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(given, kek))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_token_bytes"


def test_compact_token_is_not_a_json_document(kek: JWK) -> None:
    token = jwe.encrypt_compact(PLAINTEXT, kek, alg="A128KW", enc="A128GCM")
    expect(MalformedError, lambda: jwe.decrypt_json(token, kek), PLAINTEXT)
    expect(MalformedError, lambda: jwe.decrypt_json(token.encode(), kek), PLAINTEXT)


@pytest.mark.parametrize("value", [None, 5, 1.5, [], ["x"], ("x",), True])
def test_document_of_another_type_is_malformed(value: Any, kek: JWK) -> None:
    # As decrypt_compact does for a non-text token: bad input, not a Python TypeError.
    expect(MalformedError, lambda: jwe.decrypt_json(value, kek))


# -- integrity of the protected parts -------------------------------------------------------------


def test_aad_is_authenticated(kek: JWK) -> None:
    document = sealed_document(**GOOD, aad=b"original")
    changed = {**document, "aad": b64u(b"modified")}
    expect(DecryptionError, lambda: jwe.decrypt_json(changed, kek), PLAINTEXT)
    dropped = {k: v for k, v in document.items() if k != "aad"}
    expect(DecryptionError, lambda: jwe.decrypt_json(dropped, kek), PLAINTEXT)
    added = sealed_document(**GOOD)
    added["aad"] = b64u(b"x")
    expect(DecryptionError, lambda: jwe.decrypt_json(added, kek), PLAINTEXT)
    empty = {**sealed_document(**GOOD), "aad": ""}
    expect(DecryptionError, lambda: jwe.decrypt_json(empty, kek), PLAINTEXT)


def test_protected_header_is_authenticated_as_received(kek: JWK) -> None:
    document = sealed_document(**GOOD)
    reencoded = {**document, "protected": encode_header(b'{"enc": "A128GCM"}')}
    expect(DecryptionError, lambda: jwe.decrypt_json(reencoded, kek), PLAINTEXT)
    # A protected header with JSON whitespace decrypts: the AAD is what was received.
    spaced = sealed_document(protected=None, header={"alg": "A128KW"})
    cek, iv = os.urandom(16), os.urandom(12)
    encoded = encode_header(b'{ "enc" : "A128GCM" }')
    ciphertext, tag = content_encrypt("A128GCM", cek, iv, PLAINTEXT, encoded.encode())
    spaced.update(
        protected=encoded,
        encrypted_key=b64u(aes_kw(KEK, cek)),
        iv=b64u(iv),
        ciphertext=b64u(ciphertext),
        tag=b64u(tag),
    )
    assert jwe.decrypt_json(spaced, kek).plaintext == PLAINTEXT


def test_moving_enc_out_of_the_protected_header_fails(kek: JWK) -> None:
    document = sealed_document(**GOOD)
    moved = {**document, "protected": "", "unprotected": {"enc": "A128GCM"}}
    expect(DecryptionError, lambda: jwe.decrypt_json(moved, kek), PLAINTEXT)
    del moved["protected"]
    expect(DecryptionError, lambda: jwe.decrypt_json(moved, kek), PLAINTEXT)


def test_a_malformed_recipient_refuses_the_whole_jwe_even_if_another_opens() -> None:
    from jose_ref import JWK, jwe
    from jose_ref.errors import MalformedError

    first, second = JWK.generate("oct", size=128), JWK.generate("oct", size=256)
    token = jwe.encrypt_json(
        b"x", [(first, {"alg": "A128KW"}), (second, {"alg": "A256KW"})], enc="A128GCM"
    )
    assert jwe.decrypt_json(token, second).plaintext == b"x"
    # "enc" is protected; repeating it in the first recipient's header breaks RFC 7516 s7.2.1.
    token["recipients"][0]["header"]["enc"] = "A128GCM"
    with pytest.raises(MalformedError):
        jwe.decrypt_json(token, second)


def test_a_recipient_without_a_key_of_ours_is_skipped() -> None:
    from jose_ref import JWK, jwe

    ours, theirs = JWK.generate("oct", size=256), JWK.generate("RSA")
    token = jwe.encrypt_json(
        b"x", [(theirs.public(), {"alg": "RSA-OAEP"}), (ours, {"alg": "A256KW"})], enc="A128GCM"
    )
    result = jwe.decrypt_json(token, ours)
    assert (result.plaintext, result.recipient_index) == (b"x", 1)


def _hand_built_general(recipients: list[tuple[str, bytes]]) -> dict[str, Any]:
    """A general JSON JWE (A128GCM) to several recipients, each (alg, encrypted key)."""
    cek, iv = os.urandom(16), os.urandom(12)
    encoded = encode_header({"enc": "A128GCM"})
    ciphertext, tag = content_encrypt("A128GCM", cek, iv, PLAINTEXT, encoded.encode("ascii"))
    return {
        "protected": encoded,
        "recipients": [
            {"header": {"alg": alg}, "encrypted_key": b64u(encrypted_key)}
            for alg, encrypted_key in recipients
        ],
        "iv": b64u(iv),
        "ciphertext": b64u(ciphertext),
        "tag": b64u(tag),
    }


def test_every_recipient_skipped_raises_the_first_reason() -> None:
    # RFC 7516 s5.2 step 7: recipients we hold no usable key for are skipped; when all of
    # them are, the first reason is reported (not the opaque DecryptionError, which is
    # kept for failures after a key was tried), and nothing was decrypted.
    cek = os.urandom(16)
    rsa_oaep = [
        (alg, rsa_private(2048, slot).public_key().encrypt(cek, oaep(alg)))
        for slot, alg in enumerate(("RSA-OAEP", "RSA-OAEP-256"))
    ]
    document = _hand_built_general(rsa_oaep)
    ours = oct_jwk(os.urandom(16))
    with mock.patch.object(
        content_encryption, "decrypt", side_effect=AssertionError("content decrypted")
    ):
        # A lone oct key: it cannot serve RSA-OAEP (RFC 8725 s3.1).
        error = expect(InvalidKeyError, lambda: jwe.decrypt_json(document, ours), PLAINTEXT)
        assert '"RSA-OAEP"' in str(error)  # the first recipient's, not "RSA-OAEP-256"
        # A key set: no key of it fits.
        error = expect(
            KeyNotFoundError, lambda: jwe.decrypt_json(document, JWKSet([ours])), PLAINTEXT
        )
        assert '"RSA-OAEP"' in str(error)
        # Two different reasons: whichever recipient comes first gives the error.
        unknown = ("A999KW", os.urandom(24))
        mixed = _hand_built_general([rsa_oaep[0], unknown])
        expect(InvalidKeyError, lambda: jwe.decrypt_json(mixed, ours))
        mixed = _hand_built_general([unknown, rsa_oaep[0]])
        expect(UnsupportedAlgorithmError, lambda: jwe.decrypt_json(mixed, ours))
