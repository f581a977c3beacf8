"""JWE test helpers: an independent JWE producer on cryptography only, and error checks.

Nothing here calls jose_ref to compute an expected value. Attack tokens are built
by hand: the header is base64url-encoded here, the content encrypted with
cryptography's AESGCM or an AES-CBC + HMAC composition written from RFC 7518
s5.2.2.1, and the CEK wrapped with cryptography's RSA, AES key wrap, AES-GCM,
Concat KDF and PBKDF2. The AAD is always ASCII(encoded protected header), as
RFC 7516 s5.1 step 14 defines it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import struct
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, x448, x25519
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from jose_ref import JWK
from jose_ref.errors import DecryptionError, JoseError

# RFC 7518 s5.1: enc -> (CEK bytes, IV bytes, tag bytes, HMAC hash or None for GCM).
ENCS: dict[str, tuple[int, int, int, type[hashes.HashAlgorithm] | None]] = {
    "A128CBC-HS256": (32, 16, 16, hashes.SHA256),
    "A192CBC-HS384": (48, 16, 24, hashes.SHA384),
    "A256CBC-HS512": (64, 16, 32, hashes.SHA512),
    "A128GCM": (16, 12, 16, None),
    "A192GCM": (24, 12, 16, None),
    "A256GCM": (32, 12, 16, None),
}
ENC_NAMES = tuple(ENCS)
OAEP_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RSA-OAEP": hashes.SHA1,
    "RSA-OAEP-256": hashes.SHA256,
    "RSA-OAEP-384": hashes.SHA384,
    "RSA-OAEP-512": hashes.SHA512,
}
PBES2 = {
    "PBES2-HS256+A128KW": (hashes.SHA256, 16),
    "PBES2-HS384+A192KW": (hashes.SHA384, 24),
    "PBES2-HS512+A256KW": (hashes.SHA512, 32),
}
MESSAGE_MAX_CHARS = 200


# -- base64url and JSON -------------------------------------------------------------------------


def b64u(data: bytes) -> str:
    """BASE64URL without padding (RFC 7515 s2), by the standard library."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def ub64u(text: str) -> bytes:
    """Decode unpadded base64url (test side, lenient: only for our own well-formed output)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_header(header: Mapping[str, Any] | bytes) -> str:
    """BASE64URL(UTF8(header)); a dict is serialized compactly, bytes are taken verbatim."""
    if isinstance(header, bytes):
        return b64u(header)
    return b64u(json.dumps(header, separators=(",", ":")).encode("utf-8"))


def header_of(token: str) -> dict[str, Any]:
    """The decoded protected header of a compact token (test side)."""
    value: dict[str, Any] = json.loads(ub64u(token.split(".")[0]))
    return value


def with_part(token: str, index: int, value: str) -> str:
    """The token with part `index` replaced by `value` (text, already encoded)."""
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


def relabel(token: str, drop: tuple[str, ...] = (), **members: Any) -> str:
    """The token with its protected header rewritten (so its tag no longer matches)."""
    header = {k: v for k, v in header_of(token).items() if k not in drop}
    header.update(members)
    return with_part(token, 0, encode_header(header))


# -- content encryption (RFC 7518 s5), independent of jose_ref ---------------------------------


def cbc_hmac_tag(enc: str, mac_key: bytes, aad: bytes, iv: bytes, ciphertext: bytes) -> bytes:
    """T = HMAC(MAC_KEY, A || IV || E || AL)[:T_LEN] (RFC 7518 s5.2.2.1 steps 4-6)."""
    _, _, tag_bytes, hash_cls = ENCS[enc]
    assert hash_cls is not None
    mac = HMAC(mac_key, hash_cls())
    mac.update(aad + iv + ciphertext + struct.pack(">Q", len(aad) * 8))
    return mac.finalize()[:tag_bytes]


def cbc_encrypt_raw(enc_key: bytes, iv: bytes, padded: bytes) -> bytes:
    """AES-CBC over already padded (or deliberately mis-padded) blocks."""
    encryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def content_encrypt(
    enc: str, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    """(ciphertext, tag) for `enc`, computed with cryptography directly."""
    _, _, _, hash_cls = ENCS[enc]
    if hash_cls is None:
        sealed = AESGCM(cek).encrypt(iv, plaintext, aad)
        return sealed[:-16], sealed[-16:]
    half = len(cek) // 2
    mac_key, enc_key = cek[:half], cek[half:]
    padder = sym_padding.PKCS7(128).padder()
    ciphertext = cbc_encrypt_raw(enc_key, iv, padder.update(plaintext) + padder.finalize())
    return ciphertext, cbc_hmac_tag(enc, mac_key, aad, iv, ciphertext)


def seal(
    header: Mapping[str, Any] | bytes,
    *,
    cek: bytes,
    plaintext: bytes,
    encrypted_key: bytes = b"",
    iv: bytes | None = None,
    enc: str | None = None,
) -> str:
    """A compact JWE whose content is validly encrypted under `cek` with the right AAD."""
    encoded = encode_header(header)
    if enc is None:
        assert isinstance(header, Mapping)
        enc = str(header["enc"])
    iv = os.urandom(ENCS[enc][1]) if iv is None else iv
    ciphertext, tag = content_encrypt(enc, cek, iv, plaintext, encoded.encode("ascii"))
    return ".".join((encoded, b64u(encrypted_key), b64u(iv), b64u(ciphertext), b64u(tag)))


# -- key management (RFC 7518 s4), independent of jose_ref -------------------------------------


def oaep(alg: str) -> padding.OAEP:
    """The OAEP padding of an RSA-OAEP* alg: MGF1 with the same hash, no label."""
    h = OAEP_HASHES[alg]()
    return padding.OAEP(mgf=padding.MGF1(algorithm=h), algorithm=h, label=None)


def ecdh_derive(z: bytes, algorithm_id: str, key_bytes: int, apu: bytes, apv: bytes) -> bytes:
    """The Concat KDF of RFC 7518 s4.6.2 with cryptography's ConcatKDFHash (SHA-256)."""
    alg_id = algorithm_id.encode("ascii")
    other_info = (
        struct.pack(">I", len(alg_id))
        + alg_id
        + struct.pack(">I", len(apu))
        + apu
        + struct.pack(">I", len(apv))
        + apv
        + struct.pack(">I", key_bytes * 8)
    )
    return ConcatKDFHash(hashes.SHA256(), key_bytes, other_info).derive(z)


