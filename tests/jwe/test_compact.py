"""RFC 7516 s7.1 - The JWE compact serialization: structure, encoding and header parsing.

Every attack token here is built by hand (base64url of a crafted header and
parts, content sealed with cryptography's AESGCM under the right AAD), so a
refusal can only come from the check under test, never from a broken tag.
SECURITY.md "Structure and encoding", JWE side.
"""

from __future__ import annotations

import dataclasses
import json
import os
from unittest import mock

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import JWK, JWKSet, Limits, jwe
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jwe import key_management
from tests.jwe import (
    aes_kw,
    b64u,
    encode_header,
    expect,
    header_of,
    oct_jwk,
    seal,
    ub64u,
    with_part,
)

SECRET = bytes(range(32))
KEK = bytes(range(100, 116))
PLAINTEXT = b"the plaintext must never leak"
DIR = {"alg": "dir", "enc": "A256GCM"}


@pytest.fixture(scope="module")
def key() -> JWK:
    return oct_jwk(SECRET)


@pytest.fixture(scope="module")
def kek() -> JWK:
    return oct_jwk(KEK)


def dir_token(header: dict[str, object] | bytes, plaintext: bytes = PLAINTEXT) -> str:
    """dir + A256GCM under SECRET, sealed with the right AAD for `header`."""
    return seal(header, cek=SECRET, plaintext=plaintext, enc="A256GCM")


def kw_token(plaintext: bytes = PLAINTEXT) -> str:
    """A128KW + A128GCM: every one of the five parts is non-empty."""
    cek = os.urandom(16)
    return seal(
        {"alg": "A128KW", "enc": "A128GCM"},
        cek=cek,
        plaintext=plaintext,
        encrypted_key=aes_kw(KEK, cek),
    )


# -- what a valid token gives --------------------------------------------------------------------


def test_hand_built_token_decrypts(key: JWK) -> None:
    result = jwe.decrypt_compact(dir_token(DIR), key)
    assert result.plaintext == PLAINTEXT
    assert result.header == DIR
    assert result.key is key
    assert (result.aad, result.recipient_index) == (None, 0)


def test_the_result_is_immutable(key: JWK) -> None:
    result = jwe.decrypt_compact(dir_token(DIR), key)
    with pytest.raises(AttributeError):
        result.plaintext = b"changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.key = key  # type: ignore[misc]
    assert result.plaintext == PLAINTEXT


def test_bytes_token_decrypts(kek: JWK) -> None:
    assert jwe.decrypt_compact(kw_token().encode("ascii"), kek).plaintext == PLAINTEXT


def test_header_with_json_whitespace_decrypts(key: JWK) -> None:
    # The AAD is the received encoded header, whatever its JSON layout (RFC 7516 s5.2 step 15).
    raw = b'{ "alg" :\n"dir",\t"enc": "A256GCM"  }'
    result = jwe.decrypt_compact(dir_token(raw), key)
    assert result.plaintext == PLAINTEXT
    assert result.header == DIR


def test_encrypt_compact_is_readable_with_cryptography_alone(key: JWK) -> None:
    token = jwe.encrypt_compact(PLAINTEXT, key, alg="dir", enc="A256GCM", header={"kid": "k1"})
    encoded_header, encrypted_key, iv, ciphertext, tag = token.split(".")
    assert json.loads(ub64u(encoded_header)) == {"alg": "dir", "enc": "A256GCM", "kid": "k1"}
    assert encrypted_key == ""
    assert len(ub64u(iv)) == 12
    assert len(ub64u(tag)) == 16
    opened = AESGCM(SECRET).decrypt(
        ub64u(iv), ub64u(ciphertext) + ub64u(tag), encoded_header.encode("ascii")
    )
    assert opened == PLAINTEXT


def test_encrypt_adds_the_key_kid() -> None:
    token = jwe.encrypt_compact(b"x", oct_jwk(SECRET, kid="mine"), alg="dir", enc="A256GCM")
    assert header_of(token)["kid"] == "mine"


def test_str_plaintext_is_utf8(key: JWK) -> None:
    token = jwe.encrypt_compact("blåbærsyltetøy", key, alg="dir", enc="A256GCM")
    assert jwe.decrypt_compact(token, key).plaintext == "blåbærsyltetøy".encode()


# -- part count (RFC 7516 s7.1) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "",
        ".",
        "..",
        "...",
        "a",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "a.b.c.d.e.f",
        "a.b.c.d.e.f.g.h.i.j",
        "......",
    ],
)
def test_wrong_part_count_is_malformed(token: str, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(token, key))


