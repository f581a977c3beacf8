"""Every vector file validates: vectors/tools/check.py's problems() finds nothing."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vectors_check", VECTORS / "tools" / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    return load_checker()


def test_every_vector_file_validates(checker: ModuleType) -> None:
    assert checker.problems() == []


def test_there_are_vector_files(checker: ModuleType) -> None:
    files = checker.vector_files()
    assert len(files) >= 16
    assert all(path.name != "schema.json" for path in files)


def test_readme_lists_every_vector(checker: ModuleType) -> None:
    table = checker.readme()
    for path in checker.vector_files():
        assert f"`{path.relative_to(VECTORS)}`" in table


def test_committed_provenance_table_is_current(checker: ModuleType) -> None:
    committed = (VECTORS / "README.md").read_text(encoding="utf-8")
    assert committed == checker.readme(), "run `make vectors` to regenerate vectors/README.md"


# -- the checker itself finds problems (run on a copy in a temporary folder) ---------------------


@pytest.fixture
def sandbox(checker: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copy(VECTORS / "schema.json", tmp_path / "schema.json")
    (tmp_path / "rfc7638").mkdir()
    shutil.copy(
        VECTORS / "rfc7638" / "3.1-rsa-thumbprint.json",
        tmp_path / "rfc7638" / "3.1-rsa-thumbprint.json",
    )
    monkeypatch.setattr(checker, "ROOT", tmp_path)
    assert checker.problems() == []
    return tmp_path


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def good(sandbox: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (sandbox / "rfc7638" / "3.1-rsa-thumbprint.json").read_text(encoding="utf-8")
    )
    return data


def test_checker_flags_a_wrong_id(checker: ModuleType, sandbox: Path) -> None:
    write(sandbox / "rfc7638" / "3.1-other.json", good(sandbox))
    found = checker.problems()
    assert any("id must be" in problem for problem in found)


def test_checker_flags_a_schema_violation(checker: ModuleType, sandbox: Path) -> None:
    data = good(sandbox)
    del data["expected"]
    write(sandbox / "rfc7638" / "3.1-rsa-thumbprint.json", data)
    assert checker.problems() != []


def test_checker_flags_a_non_rfc_url(checker: ModuleType, sandbox: Path) -> None:
    data = good(sandbox)
    data["source"] = {**data["source"], "url": "https://example.com/"}  # type: ignore[dict-item]
    write(sandbox / "rfc7638" / "3.1-rsa-thumbprint.json", data)
    assert checker.problems() != []


def test_checker_flags_an_incomplete_derived_vector(checker: ModuleType, sandbox: Path) -> None:
    data = {**good(sandbox), "id": "derived-bad"}
    write(sandbox / "derived" / "bad.json", data)
    assert any("derived vector lacks" in problem for problem in checker.problems())


def test_checker_flags_an_unknown_parent(checker: ModuleType, sandbox: Path) -> None:
    data = {
        **good(sandbox),
        "id": "derived-orphan",
        "derived_from": "rfc0000-none",
        "mutation": "x",
        "clause": "y",
    }
    write(sandbox / "derived" / "orphan.json", data)
    assert any("is no vector" in problem for problem in checker.problems())


def test_checker_flags_invalid_json(checker: ModuleType, sandbox: Path) -> None:
    (sandbox / "rfc7638" / "3.2-broken.json").write_text("{", encoding="utf-8")
    assert any("not JSON" in problem for problem in checker.problems())
