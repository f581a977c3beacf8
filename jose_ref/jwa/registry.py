"""RFC 7518 s3.1, s4.1, s5.1 - The algorithm tables, one frozen descriptor per name.

This module mirrors the three "alg"/"enc" tables of RFC 7518 (plus RFC 8037
for EdDSA and X25519/X448, RFC 8812 for ES256K, RFC 9864 s2.2 for Ed25519 and
Ed448, RFC 9964 s5 for ML-DSA and the IANA registry for RSA-OAEP-384/512). It
is the only place where algorithm names are read: everything downstream
receives a descriptor and uses its fields (hash, kek_bytes, cek_bytes,
signature_bytes ...) instead of slicing names. Lookups are exact and
case-sensitive (RFC 7515 s4.1.1: "alg" values are case-sensitive).

https://www.rfc-editor.org/rfc/rfc7518#section-7.1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives import hashes

from jose_ref.errors import MalformedError, UnsupportedAlgorithmError
from jose_ref.escape import shown

__all__ = [
    "CONTENT_ENCRYPTION",
    "KEY_MANAGEMENT",
    "SIGNATURES",
    "ContentEncryptionAlg",
    "KeyManagementAlg",
    "SignatureAlg",
    "content_encryption",
    "hash_algorithm",
    "hash_bytes",
    "key_management",
    "signature",
]

SignatureFamily = Literal["HMAC", "RSASSA-PKCS1-v1_5", "RSASSA-PSS", "ECDSA", "EdDSA", "ML-DSA"]
KeyManagementMode = Literal[
    "key_encryption",
    "key_wrapping",
    "direct_key_agreement",
    "key_agreement_with_key_wrapping",
    "direct_encryption",
]  # RFC 7516 s2, "Key Management Mode"
KeyManagementFamily = Literal["RSA1_5", "RSA-OAEP", "AESKW", "AESGCMKW", "dir", "ECDH-ES", "PBES2"]
ContentEncryptionFamily = Literal["AES-GCM", "AES-CBC-HMAC-SHA2"]
HashName = Literal["SHA-1", "SHA-256", "SHA-384", "SHA-512"]

_HASH_BYTES: dict[str, int] = {"SHA-1": 20, "SHA-256": 32, "SHA-384": 48, "SHA-512": 64}


_HASH_ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA-1": hashes.SHA1,
    "SHA-256": hashes.SHA256,
    "SHA-384": hashes.SHA384,
    "SHA-512": hashes.SHA512,
}


def hash_algorithm(hash_name: str | None) -> hashes.HashAlgorithm:
    """A new cryptography hash object for a registry hash name (the one place they map)."""
    if hash_name not in _HASH_ALGORITHMS:
        raise ValueError(f"no hash function {hash_name!r} in the registry")
    return _HASH_ALGORITHMS[str(hash_name)]()


def hash_bytes(hash_name: str) -> int:
    """Return the output length in octets of a registry hash name."""
    return _HASH_BYTES[hash_name]


# Each row below exists once, in its table: eq=False makes identity a row's equality and
# hash, and spares two generated methods per class at import (issue 9's cold start).
@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SignatureAlg:
    """One row of RFC 7518 s3.1 (plus RFC 8037 s3.1, RFC 8812 s3.2, RFC 9864 s2.2, RFC 9964 s5).

    Attributes:
        name: The "alg" value.
        family: Which signature module implements it.
        kty: The only key type the algorithm may be used with (RFC 8725 s3.1).
        hash: The hash function, None for EdDSA and ML-DSA (the scheme fixes it).
        crv: For ECDSA and the fully specified Ed25519/Ed448, the one curve the
            algorithm binds (RFC 7518 s3.4, RFC 9864 s2.2); None otherwise (the
            polymorphic EdDSA accepts either Edwards curve, RFC 8037 s3.1).
        deprecated: True for a name RFC 9864 s4.1.2 deprecates ("EdDSA"): still
            verified as before, but the fully specified names are preferred.
        public_key_bytes: For ML-DSA, the one public key length of the parameter
            set (FIPS 204 Table 2, repeated in RFC 9964 s5); None otherwise.
        signature_bytes: For ML-DSA, the one signature length of the parameter set.
    """

    name: str
    family: SignatureFamily
    kty: str
    hash: HashName | None
    crv: str | None = None
    deprecated: bool = False
    public_key_bytes: int | None = None
    signature_bytes: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class KeyManagementAlg:
    """One row of RFC 7518 s4.1 (plus RFC 8037 s3.2 and the IANA registry).

    Attributes:
        name: The "alg" value.
        mode: The RFC 7516 s2 key management mode.
        family: Which key-management module implements it.
        kty: The key types the algorithm may be used with.
        hash: OAEP hash (RSA-OAEP*) or PBKDF2 PRF hash (PBES2-*); None otherwise.
        kek_bytes: AES key-wrap / GCM key-wrap key length, or the length the KDF
            must derive (ECDH-ES+A*KW, PBES2-*); None for RSA, dir, ECDH-ES.
        opt_in: True when the caller must name the algorithm explicitly
            (RSA1_5: RFC 8725 s3.2; PBES2: unbounded cost, RFC 7518 s4.8.1.2).
    """

    name: str
    mode: KeyManagementMode
    family: KeyManagementFamily
    kty: tuple[str, ...]
    hash: HashName | None = None
    kek_bytes: int | None = None
    opt_in: bool = False


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ContentEncryptionAlg:
    """One row of RFC 7518 s5.1.

    Attributes:
        name: The "enc" value.
        family: Which content-encryption module implements it.
        cek_bytes: CEK length in octets (for CBC-HMAC: MAC_KEY || ENC_KEY).
        iv_bytes: Initialization vector length in octets.
        tag_bytes: Authentication tag length in octets (T_LEN for CBC-HMAC).
        hash: HMAC hash for AES-CBC-HMAC-SHA2; None for AES-GCM.
    """

    name: str
    family: ContentEncryptionFamily
    cek_bytes: int
    iv_bytes: int
    tag_bytes: int
    hash: HashName | None = None


def _index(*rows: Any) -> dict[str, Any]:
    return {row.name: row for row in rows}


# RFC 7518 s3.1 "alg" Parameter Values for JWS ("none" is deliberately absent:
# it is never a signature algorithm here, RFC 8725 s3.1).
SIGNATURES: dict[str, SignatureAlg] = _index(
    SignatureAlg(name="HS256", family="HMAC", kty="oct", hash="SHA-256"),
    SignatureAlg(name="HS384", family="HMAC", kty="oct", hash="SHA-384"),
    SignatureAlg(name="HS512", family="HMAC", kty="oct", hash="SHA-512"),
    SignatureAlg(name="RS256", family="RSASSA-PKCS1-v1_5", kty="RSA", hash="SHA-256"),
    SignatureAlg(name="RS384", family="RSASSA-PKCS1-v1_5", kty="RSA", hash="SHA-384"),
    SignatureAlg(name="RS512", family="RSASSA-PKCS1-v1_5", kty="RSA", hash="SHA-512"),
    SignatureAlg(name="PS256", family="RSASSA-PSS", kty="RSA", hash="SHA-256"),
    SignatureAlg(name="PS384", family="RSASSA-PSS", kty="RSA", hash="SHA-384"),
    SignatureAlg(name="PS512", family="RSASSA-PSS", kty="RSA", hash="SHA-512"),
    SignatureAlg(name="ES256", family="ECDSA", kty="EC", hash="SHA-256", crv="P-256"),
    SignatureAlg(name="ES384", family="ECDSA", kty="EC", hash="SHA-384", crv="P-384"),
    SignatureAlg(name="ES512", family="ECDSA", kty="EC", hash="SHA-512", crv="P-521"),
    SignatureAlg(name="ES256K", family="ECDSA", kty="EC", hash="SHA-256", crv="secp256k1"),
    # RFC 8037 s3.1, deprecated by RFC 9864 s4.1.2 in favour of the two names below.
    SignatureAlg(name="EdDSA", family="EdDSA", kty="OKP", hash=None, deprecated=True),
    # RFC 9864 s2.2 Table 2: EdDSA bound to one curve each.
    SignatureAlg(name="Ed25519", family="EdDSA", kty="OKP", hash=None, crv="Ed25519"),
    SignatureAlg(name="Ed448", family="EdDSA", kty="OKP", hash=None, crv="Ed448"),
    # RFC 9964 s5 Table 1: ML-DSA (FIPS 204) with AKP keys; sizes in octets.
    SignatureAlg(
        name="ML-DSA-44",
        family="ML-DSA",
        kty="AKP",
        hash=None,
        public_key_bytes=1312,
        signature_bytes=2420,
    ),
    SignatureAlg(
        name="ML-DSA-65",
        family="ML-DSA",
        kty="AKP",
        hash=None,
        public_key_bytes=1952,
        signature_bytes=3309,
    ),
    SignatureAlg(
        name="ML-DSA-87",
        family="ML-DSA",
        kty="AKP",
        hash=None,
        public_key_bytes=2592,
        signature_bytes=4627,
    ),
)

_RSA = ("RSA",)
_OCT = ("oct",)
_ECDH = ("EC", "OKP")

# RFC 7518 s4.1 "alg" Parameter Values for JWE.
KEY_MANAGEMENT: dict[str, KeyManagementAlg] = _index(
    KeyManagementAlg(name="RSA1_5", mode="key_encryption", family="RSA1_5", kty=_RSA, opt_in=True),
    KeyManagementAlg(
        name="RSA-OAEP", mode="key_encryption", family="RSA-OAEP", kty=_RSA, hash="SHA-1"
    ),
    KeyManagementAlg(
        name="RSA-OAEP-256", mode="key_encryption", family="RSA-OAEP", kty=_RSA, hash="SHA-256"
    ),
    KeyManagementAlg(
        name="RSA-OAEP-384", mode="key_encryption", family="RSA-OAEP", kty=_RSA, hash="SHA-384"
    ),
    KeyManagementAlg(
        name="RSA-OAEP-512", mode="key_encryption", family="RSA-OAEP", kty=_RSA, hash="SHA-512"
    ),
    KeyManagementAlg(name="A128KW", mode="key_wrapping", family="AESKW", kty=_OCT, kek_bytes=16),
    KeyManagementAlg(name="A192KW", mode="key_wrapping", family="AESKW", kty=_OCT, kek_bytes=24),
    KeyManagementAlg(name="A256KW", mode="key_wrapping", family="AESKW", kty=_OCT, kek_bytes=32),
    KeyManagementAlg(name="dir", mode="direct_encryption", family="dir", kty=_OCT),
    KeyManagementAlg(name="ECDH-ES", mode="direct_key_agreement", family="ECDH-ES", kty=_ECDH),
    KeyManagementAlg(
        name="ECDH-ES+A128KW",
        mode="key_agreement_with_key_wrapping",
        family="ECDH-ES",
        kty=_ECDH,
        kek_bytes=16,
    ),
    KeyManagementAlg(
        name="ECDH-ES+A192KW",
        mode="key_agreement_with_key_wrapping",
        family="ECDH-ES",
        kty=_ECDH,
        kek_bytes=24,
    ),
    KeyManagementAlg(
        name="ECDH-ES+A256KW",
        mode="key_agreement_with_key_wrapping",
        family="ECDH-ES",
        kty=_ECDH,
        kek_bytes=32,
    ),
    KeyManagementAlg(
        name="A128GCMKW", mode="key_wrapping", family="AESGCMKW", kty=_OCT, kek_bytes=16
    ),
    KeyManagementAlg(
        name="A192GCMKW", mode="key_wrapping", family="AESGCMKW", kty=_OCT, kek_bytes=24
    ),
    KeyManagementAlg(
        name="A256GCMKW", mode="key_wrapping", family="AESGCMKW", kty=_OCT, kek_bytes=32
    ),
    KeyManagementAlg(
        name="PBES2-HS256+A128KW",
        mode="key_wrapping",
        family="PBES2",
        kty=_OCT,
        hash="SHA-256",
        kek_bytes=16,
        opt_in=True,
    ),
    KeyManagementAlg(
        name="PBES2-HS384+A192KW",
        mode="key_wrapping",
        family="PBES2",
        kty=_OCT,
        hash="SHA-384",
        kek_bytes=24,
        opt_in=True,
    ),
    KeyManagementAlg(
        name="PBES2-HS512+A256KW",
        mode="key_wrapping",
        family="PBES2",
        kty=_OCT,
        hash="SHA-512",
        kek_bytes=32,
        opt_in=True,
    ),
)

# RFC 7518 s5.1 "enc" Parameter Values for JWE.
CONTENT_ENCRYPTION: dict[str, ContentEncryptionAlg] = _index(
    ContentEncryptionAlg(
        name="A128CBC-HS256",
        family="AES-CBC-HMAC-SHA2",
        cek_bytes=32,
        iv_bytes=16,
        tag_bytes=16,
        hash="SHA-256",
    ),
    ContentEncryptionAlg(
        name="A192CBC-HS384",
        family="AES-CBC-HMAC-SHA2",
        cek_bytes=48,
        iv_bytes=16,
        tag_bytes=24,
        hash="SHA-384",
    ),
    ContentEncryptionAlg(
        name="A256CBC-HS512",
        family="AES-CBC-HMAC-SHA2",
        cek_bytes=64,
        iv_bytes=16,
        tag_bytes=32,
        hash="SHA-512",
    ),
    ContentEncryptionAlg(name="A128GCM", family="AES-GCM", cek_bytes=16, iv_bytes=12, tag_bytes=16),
    ContentEncryptionAlg(name="A192GCM", family="AES-GCM", cek_bytes=24, iv_bytes=12, tag_bytes=16),
    ContentEncryptionAlg(name="A256GCM", family="AES-GCM", cek_bytes=32, iv_bytes=12, tag_bytes=16),
)


def _lookup(table: dict[str, Any], value: object, what: str) -> Any:
    # An unhashable header value ("alg": ["HS256"]) would raise TypeError on a
    # dict lookup: check the type first (SECURITY.md pitfalls).
    if not isinstance(value, str):
        raise MalformedError(f'"{what}" must be a string, got {type(value).__name__}')
    row = table.get(value)
    if row is None:
        raise UnsupportedAlgorithmError(f'unsupported "{what}" value {shown(value)}')
    return row


def signature(name: object) -> SignatureAlg:
    """Look up a JWS "alg" (RFC 7515 s4.1.1); exact and case-sensitive."""
    row: SignatureAlg = _lookup(SIGNATURES, name, "alg")
    return row


def key_management(name: object) -> KeyManagementAlg:
    """Look up a JWE "alg" (RFC 7516 s4.1.1); exact and case-sensitive."""
    row: KeyManagementAlg = _lookup(KEY_MANAGEMENT, name, "alg")
    return row


def content_encryption(name: object) -> ContentEncryptionAlg:
    """Look up a JWE "enc" (RFC 7516 s4.1.2); exact and case-sensitive."""
    row: ContentEncryptionAlg = _lookup(CONTENT_ENCRYPTION, name, "enc")
    return row
