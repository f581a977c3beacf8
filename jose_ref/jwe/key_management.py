"""RFC 7516 s2 and s5 - Key management: from a recipient's key to the CEK, by mode.

Dispatches on the five key management modes of RFC 7516 s2 (key
encryption, key wrapping, direct key agreement, key agreement with key
wrapping, direct encryption), using the registry descriptor's fields. The
header parameters an algorithm needs ("epk", "apu", "apv", "p2s", "p2c",
"iv", "tag") arrive typed and checked (jwe/header_params.py, before any
key); the primitives only ever see bytes and key objects. After key
selection every failure is the one opaque DecryptionError.

https://www.rfc-editor.org/rfc/rfc7516#section-2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jose_ref import b64url, deferred, policy, trace
from jose_ref.errors import DecryptionError
from jose_ref.jwa.key_management import aes_key_wrap, direct, rsaes_oaep
from jose_ref.jwa.registry import ContentEncryptionAlg, KeyManagementAlg
from jose_ref.jwe.header_params import AgreementParams, GcmKwParams, Params, Pbes2Params
from jose_ref.jwk.key import JWK

if TYPE_CHECKING:
    from jose_ref.jwa.key_management import aes_gcm_key_wrap, ecdh_es, pbes2, rsaes_pkcs1_v1_5
    from jose_ref.jwe import decrypt_notes
else:  # explain's notes load with the first recording, the families below on first use;
    # then each global names the module itself (jose_ref.deferred)
    decrypt_notes = deferred.module("jose_ref.jwe.decrypt_notes", globals())
    ecdh_es = deferred.module("jose_ref.jwa.key_management.ecdh_es", globals())
    rsaes_pkcs1_v1_5 = deferred.module("jose_ref.jwa.key_management.rsaes_pkcs1_v1_5", globals())
    aes_gcm_key_wrap = deferred.module("jose_ref.jwa.key_management.aes_gcm_key_wrap", globals())
    pbes2 = deferred.module("jose_ref.jwa.key_management.pbes2", globals())

__all__ = ["RecipientRandomness", "recover_cek", "requirement", "wrap_cek"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecipientRandomness:
    """What encryption draws per recipient: an ephemeral key, a PBES2 salt, a GCMKW IV."""

    epk: Any = None
    p2s: bytes | None = None
    p2c: int | None = None
    iv: bytes | None = None


_REQUIREMENTS: dict[
    tuple[str, str, policy.Use, tuple[str, str | None] | None], policy.KeyRequirement
] = {}


def requirement(
    alg: KeyManagementAlg,
    enc: ContentEncryptionAlg,
    use: policy.Use,
    epk: tuple[str, str | None] | None = None,
) -> policy.KeyRequirement:
    """The key `alg`/`enc` needs for `use`, from the registry rows (RFC 8725 s3.1).

    With ECDH-ES the recipient key must be of the "epk"'s type and curve (`epk` is its
    (kty, crv)); AES key wrapping and "dir" fix the length of the oct key. One instance
    per combination (registry rows are unique by name; a bounded set).
    """
    cache_key = (alg.name, enc.name, use, epk)
    found: policy.KeyRequirement | None = _REQUIREMENTS.get(cache_key)
    if found is None:
        found = _requirement(alg, enc, use, epk)
        _REQUIREMENTS[cache_key] = found
    return found


def _requirement(
    alg: KeyManagementAlg,
    enc: ContentEncryptionAlg,
    use: policy.Use,
    epk: tuple[str, str | None] | None,
) -> policy.KeyRequirement:
    secret_bytes, reason = None, ""
    if alg.family in ("AESKW", "AESGCMKW"):
        secret_bytes = alg.kek_bytes
        reason = f'"{alg.name}" needs a {(alg.kek_bytes or 0) * 8}-bit key (RFC 7518 s4.4, s4.7)'
    elif alg.family == "dir":
        secret_bytes = enc.cek_bytes
        reason = f'"dir" with "{enc.name}" needs a {enc.cek_bytes * 8}-bit key (RFC 7518 s4.5)'
    return policy.KeyRequirement(
        alg=alg.name,
        ktys=(epk[0],) if epk is not None else alg.kty,
        crv=epk[1] if epk is not None else None,
        family=alg.family,
        use=use,
        also_bound=enc.name if alg.family == "dir" else None,
        secret_bytes=secret_bytes,
        length_reason=reason,
    )


def recover_cek(
    alg: KeyManagementAlg, enc: ContentEncryptionAlg, key: JWK, params: Params, encrypted_key: bytes
) -> bytes:
    """RFC 7516 s5.2 steps 8-11: determine the CEK with the recipient's key.

    A CEK of the wrong length for "enc" (step 9) is refused where it is used, by
    `content_encryption.decrypt`, with the same DecryptionError as any other failure.
    """
    rec = trace.recorder()
    if isinstance(params, AgreementParams):
        return _agree(alg, enc, key, params, encrypted_key)
    if alg.family == "dir":
        # Step 10 was checked with the header parameters (`read_params`), before any key.
        cek = direct.decrypt_cek(key.secret, encrypted_key, enc.cek_bytes)
        if rec is not None:
            decrypt_notes.empty(rec, "Direct Encryption")
            decrypt_notes.cek(rec, 11, "The CEK is the shared symmetric key.", cek)
        return cek
    if rec is not None:
        gcm = {"iv": params.iv, "tag": params.tag} if isinstance(params, GcmKwParams) else {}
        decrypt_notes.unwrapping(rec, alg, encrypted_key, **gcm)
    cek = _decrypt_cek(alg, enc, key, params, encrypted_key)
    if rec is not None:
        decrypt_notes.cek(rec, 9, "The CEK.", cek)
    return cek


def _decrypt_cek(
    alg: KeyManagementAlg, enc: ContentEncryptionAlg, key: JWK, params: Params, encrypted_key: bytes
) -> bytes:
    family = alg.family
    if family == "RSA1_5":
        # Never raises: a random CEK stands in on any padding failure (RFC 7516 s11.5).
        return rsaes_pkcs1_v1_5.decrypt_cek(key.crypto_private, encrypted_key, enc.cek_bytes)
    if family == "RSA-OAEP":
        return rsaes_oaep.decrypt_cek(key.crypto_private, encrypted_key, str(alg.hash))
    if family == "AESKW":
        return aes_key_wrap.unwrap(key.secret, encrypted_key)
    if isinstance(params, GcmKwParams):
        return aes_gcm_key_wrap.unwrap(key.secret, encrypted_key, params.iv, params.tag)
    if isinstance(params, Pbes2Params):
        return pbes2.unwrap(key.secret, alg, params.p2s, params.p2c, encrypted_key)
    raise DecryptionError() from None


def _agree(
    alg: KeyManagementAlg,
    enc: ContentEncryptionAlg,
    key: JWK,
    params: AgreementParams,
    encrypted_key: bytes,
) -> bytes:
    rec = trace.recorder()
    # Step 8: agree on Z with the "epk", then derive with the Concat KDF (RFC 7518 s4.6.2).
    if rec is not None:
        epk = JWK.from_key_object(params.epk.public).to_dict(private=False)
        decrypt_notes.agreement(rec, epk, params.apu, params.apv)
    z = ecdh_es.agree(key.crypto_private, params.epk.public)
    derived = ecdh_es.derive_key(z, alg, enc, params.apu, params.apv)
    if alg.mode == "direct_key_agreement":
        if rec is not None:
            decrypt_notes.cek(
                rec, 8, "Direct Key Agreement: the CEK is the agreed upon key.", derived
            )
            decrypt_notes.empty(rec, "Direct Key Agreement")
        return derived
    if rec is not None:
        decrypt_notes.unwrapping(rec, alg, encrypted_key)
    cek = aes_key_wrap.unwrap(derived, encrypted_key)
    if rec is not None:
        decrypt_notes.cek(rec, 9, "The CEK.", cek)
    return cek


def wrap_cek(
    alg: KeyManagementAlg,
    enc: ContentEncryptionAlg,
    key: JWK,
    cek: bytes,
    drawn: RecipientRandomness,
    apu: bytes = b"",
    apv: bytes = b"",
) -> tuple[bytes, bytes, dict[str, Any]]:
    """RFC 7516 s5.1 steps 2-5: (CEK, JWE Encrypted Key, header parameters to add)."""
    family = alg.family
    if family == "RSA1_5":
        return cek, rsaes_pkcs1_v1_5.encrypt_cek(key.crypto_public, cek), {}
    if family == "RSA-OAEP":
        return cek, rsaes_oaep.encrypt_cek(key.crypto_public, cek, str(alg.hash)), {}
    if family == "AESKW":
        return cek, aes_key_wrap.wrap(key.secret, cek), {}
    if family == "AESGCMKW":
        iv = drawn.iv or b""
        encrypted_key, tag = aes_gcm_key_wrap.wrap(key.secret, cek, iv)
        return cek, encrypted_key, {"iv": b64url.encode_text(iv), "tag": b64url.encode_text(tag)}
    if family == "PBES2":
        p2s, p2c = drawn.p2s or b"", drawn.p2c or 0
        params = {"p2s": b64url.encode_text(p2s), "p2c": p2c}
        return cek, pbes2.wrap(key.secret, alg, p2s, p2c, cek), params
    if family == "dir":
        direct_cek, empty = direct.encrypt_cek(key.secret, enc.cek_bytes)
        return direct_cek, empty, {}
    # ECDH-ES: agree with the recipient's public key using the ephemeral private key.
    z = ecdh_es.agree(drawn.epk, key.crypto_public)
    derived = ecdh_es.derive_key(z, alg, enc, apu, apv)
    epk = {"epk": JWK.from_key_object(drawn.epk).to_dict(private=False)}
    if alg.mode == "direct_key_agreement":
        return derived, b"", epk
    return cek, aes_key_wrap.wrap(derived, cek), epk
