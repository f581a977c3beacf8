"""SECURITY.md attack corpus, JWE side: content encryption, algorithm confusion, resource abuse.

Each attack token is built by hand with cryptography so that it is as valid as
an attacker can make it (genuine GCM tags under odd nonces, genuine HMACs over
bad paddings, genuine tags over truncated tag lengths); the library must still
refuse it with the exact error, return no plaintext, and stay within its
time and memory bounds. Invariants 1-5 of SECURITY.md are asserted on every
refusal: only JoseError subclasses, no plaintext, bounded work, short messages
that echo no secret, and one opaque DecryptionError after key selection.
"""

from __future__ import annotations

import dataclasses
import json
import os
import struct
import tracemalloc
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC

from jose_ref import JWK, JWKSet, Limits, jwe, jws, strict_json
from jose_ref import header as jose_header
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    InvalidKeyError,
    JoseError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from jose_ref.jwa.key_management import ecdh_es, pbes2
from tests.jwe import (
    ENCS,
    aes_kw,
    assert_clean,
    b64u,
    cbc_encrypt_raw,
    cbc_hmac_tag,
    encode_header,
    expect,
    oct_jwk,
    rsa_jwk,
    seal,
    ub64u,
    with_part,
)

PLAINTEXT = b"attack at dawn; the vault code is 0451"
GCM_ENCS = [e for e in ENCS if ENCS[e][3] is None]
CBC_ENCS = [e for e in ENCS if ENCS[e][3] is not None]


def dir_key(enc: str) -> tuple[bytes, JWK]:
    secret = os.urandom(ENCS[enc][0])
    return secret, oct_jwk(secret)


def parts(
    enc: str,
    cek: bytes,
    *,
    iv: bytes,
    ciphertext: bytes,
    tag: bytes,
    header: dict[str, Any] | None = None,
) -> str:
    encoded = encode_header(header or {"alg": "dir", "enc": enc})
    return ".".join((encoded, "", b64u(iv), b64u(ciphertext), b64u(tag)))


# -- AES GCM (RFC 7518 s5.3): 96-bit IV and 128-bit tag, nothing else -----------------------------