@pytest.mark.parametrize("dots", [0, 1, 2, 3, 5, 6, 9])
@pytest.mark.parametrize("layout", ["inner", "leading", "trailing", "adjacent"])
def test_part_count_message_counts_every_dot(dots: int, layout: str, key: JWK) -> None:
    # The periods are found one after another; wherever they sit, the message gives the
    # number of parts str.split would give (an independent count).
    token = {
        "inner": ".".join(["AAAA"] * (dots + 1)),
        "leading": "." * dots + "AAAA",
        "trailing": "AAAA" + "." * dots,
        "adjacent": "AA" + "." * dots + "AA",
    }[layout]
    error = expect(MalformedError, lambda: jwe.decrypt_compact(token, key))
    assert f"expected 5 parts, got {len(token.split('.'))}" in str(error)


def test_five_empty_parts_is_malformed(key: JWK) -> None:
    # Dots only with the right count: the empty header is not a JSON object.
    expect(MalformedError, lambda: jwe.decrypt_compact("....", key))


def test_a_jws_is_not_taken_for_a_jwe(key: JWK) -> None:
    jws_like = ".".join((encode_header({"alg": "HS256"}), b64u(b"{}"), b64u(os.urandom(32))))
    error = expect(MalformedError, lambda: jwe.decrypt_compact(jws_like, key))
    assert "5" in str(error)


@pytest.mark.parametrize("extra", [".", ".AAAA", "." + "A" * 22])
def test_sixth_part_is_malformed(extra: str, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(DIR) + extra, key))


def test_dropping_a_part_is_malformed(kek: JWK) -> None:
    parts = kw_token().split(".")
    for index in range(5):
        token = ".".join(parts[:index] + parts[index + 1 :])
        expect(MalformedError, lambda token=token: jwe.decrypt_compact(token, kek))


# -- size before splitting (RFC 8725 s3.9) -------------------------------------------------------


@pytest.mark.parametrize("as_bytes", [False, True])
def test_megabyte_of_dots_is_refused_by_size(as_bytes: bool, key: JWK) -> None:
    token: str | bytes = "." * (1 << 20)
    if as_bytes:
        token = token.encode()
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_token_bytes"
    assert error.maximum == 256 * 1024
    assert error.actual == 1 << 20


def test_huge_segment_is_refused_by_size(key: JWK) -> None:
    token = "A" * (64 << 20)
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_token_bytes"


