"""RFC 7517 - JSON Web Key (JWK): keys, key sets, thumbprints (RFC 7638, RFC 9278)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jose_ref.jwk.key import JWK

if TYPE_CHECKING:
    from jose_ref.jwk.jwk_set import JWKSet

__all__ = ["JWK", "JWKSet"]


def __getattr__(name: str) -> Any:
    """JWKSet loads on first use (PEP 562): a program with single keys never reads it."""
    if name == "JWKSet":
        from jose_ref.jwk.jwk_set import JWKSet

        globals()[name] = JWKSet  # later uses: a plain module attribute
        return JWKSet
    raise AttributeError(f"module 'jose_ref.jwk' has no attribute {name!r}")
