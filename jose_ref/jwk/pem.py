"""RFC 7517 s4 with RFC 5280, 5208, 5915, 8017 - JWKs from and to PEM.

PEM carries the same keys in the X.509 / PKCS world: SubjectPublicKeyInfo,
PKCS#8 (optionally encrypted), PKCS#1 RSA keys, SEC1 EC keys, and X.509
certificates (whose public key is taken). The PEM label selects the loader,
so nothing is tried blindly. Every key becomes JWK members through the same
per-kty exporters, then goes through the same validation as any JWK.

https://www.rfc-editor.org/rfc/rfc7468
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa

from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from jose_ref.jwk import akp, ec, oct, okp, rsa

if TYPE_CHECKING:
    from jose_ref.jwk.key import JWK

__all__ = ["dump", "from_key_object", "load"]

_LABEL = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----")
_PRIVATE_LABELS = {b"PRIVATE KEY", b"ENCRYPTED PRIVATE KEY", b"RSA PRIVATE KEY", b"EC PRIVATE KEY"}
_PUBLIC_LABELS = {b"PUBLIC KEY", b"RSA PUBLIC KEY"}


def members_of(key: Any, *, private: bool) -> dict[str, str]:
    """JWK members of a cryptography key object (or bytes for a symmetric key)."""
    if isinstance(key, bytes):
        return oct.export(key)
    if isinstance(key, (crypto_rsa.RSAPrivateKey, crypto_rsa.RSAPublicKey)):
        return rsa.export(key, private=private)
    if isinstance(key, (crypto_ec.EllipticCurvePrivateKey, crypto_ec.EllipticCurvePublicKey)):
        return ec.export(key, private=private)
    try:
        return okp.export(key, private=private)
    except UnsupportedAlgorithmError:
        pass
    try:
        return akp.export(key, private=private)  # ML-DSA (RFC 9964 s3)
    except UnsupportedAlgorithmError:
        raise UnsupportedAlgorithmError(f"{type(key).__name__} keys have no JWK form") from None


def from_key_object(key: Any, params: Mapping[str, Any]) -> JWK:
    """A JWK from a cryptography key object plus extra members (kid, use, alg ...)."""
    from jose_ref.jwk.key import JWK

    members: dict[str, Any] = dict(params)
    exported = members_of(key, private=True)
    # An AKP key carries its parameter set in "alg" (RFC 9964 s3): a different one is a misfit.
    if "alg" in exported and members.get("alg", exported["alg"]) != exported["alg"]:
        raise InvalidKeyError(f'this key is an {exported["alg"]} key, not "alg" {members["alg"]!r}')
    members.update(exported)
    return JWK(members)


def load(data: bytes, *, password: bytes | None, params: Mapping[str, Any]) -> JWK:
    """Load the first PEM block of `data` as a JWK."""
    if isinstance(data, str):
        data = data.encode("ascii", "replace")
    if not isinstance(data, bytes):
        raise MalformedError(f"PEM data must be bytes, got {type(data).__name__}")
    match = _LABEL.search(data)
    if match is None:
        raise MalformedError("no PEM block found (RFC 7468 s2)")
    label = match.group(1)
    try:
        if label in _PRIVATE_LABELS:
            # OpenSSL's RSA key check costs minutes for large keys; the JWK checks that follow
            # bound the size first, then check the members without it (jwk/rsa_private).
            key: Any = serialization.load_pem_private_key(
                data, password=password, unsafe_skip_rsa_key_validation=True
            )
        elif label in _PUBLIC_LABELS:
            key = serialization.load_pem_public_key(data)
        elif label == b"CERTIFICATE":
            key = x509.load_pem_x509_certificate(data).public_key()
        else:
            raise UnsupportedAlgorithmError(f"unsupported PEM label {label.decode()[:40]!r}")
    except TypeError:
        # cryptography: a password given for an unencrypted key, or none for an encrypted one.
        raise InvalidKeyError("PEM: password missing or not expected for this key") from None
    except UnsupportedAlgorithm:
        raise UnsupportedAlgorithmError("PEM: unsupported key algorithm") from None
    except ValueError:
        raise InvalidKeyError("PEM: could not load the key (bad data or wrong password)") from None
    return from_key_object(key, params)


def dump(key: JWK, *, private: bool, password: bytes | None) -> bytes:
    """PEM of a JWK: SubjectPublicKeyInfo, or PKCS#8 when `private` (encrypted with `password`)."""
    if key.kty == "oct":
        raise InvalidKeyError("a symmetric (oct) key has no PEM form")
    if not private:
        public: bytes = key.crypto_public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return public
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    pkcs8: bytes = key.crypto_private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    return pkcs8