def test_huge_segment_inside_a_five_part_token_is_refused_by_size(key: JWK) -> None:
    parts = dir_token(DIR).split(".")
    parts[3] = "A" * (1 << 20)
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(".".join(parts), key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_token_bytes"


# -- the base64url alphabet, strictly (RFC 7515 s2, Appendix C) ----------------------------------

BAD_CHARACTERS = [" ", "+", "/", "=", "==", "\n", "\r\n", "\t", "\x00", "é", "\u0660", "\uff21"]


@pytest.mark.parametrize("part", range(5))
@pytest.mark.parametrize("character", BAD_CHARACTERS, ids=repr)
def test_character_outside_base64url_is_malformed(part: int, character: str, kek: JWK) -> None:
    token = kw_token()
    value = token.split(".")[part]
    for position in (0, len(value) // 2, len(value)):
        mutated = with_part(token, part, value[:position] + character + value[position:])
        expect(MalformedError, lambda mutated=mutated: jwe.decrypt_compact(mutated, kek))


@pytest.mark.parametrize("raw", [b"\xff", b"\x80", b"\xc3\xa9", b"\x00"])
def test_non_ascii_bytes_token_is_malformed(raw: bytes, kek: JWK) -> None:
    token = kw_token().encode("ascii")
    expect(MalformedError, lambda: jwe.decrypt_compact(token[:10] + raw + token[10:], kek))


@pytest.mark.parametrize("part", range(5))
def test_length_one_mod_four_is_malformed(part: int, kek: JWK) -> None:
    token = kw_token(b"12345")
    value = token.split(".")[part]
    # Add or drop characters until the length is 1 mod 4: no whole octet can end there.
    while len(value) % 4 != 1:
        value += "A"
    expect(MalformedError, lambda: jwe.decrypt_compact(with_part(token, part, value), kek))


@pytest.mark.parametrize("part", [0, 3, 4])
def test_unused_bits_set_is_malformed(part: int, kek: JWK) -> None:
    # Plaintext of 5 octets: ciphertext is 7 characters (3 mod 4), tag 22 (2 mod 4).
    token = kw_token(b"12345")
    if part == 0:
        # A header whose encoding is 2 or 3 mod 4, sealed validly.
        header = {"alg": "A128KW", "enc": "A128GCM", "x": ""}
        while len(encode_header(header)) % 4 == 0:
            header["x"] += "p"
        cek = os.urandom(16)
        token = seal(header, cek=cek, plaintext=b"12345", encrypted_key=aes_kw(KEK, cek))
    value = token.split(".")[part]
    assert len(value) % 4 in (2, 3)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(value[-1])
    unused = 0b1111 if len(value) % 4 == 2 else 0b11
    # Set an unused low bit of the last character: same octets, a second spelling.
    assert last & unused == 0
    tweaked = value[:-1] + alphabet[last ^ 1]
    assert ub64u(tweaked) == ub64u(value)
    expect(MalformedError, lambda: jwe.decrypt_compact(with_part(token, part, tweaked), kek))


def test_padded_part_is_malformed(kek: JWK) -> None:
    token = kw_token(b"12345")
    tag = token.split(".")[4]
    expect(MalformedError, lambda: jwe.decrypt_compact(with_part(token, 4, tag + "=="), kek))


# -- the protected header: one UTF-8 JSON object (RFC 7515 s5.2 steps 3-4) ------------------------


@pytest.mark.parametrize("raw", [b"[]", b"null", b"1", b'"s"', b"true", b"", b"   "])
def test_header_not_an_object_is_malformed(raw: bytes, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(raw), key))


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(DIR).encode("utf-16"),
        json.dumps(DIR).encode("utf-16-le"),
        json.dumps(DIR).encode("utf-16-be"),
        json.dumps(DIR).encode("utf-32"),
        b'{"alg":"dir","enc":"A256GCM","x":"\xe9"}',
        b'{"alg":"dir","enc":"A256GCM","x":"\xed\xa0\x80"}',
        b"\xef\xbb\xbf" + json.dumps(DIR).encode(),
    ],
    ids=["utf16-bom", "utf16le", "utf16be", "utf32", "latin1", "surrogate", "utf8-bom"],
)
def test_header_not_utf8_json_is_malformed(raw: bytes, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(raw), key))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"alg":"dir","alg":"dir","enc":"A256GCM"}',
        b'{"alg":"dir","\\u0061lg":"dir","enc":"A256GCM"}',
        b'{"\\u0061\\u006cg":"dir","alg":"A128KW","enc":"A256GCM"}',
        b'{"alg":"dir","enc":"A256GCM","\\u0065nc":"A128GCM"}',
        b'{"alg":"dir","enc":"A256GCM","kid":"a","kid":"b"}',
    ],
)
def test_duplicate_member_is_malformed(raw: bytes, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(raw), key))


@pytest.mark.parametrize(
    "value",
    [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b"1" * 5000],
    ids=["nan", "inf", "-inf", "1e999", "-1e999", "5000-digits"],
)
def test_non_finite_or_huge_numbers_are_malformed(value: bytes, key: JWK) -> None:
    raw = b'{"alg":"dir","enc":"A256GCM","x":' + value + b"}"
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(raw), key))


def test_100000_deep_nesting_is_a_limit_not_a_recursion_error(key: JWK) -> None:
    raw = b'{"alg":"dir","enc":"A256GCM","x":' + b"[" * 100_000
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(dir_token(raw), key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_header_bytes"
    # With the size bounds lifted the depth bound still holds, before json.loads recurses.
    roomy = dataclasses.replace(Limits(), max_token_bytes=1 << 20, max_header_bytes=1 << 20)
    raw = b'{"alg":"dir","enc":"A256GCM","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    error = expect(
        LimitExceededError, lambda: jwe.decrypt_compact(dir_token(raw), key, limits=roomy)
    )
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"


