"""RFC 9964 s3-s6 - Algorithm Key Pair ("AKP") keys for ML-DSA.

An AKP key says what it is for through "alg", which is REQUIRED (s3): here
one of ML-DSA-44, ML-DSA-65 and ML-DSA-87 (s5). "pub" is the FIPS 204 public
key, of one fixed length per parameter set, and "priv", present only in a
private key, is the 32-octet seed (s4), never the expanded private key. Both
lengths are checked before cryptography sees the bytes (s7.3), and the seed
must give back "pub" exactly, so a JWK whose halves do not belong together is
refused (s7.4). The thumbprint members are "alg", "kty" and "pub" (s6).

https://www.rfc-editor.org/rfc/rfc9964#section-3
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jose_ref import b64url, deferred
from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.jwa import registry
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwk._members import check_str, octets

if TYPE_CHECKING:
    from jose_ref.jwa.signatures import mldsa
else:  # loaded by the first AKP key (jose_ref.deferred)
    mldsa = deferred.module("jose_ref.jwa.signatures.mldsa", globals())

__all__ = ["PRIVATE_MEMBERS", "THUMBPRINT_MEMBERS", "alg_of", "export", "generate", "load"]

PRIVATE_MEMBERS = ("priv",)
THUMBPRINT_MEMBERS = ("alg", "kty", "pub")  # RFC 9964 s6, in RFC 7638 s3.3 order
SEED_BYTES = 32  # RFC 9964 s4: "priv" is the FIPS 204 seed xi


def parameter_set(alg: object) -> SignatureAlg:
    """The registry row of an AKP "alg": one of the ML-DSA parameter sets (RFC 9964 s5)."""
    row = registry.signature(alg)
    if row.kty != "AKP":
        raise UnsupportedAlgorithmError(
            f'AKP JWK: "alg" {row.name!r} is not an AKP algorithm (RFC 9964 s5)'
        )
    return row


def _exact(members: Mapping[str, Any], name: str, size: int | None) -> bytes:
    data = octets(members, name, "AKP")
    if len(data) != size:
        raise InvalidKeyError(f'AKP JWK member "{name}": expected {size} octets, got {len(data)}')
    return data


def _raw(public: Any) -> bytes:
    raw: bytes = public.public_bytes_raw()
    return raw


def load(members: Mapping[str, Any]) -> tuple[Any, Any, SignatureAlg]:
    """Return (public key, private key or None, parameter set) for an AKP JWK's members."""
    # RFC 9964 s3: "alg" is REQUIRED for every AKP key; it fixes the format of pub/priv.
    row = parameter_set(check_str(members, "alg", "AKP"))
    pub = _exact(members, "pub", row.public_key_bytes)
    seed = _exact(members, "priv", SEED_BYTES) if "priv" in members else None
    classes = mldsa.key_classes(row)
    try:
        public = classes.public.from_public_bytes(pub)
    except ValueError:
        raise InvalidKeyError(f"AKP JWK: pub is not a valid {row.name} public key") from None
    if seed is None:
        return public, None, row
    private = classes.private.from_seed_bytes(seed)
    # RFC 9964 s7.4: public and private parameters that do not belong together are refused.
    if _raw(private.public_key()) != pub:
        raise InvalidKeyError("AKP JWK: priv does not match pub (RFC 9964 s7.4)")
    return public, private, row


def alg_of(key: Any) -> str:
    """The RFC 9964 "alg" of a cryptography ML-DSA key (public or private)."""
    rows = [row for row in registry.SIGNATURES.values() if row.kty == "AKP"]
    for row in rows if mldsa.available() else []:
        classes = mldsa.key_classes(row)
        if isinstance(key, (classes.public, classes.private)):
            return row.name
    raise UnsupportedAlgorithmError(f"{type(key).__name__} is not an ML-DSA key")


def export(key: Any, *, private: bool) -> dict[str, str]:
    """The AKP members of a cryptography ML-DSA key ("priv", the seed, only when asked)."""
    alg = alg_of(key)
    is_private = not hasattr(key, "public_bytes_raw")
    public = key.public_key() if is_private else key
    members = {"kty": "AKP", "alg": alg, "pub": b64url.encode_text(_raw(public))}
    if private and is_private:
        # cryptography's raw private form of an ML-DSA key is the 32-octet seed (RFC 9964 s4).
        seed: bytes = key.private_bytes_raw()
        members["priv"] = b64url.encode_text(seed)
    return members


def generate(alg: object) -> Any:
    """A new ML-DSA private key for an AKP "alg" (FIPS 204 ML-DSA.KeyGen)."""
    if alg is None:
        raise InvalidKeyError('an AKP key needs "alg", e.g. alg="ML-DSA-65" (RFC 9964 s3)')
    return mldsa.key_classes(parameter_set(alg)).private.generate()
