"""Tests of the JWA primitives (RFC 7518), with a shared check of the opaque DecryptionError."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from jose_ref.errors import DecryptionError


def assert_opaque(error: BaseException) -> None:
    """Assert `error` is the one opaque DecryptionError (RFC 7516 s11.5; SECURITY.md, 5)."""
    assert type(error) is DecryptionError
    assert str(error) == DecryptionError.MESSAGE
    assert error.args == (DecryptionError.MESSAGE,)
    # No chained library exception: neither an explicit cause nor an implicit context.
    assert error.__cause__ is None
    assert error.__context__ is None


@contextlib.contextmanager
def opaque_decryption_error() -> Iterator[None]:
    """Expect the block to raise the one opaque DecryptionError."""
    with pytest.raises(DecryptionError) as info:
        yield
    assert_opaque(info.value)
