"""RFC 7515 s5.2 - Message Signature or MAC Validation, one signature at a time.

The serialization modules split a JWS into its received segments; this
module runs the numbered validation steps on one signature: decode and parse
the protected header (steps 2-3), join it with the unprotected one (step 4),
enforce "crit" and RFC 7797 "b64" (step 5), decode the signature (step 7),
then validate the signature over the received ASCII segments with the
caller's keys and allow-set (step 8, RFC 8725 s3.1). The payload (step 6),
one for all signatures, is read and decoded in jws/validation.py.

https://www.rfc-editor.org/rfc/rfc7515#section-5.2
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from jose_ref import b64url, deferred, header, policy, trace
from jose_ref.errors import InvalidKeyError, InvalidSignatureError, MalformedError
from jose_ref.jwa import registry, signatures
from jose_ref.jwa.registry import SignatureAlg
from jose_ref.jwk.key import JWK
from jose_ref.jws import signing_input
from jose_ref.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from jose_ref.jws import verify_notes
else:  # explain's notes load with the first recording (jose_ref.deferred)
    verify_notes = deferred.module("jose_ref.jws.verify_notes", globals())

__all__ = [
    "Options",
    "Received",
    "Verified",
    "options",
    "parse_signature",
    "verify",
]


class Verified(NamedTuple):
    """A JWS whose signature verified.

    Immutable, like every result here; a named tuple rather than a frozen dataclass because
    it is built once per token and a frozen dataclass costs about three times as much.

    Attributes:
        payload: The JWS Payload (the detached content when it was passed in).
        header: The JOSE Header of the signature that verified (protected and unprotected).
        key: The caller's JWK that verified it.
        signature_index: Which signature of a JSON serialization verified (0 for compact).
    """

    payload: bytes
    header: dict[str, Any]
    key: JWK
    signature_index: int = 0


# The two values below live for one call only: plain slotted classes, which are quicker to
# build than a NamedTuple or a frozen dataclass.
@dataclass(slots=True)
class Options:
    """The caller's verification choices, resolved once per call."""

    keys: JWK | policy.KeySource
    requested: frozenset[str] | None
    default: frozenset[str]
    understood: frozenset[str]
    limits: Limits


@dataclass(slots=True)
class Received:
    """One signature as received: its encoded protected header kept verbatim (step 8 input)."""

    encoded_protected_header: str
    protected: dict[str, Any]
    header: dict[str, Any]
    alg: str
    kid: str | None
    signature: bytes
    b64: bool


def options(
    keys: JWK | policy.KeySource,
    algorithms: Collection[str] | None,
    critical: Collection[str],
    limits: Limits | None,
) -> Options:
    """Resolve the allow-set (RFC 8725 s3.1) and the understood "crit" names."""
    if isinstance(keys, JWK):
        # Without an explicit list a single key's own "alg" is the only algorithm it accepts.
        single_alg = keys.alg
        default = frozenset({single_alg}) if single_alg else policy.DEFAULT_SIGNATURES
    # A str or bytes has a .find method too: it is a secret or a PEM, never a key set.
    elif callable(getattr(keys, "find", None)) and not isinstance(keys, (str, bytes)):
        default = policy.DEFAULT_SIGNATURES
    else:
        raise TypeError(f"key must be a JWK or a key set, not {type(keys).__name__}")
    # The usual call names no extension besides RFC 7797 "b64".
    understood = _ONLY_B64 if type(critical) is tuple and not critical else _understood(critical)
    return Options(
        keys,
        policy.requested_set(algorithms, "algorithms"),
        default,
        understood,
        limits if limits is not None else DEFAULT_LIMITS,
    )


_ONLY_B64 = frozenset({"b64"})


def _understood(critical: Collection[str]) -> frozenset[str]:
    if isinstance(critical, (str, bytes)) or not all(isinstance(n, str) for n in critical):
        raise TypeError("critical must be a collection of header parameter names")
    return frozenset({"b64", *critical})


