"""RFC 7516 s7 - The parts of a received JWE, common to both serializations.

Compact (s7.1) and JSON (s7.2) serializations parse into the same immutable
`ParsedJWE` (a named tuple: cheap to build once per token), so decryption
(s5.2) is written once; its result, `Decrypted`, is a named tuple too. The AAD is computed at
parse time from the RECEIVED encoded protected header (and "aad" member),
never from a re-serialization of the parsed header (s5.2 steps 14-15).

https://www.rfc-editor.org/rfc/rfc7516#section-7
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jose_ref.jwk.key import JWK

__all__ = ["Decrypted", "ParsedJWE", "ParsedRecipient"]


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


class Decrypted(NamedTuple):
    """A decrypted JWE: the plaintext, the JOSE Header that applied, and the key that worked.

    Immutable, like every result here; a named tuple rather than a frozen dataclass because
    it is built once per token and a frozen dataclass costs about three times as much.
    """

    plaintext: bytes
    header: dict[str, Any]
    key: JWK
    aad: bytes | None = None
    recipient_index: int = 0
