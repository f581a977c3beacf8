"""The generated docs are current: docs/rfc-map.md matches the module docstrings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rfc_map_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("rfc_map", ROOT / "docs" / "tools" / "rfc_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rfc_map_is_current() -> None:
    rfc_map = _rfc_map_module()
    written = (ROOT / "docs" / "rfc-map.md").read_text(encoding="utf-8")
    assert written == rfc_map.render(), "run `make docs` to regenerate docs/rfc-map.md"


def test_every_algorithm_module_names_its_rfc_section() -> None:
    rfc_map = _rfc_map_module()
    for module, first in rfc_map.rows():
        if "/jwa/" in module and not module.endswith("__init__.py"):
            assert first.startswith("RFC "), module
