"""RFC 7518 s3.4 - Digital Signature with ECDSA.

ES256, ES384 and ES512 sign with ECDSA on P-256, P-384 and P-521 over
SHA-256, SHA-384 and SHA-512; ES256K (RFC 8812 s3.2) uses secp256k1 with
SHA-256. Each algorithm binds exactly one curve, so a key on any other curve
is refused. The JWS Signature is not DER: it is R || S, each an unsigned
big-endian integer of exactly ceil(curve bits / 8) octets. Its length is
checked before anything else, and cryptography's utils convert to and from
the DER form that cryptography signs and verifies.

https://www.rfc-editor.org/rfc/rfc7518#section-3.4
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from jose_ref.errors import InvalidKeyError, InvalidSignatureError
from jose_ref.jwa import registry
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import opaque
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = ["sign", "verifier", "verify"]

_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
    "secp256k1": ec.SECP256K1,
}


def _params(alg: SignatureAlg, curve: ec.EllipticCurve) -> tuple[ec.ECDSA, int]:
    """Return the ECDSA scheme and the octet length of R and S for `alg` on `curve`."""
    if alg.family != "ECDSA" or alg.crv not in _CURVES or alg.hash is None:
        raise ValueError(f"{alg.name} is not an ECDSA algorithm (RFC 7518 s3.4)")
    # RFC 7518 s3.4 and RFC 8812 s3.2 name one curve per algorithm: an ES256
    # token must not verify under a P-384 or secp256k1 key (RFC 8725 s3.1).
    if not isinstance(curve, _CURVES[alg.crv]):
        raise InvalidKeyError(f"{alg.name} requires a {alg.crv} key, got curve {curve.name}")
    return ec.ECDSA(registry.hash_algorithm(alg.hash)), (curve.key_size + 7) // 8


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the JWS Signature R || S of `signing_input` (RFC 7518 s3.4)."""
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise InvalidKeyError(f"{alg.name} signing requires an EC private key")
    scheme, size = _params(alg, key.curve)
    r, s = decode_dss_signature(key.sign(signing_input, scheme))
    # RFC 7518 s3.4 steps 2-3: JWS Signature = R || S, each big-endian and
    # "MUST NOT be shortened to omit any leading zero octets".
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates R || S signatures."""
    public_key = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        raise InvalidKeyError(f"{alg.name} verification requires an EC key")
    scheme, size = _params(alg, public_key.curve)
    ec_verify = public_key.verify

    def verify_signature(signing_input: bytes, signature: bytes) -> None:
        # RFC 7518 s3.4: "If it is not a 64-octet sequence, the validation has
        # failed" (for P-256; 96 and 132 octets for P-384, P-521). Checked before
        # any conversion, so a DER-encoded or padded signature never reaches ECDSA.
        if len(signature) != 2 * size:
            raise InvalidSignatureError() from None
        r = int.from_bytes(signature[:size], "big")
        s = int.from_bytes(signature[size:], "big")
        # An r or s outside [1, n-1] is refused by ECDSA verification itself
        # (SEC 1 s4.1.4 step 1) and surfaces as InvalidSignature like any forgery.
        opaque.verify_or_raise(ec_verify, encode_dss_signature(r, s), signing_input, scheme)

    return verify_signature


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if the R || S `signature` verifies, else raise InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
