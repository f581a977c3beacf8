"""The benchmark scenarios of issue 9: one token and its key per scenario, made once.

Tokens are made with jose_ref and decrypted or verified by every library; keys are
generated once per run and loaded by each library outside the timed loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from jose_ref import JWK, Limits, jwe, jws

CLAIMS = (
    b'{"sub":"fin-hetu-hash","iss":"https://idp.example","aud":"client-123","nonce":"n-0S6_WzA2Mj"}'
)
KIB = (CLAIMS * 12)[:1024]
MIB = (CLAIMS * 11_000)[: 1024 * 1024]
# A 1 MiB JWE is larger than the default max_token_bytes; every library gets the same token.
BIG_LIMITS = Limits(max_token_bytes=4 * 1024 * 1024, max_plaintext_bytes=2 * 1024 * 1024)


@dataclass(frozen=True)
class Scenario:
    """One row of the table: what is decrypted or verified, and which target applies."""

    name: str
    kind: str  # "jwe" or "jws"
    alg: str
    enc: str | None
    kty: str
    size: int | None
    crv: str | None
    plaintext: bytes
    target: str  # "rsa" (<= 1.08x floor, faster than every peer), "other" or "big"


def _jwe(
    name: str,
    alg: str,
    enc: str,
    kty: str,
    *,
    size: int | None = None,
    crv: str | None = None,
    plaintext: bytes = KIB,
    target: str = "other",
) -> Scenario:
    return Scenario(name, "jwe", alg, enc, kty, size, crv, plaintext, target)


def _jws(
    name: str, alg: str, kty: str, *, size: int | None = None, crv: str | None = None
) -> Scenario:
    return Scenario(name, "jws", alg, None, kty, size, crv, CLAIMS, "other")


SCENARIOS = [
    _jwe("RSA-OAEP-256 + A256GCM", "RSA-OAEP-256", "A256GCM", "RSA", size=2048, target="rsa"),
    _jwe("RSA1_5 + A128GCM", "RSA1_5", "A128GCM", "RSA", size=2048, target="rsa"),
    _jwe("ECDH-ES X25519 + A128GCM", "ECDH-ES", "A128GCM", "OKP", crv="X25519"),
    _jwe("ECDH-ES+A256KW P-256 + A256GCM", "ECDH-ES+A256KW", "A256GCM", "EC", crv="P-256"),
    _jwe("dir + A256GCM, 1 KiB", "dir", "A256GCM", "oct", size=256),
    _jwe("dir + A256GCM, 1 MiB", "dir", "A256GCM", "oct", size=256, plaintext=MIB, target="big"),
    _jwe("A256KW + A256CBC-HS512", "A256KW", "A256CBC-HS512", "oct", size=256),
    _jws("JWS HS256 verify", "HS256", "oct", size=256),
    _jws("JWS RS256 verify", "RS256", "RSA", size=2048),
    _jws("JWS ES256 verify", "ES256", "EC", crv="P-256"),
    _jws("JWS EdDSA verify", "EdDSA", "OKP", crv="Ed25519"),
    # Signicat FTN ID tokens: RSA-OAEP with 2048- and 4096-bit keys.
    _jwe("Signicat RSA-OAEP 2048 + A256GCM", "RSA-OAEP", "A256GCM", "RSA", size=2048, target="rsa"),
    _jwe("Signicat RSA-OAEP 4096 + A256GCM", "RSA-OAEP", "A256GCM", "RSA", size=4096, target="rsa"),
    # BankID: RSA-OAEP-256 with each content encryption, ECDH-ES for login_hint.
    *[
        _jwe(f"BankID RSA-OAEP-256 + {enc}", "RSA-OAEP-256", enc, "RSA", size=2048, target="rsa")
        for enc in ("A128GCM", "A192GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512")
    ],
    _jwe(
        "BankID login_hint ECDH-ES P-256 + A256GCM",
        "ECDH-ES",
        "A256GCM",
        "EC",
        crv="P-256",
        plaintext=b'{"login_hint":"198001019855"}',
    ),
]


@dataclass(frozen=True)
class Prepared:
    """A scenario with its key (private, as the receiver holds it) and its token."""

    scenario: Scenario
    key: JWK
    token: str


_KEYS: dict[tuple[str, int | None, str | None], JWK] = {}


def _key(scenario: Scenario) -> JWK:
    # One key per shape, shared by the scenarios that use it.
    shape = (scenario.kty, scenario.size, scenario.crv)
    if shape not in _KEYS:
        _KEYS[shape] = JWK.generate(scenario.kty, size=scenario.size, crv=scenario.crv)
    return _KEYS[shape]


def prepare(scenario: Scenario) -> Prepared:
    """The key and the token of `scenario`."""
    key = _key(scenario)
    if scenario.kind == "jws":
        return Prepared(scenario, key, jws.sign_compact(scenario.plaintext, key, alg=scenario.alg))
    recipient = key if key.kty == "oct" else key.public()
    token = jwe.encrypt_compact(
        scenario.plaintext, recipient, alg=scenario.alg, enc=str(scenario.enc)
    )
    return Prepared(scenario, key, token)
