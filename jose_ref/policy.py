"""RFC 8725 s3.1-3.2 - Which algorithm a token may use, and with which key.

Secure by default: when the caller names no algorithms, a key's own "alg"
is the only one it accepts; a key without "alg" accepts the default set.
The default sets never hold "none" (it is not an algorithm here at all),
RSA1_5 (RFC 8725 s3.2) or PBES2 (unbounded cost): those are used only when
the caller names them. Every algorithm is used only with a key of its own
type and curve (RFC 8725 s3.1), and a key's "use"/"key_ops" (RFC 7517
s4.2-4.3) and "alg" (s4.4) are honoured. Keys are chosen from the caller's
keys only: "jwk", "jku", "x5u" and "x5c" in a token never choose a key.

https://www.rfc-editor.org/rfc/rfc8725#section-3.1
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from jose_ref.errors import AlgorithmNotAllowedError, InvalidKeyError, JoseError, KeyNotFoundError
from jose_ref.escape import shown
from jose_ref.jwa import registry
from jose_ref.jwk import okp
from jose_ref.jwk.key import JWK

__all__ = [
    "DEFAULT_CONTENT_ENCRYPTION",
    "DEFAULT_KEY_MANAGEMENT",
    "DEFAULT_SIGNATURES",
    "KeyRequirement",
    "KeySource",
    "Use",
    "check_allowed",
    "requested_set",
    "select_keys",
    "signature_requirement",
]

DEFAULT_SIGNATURES = frozenset(registry.SIGNATURES)
DEFAULT_KEY_MANAGEMENT = frozenset(
    n for n, row in registry.KEY_MANAGEMENT.items() if not row.opt_in
)
DEFAULT_CONTENT_ENCRYPTION = frozenset(registry.CONTENT_ENCRYPTION)
_OPT_IN = frozenset(n for n, row in registry.KEY_MANAGEMENT.items() if row.opt_in)


Unfit = tuple[type[JoseError], str]  # the error to raise for a single key, and why


class KeySource(Protocol):
    """Anything that finds keys like a JWKSet (JWKSet, RemoteJWKSet)."""

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """Keys matching every given criterion."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Use:
    """What a key is about to be used for: RFC 7517 "use" and the "key_ops" that permit it.

    The instances are the constants below, compared by identity.
    """

    use: str
    key_ops: frozenset[str]
    needs_private: bool


VERIFY = Use(use="sig", key_ops=frozenset({"verify"}), needs_private=False)
SIGN = Use(use="sig", key_ops=frozenset({"sign"}), needs_private=True)
# RFC 7517 s4.3 "key_ops" by RFC 7516 s2 key management mode: a key meant to derive keys
# (ECDH) never unwraps, and a key-wrapping key never derives.
_KEY_OPS_BY_MODE = {
    "key_encryption": ({"wrapKey", "encrypt"}, {"unwrapKey", "decrypt"}),
    "key_wrapping": ({"wrapKey", "encrypt"}, {"unwrapKey", "decrypt"}),
    "direct_encryption": ({"encrypt"}, {"decrypt"}),
    "direct_key_agreement": ({"deriveKey", "deriveBits"}, {"deriveKey", "deriveBits"}),
    "key_agreement_with_key_wrapping": ({"deriveKey", "deriveBits"}, {"deriveKey", "deriveBits"}),
}
ENCRYPT = {
    mode: Use(use="enc", key_ops=frozenset(ops[0]), needs_private=False)
    for mode, ops in _KEY_OPS_BY_MODE.items()
}
DECRYPT = {
    mode: Use(use="enc", key_ops=frozenset(ops[1]), needs_private=True)
    for mode, ops in _KEY_OPS_BY_MODE.items()
}


# Allow-lists the callers passed, resolved once per distinct value; bounded, since the
# arguments are the caller's (a few literal lists in practice).
_RESOLVED: dict[Collection[object], frozenset[str]] = {}
_RESOLVED_MAX = 256


def requested_set(values: Collection[str] | None, what: str) -> frozenset[str] | None:
    """Normalize a caller's allow-list; a bare string is a misuse (it would allow its letters)."""
    if values is None:
        return None
    # A list, tuple or frozenset is remembered by value; a set is resolved every time.
    memo: Collection[object] | None = None
    if type(values) is list or type(values) is tuple:
        memo = tuple(values)
    elif type(values) is frozenset:
        memo = values
    try:
        resolved = _RESOLVED.get(memo) if memo is not None else None
    except TypeError:  # a member that cannot be hashed (and is no name): never remembered
        memo = resolved = None
    if resolved is not None:
        return resolved
    if isinstance(values, (str, bytes)) or not all(isinstance(v, str) for v in values):
        raise TypeError(
            f"{what} must be a collection of algorithm names, not {type(values).__name__}"
        )
    resolved = frozenset(values)
    # Only a valid argument is remembered, so a remembered one needs no check again.
    if memo is not None and len(_RESOLVED) < _RESOLVED_MAX:
        _RESOLVED[memo] = resolved
    return resolved