def pbes2_kek(alg: str, password: bytes, p2s: bytes, p2c: int) -> bytes:
    """The PBES2 KEK: PBKDF2(password, UTF8(alg) || 0x00 || p2s, p2c) (RFC 7518 s4.8.1.1)."""
    hash_cls, kek_bytes = PBES2[alg]
    salt = alg.encode("ascii") + b"\x00" + p2s
    return PBKDF2HMAC(hash_cls(), kek_bytes, salt, p2c).derive(password)


def aes_kw(kek: bytes, cek: bytes) -> bytes:
    """RFC 3394 AES key wrap by cryptography."""
    return keywrap.aes_key_wrap(kek, cek)


def epk_members(private_key: Any) -> dict[str, str]:
    """The public JWK members of an ephemeral cryptography key (RFC 7518 s6.2, RFC 8037 s2)."""
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        numbers = private_key.public_key().public_numbers()
        size = (private_key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return {
            "kty": "EC",
            "crv": crv[private_key.curve.name],
            "x": b64u(numbers.x.to_bytes(size, "big")),
            "y": b64u(numbers.y.to_bytes(size, "big")),
        }
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    crv_name = "X25519" if isinstance(private_key, x25519.X25519PrivateKey) else "X448"
    return {"kty": "OKP", "crv": crv_name, "x": b64u(raw)}


def fresh_ephemeral(recipient_public: Any) -> Any:
    """An ephemeral private key of the recipient's curve."""
    if isinstance(recipient_public, ec.EllipticCurvePublicKey):
        return ec.generate_private_key(recipient_public.curve)
    if isinstance(recipient_public, x25519.X25519PublicKey):
        return x25519.X25519PrivateKey.generate()
    return x448.X448PrivateKey.generate()


def exchange(private_key: Any, public_key: Any) -> bytes:
    """Z, the ECDH shared secret, by cryptography."""
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        return private_key.exchange(ec.ECDH(), public_key)
    return bytes(private_key.exchange(public_key))


# -- keys ----------------------------------------------------------------------------------------


def rsa_private(bits: int = 2048, slot: int = 0) -> rsa.RSAPrivateKey:
    """An RSA private key generated once per test session for each (bits, slot)."""
    return _rsa_private(bits, slot)


@functools.cache
def _rsa_private(bits: int, slot: int) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def rsa_jwk(bits: int = 2048, slot: int = 0, **params: Any) -> JWK:
    """The cached RSA key as a private JWK with extra members."""
    return JWK.from_key_object(rsa_private(bits, slot), **params)


def oct_jwk(secret: bytes, **params: Any) -> JWK:
    """A symmetric JWK of `secret`."""
    return JWK.from_dict({"kty": "oct", "k": b64u(secret), **params})


# -- error checks --------------------------------------------------------------------------------


def assert_opaque(error: BaseException) -> None:
    """The one opaque DecryptionError (SECURITY.md invariant 5)."""
    assert type(error) is DecryptionError
    assert str(error) == DecryptionError.MESSAGE == "JWE decryption failed"
    assert error.args == (DecryptionError.MESSAGE,)
    assert error.__cause__ is None
    assert error.__context__ is None


def assert_clean(error: BaseException, *secrets: bytes | str) -> None:
    """The message is short and echoes none of `secrets` in any usual encoding (invariant 4)."""
    message = str(error)
    assert len(message) <= MESSAGE_MAX_CHARS, message
    for secret in secrets:
        if isinstance(secret, str):
            forms = [secret]
        else:
            forms = [b64u(secret), secret.hex(), repr(secret)[2:-1]]
            with contextlib.suppress(UnicodeDecodeError):
                forms.append(secret.decode("utf-8"))
        for form in forms:
            if len(form) >= 6:
                assert form not in message, f"message echoes a secret: {message!r}"


def expect(
    error_class: type[JoseError], call: Callable[[], Any], *secrets: bytes | str
) -> JoseError:
    """Run `call`; it must raise exactly `error_class` (not a subclass or sibling)."""
    with pytest.raises(JoseError) as info:
        call()
    error = info.value
    assert type(error) is error_class, f"{type(error).__name__}: {error}"
    assert_clean(error, *secrets)
    if error_class is DecryptionError:
        assert_opaque(error)
    return error


@contextlib.contextmanager
def raises_exactly(error_class: type[JoseError], *secrets: bytes | str) -> Iterator[None]:
    """Context-manager form of `expect`."""
    with pytest.raises(JoseError) as info:
        yield
    assert type(info.value) is error_class, f"{type(info.value).__name__}: {info.value}"
    assert_clean(info.value, *secrets)
    if error_class is DecryptionError:
        assert_opaque(info.value)