def parse_signature(
    encoded_protected_header: str,
    unprotected: Mapping[str, Any] | None,
    encoded_signature: object,
    opts: Options,
) -> Received:
    """Steps 2-5 and 7 of RFC 7515 s5.2 for one signature."""
    # Steps 2-3 (RFC 7515 s5.2): strict base64url, then one UTF-8 JSON object.
    rec = trace.recorder()
    protected: dict[str, Any] = {}
    if encoded_protected_header:
        protected = header.parse_protected(encoded_protected_header, opts.limits, "JWS header")
    if rec is not None:
        verify_notes.protected(rec, encoded_protected_header, protected)
    # Step 4 (RFC 7515 s5.2, s7.2.1): the JOSE Header is the union of disjoint header sets.
    joined = header.join(protected, unprotected)
    # Step 5 (RFC 7515 s5.2, s4.1.11): every "crit" name must be understood.
    header.check_crit(protected, (unprotected,), opts.understood)
    b64 = signing_input.b64_of(protected, unprotected)
    # RFC 7515 s4.1.1: "alg" MUST be present; s4.1.4: "kid" is a string (bounded here).
    alg = header.get_str(joined, "alg", required=True)
    kid = header.get_kid(joined, opts.limits)
    if rec is not None:
        verify_notes.header(rec, joined, protected)
    # Step 7 (RFC 7515 s5.2): decode the JWS Signature.
    if not isinstance(encoded_signature, str):
        raise MalformedError('the JWS "signature" must be a base64url string')
    signature = b64url.decode(encoded_signature, what="JWS signature")
    return Received(encoded_protected_header, protected, joined, str(alg), kid, signature, b64)


# Constant per (name, allow-set, default set); a refusal raises, so only registered names
# within an allow-set are ever remembered. Bounded: the arguments come from tokens and callers.
@functools.lru_cache(maxsize=256)
def resolve_alg(
    name: str, requested: frozenset[str] | None, default: frozenset[str]
) -> tuple[SignatureAlg, policy.KeyRequirement]:
    """The "alg" of one signature: registered (RFC 7515 s4.1.1) and allowed (RFC 8725 s3.1),
    with what a key must be to verify it (RFC 8725 s3.1)."""
    if name == "none":
        # "none" is no algorithm here (not in the registry): policy refuses it by name.
        policy.check_allowed("none", requested, default, "JWS alg")
    row = registry.signature(name)
    policy.check_allowed(row.name, requested, default, "JWS alg")
    return row, policy.signature_requirement(row, policy.VERIFY)


def _new_verifier(row: SignatureAlg, key: JWK) -> signatures.Verifier:
    # An HMAC is keyed by the oct secret only; every other family by the public key object.
    return signatures.verifier(row, key.secret if row.family == "HMAC" else key.crypto_public)


def verify(received: Received, payload_part: bytes, opts: Options) -> JWK:
    """Step 8 of RFC 7515 s5.2: the caller's key that validates the signature, or raise."""
    rec = trace.recorder()
    row, need = resolve_alg(received.alg, opts.requested, opts.default)
    if row.deprecated and rec is not None:
        # RFC 9864 s4.1.2: "EdDSA" still verifies; explain says it is deprecated.
        rec.clause("RFC 9864 s4.1.2", "EdDSA is deprecated: use Ed25519 or Ed448.", alg=row.name)
    # Formula: JWS Signing Input = ASCII(encoded protected header) || '.' || payload part,
    # from the received segments, never from a re-serialized header (RFC 7515 s5.2 step 8).
    data = signing_input.build(received.encoded_protected_header, payload_part)
    if rec is not None:
        verify_notes.inputs(rec, received.alg, received.b64, payload_part, received.signature, data)
    # RFC 8725 s3.1: keys come from the caller only ("jwk", "jku", "x5u", "x5c" are ignored),
    # of the algorithm's own key type and curve, with "use"/"key_ops" permitting verification.
    candidates = policy.select_keys(opts.keys, need, kid=received.kid)
    key = _first_that_verifies(
        row, candidates, data, received.signature, single=isinstance(opts.keys, JWK)
    )
    if rec is not None:
        verify_notes.validated(rec, row.name, key)
    return key


def _first_that_verifies(
    row: SignatureAlg, candidates: Iterable[JWK], data: bytes, signature: bytes, *, single: bool
) -> JWK:
    """Try each candidate key in turn; InvalidSignatureError when none validates."""
    key_error: InvalidKeyError | None = None
    signature_failed = False
    for candidate in candidates:
        try:
            # The key is checked for the algorithm (type, curve, size) and its padding and hash
            # objects are made once per (key, alg), then remembered on the immutable key.
            verify_with = candidate._remember(
                ("JWS verifier", row.name), _new_verifier, row, candidate
            )
            verify_with(data, signature)
        except InvalidSignatureError:
            signature_failed = True
            continue
        except InvalidKeyError as exc:
            # A single key that cannot do the job is the caller's answer; in a set, try the next.
            if single:
                raise
            key_error = key_error or exc
            continue
        return candidate
    rec = trace.recorder()
    if rec is not None:
        verify_notes.not_validated(rec, row.name)
    if key_error is not None and not signature_failed:
        raise key_error
    raise InvalidSignatureError()