def test_nesting_just_past_the_depth_limit(key: JWK) -> None:
    within = b'{"alg":"dir","enc":"A256GCM","x":' + b"[" * 31 + b"]" * 31 + b"}"
    assert jwe.decrypt_compact(dir_token(within), key).plaintext == PLAINTEXT
    beyond = b'{"alg":"dir","enc":"A256GCM","x":' + b"[" * 32 + b"]" * 32 + b"}"
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(dir_token(beyond), key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"alg":"dir","enc":"A256GCM"}x',
        b'{"alg":"dir","enc":"A256GCM"}{}',
        b'{"alg":"dir","enc":"A256GCM"}\x00',
        b'{"alg":"dir","enc":"A256GCM"},',
        b'{"alg":"dir","enc":"A256GCM",}',
        b"{'alg':'dir','enc':'A256GCM'}",
    ],
)
def test_trailing_bytes_or_bad_json_is_malformed(raw: bytes, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(raw), key))


# -- member types and names (RFC 7516 s4.1, RFC 7515 s4.1.1: case-sensitive) ----------------------


@pytest.mark.parametrize(
    "header",
    [
        {"alg": ["dir"], "enc": "A256GCM"},
        {"alg": 1, "enc": "A256GCM"},
        {"alg": {"name": "dir"}, "enc": "A256GCM"},
        {"alg": True, "enc": "A256GCM"},
        {"alg": "dir", "enc": ["A256GCM"]},
        {"alg": "dir", "enc": 256},
        {"alg": "dir", "enc": "A256GCM", "kid": 1},
        {"alg": "dir", "enc": "A256GCM", "kid": ["a"]},
        {"alg": "dir", "enc": "A256GCM", "crit": "b64"},
        {"alg": "dir"},
        {"enc": "A256GCM"},
        {"alg": None, "enc": "A256GCM"},
        {},
    ],
    ids=lambda h: json.dumps(h),
)
def test_wrong_member_type_or_missing_member_is_malformed(
    header: dict[str, object], key: JWK
) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(header), key))


@pytest.mark.parametrize("zip_value", [1, ["DEF"], {"DEF": 1}, True])
def test_zip_of_the_wrong_type_is_malformed(zip_value: object, key: JWK) -> None:
    # A member of the wrong JSON type is a syntax error, as for "alg" and "enc".
    header = {**DIR, "zip": zip_value}
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(header), key))


@pytest.mark.parametrize(
    "header",
    [
        {"Alg": "dir", "enc": "A256GCM"},
        {"ALG": "dir", "enc": "A256GCM"},
        {"alg": "dir", "Enc": "A256GCM"},
        {"alg ": "dir", "enc": "A256GCM"},
    ],
)
def test_member_names_are_case_sensitive(header: dict[str, object], key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(dir_token(header), key))


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "DIR", "enc": "A256GCM"},
        {"alg": "Dir", "enc": "A256GCM"},
        {"alg": "dir ", "enc": "A256GCM"},
        {"alg": " dir", "enc": "A256GCM"},
        {"alg": "a128kw", "enc": "A256GCM"},
        {"alg": "rsa-oaep", "enc": "A256GCM"},
        {"alg": "none", "enc": "A256GCM"},
        {"alg": "NoNe", "enc": "A256GCM"},
        {"alg": "", "enc": "A256GCM"},
        {"alg": "HS256", "enc": "A256GCM"},
        {"alg": "dir", "enc": "A256GCM "},
        {"alg": "dir", "enc": "a256gcm"},
        {"alg": "dir", "enc": "A256gcm"},
        {"alg": "dir", "enc": "A512GCM"},
        {"alg": "dir", "enc": "A128CBC+HS256"},
        {"alg": "dir", "enc": "A256GCM\u0000"},
        {"alg": "dir", "enc": "x" * 5000},
    ],
    ids=lambda h: json.dumps(h)[:60],
)
def test_unknown_or_case_variant_algorithm_is_unsupported(
    header: dict[str, object], key: JWK
) -> None:
    error = expect(UnsupportedAlgorithmError, lambda: jwe.decrypt_compact(dir_token(header), key))
    assert len(str(error)) < 200


def test_not_allowed_enc_is_refused(key: JWK) -> None:
    token = dir_token(DIR)
    expect(
        AlgorithmNotAllowedError,
        lambda: jwe.decrypt_compact(token, key, encryptions=["A128GCM", "A256CBC-HS512"]),
    )
    assert jwe.decrypt_compact(token, key, encryptions=["A256GCM"]).plaintext == PLAINTEXT


def test_kid_longer_than_the_limit_is_refused(key: JWK) -> None:
    # SECURITY.md defaults: kid <= 256 bytes; Limits.max_kid_bytes.
    assert jwe.decrypt_compact(dir_token({**DIR, "kid": "k" * 256}), key).plaintext == PLAINTEXT
    token = dir_token({**DIR, "kid": "k" * 257})
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_kid_bytes"
    huge = dir_token({**DIR, "kid": "k" * 8000})
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(huge, JWKSet([key])))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_kid_bytes"


