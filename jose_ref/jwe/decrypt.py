"""RFC 7516 s5.2 - Message Decryption, written once for both serializations.

Takes a `ParsedJWE` (compact or JSON) and the caller's keys. Everything that
can be refused without a key is refused first: the header union and "crit"
(steps 4-5), the algorithms against the registry and the caller's allow-sets
(step 6), the typed key-management parameters and their limits. Then keys
are chosen from the caller's keys only (never from "jwk", "jku", "x5u" or
"x5c" in the header, step 7) and each candidate is tried: the CEK (steps
8-12), the AAD (steps 14-15) and the decryption with its tag (step 16).
From then on every failure is the same DecryptionError: padding, unwrap,
tag, whichever key, whichever recipient. Inflation (step 17) happens only
after the tag; step 18 reports which recipients succeeded or were skipped.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, NamedTuple

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import deferred, header, policy, trace
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    DecryptionError,
    InvalidKeyError,
    JoseError,
    KeyNotFoundError,
    UnsupportedAlgorithmError,
)
from jose_ref.jwa import content_encryption, registry
from jose_ref.jwa.content_encryption import aes_gcm
from jose_ref.jwa.registry import ContentEncryptionAlg, KeyManagementAlg
from jose_ref.jwe import compression, header_params, key_management
from jose_ref.jwe.model import Decrypted, ParsedJWE, ParsedRecipient
from jose_ref.jwk.key import JWK
from jose_ref.limits import Limits

if TYPE_CHECKING:
    from jose_ref.jwe import decrypt_notes
else:  # explain's notes load with the first recording (jose_ref.deferred)
    decrypt_notes = deferred.module("jose_ref.jwe.decrypt_notes", globals())

__all__ = ["decrypt"]

# Reasons a recipient is not for the caller, as opposed to a malformed JWE.
_NOT_FOR_US = (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    KeyNotFoundError,
    UnsupportedAlgorithmError,
)


class _Plan(NamedTuple):
    """What one recipient needs before any cryptography: header, algorithms, keys."""

    header: dict[str, Any]
    alg: KeyManagementAlg
    enc: ContentEncryptionAlg
    params: header_params.Params
    keys: list[JWK]
    compressed: bool


def _plan(
    parsed: ParsedJWE,
    recipient: ParsedRecipient,
    keys: JWK | policy.KeySource,
    requested: tuple[frozenset[str] | None, frozenset[str] | None],
    limits: Limits,
    require_kid: bool,
) -> _Plan:
    rec = trace.recorder()
    # Step 4: the JOSE Header is the union of the three header sets, which must be disjoint.
    joined = header.join(parsed.protected, parsed.unprotected, recipient.header)
    if rec is not None:
        decrypt_notes.header(rec, joined, parsed.protected)  # step 5 ran in `decrypt`, for all
    alg, enc = _algorithms(joined, requested)
    if rec is not None:
        decrypt_notes.algorithms(rec, alg, enc)
    # Typed parameters and their limits come before any key is touched.
    params = header_params.read_params(alg, joined, recipient.encrypted_key, limits)
    kid = header.get_kid(joined, limits, required=require_kid)
    compressed = compression.read_zip(parsed.protected, joined)
    epk = params.epk if isinstance(params, header_params.AgreementParams) else None
    need = key_management.requirement(
        alg, enc, policy.DECRYPT[alg.mode], None if epk is None else (epk.kty, epk.crv)
    )
    candidates = policy.select_keys(keys, need, kid=kid)
    return _Plan(joined, alg, enc, params, candidates, compressed)  # in the order of its fields


def _algorithms(
    joined: dict[str, Any], requested: tuple[frozenset[str] | None, frozenset[str] | None]
) -> tuple[KeyManagementAlg, ContentEncryptionAlg]:
    # Step 6: the algorithms, by exact name, within the caller's allow-sets (RFC 8725 s3.1).
    alg_name, enc_name = joined.get("alg"), joined.get("enc")
    if not isinstance(alg_name, str) or not isinstance(enc_name, str):
        # Absent or not a string: the typed getters say which, "alg" first, and an unknown
        # "alg" is refused before "enc" is looked at.
        alg_name = header.get_str(joined, "alg", required=True)
        registry.key_management(alg_name)
        enc_name = header.get_str(joined, "enc", required=True)
    return _allowed(alg_name, enc_name, requested[0], requested[1])


# Constant per (names, allow-sets); a refusal raises, so only registered names within an
# allow-set are ever remembered. Bounded: the arguments come from tokens and callers.
@functools.lru_cache(maxsize=256)
def _allowed(
    alg_name: str | None,
    enc_name: str | None,
    requested_alg: frozenset[str] | None,
    requested_enc: frozenset[str] | None,
) -> tuple[KeyManagementAlg, ContentEncryptionAlg]:
    alg = registry.key_management(alg_name)
    enc = registry.content_encryption(enc_name)
    policy.check_allowed(alg.name, requested_alg, policy.DEFAULT_KEY_MANAGEMENT, '"alg"')
    policy.check_allowed(enc.name, requested_enc, policy.DEFAULT_CONTENT_ENCRYPTION, '"enc"')
    return alg, enc


def _open(parsed: ParsedJWE, plan: _Plan, key: JWK, encrypted_key: bytes) -> bytes:
    rec = trace.recorder()
    if rec is not None:
        decrypt_notes.key_tried(rec, key)  # step 7: the caller's keys, never the token's
    # Steps 8-11: the CEK, by the key management mode of RFC 7516 s2.
    cek = key_management.recover_cek(plan.alg, plan.enc, key, plan.params, encrypted_key)
    if rec is not None:
        decrypt_notes.aad(rec, parsed)
    # Step 16: decrypt and check the tag over the AAD of the RECEIVED protected header.
    plaintext = content_encryption.decrypt(
        plan.enc, cek, parsed.iv, parsed.ciphertext, parsed.tag, parsed.aad, _aead(plan, key, cek)
    )
    if rec is not None:
        decrypt_notes.decrypted(rec, plaintext, plan.compressed)
    return plaintext


def _aead(plan: _Plan, key: JWK, cek: bytes) -> AESGCM | None:
    # "dir" with AES GCM: the CEK is the key's own secret, so its cipher object is constant
    # per key and kept with it (nothing the key does not already hold).
    if plan.alg.family != "dir" or plan.enc.family != "AES-GCM" or len(cek) != plan.enc.cek_bytes:
        return None
    return key._remember(("AES-GCM cipher", plan.enc.name), aes_gcm.cipher, cek)


def _first_that_opens(
    parsed: ParsedJWE, plan: _Plan, encrypted_key: bytes
) -> tuple[JWK, bytes] | None:
    for key in plan.keys:
        try:
            return key, _open(parsed, plan, key, encrypted_key)
        except DecryptionError:
            continue
    return None


def _once_per_jwe(
    parsed: ParsedJWE, algorithms: Collection[str] | None, encryptions: Collection[str] | None
) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """The caller's allow-sets (RFC 8725 s3.1), then step 5 for every header of the JWE."""
    requested = (
        policy.requested_set(algorithms, "algorithms"),
        policy.requested_set(encryptions, "encryptions"),
    )
    # Step 5: "crit" must be protected and understood; JWE defines no extensions here.
    unprotected = [parsed.unprotected, *(r.header for r in parsed.recipients)]
    header.check_crit(parsed.protected, unprotected, ())
    return requested


