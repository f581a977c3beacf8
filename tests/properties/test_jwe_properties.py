"""Hypothesis properties of JWE (SECURITY.md "Test techniques", issue 3 "Bad input").

- Round trip for every alg x enc x key type x serialization (compact, JSON
  general, JSON flattened): the matrix is parametrized and hypothesis varies
  the plaintext and the JWE AAD; one more test draws whole cells at random.
- Any single bit flip, truncation, insertion or splice of a valid compact
  token or of a valid JSON serialization raises a JoseError and never returns
  plaintext.
- Random RSA1_5 encrypted keys, AES-KW encrypted keys and tags all give the
  identical DecryptionError.
- Header-schema fuzz (wrong types, huge strings, deep nesting) only ever
  raises JoseError; limits accept iff the value is within the bound.
"""

from __future__ import annotations

import dataclasses
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jose_ref import JWK, Limits, jwe
from jose_ref.errors import DecryptionError, JoseError, LimitExceededError
from tests.jwe import (
    ENC_NAMES,
    ENCS,
    aes_kw,
    assert_clean,
    assert_opaque,
    b64u,
    oct_jwk,
    pbes2_kek,
    rsa_jwk,
    seal,
    with_part,
)

PASSWORD = b"a password, not a key"
SERIALIZATIONS = ("compact", "general", "flattened")
FAST = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
BROAD = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def _keys() -> dict[str, JWK]:
    keys = {
        "RSA": rsa_jwk(2048, 4),
        "P-256": JWK.from_key_object(ec.generate_private_key(ec.SECP256R1())),
        "P-384": JWK.from_key_object(ec.generate_private_key(ec.SECP384R1())),
        "P-521": JWK.from_key_object(ec.generate_private_key(ec.SECP521R1())),
        "X25519": JWK.from_key_object(x25519.X25519PrivateKey.generate()),
        "X448": JWK.from_key_object(x448.X448PrivateKey.generate()),
        "password": oct_jwk(PASSWORD),
    }
    for size in (16, 24, 32):
        keys[f"oct{size * 8}"] = oct_jwk(os.urandom(size))
    for enc, (cek_bytes, _, _, _) in ENCS.items():
        keys[f"dir-{enc}"] = oct_jwk(os.urandom(cek_bytes))
    return keys


KEYS = _keys()


def _cells() -> list[tuple[str, str]]:
    cells = [(alg, "RSA") for alg in ("RSA1_5", "RSA-OAEP", "RSA-OAEP-256")]
    cells += [(alg, "RSA") for alg in ("RSA-OAEP-384", "RSA-OAEP-512")]
    for bits in (128, 192, 256):
        cells += [(f"A{bits}KW", f"oct{bits}"), (f"A{bits}GCMKW", f"oct{bits}")]
    cells.append(("dir", "dir"))
    for crv in ("P-256", "P-384", "P-521", "X25519", "X448"):
        cells += [
            (a, crv) for a in ("ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW")
        ]
    cells += [
        ("PBES2-HS256+A128KW", "password"),
        ("PBES2-HS384+A192KW", "password"),
        ("PBES2-HS512+A256KW", "password"),
    ]
    return cells


CELLS = _cells()


def key_for(key_name: str, enc: str) -> JWK:
    return KEYS[f"dir-{enc}"] if key_name == "dir" else KEYS[key_name]


def allowed(alg: str) -> list[str] | None:
    return [alg] if alg == "RSA1_5" or alg.startswith("PBES2") else None


