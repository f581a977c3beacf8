"""RFC 7517 - JSON Web Key (JWK): keys, key sets, thumbprints (RFC 7638, RFC 9278)."""

from __future__ import annotations

from jose_ref.jwk.jwk_set import JWKSet
from jose_ref.jwk.key import JWK

__all__ = ["JWK", "JWKSet"]