# -- "crit" (RFC 7516 s4.1.13, RFC 7515 s4.1.11): JWE understands no extension ------------------

CRIT_CASES = {
    "unknown-name": {"crit": ["exp"], "exp": 1},
    "empty": {"crit": []},
    "string": {"crit": "exp", "exp": 1},
    "object": {"crit": {"exp": 1}, "exp": 1},
    "null": {"crit": None},
    "number": {"crit": 1},
    "non-string-member": {"crit": [1]},
    "null-member": {"crit": [None]},
    "nested-list": {"crit": [["exp"]], "exp": 1},
    "registered-alg": {"crit": ["alg"]},
    "registered-enc": {"crit": ["enc"]},
    "registered-zip": {"crit": ["zip"], "zip": "DEF"},
    "registered-kid": {"crit": ["kid"], "kid": "k"},
    "duplicates": {"crit": ["exp", "exp"], "exp": 1},
    "absent-parameter": {"crit": ["exp"]},
    "jws-b64-extension": {"crit": ["b64"], "b64": False},
    "case-variant": {"crit": ["Exp"], "exp": 1},
}


@pytest.mark.parametrize("case", sorted(CRIT_CASES))
def test_crit_is_refused_before_any_key_work(case: str, key: JWK) -> None:
    token = dir_token({**DIR, **CRIT_CASES[case]})
    with mock.patch.object(
        key_management, "recover_cek", wraps=key_management.recover_cek
    ) as recover:
        expect(MalformedError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT)
        expect(MalformedError, lambda: jwe.decrypt_compact(token, JWKSet([key])), PLAINTEXT)
    assert recover.call_count == 0


def test_crit_in_an_unprotected_header_is_refused(key: JWK) -> None:
    encoded, _, iv, ciphertext, tag = dir_token(DIR).split(".")
    for where in ("unprotected", "header"):
        for crit in (["exp"], [], "exp"):
            document = {
                "protected": encoded,
                where: {"crit": crit, "exp": 1},
                "iv": iv,
                "ciphertext": ciphertext,
                "tag": tag,
            }
            expect(
                MalformedError,
                lambda document=document: jwe.decrypt_json(document, key),
                PLAINTEXT,
            )


def test_json_crit_in_the_protected_header_is_checked_too(key: JWK) -> None:
    encoded, _, iv, ciphertext, tag = dir_token({**DIR, "crit": ["exp"], "exp": 1}).split(".")
    document = {"protected": encoded, "iv": iv, "ciphertext": ciphertext, "tag": tag}
    expect(MalformedError, lambda: jwe.decrypt_json(document, key), PLAINTEXT)


# -- the other serialization, and other types -----------------------------------------------------


def test_json_serialization_text_is_not_a_compact_token(key: JWK) -> None:
    document = jwe.encrypt_json(PLAINTEXT, [(key, {"alg": "dir"})], enc="A256GCM", flatten=True)
    text = json.dumps(document)
    expect(MalformedError, lambda: jwe.decrypt_compact(text, key), PLAINTEXT)
    expect(MalformedError, lambda: jwe.decrypt_compact(text.encode(), key), PLAINTEXT)


@pytest.mark.parametrize("value", [None, 5, 1.5, ["a.b.c.d.e"], {"a": 1}])
def test_token_of_another_type_is_malformed(value: object, key: JWK) -> None:
    expect(MalformedError, lambda: jwe.decrypt_compact(value, key))  # type: ignore[arg-type]


def test_modified_header_fails_the_tag(key: JWK) -> None:
    token = dir_token(DIR)
    # Same members, other layout: the AAD changes, so the tag must fail.
    reencoded = with_part(token, 0, encode_header(b'{"alg": "dir", "enc": "A256GCM"}'))
    expect(DecryptionError, lambda: jwe.decrypt_compact(reencoded, key), PLAINTEXT)
    reordered = with_part(token, 0, encode_header({"enc": "A256GCM", "alg": "dir"}))
    expect(DecryptionError, lambda: jwe.decrypt_compact(reordered, key), PLAINTEXT)
    added = with_part(token, 0, encode_header({**DIR, "kid": "x"}))
    expect(DecryptionError, lambda: jwe.decrypt_compact(added, key), PLAINTEXT)
