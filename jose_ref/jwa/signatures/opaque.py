"""RFC 7515 s5.2 step 8 - one opaque outcome for a signature that does not validate.

Every family ends with cryptography's `verify`; a failure there becomes one
`InvalidSignatureError` with no detail, raised outside the except clause so it
carries neither a cause nor a context from cryptography (SECURITY.md). Each
family module also offers a `verifier`: the key checked once, and a function
that validates signatures with it (a `Verifier`).

https://www.rfc-editor.org/rfc/rfc7515#section-5.2
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature

from jose_ref.errors import InvalidSignatureError

__all__ = ["Verifier", "verify_or_raise"]

# verify(signing_input, signature): returns None, or raises InvalidSignatureError.
Verifier = Callable[[bytes, bytes], None]


def verify_or_raise(verify: Callable[..., None], *args: Any) -> None:
    """Call cryptography's `verify(*args)`; InvalidSignatureError if it refuses."""
    # try/else rather than contextlib.suppress: no context-manager object per call.
    try:
        verify(*args)
    except InvalidSignature:
        pass
    else:
        return
    raise InvalidSignatureError() from None
