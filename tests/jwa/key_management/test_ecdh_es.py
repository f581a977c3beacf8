"""RFC 7518 s4.6, RFC 8037 s3.2 - ECDH-ES: published vectors, KDF inputs, bad keys, interop."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from jwcrypto import jwe as jwcrypto_jwe  # type: ignore[import-untyped]
from jwcrypto import jwk as jwcrypto_jwk

from jose_ref.errors import InvalidKeyError
from jose_ref.jwa import registry
from jose_ref.jwa.content_encryption import aes_gcm
from jose_ref.jwa.key_management import aes_key_wrap, ecdh_es
from tests.jwa import opaque_decryption_error
from tests.vectorlib import load, octets

ECDH_ALGS = [alg for alg in registry.KEY_MANAGEMENT.values() if alg.family == "ECDH-ES"]


def _b64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _p256(jwk: dict[str, str]) -> ec.EllipticCurvePrivateKey:
    public = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64u(jwk["x"]), "big"),
        int.from_bytes(_b64u(jwk["y"]), "big"),
        ec.SECP256R1(),
    )
    return ec.EllipticCurvePrivateNumbers(
        int.from_bytes(_b64u(jwk["d"]), "big"), public
    ).private_key()


def _reference_kdf(z: bytes, key_bytes: int, algorithm_id: bytes, apu: bytes, apv: bytes) -> bytes:
    """RFC 7518 s4.6.2 OtherInfo and NIST Concat KDF, written out with hashlib."""
    prefixed = b"".join(len(f).to_bytes(4, "big") + f for f in (algorithm_id, apu, apv))
    other_info = prefixed + (key_bytes * 8).to_bytes(4, "big")
    rounds = b"".join(
        hashlib.sha256(i.to_bytes(4, "big") + z + other_info).digest() for i in (1, 2, 3)
    )
    return rounds[:key_bytes]


def test_rfc7518_appendix_c() -> None:
    vector = load("rfc7518-c-ecdh-es-a128gcm")
    alice = _p256(vector["keys"]["alice_ephemeral"])
    bob = _p256(vector["keys"]["bob"])
    z = octets(vector["intermediate"]["z"])
    assert ecdh_es.agree(alice, bob.public_key()) == z
    assert ecdh_es.agree(bob, alice.public_key()) == z
    inputs = vector["input"]
    alg, enc = registry.key_management(inputs["alg"]), registry.content_encryption(inputs["enc"])
    derived = ecdh_es.derive_key(z, alg, enc, octets(inputs["apu"]), octets(inputs["apv"]))
    assert derived == octets(vector["expected"]["derived_key"])


def test_rfc8037_appendix_a6() -> None:
    vector = load("rfc8037-a.6-x25519-ecdh-es")
    secret = octets(vector["fixed_randomness"]["ephemeral_secret"])
    ephemeral = x25519.X25519PrivateKey.from_private_bytes(secret)
    assert ephemeral.public_key().public_bytes_raw() == octets(
        vector["intermediate"]["ephemeral_public"]
    )
    assert _b64u(vector["keys"]["ephemeral"]["x"]) == octets(
        vector["intermediate"]["ephemeral_public"]
    )
    bob_public = octets(vector["intermediate"]["bob_public"])
    assert _b64u(vector["keys"]["bob"]["x"]) == bob_public
    z = ecdh_es.agree(ephemeral, x25519.X25519PublicKey.from_public_bytes(bob_public))
    assert z == octets(vector["intermediate"]["z"])


@pytest.mark.parametrize("alg", ECDH_ALGS, ids=lambda a: a.name)
@pytest.mark.parametrize("enc", list(registry.CONTENT_ENCRYPTION.values()), ids=lambda e: e.name)
def test_derive_key_inputs(
    alg: registry.KeyManagementAlg, enc: registry.ContentEncryptionAlg
) -> None:
    z, apu, apv = os.urandom(32), b"Alice", b"Bob"
    if alg.mode == "direct_key_agreement":
        expected = _reference_kdf(z, enc.cek_bytes, enc.name.encode(), apu, apv)
    else:
        assert alg.kek_bytes is not None
        expected = _reference_kdf(z, alg.kek_bytes, alg.name.encode(), apu, apv)
    assert ecdh_es.derive_key(z, alg, enc, apu, apv) == expected


def test_derive_key_refuses_other_algorithms() -> None:
    enc = registry.content_encryption("A128GCM")
    for name in ("A128KW", "dir", "RSA-OAEP", "PBES2-HS256+A128KW"):
        with pytest.raises(ValueError):
            ecdh_es.derive_key(bytes(32), registry.key_management(name), enc, b"", b"")


LOW_ORDER_X25519 = [
    bytes(32),
    (1).to_bytes(32, "little"),
    # A point of order 8 (RFC 7748 s5 allows any u; these give the all-zero output).
    bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
    bytes.fromhex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    bytes.fromhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
]


@pytest.mark.parametrize("point", LOW_ORDER_X25519, ids=lambda p: p.hex()[:8])
def test_low_order_x25519_point(point: bytes) -> None:
    public = x25519.X25519PublicKey.from_public_bytes(point)
    with opaque_decryption_error():
        ecdh_es.agree(x25519.X25519PrivateKey.generate(), public)


@pytest.mark.parametrize("point", [bytes(56), (1).to_bytes(56, "little")], ids=["zero", "one"])
def test_low_order_x448_point(point: bytes) -> None:
    public = x448.X448PublicKey.from_public_bytes(point)
    with opaque_decryption_error():
        ecdh_es.agree(x448.X448PrivateKey.generate(), public)


def _keys() -> dict[str, Any]:
    return {
        "P-256": ec.generate_private_key(ec.SECP256R1()),
        "P-384": ec.generate_private_key(ec.SECP384R1()),
        "P-521": ec.generate_private_key(ec.SECP521R1()),
        "X25519": x25519.X25519PrivateKey.generate(),
        "X448": x448.X448PrivateKey.generate(),
    }


def test_mismatched_types_and_curves() -> None:
    keys = _keys()
    for mine, private_key in keys.items():
        for theirs, other in keys.items():
            if mine == theirs:
                assert len(ecdh_es.agree(private_key, other.public_key())) > 0
            else:
                with pytest.raises(InvalidKeyError):
                    ecdh_es.agree(private_key, other.public_key())


KINDS = {
    "P-256": ec.EllipticCurvePrivateKey,
    "P-384": ec.EllipticCurvePrivateKey,
    "P-521": ec.EllipticCurvePrivateKey,
    "X25519": x25519.X25519PrivateKey,
    "X448": x448.X448PrivateKey,
}


def test_generate_ephemeral_matches_the_recipient() -> None:
    for crv, private_key in _keys().items():
        public = private_key.public_key()
        first, second = ecdh_es.generate_ephemeral(public), ecdh_es.generate_ephemeral(public)
        assert isinstance(first, KINDS[crv])
        if isinstance(first, ec.EllipticCurvePrivateKey):
            assert first.curve.name == private_key.curve.name
        # Fresh every time, and usable with the recipient's key.
        assert ecdh_es.agree(first, public) != ecdh_es.agree(second, public)
        assert ecdh_es.agree(private_key, first.public_key()) == ecdh_es.agree(first, public)


# jwcrypto cannot import an X448 key object, so X448 is covered by the tests above only.
@pytest.mark.parametrize("crv", ["P-256", "P-384", "P-521", "X25519"])
def test_interop_with_jwcrypto_ecdh_es_a128kw(crv: str) -> None:
    recipient = _keys()[crv]
    sender = jwcrypto_jwe.JWE(
        b"interop plaintext", protected=json.dumps({"alg": "ECDH-ES+A128KW", "enc": "A128GCM"})
    )
    sender.add_recipient(jwcrypto_jwk.JWK.from_pyca(recipient.public_key()))
    encoded_header, encoded_key, encoded_iv, encoded_ct, encoded_tag = sender.serialize(
        compact=True
    ).split(".")
    header = json.loads(_b64u(encoded_header))
    epk = jwcrypto_jwk.JWK(**header["epk"]).get_op_key("encrypt")
    z = ecdh_es.agree(recipient, epk)
    kek = ecdh_es.derive_key(
        z,
        registry.key_management(header["alg"]),
        registry.content_encryption(header["enc"]),
        _b64u(header.get("apu", "")),
        _b64u(header.get("apv", "")),
    )
    cek = aes_key_wrap.unwrap(kek, _b64u(encoded_key))
    plaintext = aes_gcm.decrypt(
        cek, _b64u(encoded_iv), _b64u(encoded_ct), _b64u(encoded_tag), encoded_header.encode()
    )
    assert plaintext == b"interop plaintext"
