"""Test keys for the JWS and JWT tests: generated once per session, RSA 2048."""

from __future__ import annotations

import functools

from jose_ref import JWK

# key name -> (kty, generate arguments)
_SPECS: dict[str, tuple[str, dict[str, object]]] = {
    "oct256": ("oct", {"size": 256}),
    "oct384": ("oct", {"size": 384}),
    "oct512": ("oct", {"size": 512}),
    "rsa": ("RSA", {"size": 2048}),
    "p256": ("EC", {"crv": "P-256"}),
    "p384": ("EC", {"crv": "P-384"}),
    "p521": ("EC", {"crv": "P-521"}),
    "secp256k1": ("EC", {"crv": "secp256k1"}),
    "ed25519": ("OKP", {"crv": "Ed25519"}),
    "ed448": ("OKP", {"crv": "Ed448"}),
}

# Every JWS algorithm with each key type it may use (RFC 7518 s3.1, RFC 8037, RFC 8812).
CASES: list[tuple[str, str]] = [
    ("HS256", "oct256"),
    ("HS384", "oct384"),
    ("HS512", "oct512"),
    ("RS256", "rsa"),
    ("RS384", "rsa"),
    ("RS512", "rsa"),
    ("PS256", "rsa"),
    ("PS384", "rsa"),
    ("PS512", "rsa"),
    ("ES256", "p256"),
    ("ES384", "p384"),
    ("ES512", "p521"),
    ("ES256K", "secp256k1"),
    ("EdDSA", "ed25519"),
    ("EdDSA", "ed448"),
]


@functools.cache
def private(name: str) -> JWK:
    """The private key `name` (an oct key is its own "private" key)."""
    kty, arguments = _SPECS[name]
    return JWK.generate(kty, **arguments)  # type: ignore[arg-type]


@functools.cache
def other_private(name: str) -> JWK:
    """A second, unrelated key of the same kind as `name`."""
    kty, arguments = _SPECS[name]
    return JWK.generate(kty, **arguments)  # type: ignore[arg-type]


def public(key: JWK) -> JWK:
    """What a verifier holds: the public key, or the secret itself for oct."""
    return key if key.kty == "oct" else key.public()


def with_members(key: JWK, **members: object) -> JWK:
    """A copy of `key` (private form) with members added or replaced (None removes one)."""
    data = key.to_dict(private=True)
    for name, value in members.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return JWK.from_dict(data)