@pytest.mark.parametrize("enc", GCM_ENCS)
@pytest.mark.parametrize("tag_bytes", [n for n in range(0, 33) if n != 16] + [64])
def test_gcm_tag_of_any_length_but_16_is_refused(enc: str, tag_bytes: int) -> None:
    cek, key = dir_key(enc)
    header = encode_header({"alg": "dir", "enc": enc})
    iv = os.urandom(12)
    sealed = AESGCM(cek).encrypt(iv, PLAINTEXT, header.encode())
    ciphertext, genuine = sealed[:-16], sealed[-16:]
    # The genuine tag truncated (a forgery costs 2^(8n) work) or extended with junk.
    tag = genuine[:tag_bytes] if tag_bytes < 16 else genuine + os.urandom(tag_bytes - 16)
    token = ".".join((header, "", b64u(iv), b64u(ciphertext), b64u(tag)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT, cek)


@pytest.mark.parametrize("enc", GCM_ENCS)
@pytest.mark.parametrize("iv_bytes", [0, 1, 8, 11, 13, 16, 32, 64, 128])
def test_gcm_iv_of_any_length_but_12_is_refused_even_with_a_genuine_tag(
    enc: str, iv_bytes: int
) -> None:
    cek, key = dir_key(enc)
    header = encode_header({"alg": "dir", "enc": enc})
    iv = os.urandom(iv_bytes)
    if 8 <= iv_bytes <= 128:
        # cryptography's AESGCM takes these nonces: the tag below is genuine for them.
        sealed = AESGCM(cek).encrypt(iv, PLAINTEXT, header.encode())
        ciphertext, tag = sealed[:-16], sealed[-16:]
    else:
        ciphertext, tag = os.urandom(len(PLAINTEXT)), os.urandom(16)
    token = ".".join((header, "", b64u(iv), b64u(ciphertext), b64u(tag)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT, cek)


@pytest.mark.parametrize("enc", GCM_ENCS)
def test_gcm_ciphertext_tag_swap_and_moves_are_refused(enc: str) -> None:
    cek, key = dir_key(enc)
    token = seal({"alg": "dir", "enc": enc}, cek=cek, plaintext=PLAINTEXT)
    header, _, iv, ciphertext, tag = token.split(".")
    # Tag glued to the ciphertext, or the ciphertext split differently, is not the same token.
    glued = ".".join((header, "", iv, b64u(ub64u(ciphertext) + ub64u(tag)), ""))
    expect(DecryptionError, lambda: jwe.decrypt_compact(glued, key), PLAINTEXT)
    whole = ub64u(ciphertext) + ub64u(tag)
    shifted = ".".join((header, "", iv, b64u(whole[:-15]), b64u(whole[-15:] + b"\x00")))
    expect(DecryptionError, lambda: jwe.decrypt_compact(shifted, key), PLAINTEXT)


# -- AES_CBC_HMAC_SHA2 (RFC 7518 s5.2) -------------------------------------------------------------


def cbc_token(
    enc: str,
    cek: bytes,
    padded: bytes,
    *,
    iv: bytes | None = None,
    tag_transform: Callable[[bytes], bytes] = lambda t: t,
    header: dict[str, Any] | None = None,
) -> str:
    """CBC over `padded` (as given) with a GENUINE tag, then `tag_transform` applied."""
    iv = os.urandom(16) if iv is None else iv
    encoded = encode_header(header or {"alg": "dir", "enc": enc})
    half = len(cek) // 2
    mac_key, enc_key = cek[:half], cek[half:]
    ciphertext = cbc_encrypt_raw(enc_key, iv, padded) if len(iv) == 16 and padded else padded
    tag = cbc_hmac_tag(enc, mac_key, encoded.encode(), iv, ciphertext)
    return ".".join((encoded, "", b64u(iv), b64u(ciphertext), b64u(tag_transform(tag))))


def pkcs7(data: bytes) -> bytes:
    n = 16 - len(data) % 16
    return data + bytes([n]) * n


@pytest.mark.parametrize("enc", CBC_ENCS)
def test_cbc_reference_token_decrypts(enc: str) -> None:
    cek, key = dir_key(enc)
    assert jwe.decrypt_compact(cbc_token(enc, cek, pkcs7(PLAINTEXT)), key).plaintext == PLAINTEXT


@pytest.mark.parametrize("enc", CBC_ENCS)
@pytest.mark.parametrize("change", ["truncate-1", "truncate-half", "empty", "extend", "full-hmac"])
def test_cbc_tag_of_the_wrong_length_is_refused(enc: str, change: str) -> None:
    cek, key = dir_key(enc)
    hash_bytes = {"A128CBC-HS256": 32, "A192CBC-HS384": 48, "A256CBC-HS512": 64}[enc]
    transforms: dict[str, Callable[[bytes], bytes]] = {
        "truncate-1": lambda t: t[:-1],
        "truncate-half": lambda t: t[: len(t) // 2],
        "empty": lambda t: b"",
        "extend": lambda t: t + b"\x00",
        "full-hmac": lambda t: t + os.urandom(hash_bytes - len(t)),
    }
    token = cbc_token(enc, cek, pkcs7(PLAINTEXT), tag_transform=transforms[change])
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT, cek)


@pytest.mark.parametrize("enc", CBC_ENCS)
@pytest.mark.parametrize("iv_bytes", [0, 8, 12, 15, 17, 32])
def test_cbc_iv_of_any_length_but_16_is_refused_even_with_a_genuine_mac(
    enc: str, iv_bytes: int
) -> None:
    cek, key = dir_key(enc)
    token = cbc_token(enc, cek, os.urandom(32), iv=os.urandom(iv_bytes))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), PLAINTEXT, cek)


