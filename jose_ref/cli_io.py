"""RFC 7517 s5 and RFC 7515 s7 - What the jose-ref command reads and writes, bounded.

Everything the command line takes in passes through here: tokens and content
(from an argument or standard input, always as bytes, at most the limit plus
one byte read), key files (regular files only, size-capped, never a FIFO or a
device that could hang or fill memory) and text options. Results go out as
UTF-8 bytes or, with `--json`, as one JSON document `{"ok": ...}`.

https://www.rfc-editor.org/rfc/rfc7517#section-5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from typing import Any, BinaryIO

from jose_ref import b64url, strict_json
from jose_ref.errors import AlgorithmNotAllowedError, JoseError, LimitExceededError
from jose_ref.jwa import registry
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import DEFAULT_LIMITS

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_KEY_FILE_BYTES",
    "UsageError",
    "check_names",
    "check_text",
    "opt_in_hint",
    "payload_members",
    "read_content",
    "read_key_file",
    "read_token",
    "split_algs",
    "write_failure",
    "write_json",
    "write_out",
]

# A token (or content to sign or encrypt) is bounded like the library bounds tokens.
MAX_INPUT_BYTES = DEFAULT_LIMITS.max_token_bytes
# A key file is a JWK, a JWK Set or a PEM key: never larger than a JWK Set may be.
MAX_KEY_FILE_BYTES = DEFAULT_LIMITS.max_jwks_bytes


class UsageError(Exception):
    """A problem with the command line or its files (exit status 2)."""


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    # Read at most limit + 1 bytes: one more than allowed proves the input too long
    # without holding more of it than the limit.
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _stdin() -> BinaryIO:
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("no input: give it as an argument or pipe it to standard input")
    return sys.stdin.buffer


def read_token(value: str | None) -> bytes:
    """A token from the argument, or from standard input when it is absent or "-".

    Raises:
        UsageError: no input at all.
        LimitExceededError: longer than the token limit (the token is refused).
    """
    # os.fsencode gives back the exact bytes of the argument, even when they are not UTF-8.
    data = _read_stream(_stdin(), MAX_INPUT_BYTES) if value in (None, "-") else os.fsencode(value)
    # The input as received is measured, before stripping: what lies beyond the limit was
    # never read, so it cannot be known to be only whitespace.
    if len(data) > MAX_INPUT_BYTES:
        raise LimitExceededError(
            f"token: more than {MAX_INPUT_BYTES} bytes exceeds the limit "
            f"max_token_bytes={MAX_INPUT_BYTES}",
            limit="max_token_bytes",
            maximum=MAX_INPUT_BYTES,
            actual=len(data),
        )
    token = data.strip()
    if not token:
        raise UsageError("no input: the token is empty")
    return token


def read_content(value: str | None, what: str) -> bytes:
    """Content to sign or encrypt, taken as given (no stripping), from argv or stdin."""
    data = _read_stream(_stdin(), MAX_INPUT_BYTES) if value in (None, "-") else os.fsencode(value)
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{what} is larger than {MAX_INPUT_BYTES} bytes")
    return data


def read_file(path: str, what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a usage error."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; the type check then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise UsageError(f"cannot read {what} {path!r}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"{what} {path!r} is not a regular file")
        try:
            data = _read_stream(file, limit)
        except OSError as error:
            raise UsageError(f"cannot read {what} {path!r}: {error.strerror}") from None
    if len(data) > limit:
        raise UsageError(f"{what} {path!r} is larger than {limit} bytes")
    return data


def read_key_file(path: str) -> JWK | JWKSet:
    """A JWK, a JWK Set or a PEM key from a regular file; any problem is a usage error."""
    what = f"key file {path!r}"
    data = read_file(path, "key file", MAX_KEY_FILE_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{what}: not text (a key file is a JWK, a JWK Set or PEM)") from None
    try:
        if text.lstrip().startswith("-----BEGIN"):
            return JWK.from_pem(data)
        document = strict_json.loads_object(
            text, what=what, max_bytes=MAX_KEY_FILE_BYTES, max_depth=8, size_limit="max_jwks_bytes"
        )
        keys = JWKSet.from_dict(document) if "keys" in document else JWK.from_dict(document)
    except JoseError as error:
        message = str(error)
        raise UsageError(message if message.startswith(what) else f"{what}: {message}") from None
    if isinstance(keys, JWKSet) and len(keys) == 0:
        raise UsageError(f'{what}: the JWK Set holds no keys ("keys" is empty)')
    return keys


def check_text(name: str, value: object) -> None:
    """Refuse a text option holding bytes that are not UTF-8 (they arrive as surrogates)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(f"--{name}: not valid UTF-8 text") from None


def payload_members(data: bytes) -> dict[str, Any]:
    """`payload` as text when it is UTF-8 (else null), and always `payload_b64u`."""
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return {"payload": text, "payload_b64u": b64url.encode_text(data)}


def write_out(data: bytes | str) -> None:
    """Write to standard output as bytes (UTF-8 for text), whatever the locale."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if sys.stdout is None:
        raise UsageError("standard output is closed")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        # A text stream put in place by an in-process caller (contextlib.redirect_stdout).
        sys.stdout.write(raw.decode("utf-8", errors="backslashreplace"))
        return
    buffer.write(raw)
    buffer.flush()


def write_json(document: dict[str, Any]) -> None:
    """One JSON document (ASCII, escaped) and a newline on standard output."""
    write_out(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")


def check_names(names: list[str] | None, table: dict[str, Any], option: str) -> None:
    for name in names or ():
        if name not in table:
            known = ", ".join(sorted(table))
            raise UsageError(f"--{option} {name!r} is not a known name; one of: {known}")


def split_algs(args: argparse.Namespace) -> tuple[list[str] | None, list[str] | None]:
    """--alg values split into JWS (signature) and JWE (key management) names."""
    known = {**registry.SIGNATURES, **registry.KEY_MANAGEMENT}
    check_names(args.alg, known, "alg")
    check_names(getattr(args, "enc", None), registry.CONTENT_ENCRYPTION, "enc")
    signing = [a for a in args.alg or () if a in registry.SIGNATURES]
    wrapping = [a for a in args.alg or () if a in registry.KEY_MANAGEMENT]
    return signing or None, wrapping or None


def write_failure(wants_json: bool, status: int, error: BaseException, line: str) -> int:
    """One line on stderr and, with --json, the failure document on stdout; returns `status`."""
    if sys.stderr is not None:
        print(f"jose-ref: {line}", file=sys.stderr)
    if wants_json and sys.stdout is not None:
        write_json({"ok": False, "error": type(error).__name__, "message": str(error)})
    return status


def opt_in_hint(error: JoseError) -> str:
    # An opt-in algorithm (RSA1_5, PBES2) is accepted once named: say how, in CLI terms.
    found = re.search(r'"?(alg|enc)"? "([^"]+)" is not in the allowed set', str(error))
    if isinstance(error, AlgorithmNotAllowedError) and found:
        return f"; to accept it, pass --{found.group(1)} {found.group(2)}"
    return ""


def json_document(token: str, what: str) -> dict[str, Any]:
    """A JSON serialization read as the library reads one: strictly, within the token limits."""
    return strict_json.loads_object(
        token,
        what=what,
        max_bytes=DEFAULT_LIMITS.max_token_bytes,
        # The serialization's own object and arrays sit above the headers' depth.
        max_depth=DEFAULT_LIMITS.max_json_depth + 3,
        size_limit="max_token_bytes",
    )