def check_allowed(
    name: str, requested: frozenset[str] | None, default: frozenset[str], what: str
) -> None:
    """Refuse `name` unless the caller's list (or, without one, the default set) holds it."""
    if name == "none":
        raise AlgorithmNotAllowedError(
            '"alg": "none" (unsecured JWS) is never accepted (RFC 8725 s3.1)'
        )
    allowed = requested if requested is not None else default
    if name not in allowed:
        hint = " (it must be named explicitly)" if name in _OPT_IN else ""
        raise AlgorithmNotAllowedError(
            f'{what} "{name}" is not in the allowed set{hint} (RFC 8725 s3.1)'
        )


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class KeyRequirement:
    """What a key must be to serve one algorithm for one use, taken from the registry row.

    Attributes:
        alg: The algorithm name (in messages, and against the key's "alg").
        ktys: The key types it may be used with (RFC 8725 s3.1).
        crv: The one curve it binds, or None.
        family: The registry family (an OKP curve signs only for "EdDSA", RFC 8037 s3).
        use: The RFC 7517 "use"/"key_ops" the operation needs.
        also_bound: Another "alg" value a key may carry for this use (a "dir" key naming
            the "enc" it serves, as in RFC 7520 s5.6).
        secret_bytes: The exact length of an oct key, when the algorithm fixes it.
        length_reason: Why a key of another length cannot serve.

    Compared by identity: one instance per algorithm and use, made by the cached builders
    (`signature_requirement`, `jwe.key_management.requirement`); a key remembers its
    fitness per instance, and holding the instance keeps its identity from being reused.
    """

    alg: str
    ktys: tuple[str, ...]
    crv: str | None
    family: str
    use: Use
    also_bound: str | None = None
    secret_bytes: int | None = None
    length_reason: str = ""


_SIGNATURE_REQUIREMENTS: dict[tuple[str, Use], KeyRequirement] = {}


def signature_requirement(row: registry.SignatureAlg, use: Use) -> KeyRequirement:
    """The key requirement of a JWS algorithm (RFC 7518 s3.1) for signing or verifying."""
    # One per registry row (unique by name) and use: a bounded set, built on first use.
    found = _SIGNATURE_REQUIREMENTS.get((row.name, use))
    if found is None:
        found = KeyRequirement(
            alg=row.name, ktys=(row.kty,), crv=row.crv, family=row.family, use=use
        )
        _SIGNATURE_REQUIREMENTS[(row.name, use)] = found
    return found


def _curve_fits(key: JWK, kty: str, crv: str | None, family: str) -> bool:
    if key.kty != kty:
        return False
    if crv is not None:
        return key.crv == crv
    if kty == "OKP" and key.crv is not None:
        # RFC 8037 s3: Ed25519/Ed448 only sign (EdDSA); X25519/X448 only agree (ECDH-ES).
        return okp.CURVES[key.crv].signing == (family == "EdDSA")
    return True


def _unfit_reason(key: JWK, need: KeyRequirement) -> Unfit | None:
    if not any(_curve_fits(key, kty, need.crv, need.family) for kty in need.ktys):
        curve = f" {key.crv}" if key.crv else ""
        article = "an" if key.kty in ("RSA", "EC", "OKP") else "a"
        return (
            InvalidKeyError,
            f'{article} {key.kty}{curve} key cannot be used with "{need.alg}" (RFC 8725 s3.1)',
        )
    alg, use = need.alg, need.use
    if key.alg is not None and key.alg not in (alg, need.also_bound):
        bound = f'the key is bound to "alg": {shown(key.alg)}, not "{alg}" (RFC 7517 s4.4)'
        return AlgorithmNotAllowedError, bound
    if key.use is not None and key.use != use.use:
        used = shown(key.use)
        return InvalidKeyError, f'the key has "use": {used}, not "{use.use}" (RFC 7517 s4.2)'
    if key.key_ops is not None and not use.key_ops.intersection(key.key_ops):
        return InvalidKeyError, 'the key\'s "key_ops" do not permit this use (RFC 7517 s4.3)'
    if use.needs_private and not key.is_private:
        return InvalidKeyError, "the key is public: a private key is needed"
    if need.secret_bytes is not None and len(key.secret) != need.secret_bytes:
        return InvalidKeyError, need.length_reason
    return None


def select_keys(keys: JWK | KeySource, need: KeyRequirement, *, kid: object = None) -> list[JWK]:
    """The caller's keys that may serve `need`, best candidates first.

    A single JWK that does not fit raises at once with the reason. From a key set, keys
    are chosen by the token's "kid" (when it has one), then filtered by fit; none left
    raises.

    Raises:
        InvalidKeyError: the single key given cannot be used (type, curve, use, key_ops,
            length).
        AlgorithmNotAllowedError: the single key is bound to another "alg".
        KeyNotFoundError: no key of the set fits.
    """
    # Fitness is constant per (key, requirement): remembered on the immutable key, reasons only.
    if isinstance(keys, JWK):
        reason = keys._remember(need, _unfit_reason, keys, need)
        if reason is not None:
            raise reason[0](reason[1])
        return [keys]
    token_kid = kid if isinstance(kid, str) else None
    use = need.use.use
    found = [
        key
        for key in keys.find(kid=token_kid, use=use)
        if key._remember(need, _unfit_reason, key, need) is None
    ]
    if not found:
        which = f' with "kid" {shown(token_kid, 64)}' if token_kid is not None else ""
        raise KeyNotFoundError(f'no key{which} fits "{need.alg}" for "use": "{use}" (RFC 7517 s5)')
    return found
