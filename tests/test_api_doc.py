"""docs/api.md stays in step with the package: every exported name, signatures, examples.

The names come from `__all__` (jose_ref and the modules it exports) and the public members
of the key classes; the signatures from `inspect.signature`. A name added, removed or
renamed in code, or a parameter changed, fails here until docs/api.md says the same.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path
from typing import Any

import jose_ref
from jose_ref import JWK, JWKSet, Limits, RemoteJWKSet, errors, jwe, jws, jwt, x5c

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
TEXT = DOC.read_text(encoding="utf-8")
MODULES = {"jwe": jwe, "jws": jws, "jwt": jwt, "x5c": x5c, "errors": errors}
CLASSES: dict[str, Any] = {
    "JWK": JWK,
    "JWKSet": JWKSet,
    "RemoteJWKSet": RemoteJWKSet,
    "x5c.TrustedKeySource": x5c.TrustedKeySource,
}


def _public_members(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def expected_names() -> set[str]:
    names = set(jose_ref.__all__) - set(MODULES)
    names |= {f"{prefix}.{n}" for prefix, module in MODULES.items() for n in module.__all__}
    names |= {f"{prefix}.{m}" for prefix, cls in CLASSES.items() for m in _public_members(cls)}
    names |= {f"Limits.{field.name}" for field in dataclasses.fields(Limits)}
    return names


def documented_names() -> set[str]:
    """Names in headings and in the first column of tables."""
    found: set[str] = set()
    for line in TEXT.splitlines():
        if re.match(r"#{2,4} ", line) or line.startswith("| `"):
            cell = line if line.startswith("#") else line.split("|")[1]
            found |= set(re.findall(r"`([A-Za-z_][\w.]*)`", cell))
    return found - set(MODULES)


def resolve(name: str) -> Any:
    value: Any = jose_ref
    for part in name.split("."):
        value = (
            inspect.getattr_static(value, part) if isinstance(value, type) else getattr(value, part)
        )
    return value


def code_blocks(language: str) -> list[str]:
    """The code of every fenced block in `language` ("text": signatures; "python": examples)."""
    return re.findall(rf"\n```{language}\n(.*?)```", TEXT, re.S)


def test_every_exported_name_has_an_entry() -> None:
    missing = expected_names() - documented_names()
    assert not missing, f"document in docs/api.md: {sorted(missing)}"


def test_every_entry_names_something_that_exists() -> None:
    for name in documented_names():
        resolve(name)  # AttributeError names the entry that is gone


def _documented_parameters(line: str) -> tuple[str, list[str]]:
    name, _, rest = line.partition("(")
    tree = ast.parse(f"def f({rest.rsplit(')', 1)[0]}): ...")
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef)
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return name, [a.arg for a in every + extra]


def test_signatures_have_the_real_parameters() -> None:
    checked = 0
    for code in code_blocks("text"):
        line = code.strip()
        if "\n" in line or not re.match(r"[\w.]+\(", line):
            continue
        name, documented = _documented_parameters(line)
        if name.split(".")[0] not in {*MODULES, *jose_ref.__all__}:
            continue
        target = resolve(name)
        function = target.__func__ if isinstance(target, (classmethod, staticmethod)) else target
        real = list(inspect.signature(function).parameters)
        if isinstance(target, classmethod):
            real = real[1:]  # "cls" is bound by the call JWK.from_dict(...)
        assert documented == real, f"{name}: docs/api.md has {documented}, the code {real}"
        checked += 1
    assert checked >= 30


def test_the_examples_run() -> None:
    # Every python block runs, in order, as one script; examples that need a server or a
    # certificate authority are text blocks, said "not run" in the prose.
    namespace: dict[str, Any] = {}
    examples = code_blocks("python")
    for code in examples:
        exec(compile(code, f"{DOC}", "exec"), namespace)  # noqa: S102 - the doc's own examples
    assert len(examples) >= 30
