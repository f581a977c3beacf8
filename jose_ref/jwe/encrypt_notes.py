"""RFC 7516 s5.1 - What each JWE encryption step shows in a trace.

`jwe.encrypt` calls these only when a recording is active (`rec =
trace.recorder()`, then `if rec is not None:`): the values of steps 1-7 per
recipient and 12-15 are built only then, under their numbers from
`jose_ref.rfc_steps`, with the CEK named secret.

https://www.rfc-editor.org/rfc/rfc7516#section-5.1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import trace
from jose_ref.jwa.registry import KeyManagementAlg
from jose_ref.rfc_steps import JWE_ENCRYPT

__all__ = [
    "agreement",
    "compressed",
    "encrypted",
    "encryption_header",
    "encryption_mode",
    "iv",
    "wrapped",
]

_DIRECT_MODES = ("direct_key_agreement", "direct_encryption")


def agreement(rec: trace.Trace, apu: bytes, apv: bytes) -> None:
    """Step 3 of s5.1: key agreement with a fresh ephemeral key (its values follow)."""
    rec.note(
        JWE_ENCRYPT[3],
        "Key agreement: Z from an ephemeral private key and the recipient's public key.",
        apu=apu,
        apv=apv,
    )


def encryption_mode(rec: trace.Trace, alg: KeyManagementAlg, value: bytes) -> None:
    """Steps 1-2 of s5.1 for one recipient."""
    rec.note(
        JWE_ENCRYPT[1],
        'The Key Management Mode of "alg".',
        alg=alg.name,
        mode=alg.mode.replace("_", " "),
    )
    if alg.mode not in _DIRECT_MODES:
        rec.note(JWE_ENCRYPT[2], "A random CEK.", secret=("cek",), cek=value)


def wrapped(
    rec: trace.Trace, alg: KeyManagementAlg, value: bytes, encrypted_key: bytes, params: Any
) -> None:
    """Steps 3-6 of s5.1, once the CEK is encrypted (or agreed, or shared)."""
    if alg.mode == "direct_key_agreement":
        rec.note(
            JWE_ENCRYPT[3],
            "Direct Key Agreement: the CEK is the agreed upon key.",
            secret=("cek",),
            cek=value,
        )
    if alg.mode in _DIRECT_MODES:
        rec.note(JWE_ENCRYPT[5], "The JWE Encrypted Key is the empty octet sequence.")
    else:
        rec.note(
            JWE_ENCRYPT[4],
            f"The CEK encrypted to the recipient with {alg.name}.",
            encrypted_key=encrypted_key,
            header_parameters=params,
        )
    if alg.mode == "direct_encryption":
        rec.note(JWE_ENCRYPT[6], "The CEK is the shared symmetric key.", secret=("cek",), cek=value)


def encryption_header(
    rec: trace.Trace,
    protected: Mapping[str, Any],
    unprotected: Mapping[str, Any] | None,
    encoded: str,
    aad_text: str,
) -> None:
    """Steps 12-15 of s5.1, before the content is encrypted."""
    rec.note(
        JWE_ENCRYPT[12],
        "The JOSE Header objects.",
        protected_header=dict(protected) or None,
        unprotected_header=dict(unprotected) if unprotected else None,
    )
    rec.note(
        JWE_ENCRYPT[13], "BASE64URL(UTF8(JWE Protected Header)).", encoded_protected_header=encoded
    )
    rec.note(JWE_ENCRYPT[14], "The Additional Authenticated Data.", aad=aad_text)
    rec.note(JWE_ENCRYPT[15], "Encrypting M with the CEK, the IV and the AAD.")


def iv(rec: trace.Trace, value: bytes) -> None:
    """Step 9 of s5.1."""
    rec.note(JWE_ENCRYPT[9], "A random JWE Initialization Vector.", iv=value)


def compressed(rec: trace.Trace, m: bytes) -> None:
    """Step 11 of s5.1: M, the compressed plaintext."""
    rec.note(
        JWE_ENCRYPT[11],
        'Compressed with "zip": "DEF" (RFC 1951).',
        secret=("compressed_plaintext",),
        compressed_plaintext=trace.Content(m),
    )


def encrypted(rec: trace.Trace, ciphertext: bytes, tag: bytes) -> None:
    """Step 15 of s5.1: the result of the content encryption."""
    rec.note(
        JWE_ENCRYPT[15],
        "The JWE Ciphertext and Authentication Tag.",
        ciphertext=ciphertext,
        tag=tag,
    )
