"""The jose-ref command: inspect, decrypt, verify, encrypt, sign, keygen, thumbprint, explain.

A thin shell over the public API (RFC 7515, 7516, 7517, 7638). It reads a
key file (a JWK, a JWK Set or PEM), a token from an argument or standard
input, and prints results to standard output. Exit status: 0 on success, 1
when a token is rejected, 2 on a usage error (bad option, unreadable key
file). Errors are one line on standard error, never a traceback. `explain`
prints the numbered RFC steps that decryption or verification really took,
with secrets masked unless `--reveal` is given.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jose_ref import b64url, strict_json
from jose_ref.errors import JoseError, MalformedError
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import DEFAULT_LIMITS

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or its files (exit status 2)."""


def _read_key(path: str) -> JWK | JWKSet:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read key file {path}: {error.strerror}") from None
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return JWK.from_pem(data)
        document = strict_json.loads_object(
            data,
            what="key file",
            max_bytes=DEFAULT_LIMITS.max_jwks_bytes,
            max_depth=8,
            size_limit="max_jwks_bytes",
        )
        return JWKSet.from_dict(document) if "keys" in document else JWK.from_dict(document)
    except JoseError as error:
        raise UsageError(f"key file {path}: {error}") from None


def _single_key(keys: JWK | JWKSet) -> JWK:
    if isinstance(keys, JWK):
        return keys
    if len(keys) != 1:
        raise UsageError(f"the key file holds {len(keys)} keys; this command needs exactly one")
    return next(iter(keys))


def _input_text(value: str | None) -> str:
    if value is None or value == "-":
        return sys.stdin.read().strip()
    return value.strip()


def _input_bytes(value: str | None) -> bytes:
    if value is None or value == "-":
        return sys.stdin.buffer.read()
    return value.encode("utf-8")


def _is_json(token: str) -> bool:
    return token.startswith("{")


def _emit(args: argparse.Namespace, text: str | bytes, document: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(document, indent=2, sort_keys=True))
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        print(text)


def _decoded(data: bytes) -> dict[str, Any]:
    try:
        return {"utf8": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"b64u": b64url.encode_text(data)}


def cmd_inspect(args: argparse.Namespace) -> int:
    """Show headers and structure without any key; nothing is verified."""
    token = _input_text(args.token)
    if _is_json(token):
        document = strict_json.loads_object(
            token,
            what="JSON serialization",
            max_bytes=DEFAULT_LIMITS.max_token_bytes,
            max_depth=DEFAULT_LIMITS.max_json_depth + 3,
        )
        kind = "JWE" if "ciphertext" in document else "JWS"
        protected = document.get("protected")
        headers = {"protected": _header_of(protected) if isinstance(protected, str) else None}
        info: dict[str, Any] = {
            "type": f"{kind} JSON serialization",
            "headers": headers,
            "members": sorted(document),
        }
    else:
        parts = token.split(".")
        kinds = {3: "JWS compact serialization", 5: "JWE compact serialization"}
        if len(parts) not in kinds:
            raise MalformedError(
                f"not a compact JWS or JWE: {len(parts)} parts (RFC 7515 s7.1, RFC 7516 s7.1)"
            )
        info = {
            "type": kinds[len(parts)],
            "headers": {"protected": _header_of(parts[0])},
            "part_lengths": [len(p) for p in parts],
        }
    info["verified"] = False
    text = json.dumps(info, indent=2) + "\nnot verified: no key was used"
    _emit(args, text, info)
    return EXIT_OK


def _header_of(encoded: str) -> dict[str, Any]:
    from jose_ref import header

    return header.parse_protected(encoded, DEFAULT_LIMITS, "protected header")


def _decrypt(token: str, keys: JWK | JWKSet, args: argparse.Namespace) -> Any:
    from jose_ref import jwe

    decrypt: Callable[..., Any] = jwe.decrypt_json if _is_json(token) else jwe.decrypt_compact
    return decrypt(token, keys, algorithms=args.alg or None, encryptions=args.enc or None)


def _verify(token: str, keys: JWK | JWKSet, args: argparse.Namespace) -> Any:
    from jose_ref import jws

    verify: Callable[..., Any] = jws.verify_json if _is_json(token) else jws.verify_compact
    return verify(token, keys, algorithms=args.alg or None)


