"""Packaging: the repository's vectors/ folder (the single source) ships inside the wheel.

The published test vectors live at the top of the repository, where the guide
puts them. Building the package copies them into it as `jose_ref/vectors/`,
so that `jose-ref vectors` runs them from an installed wheel. An editable
install copies nothing: it finds the checkout's vectors/ in place, and its
flat layout is put on the path with a plain .pth file. Everything else about
the package is declared in pyproject.toml; MANIFEST.in puts vectors/ in the sdist.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

VECTORS = Path(__file__).resolve().parent / "vectors"
SHIPPED = ("*.json", "*.md")


class BuildWithVectors(build_py):
    """build_py, plus a copy of vectors/ (its data files, not its tools) in the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib, "jose_ref", "vectors")
        for pattern in SHIPPED:
            for source in VECTORS.rglob(pattern):
                relative = source.relative_to(VECTORS)
                if relative.parts[0] == "tools":
                    continue
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / relative)


setup(
    # package_dir {"": "."}: a simple flat layout, which setuptools installs in editable
    # mode with a static .pth file rather than an import finder (and its warning box).
    package_dir={"": "."},
    packages=find_packages(include=["jose_ref*"]),
    package_data={"jose_ref": ["py.typed"]},
    cmdclass={"build_py": BuildWithVectors},
)
