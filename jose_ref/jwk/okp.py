"""RFC 8037 s2 - Octet Key Pair ("OKP") keys: Ed25519, Ed448, X25519, X448.

An OKP key holds the public key "x" and, for a private key, "d", both as the
raw octet strings of RFC 8032 / RFC 7748, of a fixed length per curve. The
private key is rebuilt from "d" and must give back "x" exactly, so a JWK
whose halves do not belong together is refused.

https://www.rfc-editor.org/rfc/rfc8037#section-2
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, x448, x25519

from jose_ref import b64url, deferred
from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.escape import shown
from jose_ref.jwk._members import check_str, octets

if TYPE_CHECKING:
    from cryptography.hazmat.primitives import serialization
else:  # loaded by the first raw export: the package also loads SSH and PKCS#12 support
    serialization = deferred.module("cryptography.hazmat.primitives.serialization", globals())

__all__ = ["CURVES", "PRIVATE_MEMBERS", "THUMBPRINT_MEMBERS", "export", "load", "public_key"]

OKPPublic = (
    ed25519.Ed25519PublicKey | ed448.Ed448PublicKey | x25519.X25519PublicKey | x448.X448PublicKey
)
OKPPrivate = (
    ed25519.Ed25519PrivateKey
    | ed448.Ed448PrivateKey
    | x25519.X25519PrivateKey
    | x448.X448PrivateKey
)


@dataclass(frozen=True, slots=True)
class Curve:
    """One RFC 8037 s2 subtype: its key length and cryptography classes."""

    crv: str
    key_bytes: int
    public: Any
    private: Any
    signing: bool  # Ed25519/Ed448 sign (EdDSA); X25519/X448 agree (ECDH-ES)


CURVES: dict[str, Curve] = {
    c.crv: c
    for c in (
        Curve("Ed25519", 32, ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey, True),
        Curve("Ed448", 57, ed448.Ed448PublicKey, ed448.Ed448PrivateKey, True),
        Curve("X25519", 32, x25519.X25519PublicKey, x25519.X25519PrivateKey, False),
        Curve("X448", 56, x448.X448PublicKey, x448.X448PrivateKey, False),
    )
}
PRIVATE_MEMBERS = ("d",)
# RFC 7748 s4.1-4.2: the field primes of Curve25519 and Curve448. A u-coordinate is decoded
# modulo p (s5), so u >= p would be a second encoding of the point u - p.
FIELD_PRIMES = {"X25519": 2**255 - 19, "X448": 2**448 - 2**224 - 1}
THUMBPRINT_MEMBERS = ("crv", "kty", "x")  # RFC 8037 s2


def _raw(key: OKPPublic) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _exact(members: Mapping[str, Any], name: str, size: int) -> bytes:
    data = octets(members, name, "OKP")
    if len(data) != size:
        raise InvalidKeyError(f'OKP JWK member "{name}": expected {size} octets, got {len(data)}')
    return data


def public_key(curve: Curve, x: bytes) -> OKPPublic:
    """The public key of `curve` from "x", its raw octets of the right length, if canonical."""
    crv = curve.crv
    # RFC 7748 s5 masks the top bit of an X25519 u-coordinate: with it set, x would be a
    # second JWK form (and thumbprint) of the same key. Only the canonical form is accepted.
    if crv == "X25519" and x[-1] & 0x80:
        raise InvalidKeyError("OKP JWK: X25519 x has its unused top bit set (RFC 7748 s5)")
    # Likewise u >= p (RFC 7748 s5 decodes u modulo p): only the reduced form is canonical.
    if crv in FIELD_PRIMES and int.from_bytes(x, "little") >= FIELD_PRIMES[crv]:
        raise InvalidKeyError(f"OKP JWK: {crv} x is not reduced modulo p (RFC 7748 s5)")
    try:
        public: OKPPublic = curve.public.from_public_bytes(x)
    except ValueError:
        raise InvalidKeyError(f"OKP JWK: x is not a valid {crv} public key") from None
    return public


def load(members: Mapping[str, Any]) -> tuple[OKPPublic, OKPPrivate | None, str]:
    """Return (public key, private key or None, crv) for an OKP JWK's members."""
    crv = check_str(members, "crv", "OKP")
    curve = CURVES.get(crv)
    if curve is None:
        raise UnsupportedAlgorithmError(f"OKP JWK: unsupported curve {shown(crv)}")
    x = _exact(members, "x", curve.key_bytes)
    public = public_key(curve, x)
    if "d" not in members:
        return public, None, crv
    private: OKPPrivate = curve.private.from_private_bytes(_exact(members, "d", curve.key_bytes))
    # The public half must be the one "d" generates (RFC 8037 s2).
    if _raw(private.public_key()) != x:
        raise InvalidKeyError("OKP JWK: d does not match x")
    return public, private, crv


def crv_of(key: OKPPublic | OKPPrivate) -> str:
    """The RFC 8037 "crv" name of a cryptography OKP key."""
    for curve in CURVES.values():
        if isinstance(key, (curve.public, curve.private)):
            return curve.crv
    raise UnsupportedAlgorithmError(f"{type(key).__name__} is not an OKP key")


def export(key: OKPPublic | OKPPrivate, *, private: bool) -> dict[str, str]:
    """The OKP members of a cryptography key (d only when asked)."""
    is_private = not hasattr(key, "public_bytes")
    public: OKPPublic = key.public_key() if is_private else key  # type: ignore[union-attr,assignment]
    members = {"kty": "OKP", "crv": crv_of(key), "x": b64url.encode_text(_raw(public))}
    if private and is_private:
        raw = key.private_bytes(  # type: ignore[union-attr]
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        members["d"] = b64url.encode_text(raw)
    return members