def cmd_decrypt(args: argparse.Namespace) -> int:
    """Decrypt a JWE; the plaintext goes to standard output."""
    result = _decrypt(_input_text(args.token), _read_key(args.key), args)
    _emit(
        args,
        result.plaintext,
        {"plaintext": _decoded(result.plaintext), "header": result.header, "kid": result.key.kid},
    )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a JWS; the payload goes to standard output."""
    result = _verify(_input_text(args.token), _read_key(args.key), args)
    _emit(
        args,
        result.payload,
        {"payload": _decoded(result.payload), "header": result.header, "kid": result.key.kid},
    )
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    """Encrypt to the key file's key in the compact serialization."""
    from jose_ref import jwe

    key = _single_key(_read_key(args.key))
    recipient = key.public() if key.kty != "oct" else key
    token = jwe.encrypt_compact(
        _input_bytes(args.plaintext), recipient, alg=args.alg, enc=args.enc, zip=args.zip
    )
    _emit(args, token, {"token": token})
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign with the key file's private key in the compact serialization."""
    from jose_ref import jws

    key = _single_key(_read_key(args.key))
    token = jws.sign_compact(_input_bytes(args.payload), key, alg=args.alg)
    _emit(args, token, {"token": token})
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    """Generate a private JWK."""
    params = {name: getattr(args, name) for name in ("alg", "use", "kid") if getattr(args, name)}
    try:
        key = JWK.generate(args.kty, size=args.size, crv=args.crv, **params)
    except JoseError as error:
        raise UsageError(str(error)) from None
    _emit(args, key.to_json(private=True), key.to_dict(private=True))
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


def cmd_explain(args: argparse.Namespace) -> int:
    """Decrypt (JWE) or verify (JWS) while recording every RFC step, then print the steps."""
    from jose_ref import explain_format

    if args.width is not None and args.width < 1:
        raise UsageError("--width must be a positive number of characters")
    payload = None
    if args.payload is not None:
        path = Path(args.payload)
        try:
            if not path.is_file() or path.stat().st_size > DEFAULT_LIMITS.max_token_bytes:
                raise OSError("not a regular file within the token limit")
            payload = path.read_bytes()
        except OSError as error:
            raise UsageError(f"--payload {args.payload}: {error}") from None
    explained = explain_format.run(
        _input_text(args.token),
        _read_key(args.key),
        algorithms=args.alg or None,
        encryptions=getattr(args, "enc", None) or None,
        payload=payload,
    )
    accepted = explained.outcome["result"] == "accepted"
    _emit(
        args,
        explain_format.render(explained, reveal=args.reveal, width=args.width),
        {"ok": accepted, **explain_format.document(explained, reveal=args.reveal)},
    )
    return EXIT_OK if accepted else EXIT_REJECTED


def cmd_vectors(args: argparse.Namespace) -> int:
    """Run every published vector of a source checkout through the library."""
    from jose_ref import vector_runner

    results = vector_runner.run_all()
    failed = [r for r in results if not r.passed]
    lines = [f"{'ok  ' if r.passed else 'FAIL'} {r.vector_id}: {r.detail}" for r in results]
    lines.append(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    _emit(
        args,
        "\n".join(lines),
        {
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "results": [dataclasses.asdict(r) for r in results],
        },
    )
    return EXIT_OK if not failed else EXIT_REJECTED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jose-ref", description="JOSE from the RFCs, step by step."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.set_defaults(handler=handler)
        return sub

    sub = command("inspect", cmd_inspect, "show headers and structure; verifies nothing")
    sub.add_argument("token", nargs="?")
    for name, handler, text in (
        ("decrypt", cmd_decrypt, "decrypt a JWE"),
        ("explain", cmd_explain, "trace each RFC step of a decrypt or verify"),
        ("verify", cmd_verify, "verify a JWS"),
    ):
        sub = command(name, handler, text)
        sub.add_argument("--key", required=True, help="a JWK, JWK Set or PEM file")
        sub.add_argument("--alg", action="append", help="allowed alg (repeatable)")
        if name != "verify":
            sub.add_argument("--enc", action="append", help="allowed enc (repeatable)")
        if name == "explain":
            sub.add_argument(
                "--reveal", action="store_true", help="show CEK, derived keys, plaintext"
            )
            sub.add_argument("--width", type=int, help="cut each value to this many characters")
            sub.add_argument("--payload", help="the detached JWS content (a file)")
        sub.add_argument("token", nargs="?")
    sub = command("encrypt", cmd_encrypt, "encrypt to a key (compact)")
    sub.add_argument("--key", required=True)
    sub.add_argument("--alg", required=True)
    sub.add_argument("--enc", required=True)
    sub.add_argument("--zip", choices=["DEF"])
    sub.add_argument("plaintext", nargs="?")
    sub = command("sign", cmd_sign, "sign with a key (compact)")
    sub.add_argument("--key", required=True)
    sub.add_argument("--alg", required=True)
    sub.add_argument("payload", nargs="?")
    sub = command("keygen", cmd_keygen, "generate a private JWK")
    sub.add_argument("--kty", required=True, choices=["RSA", "EC", "oct", "OKP", "AKP"])
    sub.add_argument("--size", type=int)
    sub.add_argument("--crv")
    sub.add_argument("--alg")
    sub.add_argument("--use", choices=["sig", "enc"])
    sub.add_argument("--kid")
    sub = command("thumbprint", cmd_thumbprint, "RFC 7638 thumbprint of each key")
    sub.add_argument("--key", required=True)
    command("vectors", cmd_vectors, "run the published test vectors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as error:
        print(f"jose-ref: {error}", file=sys.stderr)
        return EXIT_USAGE
    except JoseError as error:
        print(f"jose-ref: rejected: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:
        return EXIT_OK
