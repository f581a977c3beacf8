"""Run one case of the differential corpus and describe its outcome as plain JSON.

The corpus (corpus.json, made by record.py) holds valid tokens of many algorithms and
mutations of them. Each case is run through the public API; the outcome is either the
result (plaintext or payload, the joined header, which key, which recipient/signature)
or the exact error class and message. test_differential.py compares today's outcomes
with the ones recorded from the code before the hot-path work.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

from jose_ref import JWK, JWKSet, Limits, jwe, jws

CORPUS = Path(__file__).with_name("corpus.json.gz")


def load_keys(specs: dict[str, Any]) -> dict[str, JWK | JWKSet]:
    """Keys by name: a JWK from a member dict, or a JWKSet from {"keys": [...]}."""
    keys: dict[str, JWK | JWKSet] = {}
    for name, members in specs.items():
        keys[name] = JWKSet.from_dict(members) if "keys" in members else JWK.from_dict(members)
    return keys


def _token(case: dict[str, Any]) -> Any:
    token = case["token"]
    if case.get("token_bytes"):
        return base64.b64decode(token)
    return token


def run(case: dict[str, Any], keys: dict[str, JWK | JWKSet]) -> dict[str, Any]:
    """The outcome of one case: {"ok": ...} or {"error": class name, "message": text}."""
    key = keys[case["key"]]
    options: dict[str, Any] = dict(case.get("options", {}))
    if "limits" in options:
        options["limits"] = Limits(**options["limits"])
    if "payload" in options:
        options["payload"] = base64.b64decode(options["payload"])
    operation = {
        "jwe_compact": jwe.decrypt_compact,
        "jwe_json": jwe.decrypt_json,
        "jws_compact": jws.verify_compact,
        "jws_json": jws.verify_json,
    }[case["op"]]
    try:
        result = operation(_token(case), key, **options)
    except Exception as error:  # noqa: BLE001 - the class and message are the outcome
        return {"error": type(error).__name__, "message": str(error)}
    if case["op"].startswith("jwe"):
        content = result.plaintext
        index = result.recipient_index
    else:
        content = result.payload
        index = result.signature_index
    return {
        "ok": base64.b64encode(content).decode("ascii"),
        "header": json.loads(json.dumps(result.header)),
        "key": result.key.thumbprint(),
        "index": index,
    }


def load_corpus() -> dict[str, Any]:
    """The recorded corpus: {"about": ..., "keys": ..., "cases": [...]}."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as data:
        corpus: dict[str, Any] = json.load(data)
    return corpus
