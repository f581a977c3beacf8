"""RFC 7518 s4.6 - Key Agreement with Elliptic Curve Diffie-Hellman Ephemeral Static.

The producer generates an ephemeral key on the recipient's curve, computes
the shared secret Z with ECDH (P-256/384/521) or X25519/X448 (RFC 8037
s3.2), and derives a key from Z with the Concat KDF. In Direct Key Agreement
mode ("ECDH-ES") the derived key is the CEK and AlgorithmID is the "enc"
value; with key wrapping ("ECDH-ES+A*KW") it is the KEK for AES Key Wrap and
AlgorithmID is the "alg" value. The mode comes from the registry descriptor.

https://www.rfc-editor.org/rfc/rfc7518#section-4.6
"""

from __future__ import annotations

import functools
import hmac

from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519

from jose_ref import trace
from jose_ref.errors import DecryptionError, InvalidKeyError
from jose_ref.jwa.key_management import concat_kdf
from jose_ref.jwa.registry import ContentEncryptionAlg, KeyManagementAlg

__all__ = ["EcdhPrivateKey", "EcdhPublicKey", "agree", "derive_key", "generate_ephemeral"]

EcdhPrivateKey = ec.EllipticCurvePrivateKey | x25519.X25519PrivateKey | x448.X448PrivateKey
EcdhPublicKey = ec.EllipticCurvePublicKey | x25519.X25519PublicKey | x448.X448PublicKey


def agree(private_key: EcdhPrivateKey, public_key: EcdhPublicKey) -> bytes:
    """Return Z, the ECDH shared secret; InvalidKeyError for keys of different types or curves."""
    z = _exchange(private_key, public_key)
    # A low-order X25519/X448 point gives the all-zero Z, which must be refused
    # (RFC 7748 s6.1). cryptography raises ValueError for it; the zero check is
    # repeated here in constant time. The error is raised outside the except
    # block, so it carries no __context__ (RFC 7516 s11.5).
    if z is None or hmac.compare_digest(z, bytes(len(z))):
        raise DecryptionError() from None
    rec = trace.recorder()
    if rec is not None:
        rec.detail("RFC 7518 s4.6.2", "Z, the ECDH shared secret.", secret=("z",), z=z)
    return z


# The ECDH key classes of cryptography, by kind. isinstance against these abstract classes
# runs a Python-level __instancecheck__ each time, so the answer is remembered per concrete
# class (a handful of them).
_KINDS = (
    ("EC", ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey),
    ("X25519", x25519.X25519PrivateKey, x25519.X25519PublicKey),
    ("X448", x448.X448PrivateKey, x448.X448PublicKey),
)


@functools.lru_cache(maxsize=16)
def _kind(key_class: type, private: bool) -> str | None:
    """ "EC", "X25519" or "X448" when `key_class` is that kind of private (or public) key."""
    for kind, private_class, public_class in _KINDS:
        if issubclass(key_class, private_class if private else public_class):
            return kind
    return None


def _exchange(private_key: EcdhPrivateKey, public_key: EcdhPublicKey) -> bytes | None:
    # The two keys must be of one type and, for EC, on one curve: a point of
    # another curve is the invalid-curve attack (RFC 8725 s3.4).
    kind = _kind(type(private_key), True)
    if kind is not None and kind == _kind(type(public_key), False):
        # Both keys are of `kind`; mypy cannot narrow the unions through _kind.
        try:
            if kind != "EC":
                return private_key.exchange(public_key)  # type: ignore[call-arg,arg-type]
            if private_key.curve.name == public_key.curve.name:  # type: ignore[union-attr]
                return private_key.exchange(ec.ECDH(), public_key)  # type: ignore[call-arg,arg-type]
        except ValueError:
            return None
    raise InvalidKeyError("ECDH-ES: both keys must be of one key type and curve (RFC 7518 s4.6)")


def derive_key(
    z: bytes, alg: KeyManagementAlg, enc: ContentEncryptionAlg, apu: bytes, apv: bytes
) -> bytes:
    """Return the CEK ("ECDH-ES") or the KEK ("ECDH-ES+A*KW") derived from `z` (RFC 7518 s4.6.2)."""
    if alg.family != "ECDH-ES":
        raise ValueError(f"{alg.name} is not an ECDH-ES algorithm (RFC 7518 s4.6)")
    if alg.mode == "direct_key_agreement":
        # Direct Key Agreement: AlgorithmID is the "enc" value and keydatalen
        # the CEK size in bits.
        algorithm_id, key_bytes = enc.name, enc.cek_bytes
    elif alg.kek_bytes is not None:
        # Key Agreement with Key Wrapping: AlgorithmID is the "alg" value and
        # keydatalen the AES Key Wrap key size in bits.
        algorithm_id, key_bytes = alg.name, alg.kek_bytes
    else:
        raise ValueError(f"{alg.name} has no key wrapping key size (RFC 7518 s4.6)")
    # PartyUInfo and PartyVInfo are the decoded "apu" and "apv" (empty when absent).
    return concat_kdf.derive(z, key_bytes, algorithm_id.encode("ascii"), apu, apv)


def generate_ephemeral(public_key: EcdhPublicKey) -> EcdhPrivateKey:
    """Return a fresh ephemeral private key of the recipient's key type and curve.

    Its public part becomes the "epk" header parameter (RFC 7518 s4.6.1.1).
    """
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return ec.generate_private_key(public_key.curve)
    if isinstance(public_key, x25519.X25519PublicKey):
        return x25519.X25519PrivateKey.generate()
    if isinstance(public_key, x448.X448PublicKey):
        return x448.X448PrivateKey.generate()
    raise InvalidKeyError("ECDH-ES needs an EC, X25519 or X448 public key (RFC 7518 s4.6)")
