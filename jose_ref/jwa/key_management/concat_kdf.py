"""RFC 7518 s4.6.2 - Key Derivation for ECDH-ES: the Concat KDF.

ECDH-ES derives its key from the shared secret Z with the Concat KDF of NIST
SP 800-56A s5.8.1, using SHA-256. JOSE defines only the OtherInfo input:
AlgorithmID, PartyUInfo and PartyVInfo each as a 32-bit big-endian length
followed by the data, SuppPubInfo as keydatalen in bits (32-bit big-endian)
and an empty SuppPrivInfo. The KDF itself is a few hash calls (one for every
key length JOSE uses up to 256 bits), so hashlib runs it directly; the tests
cross-check it against cryptography's ConcatKDFHash.

https://www.rfc-editor.org/rfc/rfc7518#section-4.6.2
"""

from __future__ import annotations

import hashlib

from jose_ref import octets

__all__ = ["derive", "other_info"]

_HASH_BYTES = 32  # SHA-256, the hash RFC 7518 s4.6.2 fixes


def other_info(
    algorithm_id: bytes, party_u_info: bytes, party_v_info: bytes, key_bits: int
) -> bytes:
    """Return OtherInfo for the Concat KDF as RFC 7518 s4.6.2 assembles it."""
    # SuppPubInfo = keydatalen, the derived key length in bits, as a 32-bit big-endian integer.
    supp_pub_info = octets.uint32be(key_bits)
    # OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (|| SuppPrivInfo = empty),
    # where AlgorithmID, PartyUInfo and PartyVInfo are each Datalen || Data.
    return (
        octets.length_prefixed(algorithm_id)
        + octets.length_prefixed(party_u_info)
        + octets.length_prefixed(party_v_info)
        + supp_pub_info
    )


def derive(
    z: bytes, key_bytes: int, algorithm_id: bytes, party_u_info: bytes, party_v_info: bytes
) -> bytes:
    """Return `key_bytes` octets derived from the shared secret `z` (RFC 7518 s4.6.2)."""
    if key_bytes < 1:
        raise ValueError("the Concat KDF derives at least one octet")
    info = other_info(algorithm_id, party_u_info, party_v_info, key_bytes * 8)
    # NIST SP 800-56A s5.8.1.1: reps = ceil(keydatalen / hashlen) with hashlen = 256 bits;
    # K(i) = SHA-256(counter || Z || OtherInfo), counter = i as a 32-bit big-endian integer;
    # DerivedKeyingMaterial = the leftmost keydatalen bits of K(1) || K(2) || ... || K(reps).
    reps = -(-key_bytes // _HASH_BYTES)
    derived = b"".join(
        hashlib.sha256(octets.uint32be(counter) + z + info).digest()
        for counter in range(1, reps + 1)
    )
    return derived[:key_bytes]
