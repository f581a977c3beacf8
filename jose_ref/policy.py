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

from collections.abc import Callable, Collection, Iterator
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
    "KeySource",
    "Use",
    "check_allowed",
    "requested_set",
    "select_keys",
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Use:
    """What a key is about to be used for: RFC 7517 "use" and the "key_ops" that permit it."""

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


def requested_set(values: Collection[str] | None, what: str) -> frozenset[str] | None:
    """Normalize a caller's allow-list; a bare string is a misuse (it would allow its letters)."""
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not all(isinstance(v, str) for v in values):
        raise TypeError(
            f"{what} must be a collection of algorithm names, not {type(values).__name__}"
        )
    return frozenset(values)


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


def _curve_fits(key: JWK, kty: str, crv: str | None, family: str) -> bool:
    if key.kty != kty:
        return False
    if crv is not None:
        return key.crv == crv
    if kty == "OKP" and key.crv is not None:
        # RFC 8037 s3: Ed25519/Ed448 only sign (EdDSA); X25519/X448 only agree (ECDH-ES).
        return okp.CURVES[key.crv].signing == (family == "EdDSA")
    return True


def _unfit_reason(
    key: JWK,
    alg: str,
    ktys: tuple[str, ...],
    crv: str | None,
    family: str,
    use: Use,
    also_bound: str | None,
) -> Unfit | None:
    if not any(_curve_fits(key, kty, crv, family) for kty in ktys):
        curve = f" {key.crv}" if key.crv else ""
        article = "an" if key.kty in ("RSA", "EC", "OKP") else "a"
        return (
            InvalidKeyError,
            f'{article} {key.kty}{curve} key cannot be used with "{alg}" (RFC 8725 s3.1)',
        )
    if key.alg is not None and key.alg not in (alg, also_bound):
        bound = f'the key is bound to "alg": {shown(key.alg)}, not "{alg}" (RFC 7517 s4.4)'
        return AlgorithmNotAllowedError, bound
    if key.use is not None and key.use != use.use:
        used = shown(key.use)
        return InvalidKeyError, f'the key has "use": {used}, not "{use.use}" (RFC 7517 s4.2)'
    if key.key_ops is not None and not use.key_ops.intersection(key.key_ops):
        return InvalidKeyError, 'the key\'s "key_ops" do not permit this use (RFC 7517 s4.3)'
    if use.needs_private and not key.is_private:
        return InvalidKeyError, "the key is public: a private key is needed"
    return None


def select_keys(
    keys: JWK | KeySource,
    *,
    alg: str,
    kid: object,
    ktys: tuple[str, ...],
    crv: str | None,
    family: str,
    use: Use,
    unfit: Callable[[JWK], str | None] | None = None,
    also_bound: str | None = None,
) -> Iterator[JWK]:
    """Yield the caller's keys that may perform `use` with `alg`, best candidates first.

    `unfit` adds an algorithm's own condition (a key length, say), returning the reason a
    key cannot serve or None. `also_bound` is another "alg" value a key may carry for this
    use (a "dir" key names the "enc" it serves, as in RFC 7520 s5.6). A single JWK that does
    not fit raises at once with the reason. From a key set, keys are chosen by the token's
    "kid" (when it has one), then filtered by fit; none left raises.

    Raises:
        InvalidKeyError: the single key given cannot be used (type, curve, use, key_ops).
        AlgorithmNotAllowedError: the single key is bound to another "alg".
        KeyNotFoundError: no key of the set fits.
    """

    def reason_of(key: JWK) -> Unfit | None:
        reason = _unfit_reason(key, alg, ktys, crv, family, use, also_bound)
        if reason is None and unfit is not None:
            extra = unfit(key)
            reason = None if extra is None else (InvalidKeyError, extra)
        return reason

    if isinstance(keys, JWK):
        reason = reason_of(keys)
        if reason is not None:
            raise reason[0](reason[1])
        yield keys
        return
    token_kid = kid if isinstance(kid, str) else None
    found = [key for key in keys.find(kid=token_kid, use=use.use) if reason_of(key) is None]
    if not found:
        which = f' with "kid" {shown(token_kid, 64)}' if token_kid is not None else ""
        raise KeyNotFoundError(f'no key{which} fits "{alg}" for "use": "{use.use}" (RFC 7517 s5)')
    yield from found
