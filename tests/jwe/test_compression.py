"""RFC 7516 s4.1.3 and RFC 7518 s7.3 - "zip": "DEF", only when asked, inflated within a bound.

Every malicious stream here is validly encrypted (dir + A256GCM with
cryptography's AESGCM and the right AAD), so what is refused is the stream
itself, after the tag: a decompression bomb stops at Limits.max_plaintext_bytes
with memory near the limit; zlib or gzip wrappers, truncated streams and
trailing bytes are malformed; "zip" outside the protected header or other than
"DEF" is refused before any decryption.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import tracemalloc
import zlib
from functools import cache

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import JWK, Limits, jwe
from jose_ref.errors import (
    DecryptionError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from tests.jwe import ENC_NAMES, b64u, expect, header_of, oct_jwk, seal, ub64u

SECRET = bytes(range(32))
ZIP = {"alg": "dir", "enc": "A256GCM", "zip": "DEF"}
DEFAULT_LIMIT = 250_000
MiB = 1 << 20


@pytest.fixture(scope="module")
def key() -> JWK:
    return oct_jwk(SECRET)


def raw_deflate(data: bytes, level: int = 9) -> bytes:
    """RFC 1951 raw DEFLATE by zlib (wbits -15), independent of jose_ref."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@cache
def zero_bomb(mebibytes: int) -> bytes:
    """A raw DEFLATE stream of `mebibytes` MiB of zeros (~1 KiB per MiB).

    After a full flush the compressor state is reset, so every further MiB of
    zeros compresses to the same bytes: the stream is built by repetition and
    checked against zlib below.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MiB)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert repeated == compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (mebibytes - 1) + compressor.flush()


def test_bomb_builder_is_a_real_bomb() -> None:
    stream = zero_bomb(8)
    inflater = zlib.decompressobj(-15)
    assert len(inflater.decompress(stream)) == 8 * MiB
    assert inflater.eof
    assert inflater.unused_data == b""
    assert len(zero_bomb(200)) < 210_000


def zip_token(compressed: bytes, header: dict[str, object] | None = None) -> str:
    """The given stream as the validly encrypted content of a dir + A256GCM token."""
    return seal(header or ZIP, cek=SECRET, plaintext=compressed, enc="A256GCM")


# -- the bomb ------------------------------------------------------------------------------------


def _peak_while(call: object) -> tuple[BaseException, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(LimitExceededError) as info:
            call()  # type: ignore[operator]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value, peak


def test_200_mib_bomb_stops_at_the_default_limit_with_bounded_memory(key: JWK) -> None:
    token = zip_token(zero_bomb(200))
    # The bomb token is larger than the default token size; lift only that bound.
    limits = dataclasses.replace(Limits(), max_token_bytes=1 << 20)
    assert limits.max_plaintext_bytes == DEFAULT_LIMIT
    error, peak = _peak_while(lambda: jwe.decrypt_compact(token, key, limits=limits))
    assert type(error) is LimitExceededError
    assert error.limit == "max_plaintext_bytes"
    assert error.maximum == DEFAULT_LIMIT
    assert peak < 20 * MiB, f"peak {peak} bytes"


def test_150_mib_bomb_within_default_token_size_is_stopped(key: JWK) -> None:
    token = zip_token(zero_bomb(150))
    assert len(token) < 256 * 1024
    error, peak = _peak_while(lambda: jwe.decrypt_compact(token, key))
    assert type(error) is LimitExceededError
    assert error.limit == "max_plaintext_bytes"
    assert peak < 20 * MiB, f"peak {peak} bytes"


def test_bomb_in_json_serialization_is_stopped(key: JWK) -> None:
    token = zip_token(zero_bomb(100))
    encoded_header, _, iv, ciphertext, tag = token.split(".")
    document = {"protected": encoded_header, "iv": iv, "ciphertext": ciphertext, "tag": tag}
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(document, key))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_plaintext_bytes"


@pytest.mark.parametrize("limit", [1, 1000, DEFAULT_LIMIT])
def test_inflated_size_accepted_iff_within_the_limit(limit: int, key: JWK) -> None:
    limits = dataclasses.replace(Limits(), max_plaintext_bytes=limit)
    exact = os.urandom(limit // 2) + bytes(limit - limit // 2)
    assert len(exact) == limit
    result = jwe.decrypt_compact(zip_token(raw_deflate(exact)), key, limits=limits)
    assert result.plaintext == exact
    over = exact + b"\x00"
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(zip_token(raw_deflate(over)), key, limits=limits),
        over,
    )
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_plaintext_bytes"
    assert error.maximum == limit


def test_limit_error_hands_out_no_plaintext(key: JWK) -> None:
    secret = b"SECRET-" * 40_000
    limits = dataclasses.replace(Limits(), max_plaintext_bytes=100)
    error = expect(
        LimitExceededError,
        lambda: jwe.decrypt_compact(zip_token(raw_deflate(secret)), key, limits=limits),
        b"SECRET-SECRET-",
    )
    assert not any(isinstance(arg, bytes) for arg in error.args)


# -- malformed streams under a valid tag (RFC 1951) ----------------------------------------------

STREAM = raw_deflate(b"compressible " * 200)


@pytest.mark.parametrize(
    "stream",
    [
        zlib.compress(b"compressible " * 200),
        gzip.compress(b"compressible " * 200),
        STREAM[:-1],
        STREAM[: len(STREAM) // 2],
        STREAM[:1],
        b"",
        STREAM + b"\x00",
        STREAM + b"trailing bytes",
        STREAM + STREAM,
        b"\xff" * 64,
        # A block header with BTYPE=11, reserved (RFC 1951 s3.2.3), before a valid stream;
        # a random prefix sometimes formed a valid block and made this test flaky.
        b"\x06\x00\x00\x00" + STREAM,
    ],
    ids=[
        "zlib-wrapped",
        "gzip-wrapped",
        "truncated-1",
        "truncated-half",
        "one-byte",
        "empty",
        "trailing-zero",
        "trailing-text",
        "two-streams",
        "garbage",
        "prefixed",
    ],
)
def test_malformed_stream_under_a_valid_tag_is_malformed(stream: bytes, key: JWK) -> None:
    error = expect(
        MalformedError, lambda: jwe.decrypt_compact(zip_token(stream), key), b"compressible "
    )
    assert error.__cause__ is None


def test_valid_stream_inflates(key: JWK) -> None:
    assert jwe.decrypt_compact(zip_token(STREAM), key).plaintext == b"compressible " * 200
    # A stream made with another level or strategy inflates the same.
    for level in (0, 1, 6):
        token = zip_token(raw_deflate(b"abc" * 1000, level))
        assert jwe.decrypt_compact(token, key).plaintext == b"abc" * 1000


def test_tampered_compressed_content_fails_the_tag_before_inflating(key: JWK) -> None:
    token = zip_token(zero_bomb(100))
    parts = token.split(".")
    ciphertext = bytearray(ub64u(parts[3]))
    ciphertext[10] ^= 1
    parts[3] = b64u(bytes(ciphertext))
    expect(DecryptionError, lambda: jwe.decrypt_compact(".".join(parts), key))


# -- the "zip" member ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["GZIP", "def", "Def", "DEF ", " DEF", "DEFLATE", "zlib", "", "DEF\u0000"]
)
def test_zip_other_than_def_is_unsupported(value: str, key: JWK) -> None:
    token = zip_token(STREAM, {**ZIP, "zip": value})
    expect(UnsupportedAlgorithmError, lambda: jwe.decrypt_compact(token, key))


def test_zip_outside_the_protected_header_is_malformed(key: JWK) -> None:
    token = seal({"alg": "dir", "enc": "A256GCM"}, cek=SECRET, plaintext=STREAM)
    encoded_header, _, iv, ciphertext, tag = token.split(".")
    for where in ("unprotected", "header"):
        document = {
            "protected": encoded_header,
            where: {"zip": "DEF"},
            "iv": iv,
            "ciphertext": ciphertext,
            "tag": tag,
        }
        expect(MalformedError, lambda document=document: jwe.decrypt_json(document, key))


# -- encryption compresses only when asked -------------------------------------------------------


@pytest.mark.parametrize("enc", ENC_NAMES)
def test_encrypt_never_compresses_unless_asked(enc: str) -> None:
    key = oct_jwk(os.urandom(16))
    compressible = b"A" * 100_000
    plain = jwe.encrypt_compact(compressible, key, alg="A128KW", enc=enc)
    assert "zip" not in header_of(plain)
    assert len(ub64u(plain.split(".")[3])) >= len(compressible)
    packed = jwe.encrypt_compact(compressible, key, alg="A128KW", enc=enc, zip="DEF")
    assert header_of(packed)["zip"] == "DEF"
    assert len(ub64u(packed.split(".")[3])) < 1000
    assert jwe.decrypt_compact(packed, key).plaintext == compressible
    assert jwe.decrypt_compact(plain, key).plaintext == compressible


def test_encrypt_json_never_compresses_unless_asked(key: JWK) -> None:
    compressible = b"B" * 50_000
    document = jwe.encrypt_json(compressible, [(key, {"alg": "dir"})], enc="A256GCM")
    assert "zip" not in json.loads(ub64u(document["protected"]))
    assert len(ub64u(document["ciphertext"])) == len(compressible)
    packed = jwe.encrypt_json(
        compressible, [(key, {"alg": "dir"})], enc="A256GCM", protected={"zip": "DEF"}
    )
    assert len(ub64u(packed["ciphertext"])) < 1000
    assert jwe.decrypt_json(packed, key).plaintext == compressible


def test_encrypted_deflate_is_raw_rfc1951(key: JWK) -> None:
    text = b"raw deflate, no zlib header " * 50
    token = jwe.encrypt_compact(text, key, alg="dir", enc="A256GCM", zip="DEF")
    encoded_header, _, iv, ciphertext, tag = token.split(".")
    stream = AESGCM(SECRET).decrypt(
        ub64u(iv), ub64u(ciphertext) + ub64u(tag), encoded_header.encode()
    )
    inflater = zlib.decompressobj(-15)
    assert inflater.decompress(stream) == text
    assert inflater.eof
    assert inflater.unused_data == b""
    with pytest.raises(zlib.error):
        zlib.decompress(stream)  # not zlib-wrapped
