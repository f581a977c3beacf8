"""RFC 7518 s4.6.1.1 - The "epk" (Ephemeral Public Key) header parameter of ECDH-ES.

The producer's ephemeral public key, as a JWK in the header. It must be a
public key (no "d") of an agreeing type: EC (RFC 7518 s6.2) or X25519/X448
(RFC 8037 s2), never RSA or a signing curve. A bare key (only its "kty",
"crv" and coordinates) is read straight from its encoded point, which
cryptography checks (on the curve, coordinates below p; RFC 7748 s5 for
X25519/X448); any other shape, or a point that fails, goes through the full
JWK checks, so every refusal keeps its precise message.

https://www.rfc-editor.org/rfc/rfc7518#section-4.6.1.1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from cryptography.hazmat.primitives.asymmetric import ec as ec_keys

from jose_ref import b64url
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from jose_ref.jwk import ec, okp
from jose_ref.jwk.key import JWK

if TYPE_CHECKING:
    from jose_ref.jwa.key_management import ecdh_es

__all__ = ["EphemeralKey", "read_epk"]


class EphemeralKey(NamedTuple):
    """The "epk" of ECDH-ES (RFC 7518 s4.6.1.1): its key type, curve and public key."""

    kty: str
    crv: str
    public: ecdh_es.EcdhPublicKey


# The members of a bare public EC or X25519/X448 JWK: such an "epk" is read straight from
# its point. Any other shape goes through the full JWK checks (and their messages).
_BARE_MEMBERS = {"EC": frozenset({"kty", "crv", "x", "y"}), "OKP": frozenset({"kty", "crv", "x"})}
# Each EC curve once (the objects are immutable), with the octets of one coordinate.
_EC_CURVES = {crv: (curve(), ec.coordinate_bytes(curve())) for crv, curve in ec.CURVES.items()}


def read_epk(joined: Mapping[str, Any]) -> EphemeralKey:
    """The "epk" header parameter, checked: a public EC, X25519 or X448 key on its curve."""
    value = joined.get("epk")
    # A JSON object is a dict here: the protected header comes from the strict parser, and an
    # unprotected one had to serialize as JSON (header.check_unprotected).
    if not isinstance(value, dict):
        raise MalformedError('"epk" is required and must be a JWK object (RFC 7518 s4.6.1.1)')
    # The ephemeral key is public and agrees keys: never a private key, never an RSA key or a
    # signing curve. The raw members are checked first, so that no such key is ever built
    # (an RSA "epk" with a large "d" would otherwise cost an RSA key check before refusal).
    kty, crv = value.get("kty"), value.get("crv")
    agreeing = kty == "EC" or (
        kty == "OKP" and isinstance(crv, str) and crv in okp.CURVES and not okp.CURVES[crv].signing
    )
    if not agreeing:
        raise MalformedError('"epk" must be an EC, X25519 or X448 key (RFC 7518 s4.6, RFC 8037)')
    if "d" in value:
        raise MalformedError('"epk" must be a public key (RFC 7518 s4.6.1.1)')
    point = _from_point(value, str(kty)) if value.keys() == _BARE_MEMBERS[str(kty)] else None
    if point is not None:
        return point
    try:
        key = JWK.from_dict(value)
    except (InvalidKeyError, UnsupportedAlgorithmError) as error:
        # An off-curve or misshapen "epk" is a malformed header, whoever holds which key.
        raise MalformedError(f'"epk": {error}') from None
    return EphemeralKey(key.kty, str(key.crv), key.crypto_public)


def _from_point(value: Mapping[str, Any], kty: str) -> EphemeralKey | None:
    """A bare "epk" from its encoded point (SEC 1 s2.3.4, RFC 7748 s5), or None to take the
    full JWK path, which then refuses it with its precise reason."""
    crv = value["crv"]
    try:
        public = (
            _okp_point(crv, value["x"]) if kty == "OKP" else _ec_point(crv, value["x"], value["y"])
        )
    except (ValueError, InvalidKeyError, UnsupportedAlgorithmError, MalformedError):
        return None
    return None if public is None else EphemeralKey(kty, crv, public)


def _okp_point(crv: str, x: object) -> ecdh_es.EcdhPublicKey | None:
    # read_epk has checked that "crv" names X25519 or X448, so okp.public_key builds that
    # curve's key; it refuses an "x" that is not canonical (RFC 7748 s5).
    curve = okp.CURVES[crv]
    if not isinstance(x, str):
        return None
    x_octets = b64url.decode(x)
    if len(x_octets) != curve.key_bytes:
        return None
    return cast("ecdh_es.EcdhPublicKey", okp.public_key(curve, x_octets))


def _ec_point(crv: object, x: object, y: object) -> ec_keys.EllipticCurvePublicKey | None:
    curve = _EC_CURVES.get(crv) if isinstance(crv, str) else None
    if curve is None or not isinstance(x, str) or not isinstance(y, str):
        return None
    x_octets, y_octets = b64url.decode(x), b64url.decode(y)
    if len(x_octets) != curve[1] or len(y_octets) != curve[1]:
        return None
    # cryptography refuses a point off the curve or with a coordinate of p or more.
    point = b"\x04" + x_octets + y_octets
    return ec_keys.EllipticCurvePublicKey.from_encoded_point(curve[0], point)
