"""The peers: jwcrypto, joserfc and python-jose, each given the same token and key.

Each adapter loads the key once (outside the timed loop) and returns a function from
token to plaintext or payload. A peer that cannot do a scenario raises at build or
first call, and the table shows "n/a" for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jose import jwe as pj_jwe
from jose import jwk as pj_jwk
from jose import jws as pj_jws
from joserfc import jwe as rfc_jwe
from joserfc import jws as rfc_jws
from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey
from jwcrypto import jwe as jc_jwe
from jwcrypto import jwk as jc_jwk
from jwcrypto import jws as jc_jws

from benchmarks.scenarios import Prepared

Decrypt = Callable[[str], bytes]
_JOSERFC_KEYS: dict[str, Any] = {"RSA": RSAKey, "EC": ECKey, "oct": OctKey, "OKP": OKPKey}


def _members(prepared: Prepared) -> dict[str, Any]:
    key = prepared.key
    if prepared.scenario.kind == "jws" and key.kty != "oct":
        return key.to_dict(private=False)
    return key.to_dict(private=True)


def jwcrypto(prepared: Prepared) -> Decrypt:
    """jwcrypto: JWE(algs=...).deserialize / JWS.deserialize with the key."""
    scenario = prepared.scenario
    key = jc_jwk.JWK(**_members(prepared))
    if scenario.kind == "jws":

        def verify(token: str) -> bytes:
            message = jc_jws.JWS()
            message.allowed_algs = [scenario.alg]
            message.deserialize(token, key=key)
            payload: bytes = message.payload
            return payload

        return verify
    algs = [scenario.alg, str(scenario.enc)]

    def decrypt(token: str) -> bytes:
        message = jc_jwe.JWE(algs=algs)
        message.deserialize(token, key=key)
        plaintext: bytes = message.payload
        return plaintext

    return decrypt


def joserfc(prepared: Prepared) -> Decrypt:
    """joserfc: decrypt_compact / deserialize_compact with an explicit algorithm list."""
    scenario = prepared.scenario
    key = _JOSERFC_KEYS[prepared.key.kty].import_key(_members(prepared))
    if scenario.kind == "jws":
        algorithms = [scenario.alg]
        return lambda token: rfc_jws.deserialize_compact(token, key, algorithms=algorithms).payload
    algorithms = [scenario.alg, str(scenario.enc)]
    return lambda token: rfc_jwe.decrypt_compact(token, key, algorithms=algorithms).plaintext


def python_jose(prepared: Prepared) -> Decrypt:
    """python-jose (cryptography backend): jwe.decrypt / jws.verify with a constructed key."""
    scenario = prepared.scenario
    if scenario.kind == "jws":
        key = pj_jwk.construct(_members(prepared), algorithm=scenario.alg)
        algorithms = [scenario.alg]

        def verify(token: str) -> bytes:
            payload: bytes = pj_jws.verify(token, key, algorithms=algorithms)
            return payload

        return verify

    # jwe.decrypt builds its key per call: from the raw oct secret, or wrapping the
    # cryptography key object (no parsing), the cheapest form it accepts.
    material: Any = (
        prepared.key.secret if prepared.key.kty == "oct" else prepared.key.crypto_private
    )

    def decrypt(token: str) -> bytes:
        plaintext: bytes | None = pj_jwe.decrypt(token, material)
        if plaintext is None:
            raise ValueError("python-jose returned no plaintext")
        return plaintext

    return decrypt


PEERS: dict[str, Callable[[Prepared], Decrypt]] = {
    "jwcrypto": jwcrypto,
    "joserfc": joserfc,
    "python-jose": python_jose,
}
