"""Skip markers for the ML-DSA tests (RFC 9964) on a cryptography without ML-DSA.

The runtime floor (cryptography 45.0.1, `make test-floor`) has no ML-DSA; on it
these tests skip with the stated reason, and every other test still runs.
"""

from __future__ import annotations

from typing import Any

import cryptography
import pytest

from jose_ref.jwa.signatures import mldsa

REASON = (
    f"ML-DSA (RFC 9964) needs {mldsa.REQUIREMENT}; "
    f"the installed cryptography {cryptography.__version__} lacks it"
)
needs_mldsa = pytest.mark.skipif(not mldsa.available(), reason=REASON)


def uses_mldsa(value: Any) -> bool:
    """Whether a vector, JWK members or registry row needs ML-DSA."""
    text = repr(value).lower()  # vector ids spell it "ml-dsa"
    return "ml-dsa" in text or "'akp'" in text


def param(value: Any, **kwargs: Any) -> Any:
    """pytest.param(value) marked `needs_mldsa` when the value involves ML-DSA."""
    marks = [needs_mldsa] if uses_mldsa(value) else []
    return pytest.param(value, marks=marks, **kwargs)
