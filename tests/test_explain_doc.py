"""docs/explain.md is current: its traces are real `jose-ref explain` output on RFC 7520."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "explain_doc", ROOT / "docs" / "tools" / "explain_doc.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_explain_page_is_current() -> None:
    written = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    assert written == _generator().render(), "run `make docs` to regenerate docs/explain.md"


def test_explain_page_walks_through_a_jwe_and_a_jws() -> None:
    written = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")
    assert "## How to read the trace" in written
    # RFC 7520 s5.8: the CEK (s5.8.2) under step 9, the plaintext as text under step 18.
    assert "cek (octets, base64url): aY5_Ghmk9KxWPBLu_glx1w" in written
    assert "thick and thin–to the bitter end" in written
    # RFC 7520 s4.4: the signature under step 7, the payload as text under step 10.
    assert "signature (octets, base64url): s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0" in written
    assert "It’s a dangerous business" in written
    assert written.count("accepted (key ") == 2
