"""Every module documents itself; algorithm modules start with the RFC section they implement."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "jose_ref"
ALGORITHM_DIRS = ("jwa/signatures", "jwa/key_management", "jwa/content_encryption")
FIRST_LINE = re.compile(r"^RFC \d+ (s|Section |Appendix )\S")

ALL_MODULES = sorted(PACKAGE.rglob("*.py"))
ALGORITHM_MODULES = sorted(
    path
    for directory in ALGORITHM_DIRS
    for path in (PACKAGE / directory).glob("*.py")
    if path.name != "__init__.py"
)


def docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))


def name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_there_are_algorithm_modules() -> None:
    # signatures (5 families), key management (8), content encryption (2): ARCHITECTURE.md.
    assert len(ALGORITHM_MODULES) >= 15


@pytest.mark.parametrize("path", ALL_MODULES, ids=[name(p) for p in ALL_MODULES])
def test_every_module_has_a_docstring(path: Path) -> None:
    text = docstring(path)
    assert text, f"{name(path)} has no module docstring"
    assert text.strip().splitlines()[0].strip()


@pytest.mark.parametrize("path", ALGORITHM_MODULES, ids=[name(p) for p in ALGORITHM_MODULES])
def test_algorithm_module_first_line_names_an_rfc_section(path: Path) -> None:
    text = docstring(path) or ""
    first = text.splitlines()[0] if text else ""
    assert FIRST_LINE.match(first), f"{name(path)}: {first!r}"


@pytest.mark.parametrize(
    "line",
    [
        "RFC 7518 s4.4 - Key Wrapping with AES Key Wrap",
        "RFC 8037 Section 3.1 - EdDSA",
        "RFC 7518 Appendix B - AES_CBC_HMAC_SHA2 test cases",
    ],
)
def test_pattern_accepts_the_house_style(line: str) -> None:
    assert FIRST_LINE.match(line)


@pytest.mark.parametrize(
    "line", ["Key wrapping (RFC 7518 s4.4)", "RFC7518 s4.4 - x", "RFC 7518 - JWA", "rfc 7518 s4"]
)
def test_pattern_refuses_other_first_lines(line: str) -> None:
    assert not FIRST_LINE.match(line)
