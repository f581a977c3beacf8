"""Deferred imports: what `import jose_ref.jwe, jose_ref.jws` leaves for first use, and how."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from jose_ref import deferred, jws, trace
from jose_ref.trace_record import Content, Step, Trace

# Modules a program that imports JWE and JWS but never records, encrypts, signs, uses the
# JSON serializations or the rare algorithm families should never have to read.
LOADED_ON_FIRST_USE = (
    "jose_ref.rfc_steps",
    "jose_ref.trace_record",
    "jose_ref.jwe.decrypt_notes",
    "jose_ref.jwe.encrypt_notes",
    "jose_ref.jws.verify_notes",
    "jose_ref.jws.sign_notes",
    "jose_ref.jwe.encrypt",
    "jose_ref.jws.sign",
    "jose_ref.jwe.json_serialization",
    "jose_ref.jws.json_serialization",
    "jose_ref.jwa.key_management.pbes2",
    "jose_ref.jwa.key_management.aes_gcm_key_wrap",
    "jose_ref.jwa.key_management.rsaes_pkcs1_v1_5",
    "jose_ref.jwa.key_management.ecdh_es",
    "jose_ref.jwa.key_management.concat_kdf",
    "jose_ref.jwa.signatures.rsassa_pss",
    "jose_ref.jwa.signatures.mldsa",
    "jose_ref.jwk.roca",
    "jose_ref.jwk.rsa_private",
    "jose_ref.jwk.jwk_set",
    "cryptography.hazmat.primitives.serialization",
)


def _modules_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_importing_jwe_and_jws_leaves_the_rest_for_first_use() -> None:
    loaded = _modules_after("import jose_ref.jwe, jose_ref.jws")
    assert {"jose_ref.jwe.decrypt", "jose_ref.jws.verify"} <= loaded
    assert not loaded & set(LOADED_ON_FIRST_USE)


def test_first_uses_load_them() -> None:
    statement = (
        "from jose_ref import JWK, JWKSet, jwe, jws\n"
        "from jose_ref.trace import recording\n"
        "key = JWK.generate('RSA', size=2048)\n"
        "with recording():\n"
        "    token = jws.sign_json(b'x', [(key, {'alg': 'PS256'})])\n"
        "    jws.verify_json(token, key, algorithms=['PS256'])\n"
        "    jwe.decrypt_json(jwe.encrypt_json(b'x', [(key, {'alg': 'RSA-OAEP'})], enc='A128GCM'),"
        " key, algorithms=['RSA-OAEP'])"
    )
    loaded = _modules_after(statement)
    first_used = set(LOADED_ON_FIRST_USE) - {
        "jose_ref.jwa.key_management.pbes2",
        "jose_ref.jwa.key_management.aes_gcm_key_wrap",
        "jose_ref.jwa.key_management.rsaes_pkcs1_v1_5",
        "jose_ref.jwa.key_management.ecdh_es",
        "jose_ref.jwa.key_management.concat_kdf",
        "jose_ref.jwa.signatures.mldsa",
    }
    assert first_used <= loaded


def _package(tmp_path: Path, name: str) -> None:
    (tmp_path / f"{name}.py").write_text("VALUE = 42\n", encoding="utf-8")


def test_a_stand_in_loads_on_first_access_then_gives_way_to_the_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _package(tmp_path, "deferred_probe_a")
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict[str, Any] = {"unrelated": 1}
    stand_in = namespace["deferred_probe_a"] = namespace["_private"] = deferred.module(
        "deferred_probe_a", namespace
    )
    assert "deferred_probe_a" not in sys.modules
    assert "deferred_probe_a" in repr(stand_in)
    assert stand_in.VALUE == 42
    module = sys.modules.pop("deferred_probe_a")
    # Every global that held the stand-in now names the module: later uses cost a plain
    # attribute access.
    assert namespace == {"unrelated": 1, "deferred_probe_a": module, "_private": module}
    with pytest.raises(AttributeError):
        _ = stand_in.MISSING


def test_a_first_use_from_many_threads_sees_a_whole_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "deferred_probe_c.py").write_text(
        "import time\ntime.sleep(0.05)\nVALUE = 42\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    stand_in = deferred.module("deferred_probe_c", {})
    seen: list[object] = []

    def use() -> None:
        seen.append(stand_in.VALUE)

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sys.modules.pop("deferred_probe_c")
    assert seen == [42] * 8


def test_trace_and_jws_name_their_deferred_members() -> None:
    assert (trace.Trace, trace.Step, trace.Content) == (Trace, Step, Content)
    assert callable(jws.sign_json)
    assert callable(jws.verify_json)
    with pytest.raises(AttributeError, match="no attribute 'Missing'"):
        _ = trace.Missing  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        _ = jws.missing  # type: ignore[attr-defined]
