"""Shared test setup: ML-DSA cases skip, with the stated reason, where cryptography lacks ML-DSA.

A parametrized test whose parameters involve ML-DSA (an AKP key, an ML-DSA
"alg", an RFC 9964 vector) is skipped on such a cryptography (the runtime
floor of `make test-floor`); every other case of the same test still runs.
"""

from __future__ import annotations

import pytest

from jose_ref.jwa.signatures import mldsa
from tests import mldsa_support


@pytest.fixture(autouse=True)
def _skip_mldsa_cases_without_mldsa(request: pytest.FixtureRequest) -> None:
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or mldsa.available():
        return
    if any(mldsa_support.uses_mldsa(value) for value in callspec.params.values()):
        pytest.skip(mldsa_support.REASON)
