"""Build tokens by hand, bypassing every check of the signing API (for attack tests).

Signatures are computed with Python's hmac and cryptography directly (RFC 7518
s3.2-3.5, RFC 8037 s3.1), never with jose_ref, so an attack token is what an
independent signer would produce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from jose_ref import JWK

_HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
# RFC 7518 s3.3-3.5 and RFC 8812 s3.2: the hash of each RSA / ECDSA algorithm.
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
    "PS256": hashes.SHA256,
    "PS384": hashes.SHA384,
    "PS512": hashes.SHA512,
    "ES256": hashes.SHA256,
    "ES384": hashes.SHA384,
    "ES512": hashes.SHA512,
    "ES256K": hashes.SHA256,
}


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """Decode unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_header(header: Mapping[str, Any] | bytes) -> str:
    """The encoded protected header: raw bytes as given, or compact JSON."""
    raw = header if isinstance(header, bytes) else json.dumps(header, separators=(",", ":"))
    return b64(raw if isinstance(raw, bytes) else raw.encode())


def signature_over(data: bytes, key: JWK | bytes, alg: str) -> bytes:
    """Sign `data` as `alg` with `key` (raw HMAC key bytes, or a JWK's private key)."""
    if isinstance(key, bytes):
        return hmac.new(key, data, _HMAC_HASHES[alg]).digest()
    if key.kty == "oct":
        return hmac.new(key.secret, data, _HMAC_HASHES[alg]).digest()
    return _asymmetric_signature(data, key.crypto_private, alg)


def _asymmetric_signature(data: bytes, private_key: Any, alg: str) -> bytes:
    if isinstance(private_key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        return private_key.sign(data)  # RFC 8037 s3.1: EdDSA signs the input itself
    digest = _HASHES[alg]()
    if isinstance(private_key, rsa.RSAPrivateKey) and alg.startswith("RS"):
        return private_key.sign(data, padding.PKCS1v15(), digest)
    if isinstance(private_key, rsa.RSAPrivateKey) and alg.startswith("PS"):
        # RFC 7518 s3.5: MGF1 with the same hash, salt length = hash output length.
        pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
        return private_key.sign(data, pss, digest)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        # RFC 7518 s3.4: R || S, each left-padded to the octet length of the curve order.
        r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(digest)))
        size = (private_key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    raise ValueError(f"forge cannot sign {alg} with {type(private_key).__name__}")


def forge(
    header: Mapping[str, Any] | bytes,
    payload: bytes,
    key: JWK | bytes | None,
    alg: str | None = None,
) -> str:
    """A compact JWS over any header; `key` None gives an empty signature."""
    encoded_header = encode_header(header)
    encoded_payload = b64(payload)
    data = f"{encoded_header}.{encoded_payload}".encode("ascii")
    if key is None:
        return f"{encoded_header}.{encoded_payload}."
    name = alg if alg is not None else str(dict(json.loads(unb64(encoded_header)))["alg"])
    return f"{encoded_header}.{encoded_payload}.{b64(signature_over(data, key, name))}"


def replace_signature(token: str, signature: bytes) -> str:
    """The token with its signature segment replaced."""
    head, payload, _ = token.split(".")
    return f"{head}.{payload}.{b64(signature)}"
