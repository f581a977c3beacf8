"""RFC 7516 s5.1 - Message Encryption, with every random value drawn in one place.

`draw` is the only function that draws randomness for a JWE: the CEK, the
IV, and per recipient the ephemeral key ("epk"), the PBES2 salt input and
the A*GCMKW IV. `encrypt` is deterministic given what `draw` returned, so
tests can pass the RFC's fixed values and reproduce published tokens byte
for byte. Header parameters that key management produces ("epk", "p2s",
"p2c", "iv", "tag") go into the protected header for the compact
serialization, and beside "alg" (protected header, else the recipient's
header) for the JSON one.

https://www.rfc-editor.org/rfc/rfc7516#section-5.1
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jose_ref import b64url, deferred, header, policy, strict_json, trace
from jose_ref.jwa import content_encryption, registry
from jose_ref.jwa.key_management import ecdh_es
from jose_ref.jwa.registry import ContentEncryptionAlg, KeyManagementAlg
from jose_ref.jwe import compression, key_management
from jose_ref.jwe.key_management import RecipientRandomness
from jose_ref.jwk.key import JWK

if TYPE_CHECKING:
    from jose_ref import rfc_steps
    from jose_ref.jwe import encrypt_notes
else:  # explain's notes load with the first recording (jose_ref.deferred)
    encrypt_notes = deferred.module("jose_ref.jwe.encrypt_notes", globals())
    rfc_steps = deferred.module("jose_ref.rfc_steps", globals())

__all__ = ["Encrypted", "Randomness", "Recipient", "draw", "encrypt", "recipient"]

PBES2_DEFAULT_COUNT = 10_000  # within the default decrypt limit; RFC 7518 s4.8.1.2 asks >= 1000
_DIRECT_MODES = ("direct_key_agreement", "direct_encryption")


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """One recipient: the key, its algorithm, and its per-recipient header."""

    key: JWK
    alg: KeyManagementAlg
    header: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Randomness:
    """Everything one encryption draws: the CEK, the IV, and per-recipient values."""

    cek: bytes
    iv: bytes
    recipients: tuple[RecipientRandomness, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Encrypted:
    """The parts of a produced JWE, before serialization."""

    encoded_protected_header: str
    unprotected: dict[str, Any] | None
    recipients: tuple[tuple[dict[str, Any], bytes], ...]  # (per-recipient header, encrypted key)
    iv: bytes
    ciphertext: bytes
    tag: bytes
    jwe_aad: bytes | None


def recipient(
    key: JWK, alg_name: str, enc: ContentEncryptionAlg, extra: Mapping[str, Any]
) -> Recipient:
    """Check that `key` may encrypt to `alg_name` (type, curve, use, key_ops, length)."""
    alg = registry.key_management(alg_name)
    policy.select_keys(key, key_management.requirement(alg, enc, policy.ENCRYPT[alg.mode]))
    return Recipient(key=key, alg=alg, header=dict(extra))


def _p2c(joined: Mapping[str, Any]) -> int:
    p2c = joined.get("p2c", PBES2_DEFAULT_COUNT)
    # RFC 7518 s4.8.1.2: a minimum of 1000 iterations is RECOMMENDED; produce no fewer.
    if type(p2c) is not int or p2c < 1000:
        raise ValueError('"p2c" must be an integer of at least 1000 (RFC 7518 s4.8.1.2)')
    return p2c


def draw(
    enc: ContentEncryptionAlg, recipients: Sequence[Recipient], protected: Mapping[str, Any]
) -> Randomness:
    """Draw every random value the encryption needs (the only source of randomness here)."""
    drawn = []
    for r in recipients:
        pbes2 = r.alg.family == "PBES2"
        p2c = _p2c({**protected, **r.header}) if pbes2 else None
        drawn.append(
            RecipientRandomness(
                epk=ecdh_es.generate_ephemeral(r.key.crypto_public)
                if r.alg.family == "ECDH-ES"
                else None,
                p2s=os.urandom(16) if pbes2 else None,
                p2c=p2c,
                iv=os.urandom(12) if r.alg.family == "AESGCMKW" else None,
            )
        )
    return Randomness(
        cek=os.urandom(enc.cek_bytes), iv=os.urandom(enc.iv_bytes), recipients=tuple(drawn)
    )


def _wrap_for_recipient(
    r: Recipient,
    drawn: RecipientRandomness,
    enc: ContentEncryptionAlg,
    cek: bytes,
    protected: Mapping[str, Any],
    unprotected: Mapping[str, Any] | None,
    rec: trace.Trace | None,
) -> tuple[bytes, bytes, dict[str, Any]]:
    """Steps 1-7 for one recipient: (CEK, JWE Encrypted Key, header parameters produced)."""
    if rec is not None:
        encrypt_notes.encryption_mode(rec, r.alg, cek)
    joined = header.join(protected, unprotected, r.header)
    apu = header.get_b64(joined, "apu") or b""
    apv = header.get_b64(joined, "apv") or b""
    if rec is not None and r.alg.family == "ECDH-ES":
        encrypt_notes.agreement(rec, apu, apv)
    cek, encrypted_key, params = key_management.wrap_cek(r.alg, enc, r.key, cek, drawn, apu, apv)
    if rec is not None:
        encrypt_notes.wrapped(rec, r.alg, cek, encrypted_key, params)
        rec.note(
            rfc_steps.JWE_ENCRYPT[7], "BASE64URL(JWE Encrypted Key).", encrypted_key=encrypted_key
        )
    return cek, encrypted_key, params


def _wrap_for_recipients(
    recipients: Sequence[Recipient],
    enc: ContentEncryptionAlg,
    protected: dict[str, Any],
    unprotected: Mapping[str, Any] | None,
    randomness: Randomness,
    compact: bool,
) -> tuple[bytes, dict[str, Any], list[tuple[dict[str, Any], bytes]]]:
    """Steps 1-8: (CEK, protected header, [(recipient header, JWE Encrypted Key)])."""
    if len(recipients) > 1 and any(r.alg.mode in _DIRECT_MODES for r in recipients):
        raise ValueError("direct key agreement and direct encryption allow only one recipient")
    rec = trace.recorder()
    cek = randomness.cek
    produced = []
    for index, (r, drawn) in enumerate(zip(recipients, randomness.recipients, strict=True)):
        if rec is not None:
            # Step 8: steps 1-7 again for each recipient (JSON serialization).
            rec.index = index if len(recipients) > 1 else None
        cek, encrypted_key, params = _wrap_for_recipient(
            r, drawn, enc, cek, protected, unprotected, rec
        )
        # Parameters go beside their "alg": into the protected header when "alg" is there
        # (always for compact), else into the recipient's header (RFC 7516 s7.2.1).
        if compact or ("alg" in protected and len(recipients) == 1):
            protected = _merged(protected, params)
            produced.append((r.header, encrypted_key))
        else:
            produced.append((_merged(r.header, params), encrypted_key))
    if rec is not None:
        rec.index = None
    return cek, protected, produced


def _compressed(
    plaintext: bytes,
    protected: Mapping[str, Any],
    unprotected: Mapping[str, Any] | None,
    rec: trace.Trace | None,
) -> bytes:
    """Step 11: the plaintext compressed as "zip" asks (RFC 7516 s4.1.3), else unchanged."""
    if not compression.read_zip(protected, header.join(protected, unprotected)):
        return plaintext
    compressed = compression.deflate(plaintext)
    if rec is not None:
        encrypt_notes.compressed(rec, compressed)
    return compressed


def _encoded_protected_header_and_aad(
    protected: Mapping[str, Any], jwe_aad: bytes | None
) -> tuple[str, str]:
    """Steps 13-14: BASE64URL(UTF8(JWE Protected Header)), and the AAD built on it."""
    header_json = strict_json.dumps(protected, what="the JWE protected header")
    encoded = b64url.encode_text(header_json) if protected else ""
    aad_text = encoded if jwe_aad is None else f"{encoded}.{b64url.encode_text(jwe_aad)}"
    return encoded, aad_text


def encrypt(
    plaintext: bytes,
    recipients: Sequence[Recipient],
    enc: ContentEncryptionAlg,
    *,
    protected: Mapping[str, Any],
    unprotected: Mapping[str, Any] | None,
    jwe_aad: bytes | None,
    randomness: Randomness,
    compact: bool,
) -> Encrypted:
    """RFC 7516 s5.1 steps 1-19 with the given randomness (deterministic)."""
    cek, protected, produced = _wrap_for_recipients(
        recipients, enc, dict(protected), unprotected, randomness, compact
    )
    rec = trace.recorder()
    if rec is not None:
        encrypt_notes.iv(rec, randomness.iv)
    # Step 11: compress the plaintext only when "zip" is asked for.
    plaintext = _compressed(plaintext, protected, unprotected, rec)
    # Steps 13-14: the encoded protected header is the AAD (with ".BASE64URL(aad)" for JSON).
    encoded, aad_text = _encoded_protected_header_and_aad(protected, jwe_aad)
    if rec is not None:
        encrypt_notes.encryption_header(rec, protected, unprotected, encoded, aad_text)
    # Step 15: encrypt with the CEK, the IV and the AAD.
    aad = aad_text.encode("ascii")
    ciphertext, tag = content_encryption.encrypt(enc, cek, randomness.iv, plaintext, aad)
    if rec is not None:
        encrypt_notes.encrypted(rec, ciphertext, tag)
    return Encrypted(
        encoded_protected_header=encoded,
        unprotected=dict(unprotected) if unprotected else None,
        # The compact serialization has one recipient and no unprotected headers.
        recipients=(({}, produced[0][1]),) if compact else tuple(produced),
        iv=randomness.iv,
        ciphertext=ciphertext,
        tag=tag,
        jwe_aad=jwe_aad,
    )


def _merged(target: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    # A parameter already present keeps its position (so fixed vectors keep their member order).
    merged = dict(target)
    merged.update(params)
    return merged