def encrypt(
    serialization: str,
    plaintext: bytes,
    alg: str,
    key: JWK,
    enc: str,
    aad: bytes | None,
    zip_: bool = False,
) -> Any:
    recipient_key = key if key.kty == "oct" else key.public()
    # p2c 1000 (the RFC 7518 s4.8.1.2 minimum) keeps PBES2 cells fast.
    extra = {"p2c": 1000} if alg.startswith("PBES2") else {}
    if serialization == "compact":
        return jwe.encrypt_compact(
            plaintext, recipient_key, alg=alg, enc=enc, header=extra, zip="DEF" if zip_ else None
        )
    return jwe.encrypt_json(
        plaintext,
        [(recipient_key, {"alg": alg, **extra})],
        enc=enc,
        protected={"zip": "DEF"} if zip_ else None,
        unprotected={"cty": "application/octet-stream"},
        aad=aad,
        flatten=serialization == "flattened",
    )


def decrypt(serialization: str, token: Any, key: JWK, alg: str) -> jwe.Decrypted:
    if serialization == "compact":
        return jwe.decrypt_compact(token, key, algorithms=allowed(alg))
    return jwe.decrypt_json(token, key, algorithms=allowed(alg))


# -- round trip ------------------------------------------------------------------------------------


@pytest.mark.parametrize("serialization", SERIALIZATIONS)
@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize(("alg", "key_name"), CELLS, ids=[f"{a}-{k}" for a, k in CELLS])
@FAST
@given(plaintext=st.binary(max_size=200), aad=st.none() | st.binary(max_size=40))
def test_round_trip_every_cell(
    alg: str, key_name: str, enc: str, serialization: str, plaintext: bytes, aad: bytes | None
) -> None:
    key = key_for(key_name, enc)
    token = encrypt(serialization, plaintext, alg, key, enc, aad)
    result = decrypt(serialization, token, key, alg)
    assert result.plaintext == plaintext
    assert (result.header["alg"], result.header["enc"]) == (alg, enc)
    assert result.key is key
    if serialization != "compact":
        assert result.aad == aad
        assert result.header["cty"] == "application/octet-stream"
        # The JSON text form gives the same result as the object.
        assert decrypt(serialization, json.dumps(token), key, alg).plaintext == plaintext


@BROAD
@given(
    cell=st.sampled_from(CELLS),
    enc=st.sampled_from(ENC_NAMES),
    serialization=st.sampled_from(SERIALIZATIONS),
    plaintext=st.binary(max_size=2000) | st.text(max_size=200).map(str.encode),
    aad=st.none() | st.binary(max_size=100),
    zip_=st.booleans(),
)
def test_round_trip_random_cells(
    cell: tuple[str, str],
    enc: str,
    serialization: str,
    plaintext: bytes,
    aad: bytes | None,
    zip_: bool,
) -> None:
    alg, key_name = cell
    key = key_for(key_name, enc)
    token = encrypt(serialization, plaintext, alg, key, enc, aad, zip_)
    result = decrypt(serialization, token, key, alg)
    assert result.plaintext == plaintext
    assert ("zip" in result.header) is zip_


# -- mutations of valid tokens ---------------------------------------------------------------------


def _compact_tokens() -> list[tuple[str, JWK, list[str] | None]]:
    made = []
    for alg, key_name, enc, zip_ in (
        ("dir", "dir", "A128GCM", False),
        ("dir", "dir", "A256CBC-HS512", True),
        ("A128KW", "oct128", "A128CBC-HS256", False),
        ("A256GCMKW", "oct256", "A192GCM", False),
        ("RSA-OAEP-256", "RSA", "A256GCM", False),
        ("RSA1_5", "RSA", "A192CBC-HS384", False),
        ("ECDH-ES", "P-256", "A128GCM", False),
        ("ECDH-ES+A128KW", "X25519", "A256GCM", False),
        ("PBES2-HS256+A128KW", "password", "A128GCM", False),
    ):
        key = key_for(key_name, enc)
        for text in (b"first plaintext", b"second, longer plaintext"):
            token = encrypt("compact", text, alg, key, enc, None, zip_)
            made.append((token, key, allowed(alg)))
    return made


COMPACT = _compact_tokens()
VALID_COMPACT = {token for token, _, _ in COMPACT}
INSERTABLE = st.sampled_from(list('Aa0_-.=+/ \n\x00é\u0660{}"')) | st.characters()


