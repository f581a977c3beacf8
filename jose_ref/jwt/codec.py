"""RFC 7519 s7 - Creating and Validating JWTs, signed or nested.

`encode` follows RFC 7519 s7.1: serialize the claims, sign them as a compact
JWS with "typ": "JWT", and, when an encryption key is given, encrypt that JWS
as the content of a JWE with "cty": "JWT" (a nested JWT). `decode` follows
s7.2: the caller says which kind of token it expects (a decryption key means
a JWE around a JWS), never the token itself (RFC 8725 s3.10); the signature
is verified with the caller's keys and allow-set, then the claims are parsed
and validated.

https://www.rfc-editor.org/rfc/rfc7519#section-7
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from jose_ref import jws, policy, trace
from jose_ref.errors import MalformedError
from jose_ref.jwk.key import JWK
from jose_ref.jwt import claims as claims_set
from jose_ref.jwt import nested, validation
from jose_ref.limits import DEFAULT_LIMITS, Limits, bounded_text

__all__ = ["Decoded", "decode", "decode_complete", "encode"]

Keys = JWK | policy.KeySource


@dataclass(frozen=True, slots=True, kw_only=True)
class Decoded:
    """A verified, validated JWT.

    Attributes:
        claims: The JWT Claims Set.
        header: The JOSE Header of the JWS that carried the claims.
        key: The caller's JWK that verified the signature.
        encryption_header: The outer JWE header of a nested JWT, else None.
    """

    claims: dict[str, Any]
    header: dict[str, Any]
    key: JWK
    encryption_header: dict[str, Any] | None = None


def encode(
    claims: Mapping[str, Any],
    key: JWK,
    *,
    alg: str,
    header: Mapping[str, Any] | None = None,
    encryption_key: JWK | None = None,
    key_algorithm: str | None = None,
    encryption: str | None = None,
) -> str:
    """Sign `claims` as a compact JWS; with `encryption_key`, nest it in a JWE (RFC 7519 s7.1).

    The JWS header is {"alg", "kid" (the key's), "typ": "JWT"} updated with `header`. The
    JWE uses `key_algorithm` (default: the encryption key's "alg") and `encryption` ("enc").
    """
    # Steps 1-2 (RFC 7519 s7.1): the claims set as UTF-8 JSON.
    payload = claims_set.serialize(claims)
    # Steps 3-4 (RFC 7519 s7.1, s5.1): the JOSE Header, explicitly typed (RFC 8725 s3.11).
    token = jws.sign_compact(payload, key, alg=alg, header={"typ": "JWT", **(header or {})})
    if encryption_key is None:
        if key_algorithm is not None or encryption is not None:
            raise TypeError("key_algorithm= and encryption= need encryption_key=")
        return token
    key_algorithm = key_algorithm or encryption_key.alg
    if key_algorithm is None or encryption is None:
        raise TypeError("a nested JWT needs key_algorithm= (or a key with alg) and encryption=")
    # Step 5 (RFC 7519 s7.1): nest the signed JWT in a JWE.
    return nested.encrypt(token, encryption_key, key_algorithm=key_algorithm, encryption=encryption)


def _open(
    token: str | bytes,
    decryption_key: Keys | None,
    key_algorithms: Collection[str] | None,
    encryptions: Collection[str] | None,
    limits: Limits,
) -> tuple[str, dict[str, Any] | None]:
    """Steps 1-8 of RFC 7519 s7.2: the compact JWS to verify, and any outer JWE header."""
    text = bounded_text(
        token, what="JWT", max_bytes=limits.max_token_bytes, limit="max_token_bytes"
    )
    # A JWS, or a JWE when the caller expects one: chosen by the caller, never by the token.
    if decryption_key is not None:
        return nested.decrypt(
            text, decryption_key, algorithms=key_algorithms, encryptions=encryptions, limits=limits
        )
    if text.count(".") == 4:
        raise MalformedError("this JWT is encrypted (a JWE): pass decryption_key= to decrypt it")
    return text, None


def decode_complete(
    token: str | bytes,
    key: Keys,
    *,
    algorithms: Collection[str] | None = None,
    issuer: str | None = None,
    audience: str | Collection[str] | None = None,
    leeway: float = 0,
    now: float | None = None,
    require: Collection[str] = ("exp",),
    decryption_key: Keys | None = None,
    key_algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
    limits: Limits | None = None,
    typ: str | None = None,
    critical: Collection[str] = (),
) -> Decoded:
    """As `decode`, returning the claims with the header, the key and any outer JWE header."""
    limits = limits if limits is not None else DEFAULT_LIMITS
    text, outer = _open(token, decryption_key, key_algorithms, encryptions, limits)
    verified = jws.verify_compact(
        text, key, algorithms=algorithms, limits=limits, critical=critical
    )
    # Step 8 (RFC 7519 s7.2): a JWS whose content is another JWT is not accepted here.
    if nested.is_jwt(verified.header.get("cty")):
        raise MalformedError('a signed JWT inside a JWS ("cty": "JWT") is not supported')
    validation.check_typ(verified.header, typ)
    # Steps 9-10 (RFC 7519 s7.2): the claims set, then its registered claims (s4.1).
    claims = claims_set.parse(verified.payload, limits)
    validation.validate(
        claims, issuer=issuer, audience=audience, leeway=leeway, now=now, require=require
    )
    trace.note("RFC 7519 s7.2", "The JWT is valid.", kid=verified.key.kid)
    return Decoded(claims=claims, header=verified.header, key=verified.key, encryption_header=outer)


def decode(
    token: str | bytes,
    key: Keys,
    *,
    algorithms: Collection[str] | None = None,
    issuer: str | None = None,
    audience: str | Collection[str] | None = None,
    leeway: float = 0,
    now: float | None = None,
    require: Collection[str] = ("exp",),
    decryption_key: Keys | None = None,
    key_algorithms: Collection[str] | None = None,
    encryptions: Collection[str] | None = None,
    limits: Limits | None = None,
    typ: str | None = None,
    critical: Collection[str] = (),
) -> dict[str, Any]:
    """Verify and validate a JWT; return its claims (RFC 7519 s7.2, RFC 8725).

    `token` is a compact JWS, or, with `decryption_key`, a JWE with "cty": "JWT" around one
    (then `key_algorithms`/`encryptions` are its allow-sets). `key`/`algorithms` verify the
    signature. "iss"/"aud" are compared exactly with `issuer`/`audience`; "exp", "nbf",
    "iat" against `now` (default: the clock) with `leeway` seconds; `require` names claims
    that must be present. `typ` requires the JWS "typ" (RFC 8725 s3.11; a mismatch is a
    MalformedError), `critical` names extensions understood besides "b64".

    Raises:
        MalformedError, LimitExceededError: the token's form, kind, size or nesting depth.
        UnsupportedAlgorithmError, AlgorithmNotAllowedError, InvalidKeyError,
        KeyNotFoundError, InvalidSignatureError, DecryptionError: as in jws and jwe.
        ClaimError and its subclasses: the claims are not acceptable.
    """
    # The two signatures are identical: every argument is passed on unchanged.
    return decode_complete(**locals()).claims
