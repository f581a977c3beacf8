"""RFC 7520 and the JOSE appendices - A vector's printed intermediates, against a trace.

Behind `jose-ref vectors`: the values a vector prints besides its input and
output (encoded header, AAD, JWE Encrypted Key, ciphertext, tag, derived key,
MAC_KEY, Z, OtherInfo, JWS Signing Input...) are compared with the values of
the same name that the library's recorded trace shows. The expected values
are the RFCs'; nothing here computes one.

https://www.rfc-editor.org/rfc/rfc7520
"""

from __future__ import annotations

import base64
from typing import Any

from jose_ref import trace
from jose_ref.jwk import JWK

__all__ = ["agreeing_pair", "jwe_printed", "jws_printed", "octets", "same"]


def octets(value: dict[str, Any]) -> bytes:
    """Decode a vector byte value (vectors/FORMAT.md, "Byte values")."""
    ((encoding, text),) = value.items()
    if encoding == "utf8":
        return str(text).encode("utf-8")
    if encoding == "hex":
        return bytes.fromhex(str(text).replace(" ", ""))
    if encoding == "octets":
        return bytes(text)
    padded = str(text) + "=" * (-len(str(text)) % 4)
    return base64.urlsafe_b64decode(padded) if encoding == "b64u" else base64.b64decode(padded)


def same(steps: list[trace.Step], printed: dict[str, bytes]) -> int:
    """Check each printed intermediate against the value of that name in the trace."""
    recorded: dict[str, list[Any]] = {}
    for step in steps:
        for named, value in step.values.items():
            name = named.partition("[")[0]  # encrypted_key[1] of a general JSON JWE
            data = value.data if isinstance(value, trace.Content) else value
            recorded.setdefault(name, []).append(data.encode() if isinstance(data, str) else data)
    for label, value in printed.items():
        name = label.partition(" of ")[0]
        if value not in recorded.get(name, []):
            raise AssertionError(f"intermediate {name} differs from the trace")
    return len(printed)


def jwe_printed(vector: dict[str, Any], form: str) -> dict[str, bytes]:
    given = {**vector.get("intermediate", {}), **vector.get("intermediate", {}).get(form, {})}
    printed = {
        name: octets(given[name])
        for name in ("aad", "ciphertext", "tag", "compressed_plaintext")
        if isinstance(given.get(name), dict)
    }
    if given.get("encoded_protected_header"):
        printed["encoded_protected_header"] = str(given["encoded_protected_header"]).encode()
    for i, recipient in enumerate(given.get("recipients", [])):
        for name in ("encrypted_key", "derived_key"):
            if name in recipient:
                printed[f"{name} of recipient {i}"] = octets(recipient[name])
    return printed


def jws_printed(vector: dict[str, Any], index: int) -> dict[str, bytes]:
    given = vector.get("intermediate", {}).get("signatures", [])
    if index >= len(given):
        return {}
    printed = {name: octets(given[index][name]) for name in ("signing_input", "signature")}
    if given[index].get("encoded_protected_header"):
        printed["encoded_protected_header"] = str(given[index]["encoded_protected_header"]).encode()
    return printed


def agreeing_pair(vector: dict[str, Any]) -> tuple[Any, Any]:
    """(private key, public key) of the agreement the vector prints."""
    secret = vector.get("fixed_randomness", {}).get("ephemeral_secret")
    if secret is None:
        # RFC 7518 C: Bob's private key with Alice's ephemeral public key.
        private, public = (JWK.from_dict(m) for m in vector["keys"].values())
        return private.crypto_private, public.crypto_public
    # RFC 8037 A.6: the ephemeral X25519 secret, printed as raw octets, with Bob's public key.
    from cryptography.hazmat.primitives.asymmetric import x25519

    ephemeral = x25519.X25519PrivateKey.from_private_bytes(octets(secret))
    ephemeral_jwk = JWK.from_key_object(ephemeral)
    if ephemeral_jwk.to_dict()["x"] != vector["keys"]["ephemeral"]["x"]:
        raise AssertionError("the ephemeral public key differs")
    bob = JWK.from_dict(vector["keys"]["bob"])
    printed_bob = vector["intermediate"].get("bob_public")
    if printed_bob is not None and b64url_decode(bob.to_dict()["x"]) != octets(printed_bob):
        raise AssertionError("Bob's public key differs")
    return ephemeral, bob.crypto_public


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url (RFC 7515 s2)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
