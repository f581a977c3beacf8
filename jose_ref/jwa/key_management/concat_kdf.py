"""RFC 7518 s4.6.2 - Key Derivation for ECDH-ES: the Concat KDF.

ECDH-ES derives its key from the shared secret Z with the Concat KDF of NIST
SP 800-56A s5.8.1, using SHA-256. JOSE defines only the OtherInfo input:
AlgorithmID, PartyUInfo and PartyVInfo each as a 32-bit big-endian length
followed by the data, SuppPubInfo as keydatalen in bits (32-bit big-endian)
and an empty SuppPrivInfo. cryptography's ConcatKDFHash runs the KDF itself.

https://www.rfc-editor.org/rfc/rfc7518#section-4.6.2
"""

from __future__ import annotations

import functools

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash

from jose_ref import octets, trace

__all__ = ["derive", "other_info"]

# RFC 7518 s4.6.2: the Concat KDF of ECDH-ES always hashes with SHA-256 (an immutable object).
_SHA256 = hashes.SHA256()


# OtherInfo is made of public values that repeat from token to token: the "enc" or "alg"
# name, the key size and "apu"/"apv" (absent, or fixed per party). Remembered, bounded.
@functools.lru_cache(maxsize=32)
def other_info(
    algorithm_id: bytes, party_u_info: bytes, party_v_info: bytes, key_bits: int
) -> bytes:
    """Return OtherInfo for the Concat KDF as RFC 7518 s4.6.2 assembles it."""
    return b"".join(_fields(algorithm_id, party_u_info, party_v_info, key_bits))


def _fields(
    algorithm_id: bytes, party_u_info: bytes, party_v_info: bytes, key_bits: int
) -> tuple[bytes, bytes, bytes, bytes]:
    # OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (|| SuppPrivInfo = empty),
    # where AlgorithmID, PartyUInfo and PartyVInfo are each Datalen || Data, and
    # SuppPubInfo = keydatalen, the derived key length in bits, as a 32-bit big-endian integer.
    return (
        octets.length_prefixed(algorithm_id),
        octets.length_prefixed(party_u_info),
        octets.length_prefixed(party_v_info),
        octets.uint32be(key_bits),
    )


def derive(
    z: bytes, key_bytes: int, algorithm_id: bytes, party_u_info: bytes, party_v_info: bytes
) -> bytes:
    """Return `key_bytes` octets derived from the shared secret `z` (RFC 7518 s4.6.2)."""
    if key_bytes < 1:
        raise ValueError("the Concat KDF derives at least one octet")
    # K(i) = SHA-256(counter || Z || OtherInfo) for counter = 1, 2, ...;
    # DerivedKeyingMaterial = the leftmost keydatalen bits of K(1) || K(2) || ...
    info = other_info(algorithm_id, party_u_info, party_v_info, key_bytes * 8)
    derived = ConcatKDFHash(algorithm=_SHA256, length=key_bytes, otherinfo=info).derive(z)
    rec = trace.recorder()
    if rec is not None:
        fields = _fields(algorithm_id, party_u_info, party_v_info, key_bytes * 8)
        rec.detail(
            "RFC 7518 s4.6.2",
            "Concat KDF (SHA-256) over Z and OtherInfo = AlgorithmID || PartyUInfo || "
            "PartyVInfo || SuppPubInfo.",
            secret=("derived_key",),
            keydatalen=key_bytes * 8,
            algorithm_id=fields[0],
            party_u_info=fields[1],
            party_v_info=fields[2],
            supp_pub_info=fields[3],
            supp_priv_info=b"",
            other_info=info,
            derived_key=derived,
        )
    return derived
