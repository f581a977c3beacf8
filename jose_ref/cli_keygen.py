"""RFC 7518 s6 and RFC 7517 s4.4 - Which key `jose-ref keygen` may make, and for which "alg".

The command refuses what the library would only find out later: a `--size`
for a key type whose size its curve fixes, a `--crv` for a type without
curves, sizes outside sane bounds (an oct key of 10^12 bytes is a typo, not
a key), and an "alg" the key can never be used with (RFC 8725 s3.1). The
fitting algorithms are read from the registry, so new rows appear here too.

https://www.rfc-editor.org/rfc/rfc7518#section-6
"""

from __future__ import annotations

from jose_ref.cli_io import UsageError
from jose_ref.jwa import registry
from jose_ref.jwk import JWK, okp, rsa

__all__ = ["KEY_TYPES", "check_alg", "check_request", "fitting_algorithms"]

# Every key type an algorithm of the registry uses.
KEY_TYPES = tuple(
    sorted(
        {row.kty for row in registry.SIGNATURES.values()}
        | {kty for row in registry.KEY_MANAGEMENT.values() for kty in row.kty}
    )
)
SIZED = {"RSA": (rsa.MIN_MODULUS_BITS, rsa.MAX_MODULUS_BITS, 2048), "oct": (128, 8192, 256)}
CURVED = ("EC", "OKP")


def check_request(kty: str, size: int | None, crv: str | None) -> None:
    """Refuse a size or curve that the key type does not take, or a size out of bounds."""
    if size is not None:
        if kty not in SIZED:
            raise UsageError(f"--size does not apply to {kty} keys (the curve fixes the size)")
        low, high, _ = SIZED[kty]
        if not low <= size <= high or size % 8:
            raise UsageError(f"--size for {kty} must be a multiple of 8 from {low} to {high} bits")
    if crv is not None and kty not in CURVED:
        raise UsageError(f"--crv does not apply to {kty} keys")


def _signs(kty: str, crv: str | None, bits: int, row: registry.SignatureAlg) -> bool:
    if row.kty != kty or (row.crv is not None and row.crv != crv):
        return False
    if kty == "OKP":
        # RFC 8037 s3.1: only the Edwards curves sign.
        return crv in okp.CURVES and okp.CURVES[crv].signing
    if row.family == "HMAC" and row.hash is not None:
        # RFC 7518 s3.2: a key at least as long as the hash output.
        return bits >= 8 * registry.hash_bytes(row.hash)
    return True


def _encrypts(kty: str, crv: str | None, bits: int, row: registry.KeyManagementAlg) -> bool:
    if kty not in row.kty:
        return False
    if kty == "OKP":
        # RFC 8037 s3.2: only X25519 and X448 agree on keys.
        return crv in okp.CURVES and not okp.CURVES[crv].signing
    if kty == "oct" and row.family in ("AESKW", "AESGCMKW"):
        return bits == 8 * (row.kek_bytes or 0)
    if row.family == "dir":
        # RFC 7518 s4.5: the key is the CEK of some "enc".
        return bits in {8 * enc.cek_bytes for enc in registry.CONTENT_ENCRYPTION.values()}
    return True


def fitting_algorithms(kty: str, crv: str | None, bits: int, use: str | None) -> list[str]:
    """The "alg" values a key of this type, curve and size can serve (for `use`, if given)."""
    names = []
    if use in (None, "sig"):
        names += [n for n, row in registry.SIGNATURES.items() if _signs(kty, crv, bits, row)]
    if use in (None, "enc"):
        names += [n for n, row in registry.KEY_MANAGEMENT.items() if _encrypts(kty, crv, bits, row)]
    return names


def check_alg(key: JWK, alg: str, size: int | None, use: str | None) -> None:
    """Refuse an "alg" the new key cannot serve, naming those it can (RFC 8725 s3.1)."""
    bits = size or SIZED.get(key.kty, (0, 0, 0))[2]
    fitting = fitting_algorithms(key.kty, key.crv, bits, use)
    if alg in fitting:
        return
    described = " ".join(filter(None, [key.kty, key.crv, f"{bits}-bit" if bits else ""]))
    article = "an" if described[0] in "AEIORo" else "a"
    for_use = f' with "use": "{use}"' if use else ""
    raise UsageError(
        f"--alg {alg!r} does not fit {article} {described} key{for_use}; "
        f"these do: {', '.join(fitting) or 'none'}"
    )
