"""Interoperability: every alg x enc both ways with jwcrypto and joserfc, plus cryptography alone.

Independent implementations are the expected values here: a token they produce
must decrypt to their plaintext, and a token we produce must decrypt in them.
RSA-OAEP-384/512 (IANA registry) are implemented by neither library, so our
tokens are opened with cryptography's OAEP and AES directly. The JSON
serialization (general with several recipients, flattened, "aad", shared
headers) and "zip": "DEF" are checked the same way.
"""

from __future__ import annotations

import json
import os
import struct
import warnings
from typing import Any

import pytest
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from joserfc import jwe as joserfc_jwe
from joserfc.jwk import import_key
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from jose_ref import JWK, jwe
from tests.jwe import ENC_NAMES, ENCS, header_of, oaep, oct_jwk, rsa_jwk, rsa_private, ub64u

pytestmark = pytest.mark.filterwarnings("ignore::Warning")

PLAINTEXT = b"interoperable plaintext \x00\xff"
PASSWORD = b"Thus from my lips, by yours, my sin is purged."
KW_SIZES = {"128": 16, "192": 24, "256": 32}


def _key_material() -> dict[str, JWK]:
    keys = {
        "RSA": rsa_jwk(2048, 3),
        "P-256": JWK.from_key_object(ec.generate_private_key(ec.SECP256R1())),
        "P-384": JWK.from_key_object(ec.generate_private_key(ec.SECP384R1())),
        "P-521": JWK.from_key_object(ec.generate_private_key(ec.SECP521R1())),
        "X25519": JWK.from_key_object(x25519.X25519PrivateKey.generate()),
        "X448": JWK.from_key_object(x448.X448PrivateKey.generate()),
        "password": oct_jwk(PASSWORD),
    }
    for bits, size in KW_SIZES.items():
        keys[f"oct{bits}"] = oct_jwk(os.urandom(size))
    for enc, (cek_bytes, _, _, _) in ENCS.items():
        keys[f"dir-{enc}"] = oct_jwk(os.urandom(cek_bytes))
    return keys


KEYS = _key_material()


def _cases() -> list[tuple[str, str]]:
    cases = [("RSA-OAEP", "RSA"), ("RSA-OAEP-256", "RSA")]
    for bits in KW_SIZES:
        cases += [(f"A{bits}KW", f"oct{bits}"), (f"A{bits}GCMKW", f"oct{bits}")]
    cases.append(("dir", "dir"))
    for crv in ("P-256", "P-384", "P-521", "X25519", "X448"):
        cases += [(alg, crv) for alg in ("ECDH-ES", *(f"ECDH-ES+A{b}KW" for b in KW_SIZES))]
    cases += [
        (f"PBES2-HS{h}+A{b}KW", "password") for h, b in (("256", 128), ("384", 192), ("512", 256))
    ]
    return cases


CASES = _cases()


def key_for(key_name: str, enc: str) -> JWK:
    return KEYS[f"dir-{enc}"] if key_name == "dir" else KEYS[key_name]


def public_of(key: JWK) -> JWK:
    return key if key.kty == "oct" else key.public()


def allowed(alg: str) -> list[str] | None:
    return [alg] if alg.startswith("PBES2") else None


def their_key(key: JWK, *, private: bool) -> dict[str, Any]:
    return key.to_dict(private=private or key.kty == "oct")


def jwcrypto_make(alg: str, enc: str, key: JWK, extra: dict[str, Any] | None = None) -> str:
    token = jwcrypto_jwe.JWE(
        PLAINTEXT, protected=json.dumps({"alg": alg, "enc": enc, **(extra or {})})
    )
    token.allowed_algs = [alg, enc]
    token.add_recipient(jwcrypto_jwk.JWK(**their_key(key, private=False)))
    return str(token.serialize(compact=True))


def jwcrypto_open(token: str, alg: str, enc: str, key: JWK) -> bytes:
    opened = jwcrypto_jwe.JWE()
    opened.allowed_algs = [alg, enc]
    opened.deserialize(token, key=jwcrypto_jwk.JWK(**their_key(key, private=True)))
    return bytes(opened.payload)


def joserfc_make(alg: str, enc: str, key: JWK) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return joserfc_jwe.encrypt_compact(
            {"alg": alg, "enc": enc},
            PLAINTEXT,
            import_key(their_key(key, private=False)),
            algorithms=[alg, enc],
        )