def decrypt(
    parsed: ParsedJWE,
    keys: JWK | policy.KeySource,
    *,
    algorithms: Collection[str] | None,
    encryptions: Collection[str] | None,
    limits: Limits,
    require_kid: bool = False,
) -> Decrypted:
    """Decrypt a parsed JWE with the caller's keys (RFC 7516 s5.2 steps 4-18)."""
    rec = trace.recorder()
    requested = _once_per_jwe(parsed, algorithms, encryptions)
    skipped: JoseError | None = None
    tried_a_key = False
    outcomes: list[str] = []  # what step 18 reports per recipient, when recording
    for index, recipient in enumerate(parsed.recipients):
        if rec is not None and len(parsed.recipients) > 1:
            rec.index = index  # Step 13: steps 4-12 again, for each recipient.
        try:
            plan = _plan(parsed, recipient, keys, requested, limits, require_kid)
        except _NOT_FOR_US as error:
            # With several recipients, one we hold no key or algorithm for is not a failure
            # (s5.2 step 7). A malformed or oversized one is: the whole JWE is refused.
            if len(parsed.recipients) == 1:
                raise
            skipped = skipped or error
            if rec is not None:
                outcomes.append(decrypt_notes.outcome(rec, error))
            continue
        tried_a_key = True  # a plan holds at least one key: select_keys raises otherwise
        opened = _first_that_opens(parsed, plan, recipient.encrypted_key)
        if opened is not None:
            return _output(parsed, plan, opened, index, limits, outcomes)
        if rec is not None:
            outcomes.append(decrypt_notes.outcome(rec, None))
    if rec is not None:
        decrypt_notes.result(rec, outcomes, None)
    # No key was even tried: the reason says why; otherwise the one opaque failure.
    raise (skipped if not tried_a_key and skipped is not None else DecryptionError()) from None


def _output(
    parsed: ParsedJWE,
    plan: _Plan,
    opened: tuple[JWK, bytes],
    index: int,
    limits: Limits,
    outcomes: list[str],
) -> Decrypted:
    key, plaintext = opened
    # Step 17: inflate only authenticated content, within the limit.
    if plan.compressed:
        plaintext = compression.inflate(plaintext, limits.max_plaintext_bytes)
    rec = trace.recorder()
    if rec is not None:
        if plan.compressed:
            decrypt_notes.inflated(rec, plaintext)
        outcomes.append("succeeded")
        outcomes.extend(
            "not tried: an earlier recipient succeeded"
            for _ in range(len(parsed.recipients) - len(outcomes))
        )
        decrypt_notes.result(rec, outcomes, plaintext)
    # Positional, in the order of the fields: plaintext, header, key, aad, recipient_index.
    return Decrypted(plaintext, plan.header, key, parsed.jwe_aad, index)
