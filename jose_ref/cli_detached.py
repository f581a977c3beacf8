"""RFC 7515 Appendix F and RFC 7797 for the jose-ref command: verify with detached content.

A detached JWS carries an empty payload (compact) or no "payload" member (JSON);
the content comes from `--payload FILE` (or `-` for standard input). Without it,
the command says the content looks detached and names the option, instead of a
bare signature failure.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection
from typing import TYPE_CHECKING

from jose_ref import cli_io
from jose_ref.errors import InvalidSignatureError, MalformedError
from jose_ref.jwk import JWK, JWKSet

if TYPE_CHECKING:
    from jose_ref.jws.verify import Verified

__all__ = ["content", "verify"]

DETACHED = (
    "the JWS content looks detached (RFC 7515 Appendix F): {detail}; "
    "give the content with --payload FILE"
)


def content(args: argparse.Namespace) -> bytes | None:
    """The --payload content, or None when the option is absent."""
    if args.payload is None:
        return None
    if args.payload == "-":
        return cli_io.read_content(None, "--payload")
    return cli_io.read_file(args.payload, "--payload file", cli_io.MAX_INPUT_BYTES)


def verify(
    token: str,
    keys: JWK | JWKSet,
    algorithms: Collection[str] | None,
    detached: bytes | None,
) -> Verified:
    """Verify a compact or JSON JWS; name --payload when the content looks detached."""
    from jose_ref import jws

    is_json = token.startswith("{")
    if detached is None and is_json:
        document = cli_io.json_document(token, "JWS JSON serialization")
        if "payload" not in document:
            raise MalformedError(DETACHED.format(detail='it has no "payload" member'))
    try:
        if is_json:
            return jws.verify_json(token, keys, algorithms=algorithms, payload=detached)
        return jws.verify_compact(token, keys, algorithms=algorithms, payload=detached)
    except InvalidSignatureError:
        parts = token.split(".")
        if detached is None and len(parts) == 3 and parts[1] == "":
            raise InvalidSignatureError(
                DETACHED.format(detail="its payload is empty and the signature does not match it")
            ) from None
        raise
