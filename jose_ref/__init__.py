"""jose_ref: a from-spec reference implementation of JOSE (RFC 7515-7520, 7638, 7797, 8037)."""

from __future__ import annotations

from jose_ref import errors

__all__ = ["errors"]
__version__ = "0.1.0"