def must_fail(call: Any) -> None:
    """The call raises a JoseError (anything else propagates) and returns no plaintext."""
    try:
        result = call()
    except JoseError as error:
        assert_clean(error, b"first plaintext", b"second, longer plaintext")
        if isinstance(error, DecryptionError):
            assert_opaque(error)
        return
    pytest.fail(f"a mutated token decrypted to {result.plaintext!r}")


def _compact(index: int) -> tuple[str, JWK, list[str] | None]:
    return COMPACT[index]


token_index = st.integers(0, len(COMPACT) - 1)


@BROAD
@given(which=token_index, data=st.data())
def test_any_bit_flip_of_a_compact_token_fails(which: int, data: st.DataObject) -> None:
    token, key, algorithms = _compact(which)
    position = data.draw(st.integers(0, len(token) - 1))
    bit = data.draw(st.integers(0, 7))
    mutated = token[:position] + chr(ord(token[position]) ^ (1 << bit)) + token[position + 1 :]
    must_fail(lambda: jwe.decrypt_compact(mutated, key, algorithms=algorithms))
    raw = bytearray(token.encode("ascii"))
    raw[position] ^= 1 << bit
    must_fail(lambda: jwe.decrypt_compact(bytes(raw), key, algorithms=algorithms))


@BROAD
@given(which=token_index, data=st.data())
def test_any_truncation_of_a_compact_token_fails(which: int, data: st.DataObject) -> None:
    token, key, algorithms = _compact(which)
    start = data.draw(st.integers(0, len(token) - 1))
    end = data.draw(st.integers(start, len(token)))
    assume((start, end) != (0, len(token)))
    for mutated in (token[:end] if end < len(token) else token[:start], token[start:end]):
        if mutated != token:
            must_fail(
                lambda mutated=mutated: jwe.decrypt_compact(mutated, key, algorithms=algorithms)
            )


@BROAD
@given(which=token_index, data=st.data(), inserted=st.text(INSERTABLE, min_size=1, max_size=3))
def test_any_insertion_into_a_compact_token_fails(
    which: int, data: st.DataObject, inserted: str
) -> None:
    token, key, algorithms = _compact(which)
    position = data.draw(st.integers(0, len(token)))
    mutated = token[:position] + inserted + token[position:]
    must_fail(lambda: jwe.decrypt_compact(mutated, key, algorithms=algorithms))


@BROAD
@given(first=token_index, second=token_index, data=st.data())
def test_any_splice_of_two_compact_tokens_fails(
    first: int, second: int, data: st.DataObject
) -> None:
    a, key_a, algorithms_a = _compact(first)
    b, key_b, algorithms_b = _compact(second)
    cut_a = data.draw(st.integers(0, len(a)))
    cut_b = data.draw(st.integers(0, len(b)))
    spliced = a[:cut_a] + b[cut_b:]
    assume(spliced not in VALID_COMPACT)
    must_fail(lambda: jwe.decrypt_compact(spliced, key_a, algorithms=algorithms_a))
    must_fail(lambda: jwe.decrypt_compact(spliced, key_b, algorithms=algorithms_b))


@BROAD
@given(which=token_index, data=st.data())
def test_splicing_whole_parts_between_tokens_fails(which: int, data: st.DataObject) -> None:
    token, key, algorithms = _compact(which)
    donor, _, _ = _compact(data.draw(token_index))
    part = data.draw(st.integers(0, 4))
    mutated = with_part(token, part, donor.split(".")[part])
    assume(mutated not in VALID_COMPACT)
    must_fail(lambda: jwe.decrypt_compact(mutated, key, algorithms=algorithms))


