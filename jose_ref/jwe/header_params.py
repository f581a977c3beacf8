"""RFC 7518 s4.6.1, s4.7.1, s4.8.1 - The header parameters of key management, typed.

Some key management algorithms carry parameters in the JOSE Header: ECDH-ES
its ephemeral public key "epk" and the optional "apu"/"apv" (s4.6.1), the
A*GCMKW key wrap its "iv" and "tag" (s4.7.1), PBES2 its salt input "p2s" and
iteration count "p2c" (s4.8.1). They are read here, typed and checked against
the Limits, BEFORE any key is touched or any expensive operation runs (a huge
"p2c" is refused before PBKDF2). The direct modes also require an empty JWE
Encrypted Key (RFC 7516 s5.2 step 10).

https://www.rfc-editor.org/rfc/rfc7518#section-4.6.1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from jose_ref import header
from jose_ref.errors import MalformedError
from jose_ref.jwa.registry import KeyManagementAlg
from jose_ref.jwe.epk import EphemeralKey, read_epk
from jose_ref.limits import Limits, check

__all__ = ["AgreementParams", "GcmKwParams", "Params", "Pbes2Params", "read_params"]

_DIRECT_MODES = ("direct_key_agreement", "direct_encryption")


class AgreementParams(NamedTuple):
    """ECDH-ES: "epk", and "apu"/"apv" decoded (empty when absent) (RFC 7518 s4.6.1)."""

    epk: EphemeralKey
    apu: bytes
    apv: bytes


class Pbes2Params(NamedTuple):
    """PBES2: the salt input "p2s" and the iteration count "p2c" (RFC 7518 s4.8.1)."""

    p2s: bytes
    p2c: int


class GcmKwParams(NamedTuple):
    """A*GCMKW: the 96-bit "iv" and 128-bit "tag" of the key wrap (RFC 7518 s4.7.1)."""

    iv: bytes
    tag: bytes


# The typed header parameters of one recipient's algorithm; the other families have none.
Params = AgreementParams | Pbes2Params | GcmKwParams | None


def _pbes2(joined: Mapping[str, Any], limits: Limits) -> Pbes2Params:
    p2c = header.get_int(joined, "p2c", required=True)
    if p2c is None or p2c < 1:
        raise MalformedError('"p2c" must be a positive integer (RFC 7518 s4.8.1.2)')
    # The iteration count bounds PBKDF2's cost: checked before any derivation.
    check(limits, "max_pbes2_count", p2c, 'PBES2 "p2c"')
    p2s = header.get_b64(joined, "p2s", required=True) or b""
    if len(p2s) < limits.min_pbes2_salt_bytes:
        raise MalformedError(f'"p2s" must be at least {limits.min_pbes2_salt_bytes} octets')
    return Pbes2Params(p2s, p2c)


def read_params(
    alg: KeyManagementAlg, joined: Mapping[str, Any], encrypted_key: bytes, limits: Limits
) -> Params:
    """Type and bound the header parameters `alg` needs (RFC 7518 s4.6-4.8); no crypto yet."""
    if alg.mode in _DIRECT_MODES and encrypted_key:
        # RFC 7516 s5.2 step 10: with direct modes the JWE Encrypted Key must be empty.
        raise MalformedError(f'"{alg.name}" requires an empty JWE Encrypted Key (RFC 7516 s5.2)')
    if alg.family == "ECDH-ES":
        epk = read_epk(joined)
        # PartyUInfo and PartyVInfo: "apu" and "apv" decoded, empty when absent (usually).
        apu = (header.get_b64(joined, "apu") or b"") if "apu" in joined else b""
        apv = (header.get_b64(joined, "apv") or b"") if "apv" in joined else b""
        return AgreementParams(epk, apu, apv)
    if alg.family == "PBES2":
        return _pbes2(joined, limits)
    if alg.family == "AESGCMKW":
        iv = header.get_b64(joined, "iv", required=True) or b""
        tag = header.get_b64(joined, "tag", required=True) or b""
        if len(iv) != 12 or len(tag) != 16:
            raise MalformedError('A*GCMKW needs a 96-bit "iv" and a 128-bit "tag" (RFC 7518 s4.7)')
        return GcmKwParams(iv, tag)
    return None