@pytest.mark.parametrize("enc", CBC_ENCS)
@pytest.mark.parametrize("ciphertext_bytes", [0, 1, 15, 17, 31])
def test_cbc_empty_or_partial_block_ciphertext_is_refused_even_with_a_genuine_mac(
    enc: str, ciphertext_bytes: int
) -> None:
    cek, key = dir_key(enc)
    encoded = encode_header({"alg": "dir", "enc": enc})
    iv, ciphertext = os.urandom(16), os.urandom(ciphertext_bytes)
    tag = cbc_hmac_tag(enc, cek[: len(cek) // 2], encoded.encode(), iv, ciphertext)
    token = ".".join((encoded, "", b64u(iv), b64u(ciphertext), b64u(tag)))
    expect(DecryptionError, lambda: jwe.decrypt_compact(token, key), cek)


BAD_PADDINGS = {
    "zero-byte": PLAINTEXT[:15] + b"\x00",
    "seventeen": PLAINTEXT[:15] + b"\x11",
    "inconsistent": PLAINTEXT[:13] + b"\x03\x02\x03",
    "no-padding-block": PLAINTEXT[:32],
    "all-ff": b"\xff" * 32,
}


@pytest.mark.parametrize("enc", CBC_ENCS)
def test_cbc_bad_padding_under_a_valid_mac_is_indistinguishable_from_a_bad_mac(enc: str) -> None:
    cek, key = dir_key(enc)
    errors = []
    for padded in BAD_PADDINGS.values():
        assert len(padded) % 16 == 0
        token = cbc_token(enc, cek, padded)
        errors.append(expect(DecryptionError, lambda token=token: jwe.decrypt_compact(token, key)))
    for flip in (0, -1):
        token = cbc_token(enc, cek, pkcs7(PLAINTEXT), tag_transform=lambda t, i=flip: _flip(t, i))
        errors.append(expect(DecryptionError, lambda token=token: jwe.decrypt_compact(token, key)))
    identities = {(type(e), str(e), e.args, e.__cause__, e.__context__) for e in errors}
    assert len(identities) == 1


def _flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


@pytest.mark.parametrize("enc", CBC_ENCS)
def test_cbc_al_is_the_64_bit_bit_length_of_the_aad(enc: str) -> None:
    cek, key = dir_key(enc)
    encoded = encode_header({"alg": "dir", "enc": enc})
    iv = os.urandom(16)
    ciphertext = cbc_encrypt_raw(cek[len(cek) // 2 :], iv, pkcs7(PLAINTEXT))
    tag_bytes = ENCS[enc][2]
    hash_cls = ENCS[enc][3]
    assert hash_cls is not None

    def tag_with(al: bytes) -> bytes:
        mac = HMAC(cek[: len(cek) // 2], hash_cls())
        mac.update(encoded.encode() + iv + ciphertext + al)
        return mac.finalize()[:tag_bytes]

    aad_len = len(encoded)
    good = tag_with(struct.pack(">Q", aad_len * 8))
    for wrong_al in (
        struct.pack(">Q", aad_len),  # octets instead of bits
        struct.pack("<Q", aad_len * 8),  # little-endian
        struct.pack(">I", aad_len * 8),  # 32-bit
        b"",  # omitted
    ):
        token = ".".join((encoded, "", b64u(iv), b64u(ciphertext), b64u(tag_with(wrong_al))))
        expect(DecryptionError, lambda token=token: jwe.decrypt_compact(token, key), PLAINTEXT)
    token = ".".join((encoded, "", b64u(iv), b64u(ciphertext), b64u(good)))
    assert jwe.decrypt_compact(token, key).plaintext == PLAINTEXT


@pytest.mark.parametrize("enc", list(ENCS))
def test_modified_protected_header_fails_the_tag(enc: str) -> None:
    cek, key = dir_key(enc)
    token = seal({"alg": "dir", "enc": enc}, cek=cek, plaintext=PLAINTEXT)
    for raw in (
        f'{{"alg": "dir", "enc": "{enc}"}}'.encode(),
        f'{{"enc":"{enc}","alg":"dir"}}'.encode(),
        f'{{"alg":"dir","enc":"{enc}","kid":"x"}}'.encode(),
        f'{{"alg":"dir","enc":"{enc}"}} '.encode(),
    ):
        mutated = with_part(token, 0, encode_header(raw))
        expect(DecryptionError, lambda mutated=mutated: jwe.decrypt_compact(mutated, key), cek)


@pytest.mark.parametrize(
    ("enc", "error"),
    [
        ("A256GCM ", UnsupportedAlgorithmError),
        (" A128CBC-HS256", UnsupportedAlgorithmError),
        ("A128CBC-HS512", UnsupportedAlgorithmError),
        ("A128GCM", AlgorithmNotAllowedError),
    ],
)
def test_unknown_padded_or_not_allowed_enc_is_refused(enc: str, error: type[JoseError]) -> None:
    cek = os.urandom(32)
    token = seal({"alg": "dir", "enc": enc}, cek=cek, plaintext=PLAINTEXT, enc="A256GCM")
    expect(error, lambda: jwe.decrypt_compact(token, oct_jwk(cek), encryptions=["A256GCM"]))


# -- algorithm and key confusion (RFC 8725 s3.1) ---------------------------------------------------


@pytest.fixture(scope="module")
def victim_rsa() -> JWK:
    return rsa_jwk(2048, 0, kid="victim")


def test_public_key_encodings_as_a_symmetric_secret_never_key_dir(victim_rsa: JWK) -> None:
    public = victim_rsa.crypto_public
    encodings = [
        public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
        json.dumps(victim_rsa.public().to_dict()).encode(),
    ]
    for material in encodings:
        for enc in ("A128GCM", "A256GCM", "A256CBC-HS512"):
            cek = material[: ENCS[enc][0]]
            token = seal({"alg": "dir", "enc": enc, "kid": "victim"}, cek=cek, plaintext=PLAINTEXT)
            expect(InvalidKeyError, lambda token=token: jwe.decrypt_compact(token, victim_rsa))
            expect(
                KeyNotFoundError,
                lambda token=token: jwe.decrypt_compact(token, JWKSet([victim_rsa])),
            )
            kek = material[:16]
            cek = os.urandom(ENCS[enc][0])
            kw = seal(
                {"alg": "A128KW", "enc": enc},
                cek=cek,
                plaintext=PLAINTEXT,
                encrypted_key=aes_kw(kek, cek),
            )
            expect(InvalidKeyError, lambda kw=kw: jwe.decrypt_compact(kw, victim_rsa))


def test_invalid_curve_point_from_another_curve_labelled_p256() -> None:
    victim = JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()))
    # A secp256k1 point presented as a P-256 "epk": not on P-256, refused before any ECDH.
    foreign = ec.generate_private_key(ec.SECP256K1()).public_key().public_numbers()
    epk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64u(foreign.x.to_bytes(32, "big")),
        "y": b64u(foreign.y.to_bytes(32, "big")),
    }
    token = seal({"alg": "ECDH-ES", "enc": "A128GCM", "epk": epk}, cek=bytes(16), plaintext=b"x")
    labelled = {**epk, "crv": "secp256k1"}
    relabelled = seal(
        {"alg": "ECDH-ES", "enc": "A128GCM", "epk": labelled}, cek=bytes(16), plaintext=b"x"
    )
    with mock.patch.object(ecdh_es, "agree", side_effect=AssertionError("ECDH ran")):
        # Off P-256: the header itself is malformed (an invalid "epk").
        expect(MalformedError, lambda: jwe.decrypt_compact(token, victim))
        # Honestly labelled: a valid secp256k1 epk, but our key is on another curve.
        expect(InvalidKeyError, lambda: jwe.decrypt_compact(relabelled, victim))


def test_jwe_is_never_verified_as_a_jws_shape() -> None:
    # A JWE compact token and a JWS compact token never cross: part counts differ.
    key = oct_jwk(os.urandom(32))
    token = jwe.encrypt_compact(PLAINTEXT, key, alg="dir", enc="A256GCM")
    three = ".".join(token.split(".")[:3])
    expect(MalformedError, lambda: jwe.decrypt_compact(three, key), PLAINTEXT)


# -- resource abuse (invariant 3): limits before the work ------------------------------------------


def test_dot_flood_and_huge_tokens_are_refused_before_parsing() -> None:
    key = oct_jwk(os.urandom(32))
    # Five well-formed parts around a 1 MiB ciphertext: only the size limit stops this one
    # from reaching the JSON decoder of the protected header.
    five_parts = "e30..AAAAAAAAAAAAAAAA." + "A" * (1 << 20) + ".AAAAAAAAAAAAAAAAAAAAAA"
    decoder = mock.Mock()
    decoder.decode.side_effect = AssertionError("the JSON decoder ran")
    # Every JSON text jose_ref parses goes through strict_json._DECODER.decode (a protected
    # header parsed before is remembered: the memo starts empty here).
    with mock.patch.object(strict_json, "_DECODER", decoder), mock.patch.dict(jose_header._PARSED):
        jose_header._PARSED.clear()
        # The patch is on the decrypt path: a small token does reach the decoder.
        with pytest.raises(AssertionError, match="the JSON decoder ran"):
            jwe.decrypt_compact("e30..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA", key)
        with pytest.raises(AssertionError, match="the JSON decoder ran"):
            jwe.decrypt_json("{}", key)
        decoder.decode.reset_mock()
        for token in ("." * (1 << 20), "A" * (32 << 20), "e30." + "." * (1 << 20), five_parts):
            error = expect(LimitExceededError, lambda token=token: jwe.decrypt_compact(token, key))
            assert isinstance(error, LimitExceededError)
            assert error.limit == "max_token_bytes"
        error = expect(
            LimitExceededError, lambda: jwe.decrypt_json("{" + " " * (1 << 20) + "}", key)
        )
        assert isinstance(error, LimitExceededError)
        assert error.limit == "max_token_bytes"
    assert decoder.decode.call_count == 0


def test_pbes2_count_of_2_31_is_refused_without_running_pbkdf2() -> None:
    alg = "PBES2-HS512+A256KW"
    cek = os.urandom(16)
    header = {"alg": alg, "enc": "A128GCM", "p2s": b64u(os.urandom(16)), "p2c": 2**31 - 1}
    token = seal(header, cek=cek, plaintext=PLAINTEXT, encrypted_key=os.urandom(24))
    with mock.patch.object(pbes2, "derive_kek", side_effect=AssertionError("PBKDF2 ran")):
        error = expect(
            LimitExceededError,
            lambda: jwe.decrypt_compact(token, oct_jwk(b"password"), algorithms=[alg]),
        )
        assert isinstance(error, LimitExceededError)
        assert (error.limit, error.maximum, error.actual) == ("max_pbes2_count", 10_000, 2**31 - 1)
        # The same in a JSON serialization, per-recipient header included.
        _, encrypted_key, iv, ciphertext, tag = token.split(".")
        document = {
            "protected": encode_header({"enc": "A128GCM"}),
            "header": {k: v for k, v in header.items() if k != "enc"},
            "encrypted_key": encrypted_key,
            "iv": iv,
            "ciphertext": ciphertext,
            "tag": tag,
        }
        error = expect(
            LimitExceededError,
            lambda: jwe.decrypt_json(document, oct_jwk(b"password"), algorithms=[alg]),
        )
        assert isinstance(error, LimitExceededError)
        assert error.limit == "max_pbes2_count"


def test_many_recipients_each_with_a_huge_p2c_do_no_pbkdf2_work() -> None:
    alg = "PBES2-HS256+A128KW"
    recipient = {
        "header": {"alg": alg, "p2s": b64u(os.urandom(16)), "p2c": 2**31 - 1},
        "encrypted_key": b64u(os.urandom(24)),
    }
    token = seal({"enc": "A128GCM"}, cek=os.urandom(16), plaintext=PLAINTEXT, enc="A128GCM")
    encoded, _, iv, ciphertext, tag = token.split(".")
    document = {
        "protected": encoded,
        "recipients": [recipient] * 16,
        "iv": iv,
        "ciphertext": ciphertext,
        "tag": tag,
    }
    with mock.patch.object(pbes2, "derive_kek", side_effect=AssertionError("PBKDF2 ran")):
        error = expect(
            LimitExceededError,
            lambda: jwe.decrypt_json(document, oct_jwk(b"pw"), algorithms=[alg]),
        )
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_pbes2_count"


def test_zip_bomb_memory_stays_near_the_limit() -> None:
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = first + repeated * 199 + compressor.flush()  # 200 MiB of zeros
    cek = os.urandom(32)
    token = seal({"alg": "dir", "enc": "A256GCM", "zip": "DEF"}, cek=cek, plaintext=stream)
    limits = dataclasses.replace(Limits(), max_token_bytes=1 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceededError) as info:
            jwe.decrypt_compact(token, oct_jwk(cek), limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert type(info.value) is LimitExceededError
    assert info.value.limit == "max_plaintext_bytes"
    assert info.value.maximum == 250_000
    assert peak < 20 << 20


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_json_is_a_limit_not_a_recursion_error(depth: int) -> None:
    key = oct_jwk(os.urandom(32))
    raw = b'{"alg":"dir","enc":"A256GCM","x":' + b"[" * depth + b"]" * depth + b"}"
    roomy = dataclasses.replace(Limits(), max_token_bytes=1 << 20, max_header_bytes=1 << 20)
    token = seal(raw, cek=os.urandom(32), plaintext=b"x", enc="A256GCM")
    error = expect(LimitExceededError, lambda: jwe.decrypt_compact(token, key, limits=roomy))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"
    document = {
        "protected": token.split(".")[0],
        "iv": "AAAAAAAAAAAAAAAA",
        "ciphertext": "",
        "tag": "",
    }
    text = json.dumps(document)[:-1] + ', "u": ' + "[" * depth + "]" * depth + "}"
    error = expect(LimitExceededError, lambda: jwe.decrypt_json(text, key, limits=roomy))
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_json_depth"


# -- invariants 1, 2 and 4 over a corpus of hostile inputs ----------------------------------------


def _corpus(key_secret: bytes) -> list[tuple[str, Any, type[JoseError]]]:
    good = seal({"alg": "dir", "enc": "A256GCM"}, cek=key_secret, plaintext=PLAINTEXT)
    h, _, iv, ct, tag = good.split(".")
    base = {"protected": h, "iv": iv, "ciphertext": ct, "tag": tag}

    def header(value: dict[str, Any] | bytes) -> str:
        return with_part(good, 0, encode_header(value))

    d256 = {"alg": "dir", "enc": "A256GCM"}
    return [
        ("compact", "", MalformedError),
        ("compact", "." * 4, MalformedError),
        ("compact", good + ".", MalformedError),
        ("compact", good.replace(".", "..", 1), MalformedError),
        ("compact", with_part(good, 2, iv + "="), MalformedError),
        ("compact", header(b"\xff\xfe"), MalformedError),
        ("compact", header(b'{"alg":"dir","enc":"A256GCM"'), MalformedError),
        ("compact", header(b"[" * 40 + b"]" * 40), LimitExceededError),
        ("compact", header(b'{"alg":1e400,"enc":"A256GCM"}'), MalformedError),
        ("compact", header(b'{"alg":"dir","p":' + b"9" * 5000 + b"}"), MalformedError),
        ("compact", header({**d256, "crit": ["x"], "x": 1}), MalformedError),
        ("compact", header({**d256, "alg": "RSA1_5"}), AlgorithmNotAllowedError),
        ("compact", header({**d256, "alg": "none"}), UnsupportedAlgorithmError),
        ("compact", with_part(good, 3, ct + "AA"), MalformedError),
        ("compact", with_part(good, 4, tag[:-2]), DecryptionError),
        ("compact", with_part(good, 3, b64u(os.urandom(len(PLAINTEXT)))), DecryptionError),
        ("compact", good.encode()[:-1] + b"\x80", MalformedError),
        ("json", "{}", MalformedError),
        ("json", '{"iv":"","ciphertext":"","tag":""}', MalformedError),
        ("json", {**base, "unprotected": {"alg": "dir"}}, MalformedError),
        ("json", {**base, "recipients": [{}] * 17}, LimitExceededError),
        ("json", {**base, "aad": "eA"}, DecryptionError),
        ("json", {**base, "recipients": [{"encrypted_key": "AAAA"}]}, MalformedError),
        ("json", b'{"protected":"' + h.encode() + b'","protected":"x"}', MalformedError),
        ("json", '{"protected":' + "[" * 100 + "]" * 100 + "}", LimitExceededError),
    ]  # fmt: skip


def test_hostile_corpus_gets_exact_errors_and_keeps_the_invariants() -> None:
    secret = os.urandom(32)
    key = oct_jwk(secret)
    for index, (kind, value, error_class) in enumerate(_corpus(secret)):
        call = jwe.decrypt_compact if kind == "compact" else jwe.decrypt_json
        with pytest.raises(JoseError) as info:
            call(value, key)
        error = info.value
        assert type(error) is error_class, (index, type(error).__name__, str(error))
        assert_clean(error, PLAINTEXT, secret, b64u(secret))
        assert not any(isinstance(arg, (bytes, bytearray)) for arg in error.args)
        if isinstance(value, str) and len(value) > 40:
            assert value not in str(error)


def test_error_messages_never_echo_key_material() -> None:
    rsa = rsa_jwk(2048, 0)
    private = rsa.to_dict(private=True)
    secret = os.urandom(32)
    failures: list[BaseException] = []
    token = seal({"alg": "dir", "enc": "A256GCM"}, cek=secret, plaintext=PLAINTEXT)
    for key in (rsa, oct_jwk(secret[:16]), oct_jwk(secret, use="sig")):
        with pytest.raises(JoseError) as info:
            jwe.decrypt_compact(token, key)
        failures.append(info.value)
    for error in failures:
        assert_clean(error, PLAINTEXT, secret, *(private[m] for m in ("d", "p", "q", "n")))


@pytest.mark.parametrize("load", ["from_dict", "from_json_text"])
@pytest.mark.parametrize("operation", ["jwe", "jws"])
def test_a_kid_no_utf8_can_hold_is_malformed_never_a_unicode_error(
    load: str, operation: str
) -> None:
    # Invariant 1: a lone surrogate (as a Python str can hold, JSON text cannot) in a key's
    # "kid" is refused as malformed, when the key is loaded or when it is used, and never
    # escapes as a UnicodeEncodeError from building the header.
    members = {"kty": "oct", "k": b64u(os.urandom(32)), "kid": "\ud800"}
    text = json.dumps(members, ensure_ascii=False)
    assert "\ud800" in text

    def use() -> None:
        key = JWK.from_dict(members) if load == "from_dict" else JWK.from_json(text)
        if operation == "jwe":
            jwe.encrypt_compact(PLAINTEXT, key, alg="dir", enc="A256GCM")
        else:
            jws.sign_compact(PLAINTEXT, key, alg="HS256")

    expect(MalformedError, use, PLAINTEXT)
