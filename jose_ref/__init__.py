"""jose_ref: a from-spec reference implementation of JOSE (RFC 7515-7520, 7638, 7797, 8037).

`import jose_ref` stays cheap: the JWS, JWE, JWT and x5c modules and the key sets load on
first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from jose_ref import errors
from jose_ref.jwk import JWK
from jose_ref.limits import Limits

if TYPE_CHECKING:
    from jose_ref import jwe, jws, jwt, x5c
    from jose_ref.jwk import JWKSet
    from jose_ref.jwk.remote import RemoteJWKSet

__all__ = ["JWK", "JWKSet", "Limits", "RemoteJWKSet", "errors", "jwe", "jws", "jwt", "x5c"]
__version__ = "0.1.0"

_LAZY = {"jwe": "jose_ref.jwe", "jws": "jose_ref.jws", "jwt": "jose_ref.jwt", "x5c": "jose_ref.x5c"}


def __getattr__(name: str) -> Any:
    """Load the token and certificate modules on first use (PEP 562)."""
    if name in _LAZY:
        return importlib.import_module(_LAZY[name])
    if name == "JWKSet":
        from jose_ref.jwk import JWKSet

        globals()[name] = JWKSet  # later uses: a plain module attribute
        return JWKSet
    if name == "RemoteJWKSet":
        from jose_ref.jwk.remote import RemoteJWKSet

        return RemoteJWKSet
    raise AttributeError(f"module 'jose_ref' has no attribute {name!r}")
