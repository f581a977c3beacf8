"""The built wheel, installed into a fresh virtual environment and run outside the checkout.

What ships is what a user gets: the package, its LICENSE, the metadata (README as the long
description, classifiers, no project URLs) and every published vector of the repository's
vectors/ folder, so that `jose-ref vectors` works anywhere (issue 10). The wheel is built
once, offline (no build isolation), into a venv whose only other path is the one holding
this environment's cryptography.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import cryptography
import pytest

from tests.vectorlib import VECTORS, load

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""
NOT_SOURCE = (
    ".git",
    ".venv*",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
)


def _run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing of the checkout on the path.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _checked(args: list[str], cwd: Path) -> str:
    result = _run(args, cwd)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel file, the fresh venv's scripts folder), built and installed once."""
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    offline = ["--no-deps", "--no-index", "--no-build-isolation"]
    # Built from a clean copy: no stale build/ output of the checkout can slip into the wheel.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    _checked([*pip, "wheel", "--quiet", *offline, "-w", str(work / "dist"), str(source)], work)
    (wheel,) = (work / "dist").glob("jose_ref-*.whl")
    venv = work / "venv"
    _checked([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    python = venv / BIN / f"python{EXE}"
    _checked([*pip, "--python", str(python), "install", "--quiet", *offline, str(wheel)], work)
    purelib = _checked(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work
    )
    # cryptography (the one runtime dependency) from this environment, without its .pth files
    # (so no editable install of the checkout comes along).
    Path(purelib.strip(), "runtime_dependencies.pth").write_text(
        str(Path(cryptography.__file__).resolve().parent.parent) + "\n"
    )
    return wheel, venv / BIN


def _published_vectors() -> list[str]:
    return sorted(
        p.relative_to(VECTORS).as_posix()
        for p in VECTORS.rglob("*.json")
        if p.name != "schema.json"
    )


def test_the_wheel_carries_license_vectors_and_metadata(built: tuple[Path, Path]) -> None:
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
        licenses = [n for n in names if re.search(r"\.dist-info/licenses/LICENSE$", n)]
        assert licenses and b"Apache License" in archive.read(licenses[0])
    shipped = sorted(
        n.removeprefix("jose_ref/vectors/")
        for n in names
        if n.startswith("jose_ref/vectors/")
        and n.endswith(".json")
        and not n.endswith("schema.json")
    )
    assert shipped == _published_vectors()
    assert "jose_ref/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "vectors/")) or "/tools/" in n]
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("Project-URL") is None
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers and "Topic :: Security :: Cryptography" in classifiers
    assert (
        metadata.get_payload().strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
    )


def test_the_installed_command_runs_outside_the_checkout(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, scripts = built
    command = str(scripts / f"jose-ref{EXE}")
    python = str(scripts / f"python{EXE}")
    where = _checked([python, "-c", "import jose_ref; print(jose_ref.__file__)"], tmp_path)
    assert Path(where.strip()).resolve().is_relative_to(scripts.parent.resolve())

    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    assert _checked([command, "--version"], tmp_path).split() == ["jose-ref", version.group(1)]

    report = json.loads(_checked([command, "vectors", "--json"], tmp_path))
    assert report["failed"] == 0 and report["passed"] == len(_published_vectors())

    vector = load("rfc7520-5.8-a128kw-a128gcm")
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(vector["keys"]["aes-128-kw"]))
    plaintext = _checked(
        [command, "decrypt", "--key", str(key_file), vector["expected"]["compact"]], tmp_path
    )
    assert plaintext == vector["input"]["plaintext"]["utf8"]
