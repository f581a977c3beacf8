"""RFC 7515 s5.1 - Message Signature or MAC Computation, one signature at a time.

The serialization modules build the JOSE Header; this module runs the
numbered steps of RFC 7515 s5.1 for one signature: encode the payload (step
2, or keep it unencoded under RFC 7797 "b64": false), encode the protected
header (step 4), compute the signature over the JWS Signing Input with the
key's own algorithm (step 5, RFC 8725 s3.1) and encode it (step 6). Signing
works over an already encoded protected header, kept verbatim, so that the
exact bytes a specification printed can be signed again and compared.

https://www.rfc-editor.org/rfc/rfc7515#section-5.1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jose_ref import b64url, deferred, header, policy, strict_json, trace
from jose_ref.errors import AlgorithmNotAllowedError, InvalidKeyError, MalformedError
from jose_ref.jwa import registry, signatures
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwk.key import JWK
from jose_ref.jws import signing_input
from jose_ref.limits import DEFAULT_LIMITS

if TYPE_CHECKING:
    from jose_ref.jws import sign_notes
else:  # explain's notes load with the first recording (jose_ref.deferred)
    sign_notes = deferred.module("jose_ref.jws.sign_notes", globals())

__all__ = ["Signed", "encode_header", "payload_bytes", "protected_header", "sign_encoded"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Signed:
    """One computed signature and the segments that go around it.

    Attributes:
        encoded_protected_header: BASE64URL(UTF8(JWS Protected Header)), "" when empty.
        unprotected: The JWS Unprotected Header (JSON serialization only), or None.
        payload_segment: BASE64URL(JWS Payload), or the payload itself when "b64" is false.
        signature: BASE64URL(JWS Signature).
        b64: Whether the payload is base64url-encoded (RFC 7797 s3).
    """

    encoded_protected_header: str
    unprotected: dict[str, Any] | None
    payload_segment: str
    signature: str
    b64: bool


def payload_bytes(payload: object) -> bytes:
    """The JWS Payload as octets: bytes as given, a str as UTF-8 (RFC 7515 s5.1 step 1)."""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedError("the JWS payload is not valid Unicode") from None
    raise MalformedError(f"the JWS payload must be bytes or str, got {type(payload).__name__}")


def protected_header(
    alg: str, key: JWK, extra: Mapping[str, Any] | None, *, detached: bool
) -> dict[str, Any]:
    """The JWS Protected Header for a compact JWS: "alg", the key's "kid", then `extra`."""
    protected: dict[str, Any] = {"alg": alg}
    # RFC 7515 s4.1.4: "kid" lets a recipient with a key set pick the key (key rotation).
    if key.kid is not None:
        protected["kid"] = key.kid
    for name, value in (extra or {}).items():
        if name == "alg" and value != alg:
            raise MalformedError('header "alg" differs from the alg= argument')
        protected[name] = value
    if detached and "b64" not in protected:
        # RFC 7797 s3 with RFC 7515 Appendix F: detached content, signed unencoded.
        protected["b64"] = False
    return protected


def encode_header(protected: Mapping[str, Any]) -> str:
    """BASE64URL(UTF8(JWS Protected Header)) (RFC 7515 s5.1 step 4); "" for an empty header."""
    if not protected:
        return ""
    members = dict(protected)
    if "b64" in members:
        # RFC 7797 s6: "b64" must be listed in "crit" so that recipients understand it.
        crit = members.get("crit", [])
        if not isinstance(crit, list):
            raise MalformedError('"crit" must be an array (RFC 7515 s4.1.11)')
        if "b64" not in crit:
            members["crit"] = [*crit, "b64"]
    # The signer may use any extension it declares: check "crit" for form only.
    crit_names = members.get("crit")
    understood = crit_names if isinstance(crit_names, list) else ()
    header.check_crit(members, (), [n for n in understood if isinstance(n, str)])
    return b64url.encode_text(strict_json.dumps(members, what="the JWS header"))


def _signer(joined: Mapping[str, Any], key: JWK) -> tuple[SignatureAlg, JWK]:
    """The header's "alg" and the key that may sign with it (RFC 8725 s3.1)."""
    if not isinstance(key, JWK):
        raise InvalidKeyError(f"signing needs one JWK, got {type(key).__name__}")
    name = header.get_str(joined, "alg", required=True)
    if name == "none":
        raise AlgorithmNotAllowedError('"alg": "none" never signs (RFC 8725 s3.1)')
    row = registry.signature(name)
    # The key must be of the algorithm's type and curve, private, and not bound by "alg",
    # "use" or "key_ops" to anything else.
    (signer,) = policy.select_keys(key, policy.signature_requirement(row, policy.SIGN))
    return row, signer


def sign_encoded(
    payload: bytes,
    key: JWK,
    encoded_protected_header: str,
    unprotected: Mapping[str, Any] | None = None,
) -> Signed:
    """Sign `payload` under an encoded protected header kept verbatim (RFC 7515 s5.1 steps 2-6)."""
    protected: dict[str, Any] = {}
    if encoded_protected_header:
        protected = header.parse_protected(encoded_protected_header, DEFAULT_LIMITS, "JWS header")
    joined = header.join(protected, unprotected)
    b64 = signing_input.b64_of(protected, unprotected)
    row, signer = _signer(joined, key)
    # Step 2 (RFC 7515 s5.1): BASE64URL(JWS Payload), or the payload itself (RFC 7797 s3).
    part = signing_input.payload_part(payload, b64=b64)
    rec = trace.recorder()
    if rec is not None:
        sign_notes.inputs(rec, payload, part, protected, unprotected, encoded_protected_header)
    # Step 5 (RFC 7515 s5.1): sign ASCII(encoded protected header) || '.' || payload part.
    data = signing_input.build(encoded_protected_header, part)
    material = signer.secret if row.family == "HMAC" else signer.crypto_private
    signature = signatures.sign(row, material, data)
    if rec is not None:
        sign_notes.signed(rec, row.name, data, signature)
    return Signed(
        encoded_protected_header=encoded_protected_header,
        unprotected=dict(unprotected) if unprotected else None,
        payload_segment=_segment(part),
        # Step 6 (RFC 7515 s5.1): BASE64URL(JWS Signature).
        signature=b64url.encode_text(signature),
        b64=b64,
    )


def _segment(part: bytes) -> str:
    # RFC 7797 s5.3: an unencoded payload travels as text, so it must be UTF-8.
    try:
        return part.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedError("an unencoded (b64: false) payload must be UTF-8 text") from None
