"""RFC 7515 s5, RFC 7516 s5, RFC 7519 s7 and RFC 7638 - What each jose-ref subcommand does.

One `cmd_*` per subcommand, a thin call into the public API, returning its
exit status. A UsageError or JoseError it raises becomes one line and a
status in jose_ref.cli.main, which also holds the argument parser.

https://www.rfc-editor.org/rfc/rfc7516#section-5
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jose_ref import cli_detached, cli_inspect, cli_io, cli_keygen
from jose_ref.cli_io import UsageError
from jose_ref.jwa import registry
from jose_ref.jwk import JWK, JWKSet
from jose_ref.limits import DEFAULT_LIMITS, bounded_text

__all__ = [
    "EXIT_OK",
    "EXIT_REJECTED",
    "EXIT_USAGE",
    "cmd_decrypt",
    "cmd_encrypt",
    "cmd_explain",
    "cmd_inspect",
    "cmd_jwt",
    "cmd_keygen",
    "cmd_sign",
    "cmd_thumbprint",
    "cmd_vectors",
    "cmd_verify",
]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


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
    keys = cli_io.read_key_file(args.key)
    if isinstance(keys, JWK):
        _single_key(keys, private=True, what="decrypt")
    result = _decrypt(_input_text(args.token), keys, args)
    _emit(args, result.plaintext, _result_document(result.plaintext, result.header, result.key))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a JWS; the payload goes to standard output (--payload: detached content)."""
    cli_io.check_names(args.alg, registry.SIGNATURES, "alg")
    keys = cli_io.read_key_file(args.key)
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
    keys = cli_io.read_key_file(args.key)
    decryption_key = cli_io.read_key_file(args.decrypt_key) if args.decrypt_key else None
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
    claims_text = json.dumps(decoded.claims, indent=2, sort_keys=True)
    document = {
        "verified": True,
        "claims": decoded.claims,
        "header": decoded.header,
        "kid": decoded.key.kid,
        "encryption_header": decoded.encryption_header,
    }
    _emit(args, claims_text, document)
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    """Encrypt to the key file's key in the compact serialization."""
    from jose_ref import jwe

    cli_io.check_names([args.alg], registry.KEY_MANAGEMENT, "alg")
    cli_io.check_names([args.enc], registry.CONTENT_ENCRYPTION, "enc")
    key = _single_key(cli_io.read_key_file(args.key), private=False, what="encrypt")
    plaintext = cli_io.read_content(args.plaintext, "the plaintext")
    recipient = key.public() if key.kty != "oct" else key
    token = jwe.encrypt_compact(plaintext, recipient, alg=args.alg, enc=args.enc, zip=args.zip)
    _emit(args, token, {"token": token})
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    """Sign with the key file's private key in the compact serialization."""
    from jose_ref import jws

    cli_io.check_names([args.alg], registry.SIGNATURES, "alg")
    key = _single_key(cli_io.read_key_file(args.key), private=True, what="sign")
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
    keys = cli_io.read_key_file(args.key)
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
        cli_io.read_key_file(args.key),
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