def joserfc_open(token: str, alg: str, enc: str, key: JWK) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opened = joserfc_jwe.decrypt_compact(
            token, import_key(their_key(key, private=True)), algorithms=[alg, enc]
        )
    return bytes(opened.plaintext)


# -- compact, every alg x enc ---------------------------------------------------------------------


@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize(("alg", "key_name"), CASES, ids=[f"{a}-{k}" for a, k in CASES])
def test_jwcrypto_both_ways(alg: str, key_name: str, enc: str) -> None:
    key = key_for(key_name, enc)
    theirs = jwcrypto_make(alg, enc, key)
    result = jwe.decrypt_compact(theirs, key, algorithms=allowed(alg))
    assert result.plaintext == PLAINTEXT
    assert (result.header["alg"], result.header["enc"]) == (alg, enc)
    ours = jwe.encrypt_compact(PLAINTEXT, public_of(key), alg=alg, enc=enc)
    assert jwcrypto_open(ours, alg, enc, key) == PLAINTEXT


@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize(("alg", "key_name"), CASES, ids=[f"{a}-{k}" for a, k in CASES])
def test_joserfc_both_ways(alg: str, key_name: str, enc: str) -> None:
    key = key_for(key_name, enc)
    theirs = joserfc_make(alg, enc, key)
    assert jwe.decrypt_compact(theirs, key, algorithms=allowed(alg)).plaintext == PLAINTEXT
    ours = jwe.encrypt_compact(PLAINTEXT, public_of(key), alg=alg, enc=enc)
    assert joserfc_open(ours, alg, enc, key) == PLAINTEXT


def test_ecdh_with_apu_apv_interoperates() -> None:
    key = KEYS["P-256"]
    extra = {"apu": "QWxpY2U", "apv": "Qm9i"}
    for alg in ("ECDH-ES", "ECDH-ES+A128KW"):
        theirs = jwcrypto_make(alg, "A128GCM", key, extra)
        assert jwe.decrypt_compact(theirs, key).plaintext == PLAINTEXT
        ours = jwe.encrypt_compact(PLAINTEXT, key.public(), alg=alg, enc="A128GCM", header=extra)
        assert header_of(ours)["apu"] == "QWxpY2U"
        assert jwcrypto_open(ours, alg, "A128GCM", key) == PLAINTEXT


# -- RSA-OAEP-384/512: opened with cryptography alone ----------------------------------------------


