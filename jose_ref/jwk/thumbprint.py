"""RFC 7638 s3 - JSON Web Key (JWK) Thumbprint, and RFC 9278 s3, its URI.

The thumbprint names a key by its key material alone: the required members
of its "kty" (RFC 7638 s3.2; RFC 8037 s2 for OKP, RFC 9964 s6 for AKP, whose
"alg" is one of them), in lexicographic order, as JSON with no whitespace,
UTF-8 encoded (s3.3), hashed (s3.4) and base64url-encoded. Other members
("kid", "use", and "alg" but for AKP) never change it. RFC 9278 writes it
as urn:ietf:params:oauth:jwk-thumbprint:<hash>:<thumbprint>.

https://www.rfc-editor.org/rfc/rfc7638#section-3
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from jose_ref import b64url
from jose_ref.errors import UnsupportedAlgorithmError
from jose_ref.escape import shown
from jose_ref.jwk import akp, ec, oct, okp, rsa

__all__ = ["REQUIRED_MEMBERS", "hash_input", "thumbprint", "uri"]

# RFC 7638 s3.2: the required members of each key type, the only ones hashed.
REQUIRED_MEMBERS = {
    "RSA": rsa.THUMBPRINT_MEMBERS,
    "EC": ec.THUMBPRINT_MEMBERS,
    "oct": oct.THUMBPRINT_MEMBERS,
    "OKP": okp.THUMBPRINT_MEMBERS,
    "AKP": akp.THUMBPRINT_MEMBERS,  # RFC 9964 s6: "alg" is one of them
}
# Hash names of RFC 7638 s3.4 (hashlib's) and their RFC 6920 names for the RFC 9278 URI.
_HASHES = {
    "SHA-256": ("sha256", "sha-256"),
    "SHA-384": ("sha384", "sha-384"),
    "SHA-512": ("sha512", "sha-512"),
}


def hash_input(kty: str, members: Mapping[str, Any]) -> bytes:
    """RFC 7638 s3.3: the required members, sorted, no whitespace, UTF-8."""
    required = {name: members[name] for name in REQUIRED_MEMBERS[kty]}
    return json.dumps(required, sort_keys=True, separators=(",", ":")).encode("utf-8")


def thumbprint(kty: str, members: Mapping[str, Any], hash: str = "SHA-256") -> str:
    """RFC 7638 s3.4: BASE64URL(hash(hash input)), for one of the hashes named above."""
    if hash not in _HASHES:
        raise UnsupportedAlgorithmError(f"unsupported thumbprint hash {shown(hash)}")
    digest = hashlib.new(_HASHES[hash][0], hash_input(kty, members)).digest()
    return b64url.encode_text(digest)


def uri(kty: str, members: Mapping[str, Any], hash: str = "SHA-256") -> str:
    """RFC 9278 s3: the JWK thumbprint URI."""
    value = thumbprint(kty, members, hash)
    return f"urn:ietf:params:oauth:jwk-thumbprint:{_HASHES[hash][1]}:{value}"
