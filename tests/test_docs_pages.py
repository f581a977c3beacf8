"""The pages in docs/ run and cannot drift from the library.

- A generated page (docs/NAME.md from docs/src/NAME.md) must equal a fresh build: building
  executes every python block of the page in order, reruns every `jose-ref` command and
  re-records every trace, so a page whose values or outputs changed fails here.
- A hand-written page's python blocks (with its `<!-- docs-setup` comments, in order) are
  executed here, in one namespace per page, in a scratch directory.
- Every fenced block says what it is (python runs; text, console, json, mermaid do not).
- Every relative link in docs/*.md and README.md points to a file that exists.
- Every `jose-ref` subcommand has its usage and a worked example in docs/cli.md.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^(`{3,})(\S*)\s*$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SETUP = re.compile(r"<!-- docs-setup\n(.*?)\n-->", re.DOTALL)
LANGUAGES = {"python", "text", "console", "json", "mermaid"}


def _build_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_docs", ROOT / "docs" / "tools" / "build_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_docs()
TEMPLATES = BUILD.templates()
PAGES = sorted(path.name for path in DOCS.glob("*.md"))
HAND_WRITTEN = [name for name in PAGES if name not in TEMPLATES]


def _fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    blocks: list[tuple[str, str]] = []
    lines = iter(text.splitlines())
    for line in lines:
        found = FENCE.match(line.strip())
        if not found:
            continue
        body: list[str] = []
        for inner in lines:
            if inner.strip() == found.group(1):
                break
            body.append(inner)
        blocks.append((found.group(2), "\n".join(body)))
    return blocks


def test_there_are_templates_and_hand_written_pages() -> None:
    assert "README.md" in TEMPLATES and "cli.md" in TEMPLATES
    assert "bankid.md" in PAGES


@pytest.mark.parametrize("name", TEMPLATES)
def test_generated_page_is_current(name: str) -> None:
    written = (DOCS / name).read_text(encoding="utf-8")
    assert written == BUILD.build(name), f"run `make docs` to regenerate docs/{name}"


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_python_blocks_of_a_hand_written_page_run(name: str, tmp_path: Path) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    (tmp_path / "vectors").symlink_to(ROOT / "vectors", target_is_directory=True)
    codes = [setup for setup in SETUP.findall(text)]
    codes += [body for language, body in _fenced_blocks(text) if language == "python"]
    namespace: dict[str, object] = {"__name__": f"docs.{name}"}
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        for number, code in enumerate(codes, start=1):
            compiled = compile(code, f"docs/{name} block {number}", "exec")
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compiled, namespace)  # noqa: S102 - the page's own code
    finally:
        os.chdir(before)
        cleanup = namespace.get("docs_cleanup")
        if callable(cleanup):
            cleanup()


@pytest.mark.parametrize("name", PAGES)
def test_every_fenced_block_says_what_it_is(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    for language, _ in _fenced_blocks(text):
        assert language in LANGUAGES, f"docs/{name}: a fenced block tagged {language!r}"


def test_console_blocks_are_generated() -> None:
    # Shown commands and outputs come from running them (build_docs.py `cli` directives).
    for name in HAND_WRITTEN:
        blocks = _fenced_blocks((DOCS / name).read_text(encoding="utf-8"))
        assert all(language != "console" for language, _ in blocks), name


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    for _, body in _fenced_blocks(text):
        text = text.replace(body, "")
    return [target for target in LINK.findall(text) if "://" not in target]


@pytest.mark.parametrize("name", [*PAGES, "../README.md"])
def test_relative_links_point_to_files(name: str) -> None:
    page = (DOCS / name).resolve()
    for target in _links(page):
        if target.startswith(("#", "mailto:")):
            continue
        resolved = (page.parent / target.split("#")[0]).resolve()
        assert resolved.exists(), f"{page.relative_to(ROOT)}: broken link {target}"


def test_every_subcommand_has_usage_and_an_example_in_the_cli_page() -> None:
    template = (DOCS / "src" / "cli.md").read_text(encoding="utf-8")
    for command in BUILD.subcommands():
        assert f"<!-- cli-usage: {command} -->" in template, command
        assert re.search(rf"<!-- cli(-masked)?: .*jose-ref {command}\b", template), command


def test_mermaid_blocks_name_a_diagram_type() -> None:
    kinds = ("flowchart ", "sequenceDiagram", "graph ")
    found = 0
    for name in PAGES:
        for language, body in _fenced_blocks((DOCS / name).read_text(encoding="utf-8")):
            if language == "mermaid":
                found += 1
                assert body.lstrip().startswith(kinds), name
    assert found >= 4


def test_limits_table_lists_every_field() -> None:
    import dataclasses

    from jose_ref import Limits

    rows = "\n".join(BUILD.limits_table())
    for field in dataclasses.fields(Limits):
        assert f"`{field.name}`" in rows


CITATION = re.compile(r"(tests/[\w/]+\.py)?::(test_\w+)")
VECTOR_PATH = re.compile(r"`((?:vectors/[\w./-]+/)?(?:jw[es]-[\w.-]+|[\w.-]+/[\w.-]+)\.json)`")


@pytest.mark.parametrize("name", PAGES)
def test_cited_tests_exist(name: str) -> None:
    # A page cites `tests/x.py::test_y`, then `::test_z` for another test of the same file.
    text = (DOCS / name).read_text(encoding="utf-8")
    current: str | None = None
    for path, function in CITATION.findall(text):
        current = path or current
        assert current is not None, f"docs/{name}: ::{function} cited before any test file"
        source = (ROOT / current).read_text(encoding="utf-8")
        assert re.search(rf"^def {function}\(", source, re.MULTILINE), f"{current}::{function}"


@pytest.mark.parametrize("name", PAGES)
def test_cited_vectors_exist(name: str) -> None:
    text = (DOCS / name).read_text(encoding="utf-8")
    for cited in VECTOR_PATH.findall(text):
        # A bare file name is one of the derived negative vectors.
        path = ROOT / (cited if cited.startswith("vectors/") else f"vectors/derived/{cited}")
        assert path.exists(), f"docs/{name}: {cited}"
