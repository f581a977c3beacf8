"""RFC 7516 s5.2 - What each JWE decryption step shows in a trace (`jose-ref explain`).

The orchestration modules (decrypt, key_management, the parsers) call these
only when a recording is active (`rec = trace.recorder()`, then `if rec is
not None:`), so that building the values costs nothing otherwise. Each
function records the values one step used or produced, under its number
from `jose_ref.rfc_steps`; secrets are named so that they stay masked.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jose_ref import trace
from jose_ref.errors import JoseError
from jose_ref.jwa.registry import ContentEncryptionAlg, KeyManagementAlg
from jose_ref.jwe.model import ParsedJWE
from jose_ref.jwk.key import JWK
from jose_ref.rfc_steps import JWE_DECRYPT

__all__ = [
    "aad",
    "agreement",
    "algorithms",
    "cek",
    "decrypted",
    "empty",
    "header",
    "inflated",
    "key_tried",
    "outcome",
    "parsed",
    "result",
    "unwrapping",
]


def parsed(rec: trace.Trace, jwe: ParsedJWE, serialization: str) -> None:
    """Steps 1-3 of s5.2, once the parts are decoded."""
    rec.note(
        JWE_DECRYPT[1],
        f"Parsed the JWE {serialization} serialization.",
        recipients=len(jwe.recipients),
    )
    keys = [r.encrypted_key for r in jwe.recipients]
    named: dict[str, Any] = (
        {"encrypted_key": keys[0]}
        if len(keys) == 1
        else {f"encrypted_key[{i}]": key for i, key in enumerate(keys)}
    )
    if jwe.jwe_aad is not None:
        named["jwe_aad"] = jwe.jwe_aad
    named.update(iv=jwe.iv, ciphertext=jwe.ciphertext, tag=jwe.tag)
    rec.note(
        JWE_DECRYPT[2],
        "Base64url-decoded the encoded parts (strictly: no padding, no other characters).",
        **named,
    )
    rec.note(
        JWE_DECRYPT[3],
        "The JWE Protected Header is one UTF-8 JSON object (no duplicate member names).",
        protected_header=jwe.protected or None,
    )


def header(rec: trace.Trace, joined: Mapping[str, Any], protected: Mapping[str, Any]) -> None:
    """Steps 4-5 of s5.2 for one recipient ("crit" was checked for all recipients first)."""
    rec.note(
        JWE_DECRYPT[4], "The JOSE Header: the disjoint union of the header sets.", header=joined
    )
    rec.note(
        JWE_DECRYPT[5],
        'Every "crit" name is understood (checked for all recipients first).',
        crit=protected.get("crit", []),
    )


def algorithms(rec: trace.Trace, alg: KeyManagementAlg, enc: ContentEncryptionAlg) -> None:
    """Step 6 of s5.2."""
    rec.note(
        JWE_DECRYPT[6],
        'Key Management Mode from "alg"; both algorithms within the allow-sets.',
        alg=alg.name,
        enc=enc.name,
        mode=alg.mode.replace("_", " "),
    )


def key_tried(rec: trace.Trace, key: JWK) -> None:
    """Step 7 of s5.2: a key of the caller's, never one named by the token."""
    rec.note(
        JWE_DECRYPT[7],
        "Trying a key chosen from the caller's keys (never the token's).",
        kid=key.kid,
        thumbprint=key.thumbprint(),
    )


def unwrapping(
    rec: trace.Trace, alg: KeyManagementAlg, encrypted_key: bytes, **header: Any
) -> None:
    """Step 9 of s5.2, before the JWE Encrypted Key is decrypted."""
    rec.note(
        JWE_DECRYPT[9],
        f"Decrypting the JWE Encrypted Key with {alg.name} to produce the CEK.",
        encrypted_key=encrypted_key,
    )
    if header:
        rec.detail(
            "RFC 7518 s4.7.1",
            'AES GCM key decryption with the "iv" and "tag" header parameters, empty AAD.',
            **header,
        )


def agreement(rec: trace.Trace, epk: Mapping[str, Any], apu: bytes, apv: bytes) -> None:
    """Step 8 of s5.2: key agreement with the received ephemeral key."""
    rec.note(
        JWE_DECRYPT[8],
        'Key agreement: Z from the recipient\'s private key and the "epk".',
        epk=epk,
        apu=apu,
        apv=apv,
    )


def empty(rec: trace.Trace, mode: str) -> None:
    """Step 10 of s5.2 (checked with the header parameters, before any key)."""
    rec.note(JWE_DECRYPT[10], f"{mode}: the JWE Encrypted Key is empty.")


def cek(rec: trace.Trace, number: int, text: str, value: bytes) -> None:
    """The CEK where a step of s5.2 determines it (8, 9 or 11)."""
    rec.note(JWE_DECRYPT[number], text, secret=("cek",), cek=value)


def aad(rec: trace.Trace, jwe: ParsedJWE) -> None:
    """Steps 12, 14-16 of s5.2, over the RECEIVED encoded protected header."""
    rec.note(JWE_DECRYPT[12], "A CEK was determined for this recipient with this key.")
    text = jwe.aad.decode("ascii")
    rec.note(
        JWE_DECRYPT[14],
        "The Encoded Protected Header, as received.",
        common=True,
        encoded_protected_header=text.partition(".")[0],
    )
    rec.note(JWE_DECRYPT[15], "The Additional Authenticated Data.", common=True, aad=text)
    rec.note(
        JWE_DECRYPT[16],
        "Decrypting with the CEK, the IV and the AAD; validating the tag.",
        common=True,
        iv=jwe.iv,
        ciphertext=jwe.ciphertext,
        tag=jwe.tag,
    )


def decrypted(rec: trace.Trace, plaintext: bytes, compressed: bool) -> None:
    """Step 16 of s5.2: the tag was valid."""
    name = "compressed_plaintext" if compressed else "plaintext"
    rec.note(
        JWE_DECRYPT[16],
        "The tag is valid; the ciphertext decrypted"
        + (' (still compressed: "zip").' if compressed else "."),
        common=True,
        secret=(name,),
        **{name: trace.Content(plaintext)},
    )


def inflated(rec: trace.Trace, plaintext: bytes) -> None:
    """Step 17 of s5.2."""
    rec.note(
        JWE_DECRYPT[17],
        'Uncompressed with "zip": "DEF" (RFC 1951), within max_plaintext_bytes.',
        secret=("plaintext",),
        plaintext=trace.Content(plaintext),
    )


def outcome(rec: trace.Trace, error: JoseError | None) -> str:
    """Step 12 of s5.2 for a recipient without a CEK: skipped (not for us) or failed."""
    if error is not None:
        reason = f"skipped: {type(error).__name__}: {error}"
        text = "No CEK for this recipient: it is not for the caller's keys."
    else:
        reason = "failed: no candidate key gave a CEK whose tag validates"
        text = "No CEK for this recipient."
    rec.note(JWE_DECRYPT[12], text, reason=reason)
    return reason


def result(rec: trace.Trace, outcomes: list[str], plaintext: bytes | None) -> None:
    """Step 18 of s5.2: the plaintext, and for which recipients decryption succeeded."""
    rec.index = None
    recipients = {str(i): reason for i, reason in enumerate(outcomes)}
    if plaintext is None:
        rec.note(
            JWE_DECRYPT[18], "No recipient succeeded: the JWE is invalid.", recipients=recipients
        )
        return
    rec.note(
        JWE_DECRYPT[18],
        "The plaintext, and for which recipients decryption succeeded or failed.",
        secret=("plaintext",),
        plaintext=trace.Content(plaintext),
        recipients=recipients,
    )
