"""The floor: each scenario written with bare `cryptography` and the standard library.

What any decryptor must do at least, with keys loaded once outside the timed loop:
base64url-decode the parts, parse the header JSON, unwrap or derive the CEK, decrypt
(RFC 7516 s5.2); or decode, parse and check one signature (RFC 7515 s5.2). No policy,
no limits, no strictness: the floor checks nothing it does not need to get the bytes.
tests/test_bench_floor.py checks that every floor gives jose_ref's plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import padding as symmetric_padding
from cryptography.hazmat.primitives.asymmetric import ec, padding, x25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap

from jose_ref import JWK

Decrypt = Callable[[str], bytes]
_CURVES = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
_HASHES = {"SHA-1": hashes.SHA1, "SHA-256": hashes.SHA256}
_CBC = {  # enc: (MAC key length, hash)
    "A128CBC-HS256": (16, hashlib.sha256),
    "A192CBC-HS384": (24, hashlib.sha384),
    "A256CBC-HS512": (32, hashlib.sha512),
}
_CEK_BYTES = {
    "A128GCM": 16,
    "A192GCM": 24,
    "A256GCM": 32,
    "A128CBC-HS256": 32,
    "A192CBC-HS384": 48,
    "A256CBC-HS512": 64,
}


def b64decode(part: str) -> bytes:
    """Plain base64url decoding with the padding put back."""
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _ecdh(private: Any, header: dict[str, Any], algorithm_id: str, key_bytes: int) -> bytes:
    epk = header["epk"]
    if epk["kty"] == "EC":
        point = b"\x04" + b64decode(epk["x"]) + b64decode(epk["y"])
        z = private.exchange(
            ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[epk["crv"]], point)
        )
    else:
        z = private.exchange(x25519.X25519PublicKey.from_public_bytes(b64decode(epk["x"])))
    other_info = (
        _prefixed(algorithm_id.encode())
        + _prefixed(b64decode(header.get("apu", "")))
        + _prefixed(b64decode(header.get("apv", "")))
        + struct.pack(">I", key_bytes * 8)
    )
    return ConcatKDFHash(hashes.SHA256(), key_bytes, other_info).derive(z)


def _cek(alg: str, enc: str, key: JWK) -> Callable[[dict[str, Any], bytes], bytes]:
    if alg in ("RSA-OAEP", "RSA-OAEP-256"):
        private, hash_type = (
            key.crypto_private,
            _HASHES["SHA-1" if alg == "RSA-OAEP" else "SHA-256"],
        )
        return lambda header, ek: private.decrypt(
            ek, padding.OAEP(padding.MGF1(hash_type()), hash_type(), None)
        )
    if alg == "RSA1_5":
        private = key.crypto_private
        return lambda header, ek: private.decrypt(ek, padding.PKCS1v15())
    if alg == "dir":
        secret = key.secret
        return lambda header, ek: secret
    if alg == "A256KW":
        secret = key.secret
        return lambda header, ek: aes_key_unwrap(secret, ek)
    private = key.crypto_private
    if alg == "ECDH-ES":
        return lambda header, ek: _ecdh(private, header, enc, _CEK_BYTES[enc])
    if alg == "ECDH-ES+A256KW":
        return lambda header, ek: aes_key_unwrap(_ecdh(private, header, alg, 32), ek)
    raise ValueError(f"no floor for {alg}")


def _cbc_hmac(enc: str, cek: bytes, iv: bytes, ct: bytes, tag: bytes, aad: bytes) -> bytes:
    size, digest = _CBC[enc]
    al = struct.pack(">Q", len(aad) * 8)
    mac = hmac.new(cek[:size], aad + iv + ct + al, digest).digest()[:size]
    if not hmac.compare_digest(mac, tag):
        raise ValueError("tag")
    decryptor = Cipher(algorithms.AES(cek[size:]), modes.CBC(iv)).decryptor()
    unpadder = symmetric_padding.PKCS7(128).unpadder()
    padded = decryptor.update(ct) + decryptor.finalize()
    return unpadder.update(padded) + unpadder.finalize()


def jwe_floor(alg: str, enc: str, key: JWK) -> Decrypt:
    """Decrypt a compact JWE of `alg`/`enc` with nothing but cryptography."""
    recover = _cek(alg, enc, key)

    def decrypt(token: str) -> bytes:
        encoded_header, ek, iv, ct, tag = token.split(".")
        header = json.loads(b64decode(encoded_header))
        cek = recover(header, b64decode(ek))
        aad = encoded_header.encode("ascii")
        if enc in _CBC:
            return _cbc_hmac(enc, cek, b64decode(iv), b64decode(ct), b64decode(tag), aad)
        return AESGCM(cek).decrypt(b64decode(iv), b64decode(ct) + b64decode(tag), aad)

    return decrypt


def _check(alg: str, key: JWK) -> Callable[[bytes, bytes], None]:
    if alg == "HS256":
        secret = key.secret

        def check_mac(signature: bytes, data: bytes) -> None:
            if not hmac.compare_digest(hmac.new(secret, data, hashlib.sha256).digest(), signature):
                raise ValueError("mac")

        return check_mac
    public = key.crypto_public
    if alg == "RS256":
        return lambda signature, data: public.verify(
            signature, data, padding.PKCS1v15(), hashes.SHA256()
        )
    if alg == "ES256":
        return lambda signature, data: public.verify(
            encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            ),
            data,
            ec.ECDSA(hashes.SHA256()),
        )
    if alg == "EdDSA":
        return lambda signature, data: public.verify(signature, data)
    raise ValueError(f"no floor for {alg}")


def jws_floor(alg: str, key: JWK) -> Decrypt:
    """Verify a compact JWS of `alg` with nothing but cryptography; return the payload."""
    check = _check(alg, key)

    def verify(token: str) -> bytes:
        encoded_header, payload, signature = token.split(".")
        json.loads(b64decode(encoded_header))
        check(b64decode(signature), f"{encoded_header}.{payload}".encode("ascii"))
        return b64decode(payload)

    return verify
