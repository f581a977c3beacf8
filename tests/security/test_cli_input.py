"""CLI input from outside (issue 12, item 6): bytes, bounded, never a hang or a traceback.

Binary stdin under a strict UTF-8 locale, non-UTF-8 bytes in argv, key files that are
devices or FIFOs, stdin far over the token limit, absurd key sizes and an output that
cannot be written: each ends in one line on stderr and exit 1 (a refused token) or 2
(a usage error), having read no more than the limit allows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jose_ref import errors, jwe, jws
from tests.clirun import REJECTED, USAGE, key_files, key_of, one_line_error, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return key_files(tmp_path_factory.mktemp("keys"))


def test_key_files_that_are_not_regular_files_are_refused_before_reading(
    keys: dict[str, Path], tmp_path: Path
) -> None:
    # /dev/zero would be read until memory runs out; a FIFO would wait for a writer.
    for device in ("/dev/zero", "/dev/urandom"):
        if Path(device).exists():
            err = one_line_error(run("decrypt", "--key", device, "a.b.c.d.e"), USAGE)
            assert "not a regular file" in err
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        err = one_line_error(run("decrypt", "--key", str(fifo), "a.b.c.d.e"), USAGE)
        assert "not a regular file" in err
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000_000 + b"{}")
    err = one_line_error(run("thumbprint", "--key", str(big)), USAGE)
    assert "larger than" in err


def test_key_sizes_are_bounded_before_generating() -> None:
    for kty, size in (("oct", "8000000000000"), ("oct", "64"), ("RSA", "1000000"), ("RSA", "1024")):
        err = one_line_error(run("keygen", "--kty", kty, "--size", size), USAGE)
        assert "--size" in err


STRICT_UTF8 = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@pytest.mark.parametrize("command", ["inspect", "decrypt", "verify", "explain"])
def test_binary_stdin_is_refused_without_traceback(keys: dict[str, Path], command: str) -> None:
    args = [command] if command == "inspect" else [command, "--key", str(keys["ec"])]
    binary = bytes(range(256)) * 4
    err = one_line_error(run(*args, stdin=binary, env=STRICT_UTF8), REJECTED)
    assert "UTF-8" in err


@pytest.mark.skipif(sys.platform == "win32", reason="argv is text on Windows")
def test_non_utf8_argv_is_taken_as_bytes(keys: dict[str, Path]) -> None:
    content = b"\xff\xfe caf\xe9"
    result = run(
        "encrypt", "--key", str(keys["ec"]), "--alg", "ECDH-ES", "--enc", "A128GCM", content
    )
    assert result.returncode == 0, result.stderr
    assert jwe.decrypt_compact(result.stdout.strip(), key_of(keys["ec"])).plaintext == content
    result = run("sign", "--key", str(keys["ec"]), "--alg", "ES256", content, env=STRICT_UTF8)
    assert result.returncode == 0, result.stderr
    assert jws.verify_compact(result.stdout.strip(), key_of(keys["ec"])).payload == content
    one_line_error(run("keygen", "--kty", "oct", "--kid", b"\xff"), USAGE)
    one_line_error(run("inspect", b"\xff.\xfe.\xfd"), REJECTED)


def test_stdin_over_the_token_limit_is_refused(keys: dict[str, Path]) -> None:
    err = one_line_error(run("decrypt", "--key", str(keys["ec"]), stdin=b"A" * 3_000_000), REJECTED)
    assert "LimitExceededError" in err and "max_token_bytes" in err


def test_stdin_is_read_at_most_to_the_limit_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from jose_ref import cli_io

    class Endless:
        """A never-ending binary stdin that counts what was taken from it."""

        taken = 0

        def read(self, size: int = -1) -> bytes:
            assert size > 0, "an unbounded read of stdin"
            self.taken += size
            return b"A" * size

    endless = Endless()

    class Stdin:
        buffer = endless

        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Stdin())
    with pytest.raises(errors.LimitExceededError):
        cli_io.read_token(None)
    assert endless.taken == cli_io.MAX_INPUT_BYTES + 1


@pytest.mark.skipif(
    not Path("/dev/full").exists(), reason="needs /dev/full (a device that is full)"
)
def test_output_that_cannot_be_written_is_one_line_not_a_traceback() -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "jose_ref", "keygen", "--kty", "EC"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    assert result.returncode == USAGE
    assert (
        result.stderr.decode().startswith("jose-ref: cannot write")
        and b"Traceback" not in result.stderr
    )