def _json_documents() -> list[tuple[str, JWK, list[str] | None]]:
    made = []
    for alg, key_name, enc, flatten, aad in (
        ("A128KW", "oct128", "A128GCM", True, b"extra"),
        ("A128KW", "oct128", "A128CBC-HS256", False, None),
        ("RSA-OAEP", "RSA", "A256GCM", False, b"aad"),
        ("ECDH-ES", "P-384", "A192CBC-HS384", True, None),
        ("dir", "dir", "A256GCM", False, b"x"),
    ):
        key = key_for(key_name, enc)
        recipient_key = key if key.kty == "oct" else key.public()
        # Every header member protected: any change must break the tag.
        document = jwe.encrypt_json(
            b"first plaintext",
            [(recipient_key, {})],
            enc=enc,
            protected={"alg": alg},
            aad=aad,
            flatten=flatten,
        )
        made.append((json.dumps(document), key, allowed(alg)))
    return made


DOCUMENTS = _json_documents()
document_index = st.integers(0, len(DOCUMENTS) - 1)


def _meaning(text: str) -> Any:
    """What a JSON serialization says (RFC 7516 s7.2): unknown members are ignored, and one
    recipient without header or key reads the same in the general and flattened syntax."""
    document = json.loads(text)
    if not isinstance(document, dict):
        return document
    entries = document.get("recipients", [document])
    recipients = tuple(
        (json.dumps(e.get("header"), sort_keys=True), e.get("encrypted_key", ""))
        if isinstance(e, dict)
        else e
        for e in (entries if isinstance(entries, list) else [entries])
    )
    known = ("protected", "unprotected", "aad", "iv", "ciphertext", "tag")
    return (json.dumps({k: document.get(k) for k in known}, sort_keys=True), recipients)


def _same_document(text: str, original: str) -> bool:
    try:
        return bool(_meaning(text) == _meaning(original))
    except (ValueError, TypeError):
        return False


@BROAD
@given(which=document_index, data=st.data())
def test_any_mutation_of_a_json_serialization_fails(which: int, data: st.DataObject) -> None:
    text, key, algorithms = DOCUMENTS[which]
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "splice"]))
    position = data.draw(st.integers(0, len(text) - 1))
    if kind == "flip":
        bit = data.draw(st.integers(0, 7))
        mutated = text[:position] + chr(ord(text[position]) ^ (1 << bit)) + text[position + 1 :]
    elif kind == "truncate":
        mutated = text[:position]
    elif kind == "insert":
        mutated = (
            text[:position]
            + data.draw(st.text(INSERTABLE, min_size=1, max_size=3))
            + text[position:]
        )
    else:
        donor = DOCUMENTS[data.draw(document_index)][0]
        mutated = text[:position] + donor[data.draw(st.integers(0, len(donor))) :]
    # Whitespace between JSON tokens changes nothing: such a mutation is the same document.
    assume(not _same_document(mutated, text))
    assume(all(not _same_document(mutated, other) for other, _, _ in DOCUMENTS))
    must_fail(lambda: jwe.decrypt_json(mutated, key, algorithms=algorithms))
    must_fail(
        lambda: jwe.decrypt_json(
            mutated.encode("utf-8", "surrogatepass"), key, algorithms=algorithms
        )
    )


@BROAD
@given(which=document_index, data=st.data())
def test_any_change_to_an_authenticated_member_fails(which: int, data: st.DataObject) -> None:
    text, key, algorithms = DOCUMENTS[which]
    document = json.loads(text)
    members = [
        m for m in ("protected", "aad", "iv", "ciphertext", "tag", "encrypted_key") if m in document
    ]
    member = data.draw(st.sampled_from(members))
    value = document[member]
    replacement = data.draw(
        st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=60)
    )
    assume(replacement != value)
    must_fail(
        lambda: jwe.decrypt_json({**document, member: replacement}, key, algorithms=algorithms)
    )


# -- one error for random key-management and tag inputs -------------------------------------------


