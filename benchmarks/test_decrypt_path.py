"""The decrypt hot path against the peers, measured in one run so ratios are comparable.

Each group decrypts the same compact token with jose_ref, jwcrypto and joserfc
(test-only dependencies). The target is that jose_ref is the fastest in every
group: read the "Mean" column within a group, never across runs or machines.
Run with `make bench`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from joserfc import jwe as joserfc_jwe
from joserfc.jwk import ECKey, OctKey, RSAKey
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk

from jose_ref import JWK, jwe

PLAINTEXT = b'{"sub":"fin-hetu-hash","iss":"https://idp.example","aud":"client-123"}' * 4

SCENARIOS = {
    # Signicat FTN: RSA-OAEP with a 2048-bit key.
    "rsa-oaep-a256gcm": ("RSA-OAEP", "A256GCM", lambda: JWK.generate("RSA", size=2048)),
    # BankID request objects.
    "rsa-oaep-256-a128cbc-hs256": ("RSA-OAEP-256", "A128CBC-HS256", lambda: JWK.generate("RSA")),
    # BankID login_hint.
    "ecdh-es-p256-a256gcm": ("ECDH-ES", "A256GCM", lambda: JWK.generate("EC", crv="P-256")),
    # Pure library overhead: symmetric, no public-key operation.
    "dir-a128gcm": ("dir", "A128GCM", lambda: JWK.generate("oct", size=128)),
    "a128kw-a128cbc-hs256": ("A128KW", "A128CBC-HS256", lambda: JWK.generate("oct", size=128)),
}
_JOSERFC_KEYS: dict[str, Any] = {"RSA": RSAKey, "EC": ECKey, "oct": OctKey}


def _setup(name: str) -> tuple[str, str, str, JWK]:
    alg, enc, make_key = SCENARIOS[name]
    key = make_key()
    recipient = key if key.kty == "oct" else key.public()
    return alg, enc, jwe.encrypt_compact(PLAINTEXT, recipient, alg=alg, enc=enc), key


def _decryptors(alg: str, enc: str, key: JWK) -> dict[str, Callable[[str], bytes]]:
    jwcrypto_key = jwcrypto_jwk.JWK(**key.to_dict(private=True))
    joserfc_key = _JOSERFC_KEYS[key.kty].import_key(key.to_dict(private=True))

    def with_jwcrypto(token: str) -> bytes:
        message = jwcrypto_jwe.JWE()
        message.deserialize(token, key=jwcrypto_key)
        payload: bytes = message.payload
        return payload

    def with_joserfc(token: str) -> bytes:
        plaintext: bytes = joserfc_jwe.decrypt_compact(
            token, joserfc_key, algorithms=[alg, enc]
        ).plaintext
        return plaintext

    return {
        "jose_ref": lambda token: jwe.decrypt_compact(token, key, algorithms=[alg]).plaintext,
        "jwcrypto": with_jwcrypto,
        "joserfc": with_joserfc,
    }


@pytest.mark.parametrize("library", ["jose_ref", "jwcrypto", "joserfc"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_decrypt_compact(benchmark: Any, scenario: str, library: str) -> None:
    alg, enc, token, key = _setup(scenario)
    decrypt = _decryptors(alg, enc, key)[library]
    benchmark.group = f"decrypt {scenario}"
    # Every library must really decrypt the token, or the comparison means nothing.
    assert benchmark(decrypt, token) == PLAINTEXT
