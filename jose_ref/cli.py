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
secrets masked unless `--reveal` is given.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from jose_ref import __version__, cli_detached, cli_inspect, cli_io, cli_keygen
from jose_ref.cli_io import UsageError
from jose_ref.errors import (
    JoseError,
)
from jose_ref.jwa import registry
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import DEFAULT_LIMITS, bounded_text

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
# Commands that examine a token: a JoseError there refuses the token (exit 1). Anywhere
# else nothing was examined, so a JoseError is a usage error (exit 2).
TOKEN_COMMANDS = frozenset({"inspect", "decrypt", "verify", "jwt", "explain"})
TEXT_OPTIONS = ("alg", "enc", "iss", "aud", "typ", "crv", "kid", "use")


def _read_key(path: str) -> JWK | JWKSet:
    return cli_io.read_key_file(path)


def _single_key(keys: JWK | JWKSet, *, private: bool, what: str) -> JWK:
    if isinstance(keys, JWKSet):
        if len(keys) != 1:
            raise UsageError(f"the key file holds {len(keys)} keys; {what} needs exactly one")
        keys = next(iter(keys))
    if private and keys.kty != "oct" and not keys.is_private:
        raise UsageError(f"the key file holds a public {keys.kty} key; {what} needs a private key")
    return keys


def _input_text(value: str | None) -> str:
    """The token as text: bytes in, bounded, UTF-8 checked (a non-UTF-8 token is refused)."""
    return bounded_text(
        cli_io.read_token(value),
        what="token",
        max_bytes=DEFAULT_LIMITS.max_token_bytes,
        limit="max_token_bytes",
    )


def _is_json(token: str) -> bool:
    return token.startswith("{")


def _emit(args: argparse.Namespace, text: str | bytes, document: dict[str, Any]) -> None:
    if args.json:
        cli_io.write_json({"ok": True, **document})
    elif isinstance(text, bytes):
        cli_io.write_out(text)
    else:
        cli_io.write_out(text + "\n")


def _decrypt(token: str, keys: JWK | JWKSet, args: argparse.Namespace) -> Any:
    from jose_ref import jwe

    decrypt: Callable[..., Any] = jwe.decrypt_json if _is_json(token) else jwe.decrypt_compact
    return decrypt(token, keys, algorithms=args.alg or None, encryptions=args.enc or None)


def _result_document(payload: bytes, header: dict[str, Any], key: JWK) -> dict[str, Any]:
    return {"verified": True, "header": header, "kid": key.kid, **cli_io.payload_members(payload)}


def cmd_decrypt(args: argparse.Namespace) -> int:
    """Decrypt a JWE; the plaintext goes to standard output."""
    cli_io.check_names(args.alg, registry.KEY_MANAGEMENT, "alg")
    cli_io.check_names(args.enc, registry.CONTENT_ENCRYPTION, "enc")
    keys = _read_key(args.key)
    if isinstance(keys, JWK):
        _single_key(keys, private=True, what="decrypt")
    result = _decrypt(_input_text(args.token), keys, args)
    _emit(args, result.plaintext, _result_document(result.plaintext, result.header, result.key))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a JWS; the payload goes to standard output (--payload: detached content)."""
    cli_io.check_names(args.alg, registry.SIGNATURES, "alg")
    keys = _read_key(args.key)
    content = cli_detached.content(args)
    result = cli_detached.verify(_input_text(args.token), keys, args.alg or None, content)
    _emit(args, result.payload, _result_document(result.payload, result.header, result.key))
    return EXIT_OK


def cmd_jwt(args: argparse.Namespace) -> int:
    """Decode a JWT as jwt.decode does: (decrypt,) verify, validate the claims."""
    from jose_ref import jwt

    signing, wrapping = cli_io.split_algs(args)
    if not math.isfinite(args.leeway) or args.leeway < 0:
        raise UsageError("--leeway must be a finite number of seconds, 0 or more")
    keys = _read_key(args.key)
    decryption_key = _read_key(args.decrypt_key) if args.decrypt_key else None
    decoded = jwt.decode_complete(
        _input_text(args.token),
        keys,
        algorithms=signing,
        issuer=args.iss,
        audience=args.aud,
        leeway=args.leeway,
        decryption_key=decryption_key,
        key_algorithms=wrapping,
        encryptions=args.enc or None,
        typ=args.typ,
    )
    claims_text = _json_text(decoded.claims)
    document = {
        "verified": True,
        "claims": decoded.claims,
        "header": decoded.header,
        "kid": decoded.key.kid,
        "encryption_header": decoded.encryption_header,
    }
    _emit(args, claims_text, document)
    return EXIT_OK


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def cmd_encrypt(args: argparse.Namespace) -> int:
    """Encrypt to the key file's key in the compact serialization."""
    from jose_ref import jwe

    cli_io.check_names([args.alg], registry.KEY_MANAGEMENT, "alg")
    cli_io.check_names([args.enc], registry.CONTENT_ENCRYPTION, "enc")
    key = _single_key(_read_key(args.key), private=False, what="encrypt")
    plaintext = cli_io.read_content(args.plaintext, "the plaintext")
    recipient = key.public() if key.kty != "oct" else key
    token = jwe.encrypt_compact(plaintext, recipient, alg=args.alg, enc=args.enc, zip=args.zip)
    _emit(args, token, {"token": token})
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign with the key file's private key in the compact serialization."""
    from jose_ref import jws

    cli_io.check_names([args.alg], registry.SIGNATURES, "alg")
    key = _single_key(_read_key(args.key), private=True, what="sign")
    token = jws.sign_compact(cli_io.read_content(args.payload, "the payload"), key, alg=args.alg)
    _emit(args, token, {"token": token})
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    """Generate a private JWK whose "alg", if asked for, fits it."""
    cli_keygen.check_request(args.kty, args.size, args.crv)
    params = {name: getattr(args, name) for name in ("alg", "use", "kid") if getattr(args, name)}
    key = JWK.generate(args.kty, size=args.size, crv=args.crv, **params)
    if args.alg is not None:
        cli_keygen.check_alg(key, args.alg, args.size, args.use)
    _emit(args, key.to_json(private=True), {"key": key.to_dict(private=True)})
    return EXIT_OK


