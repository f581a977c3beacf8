"""RFC 7516 s7 - The parts of a received JWE, common to both serializations.

Compact (s7.1) and JSON (s7.2) serializations parse into the same immutable
`ParsedJWE` (a named tuple: cheap to build once per token), so decryption
(s5.2) is written once. The AAD is computed at
parse time from the RECEIVED encoded protected header (and "aad" member),
never from a re-serialization of the parsed header (s5.2 steps 14-15).

https://www.rfc-editor.org/rfc/rfc7516#section-7
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from jose_ref.jwk.key import JWK

__all__ = ["Decrypted", "ParsedJWE", "ParsedRecipient", "decrypted"]


class ParsedRecipient(NamedTuple):
    """One recipient: its per-recipient unprotected header and JWE Encrypted Key."""

    header: dict[str, Any] | None
    encrypted_key: bytes


class ParsedJWE(NamedTuple):
    """A syntactically valid JWE, decoded but not yet decrypted."""

    protected: dict[str, Any]
    unprotected: dict[str, Any] | None
    recipients: tuple[ParsedRecipient, ...]
    iv: bytes
    ciphertext: bytes
    tag: bytes
    aad: bytes  # the Additional Authenticated Data of RFC 7516 s5.2 step 15
    jwe_aad: bytes | None  # the JSON "aad" member, decoded


@dataclass(frozen=True, slots=True, kw_only=True)
class Decrypted:
    """A decrypted JWE: the plaintext, the JOSE Header that applied, and the key that worked."""

    plaintext: bytes
    header: dict[str, Any]
    key: JWK
    aad: bytes | None = None
    recipient_index: int = 0


# The frozen dataclass __init__ sets each field through object.__setattr__ (~1 us per
# result); the hot path fills the same slots through their descriptors instead.
_SET_PLAINTEXT, _SET_HEADER, _SET_KEY, _SET_AAD, _SET_INDEX = (
    Decrypted.__dict__[name].__set__
    for name in ("plaintext", "header", "key", "aad", "recipient_index")
)


def decrypted(
    plaintext: bytes, header: dict[str, Any], key: JWK, aad: bytes | None, recipient_index: int
) -> Decrypted:
    """`Decrypted(...)` with these fields, built without the dataclass __init__."""
    result: Decrypted = object.__new__(Decrypted)
    _SET_PLAINTEXT(result, plaintext)
    _SET_HEADER(result, header)
    _SET_KEY(result, key)
    _SET_AAD(result, aad)
    _SET_INDEX(result, recipient_index)
    return result
