"""RFC 8037 s3.1 and RFC 9864 s2.2 - EdDSA, Ed25519 and Ed448 Signatures.

All three sign the JWS Signing Input with pure Ed25519 or Ed448 (RFC 8032
s5.1, s5.2): no pre-hash. Under the polymorphic "EdDSA" (deprecated by RFC
9864 s4.1.2, still verified as before) the key's curve chooses the variant;
the fully specified "Ed25519" and "Ed448" (RFC 9864 s2.2) each bind one curve,
so a key of the other curve is refused. X25519 and X448 keys are for key
agreement only and are refused. The signature is the raw RFC 8032 encoding, 64
octets for Ed25519 and 114 for Ed448; cryptography signs and verifies,
including the rejection of a non-canonical S.

https://www.rfc-editor.org/rfc/rfc9864#section-2.2
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

from jose_ref.errors import InvalidKeyError, InvalidSignatureError
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwa.signatures import opaque
from jose_ref.jwa.signatures.opaque import Verifier

__all__ = ["sign", "verifier", "verify"]

# RFC 8032 s5.1.6 and s5.2.6: the signature is R || S, 2 x 32 or 2 x 57 octets.
_ED25519_SIGNATURE_BYTES = 64
_ED448_SIGNATURE_BYTES = 114


_CURVES = {
    "Ed25519": (ed25519.Ed25519PublicKey, ed25519.Ed25519PrivateKey),
    "Ed448": (ed448.Ed448PublicKey, ed448.Ed448PrivateKey),
}


def _check_alg(alg: SignatureAlg) -> None:
    if alg.family != "EdDSA":
        raise ValueError(f"{alg.name} is not an EdDSA algorithm (RFC 8037 s3.1)")


def _check_curve(alg: SignatureAlg, key: object) -> None:
    # RFC 9864 s2.2: "Ed25519" and "Ed448" name the curve; "EdDSA" (crv None) takes either.
    if alg.crv is not None and not isinstance(key, _CURVES[alg.crv]):
        raise InvalidKeyError(f"{alg.name} requires an {alg.crv} key (RFC 9864 s2.2)")


def sign(alg: SignatureAlg, key: object, signing_input: bytes) -> bytes:
    """Return the Ed25519 or Ed448 signature of `signing_input` (RFC 8032 s5.1.6, s5.2.6)."""
    _check_alg(alg)
    # RFC 8037 s3.1: the key's "crv" selects the EdDSA variant; only Ed25519
    # and Ed448 keys sign (an X25519/X448 key, RFC 8037 s3.2, never does).
    if not isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)):
        raise InvalidKeyError(f"{alg.name} signing requires an Ed25519 or Ed448 private key")
    _check_curve(alg, key)
    return key.sign(signing_input)


def verifier(alg: SignatureAlg, key: object) -> Verifier:
    """Check `key` for `alg` once; return the function that validates its signatures."""
    _check_alg(alg)
    public_key = (
        key.public_key()
        if isinstance(key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
        else key
    )
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        signature_bytes = _ED25519_SIGNATURE_BYTES
    elif isinstance(public_key, ed448.Ed448PublicKey):
        signature_bytes = _ED448_SIGNATURE_BYTES
    else:
        raise InvalidKeyError(f"{alg.name} verification requires an Ed25519 or Ed448 key")
    _check_curve(alg, public_key)
    ed_verify = public_key.verify

    def verify_signature(signing_input: bytes, signature: bytes) -> None:
        # RFC 8032 s5.1.7 step 1: a signature of any other length is invalid.
        if len(signature) != signature_bytes:
            raise InvalidSignatureError() from None
        # RFC 8032 s5.1.7 step 1 also rejects S >= L (a malleable, non-canonical
        # signature); cryptography enforces it and raises InvalidSignature.
        opaque.verify_or_raise(ed_verify, signature, signing_input)

    return verify_signature


def verify(alg: SignatureAlg, key: object, signing_input: bytes, signature: bytes) -> None:
    """Return None if `signature` verifies (RFC 8032 s5.1.7, s5.2.7), else InvalidSignatureError."""
    verifier(alg, key)(signing_input, signature)