def cmd_thumbprint(args: argparse.Namespace) -> int:
    """Print the RFC 7638 thumbprint (and RFC 9278 URI) of each key in the key file."""
    keys = _read_key(args.key)
    rows = [
        {"kid": key.kid, "thumbprint": key.thumbprint(), "uri": key.thumbprint_uri()}
        for key in ([keys] if isinstance(keys, JWK) else list(keys))
    ]
    _emit(args, "\n".join(row["thumbprint"] or "" for row in rows), {"keys": rows})
    return EXIT_OK


def cmd_inspect(args: argparse.Namespace) -> int:
    """Show headers and structure without any key; nothing is verified."""
    token = _input_text(args.token)
    info = cli_inspect.describe(token)
    info["verified"] = False
    text = json.dumps(info, indent=2) + "\nnot verified: no key was used"
    _emit(args, text, info)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    """Decrypt (JWE) or verify (JWS) while recording every RFC step, then print the steps."""
    from jose_ref import explain_format

    cli_io.split_algs(args)  # an unknown --alg / --enc is a usage error (exit 2)
    if args.width is not None and args.width < 1:
        raise UsageError("--width must be a positive number of characters")
    explained = explain_format.run(
        _input_text(args.token),
        _read_key(args.key),
        algorithms=args.alg or None,
        encryptions=getattr(args, "enc", None) or None,
        payload=cli_detached.content(args),
    )
    accepted = explained.outcome["result"] == "accepted"
    _emit(
        args,
        explain_format.render(explained, reveal=args.reveal, width=args.width),
        {"ok": accepted, **explain_format.document(explained, reveal=args.reveal)},
    )
    return EXIT_OK if accepted else EXIT_REJECTED


def cmd_vectors(args: argparse.Namespace) -> int:
    """Run the published vectors shipped in the package (or those of --dir) through the library."""
    from jose_ref import vector_runner

    root = Path(args.dir) if args.dir else vector_runner.VECTORS
    if not root.is_dir():
        raise UsageError(f"no vectors folder at {str(root)!r}")
    results = vector_runner.run_all(root)
    if not results:
        raise UsageError(f"no vector files (*.json) under {str(root)!r}")
    failed = [r for r in results if not r.passed]
    lines = [f"{'ok  ' if r.passed else 'FAIL'} {r.vector_id}: {r.detail}" for r in results]
    lines.append(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    _emit(
        args,
        "\n".join(lines),
        {
            "ok": not failed,
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "results": [dataclasses.asdict(r) for r in results],
        },
    )
    return EXIT_OK if not failed else EXIT_REJECTED


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
