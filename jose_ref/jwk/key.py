"""RFC 7517 s4 - JSON Web Key: one key, its members, its thumbprint.

A JWK is parsed and validated once, at construction; its cryptography key
object is built then and cached, so using a key many times never re-parses
it. The key-type members are handled by one module per "kty" (RFC 7518
s6.2-6.4, RFC 8037 s2, RFC 9964 s3); this module handles the members common to every
key: "kid", "use", "key_ops" (RFC 7517 s4.2-4.3: consistent with "use", no
duplicates), "alg", and "x5c"/"x5t"/"x5t#S256" (s4.7-4.9). Unknown members
are kept (s4). A public export never contains private members.

https://www.rfc-editor.org/rfc/rfc7517#section-4
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from jose_ref import b64url, strict_json
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from jose_ref.escape import shown
from jose_ref.jwk import akp, ec, oct, okp, rsa
from jose_ref.jwk import thumbprint as rfc7638
from jose_ref.limits import DEFAULT_LIMITS, Limits

__all__ = ["JWK"]

KTYS = ("RSA", "EC", "oct", "OKP", "AKP")
PRIVATE_MEMBERS = {
    "RSA": rsa.PRIVATE_MEMBERS,
    "EC": ec.PRIVATE_MEMBERS,
    "oct": oct.PRIVATE_MEMBERS,
    "OKP": okp.PRIVATE_MEMBERS,
    "AKP": akp.PRIVATE_MEMBERS,
}
# RFC 7517 s4.3 key_ops values, and the "use" each belongs to (s4.2).
KEY_OPS = {
    "sign": "sig",
    "verify": "sig",
    "encrypt": "enc",
    "decrypt": "enc",
    "wrapKey": "enc",
    "unwrapKey": "enc",
    "deriveKey": "enc",
    "deriveBits": "enc",
}
MAX_JWK_BYTES = 64 * 1024
_MEMO_MAX = 32  # remembered values per key (JWK._remember)
_NOT_YET: Any = object()  # what the memo holds for a name not computed yet
_T = TypeVar("_T")


def _optional_str(members: Mapping[str, Any], name: str) -> str | None:
    if name not in members:
        return None
    value = members[name]
    if not isinstance(value, str):
        raise MalformedError(f'JWK member "{name}" must be a string, got {type(value).__name__}')
    return value


def _key_ops(members: Mapping[str, Any], use: str | None) -> tuple[str, ...] | None:
    if "key_ops" not in members:
        return None
    value = members["key_ops"]
    if not isinstance(value, list) or not all(isinstance(op, str) for op in value):
        raise MalformedError('JWK member "key_ops" must be an array of strings (RFC 7517 s4.3)')
    if len(set(value)) != len(value):
        raise InvalidKeyError('JWK "key_ops" repeats a value (RFC 7517 s4.3)')
    # RFC 7517 s4.3: when both are present, "use" and "key_ops" must be consistent.
    if use is not None and any(KEY_OPS.get(op, use) != use for op in value):
        raise InvalidKeyError(
            f'JWK "key_ops" is inconsistent with "use": {shown(use)} (RFC 7517 s4.3)'
        )
    return tuple(value)


def _certificates(members: Mapping[str, Any]) -> None:
    x5c = members.get("x5c")
    if x5c is not None:
        if not isinstance(x5c, list) or not x5c:
            raise MalformedError('JWK member "x5c" must be a non-empty array (RFC 7517 s4.7)')
        for index, cert in enumerate(x5c):
            b64url.decode_std(cert, what=f"JWK x5c[{index}]")
    for name, size in (("x5t", 20), ("x5t#S256", 32)):
        if name in members and len(b64url.decode(members[name], what=f'JWK "{name}"')) != size:
            raise MalformedError(f'JWK "{name}" must be a {size}-octet digest (RFC 7517 s4.8-4.9)')


class JWK:
    """One JSON Web Key (RFC 7517), validated, with its cryptography key cached.

    Build one with `from_dict`, `from_json`, `from_pem` or `generate`.
    """

    __slots__ = (
        "_crv",
        "_crypto_private",
        "_crypto_public",
        "_key_ops",
        "_kty",
        "_members",
        "_memo",
        "_secret",
    )

    def __init__(self, members: Mapping[str, Any], *, limits: Limits | None = None) -> None:
        """Validate `members` (a JWK object) and build the key; prefer `JWK.from_dict`."""
        if not isinstance(members, Mapping):
            raise MalformedError(f"a JWK must be a JSON object, got {type(members).__name__}")
        kty = members.get("kty")
        if not isinstance(kty, str):
            raise MalformedError(
                'JWK member "kty" is required and must be a string (RFC 7517 s4.1)'
            )
        if kty not in KTYS:
            raise UnsupportedAlgorithmError(f'unsupported JWK "kty" {shown(kty)} (RFC 7517 s4.1)')
        # Everything a JWK holds must be JSON that UTF-8 can carry: it is exported, hashed
        # into thumbprints and put into headers later (a lone surrogate in "kid" cannot be).
        strict_json.dumps(dict(members), what="JWK")
        for name in ("kid", "alg"):
            _optional_str(members, name)
        use = _optional_str(members, "use")
        self._key_ops = _key_ops(members, use)
        _certificates(members)
        self._kty = kty
        self._crv: str | None = None
        self._secret: bytes | None = None
        self._crypto_public: Any = None
        self._crypto_private: Any = None
        if kty == "oct":
            self._secret = oct.load(members)
        elif kty == "RSA":
            self._crypto_public, self._crypto_private = rsa.load(members, limits or DEFAULT_LIMITS)
        elif kty == "EC":
            self._crypto_public, self._crypto_private, self._crv = ec.load(members)
        elif kty == "AKP":
            self._crypto_public, self._crypto_private, _ = akp.load(members)
        else:
            self._crypto_public, self._crypto_private, self._crv = okp.load(members)
        # A deep copy: the key never shares a list (key_ops, x5c) with the caller's mapping.
        self._members: dict[str, Any] = copy.deepcopy(dict(members))
        self._memo: dict[Hashable, Any] = {}

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, limits: Limits | None = None) -> JWK:
        """Load a JWK from a mapping of its members (RFC 7517 s4)."""
        return cls(d, limits=limits)

    @classmethod
    def from_json(cls, s: str | bytes, *, limits: Limits | None = None) -> JWK:
        """Load a JWK from its JSON text (strict: UTF-8, no duplicate members)."""
        if not isinstance(s, (str, bytes)):
            raise MalformedError(f"JWK JSON must be str or bytes, got {type(s).__name__}")
        members = strict_json.loads_object(s, what="JWK", max_bytes=MAX_JWK_BYTES, max_depth=8)
        return cls(members, limits=limits)

    @classmethod
    def from_pem(cls, data: bytes, *, password: bytes | None = None, **params: Any) -> JWK:
        """Load a PEM key or certificate (SPKI, PKCS#8, PKCS#1, SEC1, X.509), adding `params`."""
        from jose_ref.jwk import pem

        return pem.load(data, password=password, params=params)

    @classmethod
    def generate(
        cls, kty: str, *, size: int | None = None, crv: str | None = None, **params: Any
    ) -> JWK:
        """Generate a new private key: RSA (size bits), EC/OKP (crv), oct (size bits), AKP (alg)."""
        from jose_ref.jwk import generate

        return generate.generate(kty, size=size, crv=crv, params=params)

    @classmethod
    def from_key_object(cls, key: Any, **params: Any) -> JWK:
        """Wrap a cryptography key object (or bytes for oct) as a JWK with extra `params`."""
        from jose_ref.jwk import pem

        return pem.from_key_object(key, params)

    # -- members --------------------------------------------------------------------------------

    @property
    def kty(self) -> str:
        """The "kty" member (RFC 7517 s4.1)."""
        return self._kty

    @property
    def crv(self) -> str | None:
        """The "crv" member of an EC or OKP key (RFC 7518 s6.2.1.1, RFC 8037 s2), or None."""
        return self._crv

    @property
    def key_ops(self) -> tuple[str, ...] | None:
        """The "key_ops" member (RFC 7517 s4.3), or None."""
        return self._key_ops

    @property
    def kid(self) -> str | None:
        """The "kid" member (RFC 7517 s4.5), or None."""
        value: str | None = self._members.get("kid")
        return value

    @property
    def alg(self) -> str | None:
        """The "alg" member (RFC 7517 s4.4), or None."""
        value: str | None = self._members.get("alg")
        return value

    @property
    def use(self) -> str | None:
        """The "use" member (RFC 7517 s4.2), or None."""
        value: str | None = self._members.get("use")
        return value

    @property
    def is_private(self) -> bool:
        """Whether the key holds private (or, for oct, secret) material."""
        return self._secret is not None or self._crypto_private is not None

    def get(self, name: str) -> Any:
        """Any member by name (private members included), or None."""
        return copy.deepcopy(self._members.get(name))

    def to_dict(self, *, private: bool = False) -> dict[str, Any]:
        """The JWK members; private members only with `private=True`.

        Raises:
            InvalidKeyError: a symmetric key has no public form, so `private=False` is refused
                rather than returning a key with its secret silently dropped.
        """
        if self.kty == "oct" and not private:
            raise InvalidKeyError("a symmetric (oct) key has no public form; pass private=True")
        hidden = () if private else PRIVATE_MEMBERS[self.kty]
        return {
            name: copy.deepcopy(value)
            for name, value in self._members.items()
            if name not in hidden
        }

    def to_json(self, *, private: bool = False) -> str:
        """The JWK as compact JSON text."""
        return json.dumps(self.to_dict(private=private), separators=(",", ":"))

    def public(self) -> JWK:
        """The public key as a JWK (same kid, use, alg ...), without private members."""
        if self.kty == "oct":
            raise InvalidKeyError("a symmetric (oct) key has no public form: use the key itself")
        return JWK(self.to_dict(private=False))

    def to_pem(self, *, private: bool = False, password: bytes | None = None) -> bytes:
        """PEM: SubjectPublicKeyInfo, or PKCS#8 (encrypted when a password is given)."""
        from jose_ref.jwk import pem

        return pem.dump(self, private=private, password=password)

    # -- RFC 7638 thumbprint ----------------------------------------------------------------------

    def thumbprint_input(self) -> bytes:
        """The RFC 7638 s3 hash input: required members, sorted, no whitespace, UTF-8."""
        return rfc7638.hash_input(self._kty, self._members)

    def thumbprint(self, hash: str = "SHA-256") -> str:
        """The RFC 7638 JWK thumbprint, base64url (RFC 8037 s2 for OKP, RFC 9964 s6 for AKP)."""
        return rfc7638.thumbprint(self._kty, self._members, hash)

    def thumbprint_uri(self, hash: str = "SHA-256") -> str:
        """The RFC 9278 s3 JWK thumbprint URI."""
        return rfc7638.uri(self._kty, self._members, hash)

    # -- key material for the algorithms ---------------------------------------------------------

    @property
    def secret(self) -> bytes:
        """The symmetric key value "k" (oct keys only)."""
        if self._secret is None:
            raise InvalidKeyError(f"a {self.kty} key has no symmetric key value")
        return self._secret

    @property
    def crypto_public(self) -> Any:
        """The cached cryptography public key (RSA, EC, OKP, AKP)."""
        if self._crypto_public is None:
            raise InvalidKeyError("a symmetric (oct) key has no public key")
        return self._crypto_public

    @property
    def crypto_private(self) -> Any:
        """The cached cryptography private key; InvalidKeyError for a public key."""
        if self._crypto_private is None:
            raise InvalidKeyError(f"this {self.kty} key is public: a private key is needed")
        return self._crypto_private

    def _remember(self, name: Hashable, compute: Callable[..., _T], *args: Any) -> _T:
        """What `compute(*args)` returns for this key, computed once per `name` and remembered.

        For what is constant per key, as the key is immutable: its fitness for an algorithm,
        a cipher object keyed by its own material. Bounded; nothing is kept that the key does
        not already hold. A `compute` that raises leaves nothing behind.
        """
        memo = self._memo
        value: _T = memo.get(name, _NOT_YET)
        if value is not _NOT_YET:
            return value
        value = compute(*args)
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[name] = value
        return value

    def __eq__(self, other: object) -> bool:
        """Keys are equal when all their members are equal."""
        return isinstance(other, JWK) and self._members == other._members

    def __hash__(self) -> int:
        """Hash by thumbprint input (the key's identity under RFC 7638)."""
        return hash(self.thumbprint_input())

    def __repr__(self) -> str:
        """A short description that never shows key material."""
        kind = "private" if self.is_private else "public"
        crv = f" {self.crv}" if self.crv else ""
        return f"<JWK {self.kty}{crv} {kind} kid={self.kid!r}>"
