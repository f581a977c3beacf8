"""RFC 7517 s5 - JWK Set: a "keys" array, and finding the keys a token may use.

Entries whose "kty" is not understood are skipped, as s5 says
implementations SHOULD; an entry of a known type that is malformed is an
error, since silently dropping it would hide a broken key set. The number
of keys and the document size are bounded. `find` filters by "kid", "alg"
and "use"; a key without "alg" or "use" matches any value of it (s4.2, s4.4).

https://www.rfc-editor.org/rfc/rfc7517#section-5
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jose_ref import strict_json
from jose_ref.errors import MalformedError, UnsupportedAlgorithmError
from jose_ref.jwk.key import JWK, KEY_OPS, KTYS, PRIVATE_MEMBERS
from jose_ref.limits import DEFAULT_LIMITS, Limits, check, check_document

__all__ = ["JWKSet"]


class JWKSet:
    """An immutable, ordered set of JWKs (RFC 7517 s5)."""

    __slots__ = ("_keys",)

    def __init__(self, keys: Iterable[JWK] = ()) -> None:
        """Make a set of already-loaded keys."""
        self._keys = tuple(keys)
        for key in self._keys:
            if not isinstance(key, JWK):
                raise TypeError(f"JWKSet holds JWK objects, got {type(key).__name__}")

    @classmethod
    def from_dict(
        cls, d: Mapping[str, Any], *, limits: Limits | None = None, public_only: bool = False
    ) -> JWKSet:
        """Load {"keys": [...]}; unknown kty entries are skipped (RFC 7517 s5).

        With `public_only`, private members are dropped before any key is built and
        symmetric keys are skipped: what a published set (a JWKS endpoint) may contain.
        """
        limits = limits or DEFAULT_LIMITS
        if not isinstance(d, Mapping):
            raise MalformedError(f"a JWK Set must be a JSON object, got {type(d).__name__}")
        entries = d.get("keys")
        if not isinstance(entries, list):
            raise MalformedError('a JWK Set needs a "keys" array (RFC 7517 s5.1)')
        check(limits, "max_jwks_keys", len(entries), "JWK Set")
        # A parsed document is held to the size bound of the text form too.
        check_document(d, limits, "JWK Set", "max_jwks_bytes")
        keys = []
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                raise MalformedError(f"JWK Set keys[{index}] is not a JSON object")
            kty = entry.get("kty")
            if isinstance(kty, str) and kty not in KTYS:
                continue  # RFC 7517 s5: ignore key types that are not understood.
            if public_only:
                if kty == "oct":
                    continue  # a symmetric key has no public part
                hidden = PRIVATE_MEMBERS.get(kty, ()) if isinstance(kty, str) else ()
                entry = {name: value for name, value in entry.items() if name not in hidden}
            try:
                keys.append(JWK(entry, limits=limits))
            except UnsupportedAlgorithmError:
                # An unknown curve of a known kty is likewise a key we do not understand.
                continue
        return cls(keys)

    @classmethod
    def from_json(
        cls, s: str | bytes, *, limits: Limits | None = None, public_only: bool = False
    ) -> JWKSet:
        """Load a JWK Set from JSON text (strict parsing, size and depth limits)."""
        limits = limits or DEFAULT_LIMITS
        if not isinstance(s, (str, bytes)):
            raise MalformedError(f"JWK Set JSON must be str or bytes, got {type(s).__name__}")
        data = strict_json.loads_object(
            s,
            what="JWK Set",
            max_bytes=limits.max_jwks_bytes,
            max_depth=8,
            size_limit="max_jwks_bytes",
        )
        return cls.from_dict(data, limits=limits, public_only=public_only)

    def to_dict(self, *, private: bool = False) -> dict[str, Any]:
        """{"keys": [...]} with each key exported as `JWK.to_dict(private=...)`."""
        return {"keys": [key.to_dict(private=private) for key in self._keys]}

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """Keys matching every given criterion; a key lacking "alg"/"use" matches any."""
        return [key for key in self._keys if matches(key, kid=kid, alg=alg, use=use)]

    def __iter__(self) -> Iterator[JWK]:
        """Iterate the keys in document order."""
        return iter(self._keys)

    def __len__(self) -> int:
        """The number of keys."""
        return len(self._keys)

    def __repr__(self) -> str:
        """A short description."""
        return f"<JWKSet of {len(self._keys)} keys>"


def matches(key: JWK, *, kid: str | None, alg: str | None, use: str | None) -> bool:
    """Whether `key` may be selected for this kid, alg and use (RFC 7517 s4.2-4.5)."""
    if kid is not None and key.kid != kid:
        return False
    if alg is not None and key.alg is not None and key.alg != alg:
        return False
    if use is not None:
        if key.use is not None and key.use != use:
            return False
        if key.key_ops is not None and not any(KEY_OPS.get(op) == use for op in key.key_ops):
            return False
    return True