def _reference_error() -> tuple[Any, ...]:
    try:
        jwe.decrypt_compact(
            seal({"alg": "dir", "enc": "A128GCM"}, cek=os.urandom(16), plaintext=b""),
            oct_jwk(os.urandom(16)),
        )
    except DecryptionError as error:
        return _identity(error)
    raise AssertionError("expected a DecryptionError")


def _identity(error: BaseException) -> tuple[Any, ...]:
    return (type(error), str(error), repr(error), error.args, error.__cause__, error.__context__)


REFERENCE = _reference_error()
RSA1_5_TEMPLATE = seal({"alg": "RSA1_5", "enc": "A128GCM"}, cek=os.urandom(16), plaintext=b"p")
KW_TEMPLATE = seal({"alg": "A128KW", "enc": "A128GCM"}, cek=os.urandom(16), plaintext=b"p")


def _error_of(call: Any) -> tuple[Any, ...]:
    with pytest.raises(DecryptionError) as info:
        call()
    return _identity(info.value)


@BROAD
@given(encrypted_key=st.binary(min_size=256, max_size=256) | st.binary(max_size=300))
def test_random_rsa1_5_encrypted_keys_give_one_error(encrypted_key: bytes) -> None:
    token = with_part(RSA1_5_TEMPLATE, 1, b64u(encrypted_key))
    assert (
        _error_of(lambda: jwe.decrypt_compact(token, KEYS["RSA"], algorithms=["RSA1_5"]))
        == REFERENCE
    )


@BROAD
@given(encrypted_key=st.binary(max_size=64), kek=st.binary(min_size=16, max_size=16))
def test_random_aes_kw_encrypted_keys_give_one_error(encrypted_key: bytes, kek: bytes) -> None:
    token = with_part(KW_TEMPLATE, 1, b64u(encrypted_key))
    assert _error_of(lambda: jwe.decrypt_compact(token, oct_jwk(kek))) == REFERENCE


@BROAD
@given(enc=st.sampled_from(ENC_NAMES), tag=st.binary(max_size=80), data=st.data())
def test_random_tags_give_one_error(enc: str, tag: bytes, data: st.DataObject) -> None:
    cek = os.urandom(ENCS[enc][0])
    plaintext = data.draw(st.binary(max_size=64))
    token = with_part(seal({"alg": "dir", "enc": enc}, cek=cek, plaintext=plaintext), 4, b64u(tag))
    assert _error_of(lambda: jwe.decrypt_compact(token, oct_jwk(cek))) == REFERENCE


# -- header-schema fuzz ---------------------------------------------------------------------------

NAMES = [
    "alg",
    "enc",
    "zip",
    "kid",
    "crit",
    "epk",
    "apu",
    "apv",
    "p2s",
    "p2c",
    "iv",
    "tag",
    "jwk",
    "x5c",
    "cty",
    "b64",
]
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "dir",
            "A256GCM",
            "DEF",
            "RSA1_5",
            "ECDH-ES",
            "PBES2-HS256+A128KW",
            "A128KW",
            "A128GCMKW",
            "x" * 9000,
        ]
    )
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
deep = st.integers(0, 60).map(lambda n: json.loads("[" * n + "]" * n) if n else 0)
FUZZ_SECRET = os.urandom(32)


@BROAD
@given(
    header=st.dictionaries(
        st.sampled_from(NAMES) | st.text(max_size=4), json_values | deep, max_size=8
    ),
    base=st.booleans(),
)
def test_header_fuzz_only_raises_jose_errors(header: dict[str, Any], base: bool) -> None:
    if base:
        header = {"alg": "dir", "enc": "A256GCM", **header}
    token = seal(header, cek=FUZZ_SECRET, plaintext=b"fuzz", enc="A256GCM")
    for key in (oct_jwk(FUZZ_SECRET), KEYS["P-256"], KEYS["oct128"]):
        try:
            result = jwe.decrypt_compact(token, key, algorithms=None)
        except JoseError:
            continue
        # Only a header that really is dir + A256GCM (plus harmless members) may decrypt.
        assert result.plaintext == b"fuzz"
        assert (header.get("alg"), header.get("enc")) == ("dir", "A256GCM")


