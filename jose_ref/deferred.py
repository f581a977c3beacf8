"""Deferred imports: a module that loads on first use, so `import jose_ref.jwe` stays cheap.

Importing JWE and JWS must bring in the decryption and verification steps, not
everything a call might one day need: the explain notes (only a recording calls
them) and the rarely used algorithm families (PBES2, AES-GCM key wrap, ML-DSA,
the RSA private-key checks) load when first used (issue 9: a cold start no
slower than the peers'). A module that imports one this way writes

    if TYPE_CHECKING:
        from jose_ref.jwe import decrypt_notes
    else:  # loaded by the first recording (jose_ref.deferred)
        decrypt_notes = deferred.module("jose_ref.jwe.decrypt_notes", globals())

so that mypy checks every call against the real module. The first attribute
access imports the module through the ordinary import system (whose per-module
lock makes a first use from two threads safe) and puts the module itself in
place of the stand-in, in every global of the importing module that held it:
from then on a use costs exactly what it would after an eager import, and a
test that patches the module patches what its callers see.

In a package's __init__, bind a stand-in to a private name (`_encrypt`), never
to the submodule's own name: that global is also the package attribute, which
`from package import submodule` would hand out instead of the module.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["Deferred", "module"]


class Deferred:
    """Stands for the module `name`, held by globals of `namespace`, until first use."""

    __slots__ = ("_name", "_namespace")

    def __init__(self, name: str, namespace: dict[str, Any]) -> None:
        self._name = name
        self._namespace = namespace

    def __getattr__(self, attribute: str) -> object:
        # Called only for names the stand-in lacks: every name of the real module.
        module = importlib.import_module(self._name)
        # A snapshot of the globals: another thread's import may add one meanwhile.
        for binding, value in list(self._namespace.items()):
            if value is self:
                self._namespace[binding] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


def module(name: str, namespace: dict[str, Any]) -> Deferred:
    """A stand-in for the module `name`, to bind to a global of `namespace`."""
    return Deferred(name, namespace)
