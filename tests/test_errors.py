"""The JoseError tree of API.md, name for name and parent for parent."""

from __future__ import annotations

import inspect

import pytest

import jose_ref
from jose_ref import errors

# Transcribed from API.md "Errors" (the contract): class name -> its direct parent.
TREE = {
    "JoseError": "Exception",
    "MalformedError": "JoseError",
    "UnsupportedAlgorithmError": "JoseError",
    "AlgorithmNotAllowedError": "JoseError",
    "InvalidKeyError": "JoseError",
    "KeyNotFoundError": "JoseError",
    "LimitExceededError": "JoseError",
    "InvalidSignatureError": "JoseError",
    "DecryptionError": "JoseError",
    "CertificateChainError": "JoseError",
    "ClaimError": "JoseError",
    "ExpiredError": "ClaimError",
    "NotYetValidError": "ClaimError",
    "IssuedInFutureError": "ClaimError",
    "AudienceError": "ClaimError",
    "IssuerError": "ClaimError",
    "MissingClaimError": "ClaimError",
}


@pytest.mark.parametrize("name", sorted(TREE))
def test_class_exists_with_its_parent(name: str) -> None:
    cls = getattr(errors, name)
    assert inspect.isclass(cls)
    assert cls.__bases__[0].__name__ == TREE[name]
    assert len(cls.__bases__) == 1
    assert issubclass(cls, Exception)


def test_no_extra_public_error_classes_in_the_contract_names() -> None:
    # __all__ lists exactly the contract tree (subclasses below it would be extra names).
    assert set(errors.__all__) == set(TREE)


def test_every_exported_error_is_a_jose_error() -> None:
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.JoseError)


def test_errors_reachable_from_the_package() -> None:
    assert jose_ref.errors is errors


def test_jose_error_is_not_a_builtin_value_or_type_error() -> None:
    # Callers that catch ValueError for their own bugs must not swallow token failures.
    assert not issubclass(errors.JoseError, (ValueError, TypeError, KeyError))


def test_limit_exceeded_error_attributes() -> None:
    exc = errors.LimitExceededError("too big", limit="max_token_bytes", maximum=10, actual=11)
    assert (exc.limit, exc.maximum, exc.actual) == ("max_token_bytes", 10, 11)
    assert str(exc) == "too big"


def test_limit_exceeded_error_requires_keyword_attributes() -> None:
    with pytest.raises(TypeError):
        errors.LimitExceededError("too big")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (errors.InvalidSignatureError, "JWS signature verification failed"),
        (errors.DecryptionError, "JWE decryption failed"),
    ],
)
def test_opaque_errors_have_one_fixed_message(cls: type[Exception], message: str) -> None:
    assert str(cls()) == message
    assert message == cls.MESSAGE  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(TREE))
def test_every_class_documents_itself(name: str) -> None:
    doc = getattr(errors, name).__doc__
    assert doc and doc.strip()


def test_module_docstring() -> None:
    assert errors.__doc__ and "JoseError" in errors.__doc__
