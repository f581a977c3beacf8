"""Load transcribed vectors from vectors/ and decode their byte values."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def path_of(vector_id: str) -> Path:
    """The file of a vector id such as 'rfc7520-5.2-rsa-oaep-a256gcm'."""
    source, _, stem = vector_id.partition("-")
    return VECTORS / source / f"{stem}.json"


def load(vector_id: str) -> dict[str, Any]:
    """Load one vector by id."""
    data: dict[str, Any] = json.loads(path_of(vector_id).read_text(encoding="utf-8"))
    return data


def all_of(kind: str, source: str | None = None) -> list[dict[str, Any]]:
    """Every vector of one kind (optionally from one source directory), sorted by id."""
    found = []
    for path in sorted(VECTORS.rglob("*.json")):
        if path.name == "schema.json":
            continue
        if source is not None and path.relative_to(VECTORS).parts[0] != source:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") == kind:
            found.append(data)
    return found


def octets(value: Any) -> bytes:
    """Decode a vector byte value ({"utf8"|"b64u"|"b64"|"hex"|"octets": ...})."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"not a byte value: {value!r}")
    ((encoding, text),) = value.items()
    if encoding == "utf8":
        return str(text).encode("utf-8")
    if encoding == "b64u":
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if encoding == "b64":
        return base64.b64decode(text)
    if encoding == "hex":
        return bytes.fromhex(text)
    if encoding == "octets":
        return bytes(text)
    raise ValueError(f"unknown byte encoding {encoding!r}")