# -- limits: accepted iff within ------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(padding=st.integers(0, 3000), bound=st.integers(40, 3100))
def test_header_size_accepted_iff_within_the_limit(padding: int, bound: int) -> None:
    secret = os.urandom(16)
    header = {"alg": "dir", "enc": "A128GCM", "x": "p" * padding}
    size = len(json.dumps(header, separators=(",", ":")))
    token = seal(header, cek=secret, plaintext=b"ok")
    limits = dataclasses.replace(Limits(), max_header_bytes=bound)
    if size <= bound:
        assert jwe.decrypt_compact(token, oct_jwk(secret), limits=limits).plaintext == b"ok"
    else:
        with pytest.raises(LimitExceededError) as info:
            jwe.decrypt_compact(token, oct_jwk(secret), limits=limits)
        assert info.value.limit == "max_header_bytes"


@settings(max_examples=100, deadline=None)
@given(size=st.integers(0, 2000), slack=st.integers(-50, 50))
def test_token_size_accepted_iff_within_the_limit(size: int, slack: int) -> None:
    secret = os.urandom(16)
    token = seal({"alg": "dir", "enc": "A128GCM"}, cek=secret, plaintext=bytes(size))
    bound = max(1, len(token) + slack)
    limits = dataclasses.replace(Limits(), max_token_bytes=bound)
    if len(token) <= bound:
        assert jwe.decrypt_compact(token, oct_jwk(secret), limits=limits).plaintext == bytes(size)
    else:
        with pytest.raises(LimitExceededError) as info:
            jwe.decrypt_compact(token, oct_jwk(secret), limits=limits)
        assert info.value.limit == "max_token_bytes"


@settings(max_examples=60, deadline=None)
@given(p2c=st.integers(1, 64), bound=st.integers(1, 64))
def test_pbes2_count_accepted_iff_within_the_limit(p2c: int, bound: int) -> None:
    alg = "PBES2-HS256+A128KW"
    p2s, cek = os.urandom(8), os.urandom(16)
    kek = pbes2_kek(alg, PASSWORD, p2s, p2c)
    header = {"alg": alg, "enc": "A128GCM", "p2s": b64u(p2s), "p2c": p2c}
    token = seal(header, cek=cek, plaintext=b"ok", encrypted_key=aes_kw(kek, cek))
    limits = dataclasses.replace(Limits(), max_pbes2_count=bound)
    if p2c <= bound:
        assert (
            jwe.decrypt_compact(token, KEYS["password"], algorithms=[alg], limits=limits).plaintext
            == b"ok"
        )
    else:
        with pytest.raises(LimitExceededError) as info:
            jwe.decrypt_compact(token, KEYS["password"], algorithms=[alg], limits=limits)
        assert info.value.limit == "max_pbes2_count"


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 20), bound=st.integers(1, 20))
def test_recipient_count_accepted_iff_within_the_limit(count: int, bound: int) -> None:
    key = KEYS["oct128"]
    cek = os.urandom(16)
    token = seal({"enc": "A128GCM"}, cek=cek, plaintext=b"ok")
    protected, _, iv, ciphertext, tag = token.split(".")
    entry = {"header": {"alg": "A128KW"}, "encrypted_key": b64u(aes_kw(key.secret, cek))}
    document = {
        "protected": protected,
        "recipients": [entry] * count,
        "iv": iv,
        "ciphertext": ciphertext,
        "tag": tag,
    }
    limits = dataclasses.replace(Limits(), max_recipients=bound)
    if count <= bound:
        assert jwe.decrypt_json(document, key, limits=limits).plaintext == b"ok"
    else:
        with pytest.raises(LimitExceededError) as info:
            jwe.decrypt_json(document, key, limits=limits)
        assert info.value.limit == "max_recipients"
