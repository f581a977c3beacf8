"""RFC 7518 s6.2 - Parameters for Elliptic Curve Keys.

Loads an EC JWK over P-256, P-384, P-521 (RFC 7518 s6.2.1.1) or secp256k1
(RFC 8812 s3.1). Coordinates and the private scalar must be exactly the
curve's field size in octets (s6.2.1.2, s6.2.1.3, s6.2.2.1); the point must
lie on the curve, which cryptography checks, and a private "d" must be in
[1, n-1] and match the public point, which cryptography also checks.

https://www.rfc-editor.org/rfc/rfc7518#section-6.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from jose_ref import b64url
from jose_ref.errors import InvalidKeyError, UnsupportedAlgorithmError
from jose_ref.escape import shown
from jose_ref.jwk._members import check_str, octets

__all__ = ["CURVES", "PRIVATE_MEMBERS", "THUMBPRINT_MEMBERS", "coordinate_bytes", "export", "load"]

# crv -> cryptography curve class; the registry's ES* rows name these curves.
CURVES: dict[str, type[ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
    "secp256k1": ec.SECP256K1,
}
_CRV_OF: dict[str, str] = {
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
    "secp256k1": "secp256k1",
}
# Group orders n: FIPS 186-4 D.1.2.3-5 (P-256, P-384, P-521) and SEC 2 v2 s2.4.1 (secp256k1).
ORDERS: dict[str, int] = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "P-384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
        "581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    "P-521": int(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}
PRIVATE_MEMBERS = ("d",)
THUMBPRINT_MEMBERS = ("crv", "kty", "x", "y")  # RFC 7638 s3.2

ECKey = ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey


def coordinate_bytes(curve: ec.EllipticCurve) -> int:
    """Octets of one coordinate (and of d): ceil(field bits / 8), 66 for P-521."""
    return (curve.key_size + 7) // 8


def crv_of(key: ECKey) -> str:
    """The JWK "crv" name of a cryptography EC key."""
    name = _CRV_OF.get(key.curve.name)
    if name is None:
        raise UnsupportedAlgorithmError(f"EC curve {key.curve.name} is not supported")
    return name


def _exact(members: Mapping[str, Any], name: str, size: int) -> int:
    data = octets(members, name, "EC")
    if len(data) != size:
        raise InvalidKeyError(f'EC JWK member "{name}": expected {size} octets, got {len(data)}')
    return int.from_bytes(data, "big")


def load(
    members: Mapping[str, Any],
) -> tuple[ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey | None, str]:
    """Return (public key, private key or None, crv) for an EC JWK's members."""
    crv = check_str(members, "crv", "EC")
    if crv not in CURVES:
        raise UnsupportedAlgorithmError(f"EC JWK: unsupported curve {shown(crv)}")
    curve = CURVES[crv]()
    size = coordinate_bytes(curve)
    numbers = ec.EllipticCurvePublicNumbers(
        _exact(members, "x", size), _exact(members, "y", size), curve
    )
    try:
        public = numbers.public_key()
    except ValueError:
        raise InvalidKeyError("EC JWK: the point is not on the curve") from None
    # cryptography reduces x and y modulo p: x + p would load as the same point under a
    # second JWK form (and thumbprint). Only the reduced coordinates are the key.
    if public.public_numbers() != numbers:
        raise InvalidKeyError("EC JWK: x or y is not reduced modulo the field prime")
    if "d" not in members:
        return public, None, crv
    d = _exact(members, "d", size)
    # RFC 7518 s6.2.2.1 with SEC 1 s3.2.1: d is in [1, n-1]. 66 octets can hold d + n on
    # P-521, which cryptography would accept as a second form of the same key.
    if not 1 <= d < ORDERS[crv]:
        raise InvalidKeyError("EC JWK: d is out of the range [1, n-1]")
    try:
        private = ec.EllipticCurvePrivateNumbers(d, numbers).private_key()
    except ValueError:
        raise InvalidKeyError("EC JWK: d is out of range or does not match x and y") from None
    return public, private, crv


def export(key: ECKey, *, private: bool) -> dict[str, str]:
    """The EC members of a cryptography key (d only when asked)."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    numbers = public.public_numbers()
    size = coordinate_bytes(key.curve)
    members = {
        "kty": "EC",
        "crv": crv_of(key),
        "x": b64url.encode_text(numbers.x.to_bytes(size, "big")),
        "y": b64url.encode_text(numbers.y.to_bytes(size, "big")),
    }
    if private and isinstance(key, ec.EllipticCurvePrivateKey):
        d = key.private_numbers().private_value
        members["d"] = b64url.encode_text(d.to_bytes(size, "big"))
    return members
