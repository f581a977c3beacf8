"""RFC 7515 s5.1 step 5 and RFC 7797 s3 - signing input and "b64"."""

from __future__ import annotations

import pytest

from jose_ref.errors import MalformedError
from jose_ref.jws import signing_input


def test_b64_defaults_to_true() -> None:
    assert signing_input.b64_of({"alg": "HS256"}, None) is True


def test_b64_false_with_crit() -> None:
    assert signing_input.b64_of({"alg": "HS256", "b64": False, "crit": ["b64"]}, None) is False
    assert signing_input.b64_of({"b64": True, "crit": ["b64"]}, {}) is True


@pytest.mark.parametrize(
    ("protected", "unprotected"),
    [
        ({"b64": False}, None),  # RFC 7797 s6: must be listed in crit
        ({"b64": False, "crit": "b64"}, None),
        ({"b64": False, "crit": ["x"]}, None),
        ({"b64": "false", "crit": ["b64"]}, None),
        ({"b64": 0, "crit": ["b64"]}, None),
        ({"crit": ["b64"]}, {"b64": False}),
    ],
)
def test_b64_refused(protected: dict[str, object], unprotected: dict[str, object] | None) -> None:
    with pytest.raises(MalformedError):
        signing_input.b64_of(protected, unprotected)


def test_payload_part() -> None:
    assert signing_input.payload_part(b"\xff\xfe", b64=True) == b"__4"
    assert signing_input.payload_part(b"$.02", b64=False) == b"$.02"


def test_build_uses_received_bytes() -> None:
    assert signing_input.build("eyJ9", b"cGF5") == b"eyJ9.cGF5"
    assert signing_input.build(b"eyJ9", b"$.02") == b"eyJ9.$.02"
    with pytest.raises(MalformedError):
        signing_input.build("é", b"")