def open_content(
    enc: str, cek: bytes, iv: bytes, ciphertext: bytes, tag: bytes, aad: bytes
) -> bytes:
    """RFC 7518 s5.2.2.2 / s5.3 decryption with cryptography, independent of jose_ref."""
    _, _, tag_bytes, hash_cls = ENCS[enc]
    if hash_cls is None:
        return AESGCM(cek).decrypt(iv, ciphertext + tag, aad)
    mac_key, enc_key = cek[: len(cek) // 2], cek[len(cek) // 2 :]
    mac = crypto_hmac.HMAC(mac_key, hash_cls())
    mac.update(aad + iv + ciphertext + struct.pack(">Q", len(aad) * 8))
    assert mac.finalize()[:tag_bytes] == tag
    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = sym_padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


@pytest.mark.parametrize("enc", ENC_NAMES)
@pytest.mark.parametrize(
    "alg", ["RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "RSA1_5"]
)
def test_rsa_tokens_open_with_cryptography_alone(alg: str, enc: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import padding

    token = jwe.encrypt_compact(PLAINTEXT, rsa_jwk(2048, 3).public(), alg=alg, enc=enc)
    encoded_header, encrypted_key, iv, ciphertext, tag = token.split(".")
    scheme = padding.PKCS1v15() if alg == "RSA1_5" else oaep(alg)
    cek = rsa_private(2048, 3).decrypt(ub64u(encrypted_key), scheme)
    assert len(cek) == ENCS[enc][0]
    opened = open_content(
        enc, cek, ub64u(iv), ub64u(ciphertext), ub64u(tag), encoded_header.encode("ascii")
    )
    assert opened == PLAINTEXT


# -- JSON serialization -------------------------------------------------------------------------


def test_jwcrypto_general_json_with_several_recipients() -> None:
    recipients = [
        (KEYS["RSA"], "RSA-OAEP-256"),
        (KEYS["oct128"], "A128KW"),
        (KEYS["X25519"], "ECDH-ES+A256KW"),
        (KEYS["P-384"], "ECDH-ES+A192KW"),
    ]
    token = jwcrypto_jwe.JWE(
        PLAINTEXT,
        protected=json.dumps({"enc": "A256CBC-HS512"}),
        unprotected=json.dumps({"cty": "text/plain"}),
        aad=b"associated",
    )
    for index, (key, alg) in enumerate(recipients):
        token.add_recipient(
            jwcrypto_jwk.JWK(**their_key(key, private=False)),
            header=json.dumps({"alg": alg, "kid": f"r{index}"}),
        )
    text = str(token.serialize())
    for index, (key, _) in enumerate(recipients):
        result = jwe.decrypt_json(text, key)
        assert result.plaintext == PLAINTEXT
        assert result.aad == b"associated"
        assert result.recipient_index == index
        assert result.header["cty"] == "text/plain"


@pytest.mark.parametrize("flatten", [False, True])
def test_our_json_opens_in_jwcrypto_and_joserfc(flatten: bool) -> None:
    key = KEYS["P-256"]
    document = jwe.encrypt_json(
        PLAINTEXT,
        [(key.public(), {"alg": "ECDH-ES+A128KW", "kid": "ec"})],
        enc="A128GCM",
        unprotected={"cty": "text/plain"},
        aad=b"associated",
        flatten=flatten,
    )
    opened = jwcrypto_jwe.JWE()
    opened.deserialize(json.dumps(document), key=jwcrypto_jwk.JWK(**key.to_dict(private=True)))
    assert opened.payload == PLAINTEXT
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = joserfc_jwe.decrypt_json(document, import_key(key.to_dict(private=True)))
    assert result.plaintext == PLAINTEXT
    assert result.aad == b"associated"


def test_our_multi_recipient_json_opens_in_jwcrypto() -> None:
    keys = [
        (KEYS["RSA"], "RSA-OAEP"),
        (KEYS["oct256"], "A256GCMKW"),
        (KEYS["X448"], "ECDH-ES+A128KW"),
    ]
    document = jwe.encrypt_json(
        PLAINTEXT,
        [(public_of(key), {"alg": alg}) for key, alg in keys],
        enc="A192GCM",
        aad=b"x",
    )
    for key, _ in keys:
        opened = jwcrypto_jwe.JWE()
        opened.deserialize(json.dumps(document), key=jwcrypto_jwk.JWK(**key.to_dict(private=True)))
        assert opened.payload == PLAINTEXT


def test_joserfc_json_opens_in_ours() -> None:
    key = KEYS["oct192"]
    message = joserfc_jwe.GeneralJSONEncryption(
        {"enc": "A192CBC-HS384"}, PLAINTEXT, unprotected={"cty": "x"}, aad=b"extra"
    )
    message.add_recipient({"alg": "A192KW", "kid": "k"}, import_key(key.to_dict(private=True)))
    document = joserfc_jwe.encrypt_json(message, None, algorithms=["A192KW", "A192CBC-HS384"])
    result = jwe.decrypt_json(document, key)
    assert result.plaintext == PLAINTEXT
    assert result.aad == b"extra"
    assert result.header == {"enc": "A192CBC-HS384", "cty": "x", "alg": "A192KW", "kid": "k"}


# -- "zip": "DEF" ----------------------------------------------------------------------------------


def test_compressed_tokens_interoperate() -> None:
    key = KEYS["oct128"]
    text = b"compress me " * 500
    token = jwcrypto_jwe.JWE(
        text, protected=json.dumps({"alg": "A128KW", "enc": "A128GCM", "zip": "DEF"})
    )
    token.add_recipient(jwcrypto_jwk.JWK(**key.to_dict(private=True)))
    theirs = str(token.serialize(compact=True))
    assert jwe.decrypt_compact(theirs, key).plaintext == text
    ours = jwe.encrypt_compact(text, key, alg="A128KW", enc="A128GCM", zip="DEF")
    assert len(ours) < len(text)
    assert jwcrypto_open(ours, "A128KW", "A128GCM", key) == text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opened = joserfc_jwe.decrypt_compact(ours, import_key(key.to_dict(private=True)))
    assert opened.plaintext == text
