"""Running the jose-ref command as a subprocess, for the CLI tests and the CLI security tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jose_ref import JWK
from tests.vectorlib import load

USAGE, REJECTED = 2, 1


def run(
    *args: str | bytes, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m jose_ref ARGS` with `stdin`; a hang fails the test instead of the suite."""
    return subprocess.run(
        [sys.executable, "-m", "jose_ref", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=env,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes], status: int) -> str:
    """The single stderr line of a failed run, checked for status, no traceback, empty stdout."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == status, err
    assert err.startswith("jose-ref: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and result.stdout == b""
    return err


def key_files(folder: Path) -> dict[str, Path]:
    """Key files in `folder`: RSA and EC private keys, the EC public key, an empty set,
    RFC 7520 keys and an EC key without "crv"."""
    rsa_key = JWK.from_key_object(rsa.generate_private_key(65537, 2048), kid="r1")
    ec_key = JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()), kid="e1")
    documents: dict[str, Any] = {
        "rsa": rsa_key.to_dict(private=True),
        "ec": ec_key.to_dict(private=True),
        "ec_public": ec_key.public().to_dict(),
        "empty_set": {"keys": []},
        "hmac": load("rfc7520-4.5-signature-detached-content-hs256")["keys"]["hmac"],
        "aes": load("rfc7520-5.8-a128kw-a128gcm")["keys"]["aes-128-kw"],
        "no_crv": {"kty": "EC", "x": "AQAB", "y": "AQAB"},
    }
    paths = {}
    for name, document in documents.items():
        paths[name] = folder / f"{name}.json"
        paths[name].write_text(json.dumps(document))
    return paths


def key_of(path: Path) -> JWK:
    """The JWK of a key file."""
    return JWK.from_json(path.read_text())
