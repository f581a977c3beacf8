"""The jose-ref command: inspect, decrypt, verify, jwt, encrypt, sign, keygen, thumbprint, explain.

A thin shell over the public API (RFC 7515, 7516, 7517, 7519, 7638). It reads
a key file (a JWK, a JWK Set or PEM), a token from an argument or standard
input (as bytes, bounded: see jose_ref.cli_io), and prints results to
standard output. Exit status: 0 on success, 1 when a token was examined and
refused, 2 on a usage error (bad option, unknown or unfitting alg/enc,
unreadable key file, a key that cannot do the operation, no input). Errors
are one line on standard error, never a traceback; with `--json` stdout gets
`{"ok": false, "error": ..., "message": ...}` too. `explain` prints the
numbered RFC steps that decryption or verification really took, with
secrets masked unless `--reveal` is given. This module builds the argument
parser and maps errors to exit statuses; the commands themselves are in
jose_ref.cli_commands.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from jose_ref import __version__, cli_io, cli_keygen
from jose_ref.cli_commands import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    cmd_decrypt,
    cmd_encrypt,
    cmd_explain,
    cmd_inspect,
    cmd_jwt,
    cmd_keygen,
    cmd_sign,
    cmd_thumbprint,
    cmd_vectors,
    cmd_verify,
)
from jose_ref.cli_io import UsageError
from jose_ref.errors import (
    JoseError,
)

__all__ = ["main"]

# Commands that examine a token: a JoseError there refuses the token (exit 1). Anywhere
# else nothing was examined, so a JoseError is a usage error (exit 2).
TOKEN_COMMANDS = frozenset({"inspect", "decrypt", "verify", "jwt", "explain"})
TEXT_OPTIONS = ("alg", "enc", "iss", "aud", "typ", "crv", "kid", "use")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one-line usage errors (exit 2), never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _key_option(sub: argparse.ArgumentParser, *, required: bool = True) -> None:
    sub.add_argument("--key", required=required, help="a JWK, JWK Set or PEM file")


def _token_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    sub = command("inspect", cmd_inspect, "show headers and structure; verifies nothing")
    sub.add_argument("token", nargs="?", help="the token, or - (the default) for stdin")
    for name, handler, text in (
        ("decrypt", cmd_decrypt, "decrypt a JWE"),
        ("explain", cmd_explain, "trace each RFC step of a decrypt or verify"),
        ("verify", cmd_verify, "verify a JWS"),
        ("jwt", cmd_jwt, "decode a JWT: (decrypt,) verify, validate its claims"),
    ):
        sub = command(name, handler, text)
        _key_option(sub)
        sub.add_argument("--alg", action="append", help="allowed alg (repeatable)")
        if name != "verify":
            sub.add_argument("--enc", action="append", help="allowed enc (repeatable)")
        if name in ("verify", "explain"):
            sub.add_argument("--payload", help="detached content: a file, or - for stdin")
        if name == "explain":
            sub.add_argument(
                "--reveal", action="store_true", help="show CEK, derived keys, plaintext"
            )
            sub.add_argument("--width", type=int, help="cut each value to this many characters")
        if name == "jwt":
            sub.add_argument("--decrypt-key", help="key file to decrypt an encrypted JWT first")
            sub.add_argument("--iss", help="the required issuer")
            sub.add_argument("--aud", help="the audience this relying party is")
            sub.add_argument("--leeway", type=float, default=0.0, help="clock skew, seconds")
            sub.add_argument("--typ", help='the required "typ"')
        sub.add_argument("token", nargs="?", help="the token, or - (the default) for stdin")


def _making_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    sub = command("encrypt", cmd_encrypt, "encrypt to a key (compact)")
    _key_option(sub)
    sub.add_argument("--alg", required=True)
    sub.add_argument("--enc", required=True)
    sub.add_argument("--zip", choices=["DEF"])
    sub.add_argument("plaintext", nargs="?", help="the plaintext, or - (the default) for stdin")
    sub = command("sign", cmd_sign, "sign with a key (compact)")
    _key_option(sub)
    sub.add_argument("--alg", required=True)
    sub.add_argument("payload", nargs="?", help="the payload, or - (the default) for stdin")
    sub = command("keygen", cmd_keygen, "generate a private JWK")
    sub.add_argument("--kty", required=True, choices=cli_keygen.KEY_TYPES)
    sub.add_argument("--size", type=int, help="bits (RSA, oct)")
    sub.add_argument("--crv", help="curve (EC, OKP)")
    sub.add_argument("--alg")
    sub.add_argument("--use", choices=["sig", "enc"])
    sub.add_argument("--kid")
    sub = command("thumbprint", cmd_thumbprint, "RFC 7638 thumbprint of each key")
    _key_option(sub)
    sub = command("vectors", cmd_vectors, "run the published test vectors")
    sub.add_argument("--dir", help="run the vector files of this folder instead")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jose-ref", description="JOSE from the RFCs, step by step.")
    parser.add_argument("--version", action="version", version=f"jose-ref {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.set_defaults(handler=handler)
        return sub

    _token_commands(command)
    _making_commands(command)
    return parser


def _run(args: argparse.Namespace) -> int:
    for name in TEXT_OPTIONS:
        cli_io.check_text(name, getattr(args, name, None))
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in arguments
    try:
        args = _parser().parse_args(arguments)
    except UsageError as error:
        return cli_io.write_failure(wants_json, EXIT_USAGE, error, str(error))
    try:
        return _run(args)
    except UsageError as error:
        return cli_io.write_failure(wants_json, EXIT_USAGE, error, str(error))
    except JoseError as error:
        if args.command not in TOKEN_COMMANDS:
            return cli_io.write_failure(
                wants_json, EXIT_USAGE, error, f"{type(error).__name__}: {error}"
            )
        line = f"rejected: {type(error).__name__}: {error}{cli_io.opt_in_hint(error)}"
        return cli_io.write_failure(wants_json, EXIT_REJECTED, error, line)
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        # A full disk or a closed terminal on output: nothing was refused, the run failed.
        return cli_io.write_failure(False, EXIT_USAGE, error, f"cannot write: {error.strerror}")
    except KeyboardInterrupt:
        return 130
