"""Packaging: the repository's vectors/ folder (the single source) ships in the wheel.

The published test vectors live at the top of the repository, where the guide
puts them. This maps them into the package as `jose_ref/vectors/`, so that
`jose-ref vectors` runs them from an installed wheel; everything else about
the package is declared in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_packages, setup

VECTOR_FOLDERS = sorted(
    path.name for path in Path("vectors").iterdir() if path.is_dir() and path.name != "tools"
)
VECTOR_PACKAGES = ["jose_ref.vectors", *(f"jose_ref.vectors.{name}" for name in VECTOR_FOLDERS)]

setup(
    packages=find_packages(include=["jose_ref*"]) + VECTOR_PACKAGES,
    package_dir={"jose_ref.vectors": "vectors"},
    package_data={
        "jose_ref": ["py.typed"],
        **{package: ["*.json", "*.md"] for package in VECTOR_PACKAGES},
    },
)
