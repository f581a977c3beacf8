"""Write vectors/derived/: negative vectors made only by mutating published vectors.

Every derived vector starts from one published vector (RFC 7515 A, RFC 7516 A,
RFC 7517 C, RFC 7520 s4-s5, RFC 7797 s4, RFC 8037 A.4) and changes the bytes or
the JSON of its printed output: a flipped bit, a truncated or extended value, a
header member changed, added or removed, a part added or dropped. Where the
mutated token must still carry a valid tag or signature (so that only the
mutation can make it invalid), the MAC, signature or AES-GCM encryption is
recomputed here with the standard library or `cryptography` and the parent's
printed key, never with jose_ref: this module imports nothing of the
implementation, so no expected value comes from the implementation under test.

Each vector names `derived_from` (the parent's id), `mutation` (one sentence),
`clause` (what makes the result invalid) and the exact `jose_ref.errors` class
that must refuse it. Step numbers in the clauses come from the one table of
RFC steps, jose_ref/rfc_steps.py, loaded by file path (data only, no import of
the implementation). Its `keys` and `input` are the parent's (the algorithms of
`input` are the verifier's allow-set in `jose_ref.vector_runner`), its
`expected` holds the one mutated serialization.

Usage: python vectors/tools/derive.py [--out DIR]   (default: vectors/derived/)

The output is deterministic: running it twice gives the same bytes, and
tests/test_derived_vectors.py checks that the committed files are exactly
what this module writes.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import hmac
import importlib.util
import json
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "derived"


def _rfc_steps() -> Any:
    """jose_ref/rfc_steps.py, by path: the step table without importing jose_ref."""
    spec = importlib.util.spec_from_file_location(
        "_jose_ref_rfc_steps", ROOT.parent / "jose_ref" / "rfc_steps.py"
    )
    if spec is None or spec.loader is None:
        raise SystemExit("jose_ref/rfc_steps.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


_STEPS = _rfc_steps()
DECRYPT = _STEPS.JWE_DECRYPT  # RFC 7516 s5.2
VALIDATE = _STEPS.JWS_VERIFY  # RFC 7515 s5.2

NONDETERMINISTIC_REASON = "derived negative vector: nothing to reproduce from fixed randomness"

# -- byte helpers ---------------------------------------------------------------------------------


def b64u(data: bytes) -> str:
    """BASE64URL without padding (RFC 7515 s2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64u(text: str) -> bytes:
    """Decode a published (canonical) base64url value."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def octets(value: dict[str, Any]) -> bytes:
    """Decode a vector byte value (vectors/FORMAT.md, "Byte values")."""
    ((encoding, text),) = value.items()
    if encoding == "utf8":
        return str(text).encode("utf-8")
    if encoding == "b64u":
        return unb64u(str(text))
    if encoding == "b64":
        return base64.b64decode(str(text))
    if encoding == "hex":
        return bytes.fromhex(str(text))
    if encoding == "octets":
        return bytes(text)
    raise ValueError(f"unknown byte encoding {encoding!r}")


def flip(data: bytes, index: int, mask: int = 0x01) -> bytes:
    """`data` with the bits of `mask` flipped in octet `index` (negative counts from the end)."""
    out = bytearray(data)
    out[index] ^= mask
    return bytes(out)


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    """Replace the single occurrence of `old`; a mutation that misses is a generator bug."""
    if data.count(old) != 1:
        raise AssertionError(f"{old!r} occurs {data.count(old)} times, expected once")
    return data.replace(old, new)


def with_members(header: bytes, add: dict[str, Any], drop: tuple[str, ...] = ()) -> bytes:
    """Re-encode a header JSON object with members added (at the end) or dropped, compactly."""
    members = json.loads(header)
    for name in drop:
        del members[name]
    members.update(add)
    return json.dumps(members, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def raw_deflate_zeros(count: int) -> bytes:
    """A raw DEFLATE stream (RFC 1951) of `count` zero octets, written by hand.

    One fixed-Huffman block (s3.2.6): a literal 0, then matches of length 258 at
    distance 1. zlib's own output differs between zlib builds; this stream does not.
    """
    if (count - 1) % 258:
        raise ValueError("count must be 1 + 258 * k")
    bits: list[int] = []

    def field(value: int, width: int) -> None:  # header fields: least significant bit first
        bits.extend((value >> i) & 1 for i in range(width))

    def code(value: int, width: int) -> None:  # Huffman codes: most significant bit first
        bits.extend((value >> i) & 1 for i in reversed(range(width)))

    field(1, 1)  # BFINAL
    field(1, 2)  # BTYPE 01: fixed Huffman codes
    code(0x30, 8)  # literal 0 (literals 0-143 are 0x30 + value, 8 bits)
    for _ in range((count - 1) // 258):
        code(0xC0 + (285 - 280), 8)  # length code 285 = 258, no extra bits
        code(0, 5)  # distance code 0 = distance 1, no extra bits
    code(0, 7)  # end of block (256)
    bits.extend([0] * (-len(bits) % 8))
    stream = bytes(
        sum(bit << i for i, bit in enumerate(bits[n : n + 8])) for n in range(0, len(bits), 8)
    )
    inflater = zlib.decompressobj(-15)
    if inflater.decompress(stream) != bytes(count) or not inflater.eof:
        raise AssertionError("hand-written DEFLATE stream does not inflate as intended")
    return stream


# -- key helpers (cryptography only) --------------------------------------------------------------


def _int(text: str) -> int:
    return int.from_bytes(unb64u(text), "big")


def rsa_private(jwk: dict[str, Any]) -> rsa.RSAPrivateKey:
    """The RSA private key of a printed JWK."""
    public = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"]))
    numbers = rsa.RSAPrivateNumbers(
        p=_int(jwk["p"]),
        q=_int(jwk["q"]),
        d=_int(jwk["d"]),
        dmp1=_int(jwk["dp"]),
        dmq1=_int(jwk["dq"]),
        iqmp=_int(jwk["qi"]),
        public_numbers=public,
    )
    return numbers.private_key()


def rsa_public_pem(jwk: dict[str, Any]) -> bytes:
    """The SubjectPublicKeyInfo PEM of a printed RSA JWK (what an HS256 forger would use)."""
    key = rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_jwk(jwk: dict[str, Any]) -> dict[str, Any]:
    """The printed JWK without its private members."""
    private = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
    return {name: value for name, value in jwk.items() if name not in private}


def hs256(secret: bytes, signing_input: bytes) -> bytes:
    """HMAC-SHA-256 (RFC 7518 s3.2), with the standard library."""
    return hmac.new(secret, signing_input, hashlib.sha256).digest()


def on_curve(crv: str, x: bytes, y: bytes) -> bool:
    """Whether (x, y) is a point of the NIST curve `crv`, by cryptography's own check."""
    curves: dict[str, ec.EllipticCurve] = {
        "P-256": ec.SECP256R1(),
        "P-384": ec.SECP384R1(),
        "P-521": ec.SECP521R1(),
    }
    curve = curves[crv]
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve
    )
    try:
        numbers.public_key()
    except ValueError:
        return False
    return True


# -- published vectors ----------------------------------------------------------------------------


def published(vector_id: str) -> dict[str, Any]:
    """Load a published vector by id; derived vectors are never a parent."""
    source, _, stem = vector_id.partition("-")
    if source == "derived":
        raise ValueError("a derived vector is never derived from another")
    data: dict[str, Any] = json.loads((ROOT / source / f"{stem}.json").read_text("utf-8"))
    if data["id"] != vector_id or data["expected"]["result"] != "valid":
        raise ValueError(f"{vector_id} is not a valid published vector")
    return data


def compact(vector_id: str) -> list[str]:
    """The printed compact serialization, split into its parts."""
    token: str = published(vector_id)["expected"]["compact"]
    return token.split(".")


def json_form(vector_id: str, form: str) -> dict[str, Any]:
    """A deep copy of a printed JSON serialization ("json" or "json_flattened")."""
    data: dict[str, Any] = copy.deepcopy(published(vector_id)["expected"][form])
    return data


def header_of(encoded: str) -> bytes:
    """The protected header octets of an encoded protected header."""
    return unb64u(encoded)


# -- the derived vector ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Derived:
    """One negative vector: a published parent and what was changed in it."""

    family: str
    parent: str
    mutation: str
    clause: str
    error: str
    form: str
    token: Any
    variant: str | None = None
    keys: dict[str, Any] | None = None
    input: dict[str, Any] | None = None
    kind: str | None = None

    @property
    def stem(self) -> str:
        """`<family>-<rfcNNNN>-<section>[-<variant>]`, the file name without .json."""
        short = "-".join(self.parent.split("-")[:2])
        return "-".join(p for p in (self.family, short, self.variant) if p)

    def vector(self) -> dict[str, Any]:
        """The vector file's content (vectors/FORMAT.md envelope)."""
        parent = published(self.parent)
        source = {
            name: parent["source"][name]
            for name in ("rfc", "section", "title", "url", "figures", "errata")
            if name in parent["source"]
        }
        source["note"] = (
            f"Derived negative vector, not printed in the RFC: written by "
            f"vectors/tools/derive.py by mutating the published vector {self.parent}. "
            "'keys' and 'input' are the parent's unless the mutation says otherwise; the "
            "algorithms named in 'input' are the verifier's allow-set."
        )
        return {
            "id": f"derived-{self.stem}",
            "source": source,
            "derived_from": self.parent,
            "mutation": self.mutation,
            "clause": self.clause,
            "kind": self.kind or parent["kind"],
            "serializations": [self.form],
            "keys": self.keys if self.keys is not None else parent["keys"],
            "input": self.input if self.input is not None else parent["input"],
            "expected": {"result": "invalid", "error": self.error, self.form: self.token},
            "deterministic": False,
            "nondeterministic_reason": NONDETERMINISTIC_REASON,
        }


# Every mutation family, with the SECURITY.md attack-corpus class it belongs to. Each family
# has at least one vector (tests/test_derived_vectors.py).
FAMILIES: dict[str, str] = {
    "jwe-tag-flip": "Content encryption: a modified tag fails",
    "jwe-tag-truncated": "Content encryption: GCM / CBC-HMAC tag of the wrong length",
    "jwe-tag-extended": "Content encryption: GCM tag of any length but 16",
    "jwe-ciphertext-flip": "Content encryption: CBC padding errors look like MAC errors",
    "jwe-ciphertext-truncated": "Content encryption: non-block ciphertext",
    "jwe-iv-length": "Content encryption: IV of any length but 12 (GCM) or 16 (CBC)",
    "jwe-protected-header-reencoded": "Content encryption: a modified protected header fails",
    "jwe-aad-changed": "Content encryption: the JWE AAD is authenticated",
    "jwe-part-count": "Structure: wrong part count",
    "jwe-dir-encrypted-key": "JWE key management: 'dir' with a non-empty encrypted key",
    "jwe-alg-none": "Algorithm binding: 'none' in any case",
    "jwe-alg-case": "Structure: case variants of algorithm names",
    "jwe-enc-unknown": "Content encryption: unknown or padded 'enc'",
    "jwe-alg-substituted": "JWE key management: RSA1_5 header with an RSA-OAEP key",
    "jwe-zip-unprotected": "Compression: 'zip' outside the protected header",
    "jwe-zip-unknown": "Compression: 'zip' not 'DEF'",
    "jwe-zip-bomb": "Compression: a validly encrypted DEFLATE bomb",
    "jwe-header-not-disjoint": "Structure: a name in both protected and unprotected headers",
    "jwe-crit-unprotected": "crit: 'crit' unprotected",
    "jwe-crit-unknown": "crit: unknown names in 'crit'",
    "jwe-rsa1-5-encrypted-key": "JWE key management: RSA1_5 bad padding / wrong length",
    "jwe-aeskw-encrypted-key": "JWE key management: AES-KW integrity failure",
    "jwe-gcmkw-iv-length": "JWE key management: A*GCMKW with a wrong-length 'iv'",
    "jwe-pbes2-p2c-limit": "JWE key management: 'p2c' above the limit",
    "jwe-pbes2-p2c-invalid": "JWE key management: 'p2c' of 0 or true",
    "jwe-pbes2-p2s-short": "JWE key management: 'p2s' shorter than 8 octets",
    "jwe-ecdh-epk-off-curve": "JWE key management: ECDH-ES 'epk' off the curve",
    "jwe-ecdh-epk-private": "JWE key management: ECDH-ES 'epk' with a private 'd'",
    "jws-signature-flip": "Signature values: a modified signature fails",
    "jws-signature-truncated": "Signature values: HMAC tag truncated, ECDSA of the wrong length",
    "jws-signature-length": "Signature values: RSA signature length != modulus length",
    "jws-signature-zero": "Signature values: ECDSA with r, s = 0",
    "jws-signature-der": "Signature values: ECDSA signature DER-encoded",
    "jws-payload-changed": "Signature values: the signing input covers the payload",
    "jws-alg-none": "Algorithm binding: 'alg: none' with or without a signature",
    "jws-alg-case": "Structure: case variants ('NONE', 'hs256')",
    "jws-alg-missing": "Algorithm binding: missing 'alg'",
    "jws-alg-hmac-confusion": "Algorithm binding: HS256 'signed' with the verifier's public key",
    "jws-crit-unknown": "crit: unknown names in 'crit'",
    "jws-crit-invalid": "crit: 'crit' empty or naming a registered parameter",
    "jws-crit-unprotected": "crit: 'crit' unprotected",
    "jws-header-not-disjoint": "Structure: a name in both protected and unprotected headers",
    "jws-header-duplicate-member": "Structure: duplicate header members",
    "jws-b64-without-crit": "crit: 'b64': false honoured only with crit ['b64'] (RFC 7797)",
    "jws-b64url-noncanonical": "Structure: non-canonical base64url (unused bits set)",
    "jws-b64url-padding": "Structure: characters outside base64url ('=')",
    "jws-part-count": "Structure: wrong part count",
    "jws-given-jwe": "Token types: a JWE handed to the JWS verify API",
}

SPECS: list[Callable[[], Iterator[Derived]]] = []


def spec(function: Callable[[], Iterator[Derived]]) -> Callable[[], Iterator[Derived]]:
    """Register a generator of derived vectors."""
    SPECS.append(function)
    return function


# Identifiers of the published parents used below.
A1_HS256 = "rfc7515-a.1-hs256"
A2_RS256 = "rfc7515-a.2-rs256"
A3_ES256 = "rfc7515-a.3-es256"
JWE_A1 = "rfc7516-a.1-rsa-oaep-a256gcm"
JWE_A2 = "rfc7516-a.2-rsa1-5-a128cbc-hs256"
JWE_A3 = "rfc7516-a.3-a128kw-a128cbc-hs256"
JWE_A4 = "rfc7516-a.4-general-json-two-recipients"
PBES2_C = "rfc7517-c-pbes2-encrypted-jwk"
S4_1 = "rfc7520-4.1-rsa-v15-signature-rs256"
S4_2 = "rfc7520-4.2-rsa-pss-signature-ps384"
S4_3 = "rfc7520-4.3-ecdsa-signature-es512"
S4_4 = "rfc7520-4.4-hmac-sha2-integrity-hs256"
S4_6 = "rfc7520-4.6-protecting-specific-header-fields-hs256"
S5_1 = "rfc7520-5.1-rsa1-5-a128cbc-hs256"
S5_2 = "rfc7520-5.2-rsa-oaep-a256gcm"
S5_3 = "rfc7520-5.3-pbes2-hs512-a256kw-a128cbc-hs256"
S5_4 = "rfc7520-5.4-ecdh-es-a128kw-a128gcm"
S5_6 = "rfc7520-5.6-dir-a128gcm"
S5_7 = "rfc7520-5.7-a256gcmkw-a128cbc-hs256"
S5_8 = "rfc7520-5.8-a128kw-a128gcm"
S5_9 = "rfc7520-5.9-compressed-content"
S5_10 = "rfc7520-5.10-additional-authenticated-data"
S5_11 = "rfc7520-5.11-protecting-specific-header-fields"
B64_FALSE = "rfc7797-4.2-b64-false-hs256"
ED25519 = "rfc8037-a.4-ed25519-signing"

# JWE compact part indexes (RFC 7516 s7.1).
HEADER, ENCRYPTED_KEY, IV, CIPHERTEXT, TAG = range(5)

DECRYPTION = "DecryptionError"
MALFORMED = "MalformedError"
UNSUPPORTED = "UnsupportedAlgorithmError"
NOT_ALLOWED = "AlgorithmNotAllowedError"
LIMIT = "LimitExceededError"
BAD_SIGNATURE = "InvalidSignatureError"
BAD_KEY = "InvalidKeyError"


def _jwe(parts: list[str], index: int, value: bytes) -> str:
    out = list(parts)
    out[index] = b64u(value)
    return ".".join(out)


def _jwe_header(parts: list[str], header: bytes) -> str:
    return _jwe(parts, HEADER, header)


# -- JWE: authentication tag, ciphertext, IV, AAD -------------------------------------------------

TAG_CLAUSE = (
    f"{DECRYPT[16].label}: the JWE Authentication Tag is validated and the input rejected, "
    "without emitting any decrypted output, when it is incorrect"
)


@spec
def jwe_tag() -> Iterator[Derived]:
    parts = compact(S5_8)
    yield Derived(
        family="jwe-tag-flip",
        parent=S5_8,
        mutation="The last bit of the AES-GCM JWE Authentication Tag is flipped.",
        clause=f"{TAG_CLAUSE}; RFC 7518 s5.3 (AES GCM)",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, TAG, flip(unb64u(parts[TAG]), -1)),
    )
    parts = compact(JWE_A3)
    yield Derived(
        family="jwe-tag-flip",
        parent=JWE_A3,
        mutation="The first bit of the A128CBC-HS256 JWE Authentication Tag is flipped.",
        clause="RFC 7518 s5.2.2.2: T must equal the first T_LEN octets of the HMAC over "
        "A || IV || E || AL, else the input is rejected before any decryption",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, TAG, flip(unb64u(parts[TAG]), 0, 0x80)),
    )
    parts = compact(S5_6)
    yield Derived(
        family="jwe-tag-truncated",
        parent=S5_6,
        mutation="The 128-bit AES-GCM tag is truncated to its first 96 bits (12 octets).",
        clause="RFC 7518 s5.3: AES GCM in JWE uses a 128-bit Authentication Tag; a shorter "
        f"tag is never accepted ({DECRYPT[16].label})",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, TAG, unb64u(parts[TAG])[:12]),
    )
    parts = compact(S5_7)
    yield Derived(
        family="jwe-tag-truncated",
        parent=S5_7,
        mutation="The 16-octet A128CBC-HS256 tag is truncated to its first 8 octets.",
        clause="RFC 7518 s5.2.3: A128CBC-HS256 has T_LEN = 16 octets; a shorter tag is not "
        f"the tag (RFC 7518 s5.2.2.2, {DECRYPT[16].label})",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, TAG, unb64u(parts[TAG])[:8]),
    )
    parts = compact(S5_2)
    yield Derived(
        family="jwe-tag-extended",
        parent=S5_2,
        mutation="A zero octet is appended to the 16-octet AES-GCM tag.",
        clause=f"RFC 7518 s5.3: the Authentication Tag is 128 bits; {TAG_CLAUSE}",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, TAG, unb64u(parts[TAG]) + b"\x00"),
    )


@spec
def jwe_ciphertext() -> Iterator[Derived]:
    parts = compact(S5_2)
    yield Derived(
        family="jwe-ciphertext-flip",
        parent=S5_2,
        mutation="The first bit of the AES-GCM JWE Ciphertext is flipped.",
        clause=TAG_CLAUSE,
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, CIPHERTEXT, flip(unb64u(parts[CIPHERTEXT]), 0, 0x80)),
    )
    parts = compact(S5_9)
    yield Derived(
        family="jwe-ciphertext-flip",
        parent=S5_9,
        mutation="The last bit of the ciphertext of the compressed ('zip': 'DEF') content is "
        "flipped.",
        clause=f"{TAG_CLAUSE}; the tag is checked before step 17 uncompresses anything",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, CIPHERTEXT, flip(unb64u(parts[CIPHERTEXT]), -1)),
    )
    token = json_form(S5_1, "json_flattened")
    token["ciphertext"] = b64u(flip(unb64u(token["ciphertext"]), -1))
    yield Derived(
        family="jwe-ciphertext-flip",
        parent=S5_1,
        mutation="The last bit of the A128CBC-HS256 ciphertext (its padding block) is flipped "
        "in the flattened JSON serialization.",
        clause="RFC 7518 s5.2.2.2: the HMAC over the ciphertext is checked before decryption, "
        "so a padding change is refused as a tag failure (no padding oracle)",
        error=DECRYPTION,
        form="json_flattened",
        token=token,
    )
    parts = compact(JWE_A3)
    yield Derived(
        family="jwe-ciphertext-truncated",
        parent=JWE_A3,
        mutation="The last 16-octet block of the A128CBC-HS256 ciphertext is removed.",
        clause="RFC 7518 s5.2.2.2: E enters the HMAC, so a truncated ciphertext fails the tag",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, CIPHERTEXT, unb64u(parts[CIPHERTEXT])[:-16]),
    )


@spec
def jwe_iv() -> Iterator[Derived]:
    parts = compact(S5_8)
    yield Derived(
        family="jwe-iv-length",
        parent=S5_8,
        mutation="Four zero octets are appended to the 96-bit AES-GCM JWE Initialization "
        "Vector (16 octets).",
        clause="RFC 7518 s5.3: use of an IV of size 96 bits is REQUIRED with AES GCM",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, IV, unb64u(parts[IV]) + bytes(4)),
    )
    parts = compact(JWE_A3)
    yield Derived(
        family="jwe-iv-length",
        parent=JWE_A3,
        mutation="The 128-bit A128CBC-HS256 JWE Initialization Vector is cut to 12 octets.",
        clause="RFC 7518 s5.2.2.1: AES-CBC uses a 128-bit IV; the IV also enters the HMAC "
        "(s5.2.2.2)",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, IV, unb64u(parts[IV])[:12]),
    )


@spec
def jwe_aad() -> Iterator[Derived]:
    parts = compact(S5_8)
    header = replace_once(header_of(parts[HEADER]), b'"alg":', b'"alg": ')
    yield Derived(
        family="jwe-protected-header-reencoded",
        parent=S5_8,
        mutation="The JWE Protected Header is re-encoded with one space after '\"alg\":' "
        "(same members and values).",
        clause=f"{DECRYPT[15].label}: the AAD is ASCII of the received encoded protected "
        "header, so any re-encoding fails the tag (step 16)",
        error=DECRYPTION,
        form="compact",
        token=_jwe_header(parts, header),
    )
    parts = compact(JWE_A1)
    header = replace_once(header_of(parts[HEADER]), b'"enc":', b'"enc": ')
    yield Derived(
        family="jwe-protected-header-reencoded",
        parent=JWE_A1,
        mutation="The JWE Protected Header is re-encoded with one space after '\"enc\":'.",
        clause=f"{DECRYPT[15].label}: the AAD is ASCII of the received encoded protected "
        "header, so any re-encoding fails the tag (step 16)",
        error=DECRYPTION,
        form="compact",
        token=_jwe_header(parts, header),
    )
    token = json_form(S5_10, "json")
    token["aad"] = b64u(flip(unb64u(token["aad"]), 0, 0x01))
    yield Derived(
        family="jwe-aad-changed",
        parent=S5_10,
        mutation="The last bit of the first octet of the JWE AAD ('[' becomes 'Z') is flipped "
        "in the general JSON serialization.",
        clause=f"{DECRYPT[15].label}: the AAD is ASCII(Encoded Protected Header || '.' || "
        "BASE64URL(JWE AAD)), so a changed JWE AAD fails the tag (step 16)",
        error=DECRYPTION,
        form="json",
        token=token,
    )


# -- JWE: structure and headers -------------------------------------------------------------------


@spec
def jwe_structure() -> Iterator[Derived]:
    parts = compact(S5_8)
    yield Derived(
        family="jwe-part-count",
        parent=S5_8,
        variant="six-parts",
        mutation="A sixth part (a copy of the tag) is appended after a fifth period.",
        clause="RFC 7516 s7.1: the JWE Compact Serialization is exactly five base64url parts "
        "separated by periods (s5.2 step 1)",
        error=MALFORMED,
        form="compact",
        token=".".join([*parts, parts[TAG]]),
    )
    yield Derived(
        family="jwe-part-count",
        parent=S5_8,
        variant="four-parts",
        mutation="The tag part and the period before it are removed (four parts).",
        clause="RFC 7516 s7.1: the JWE Compact Serialization is exactly five base64url parts "
        "separated by periods (s5.2 step 1)",
        error=MALFORMED,
        form="compact",
        token=".".join(parts[:TAG]),
    )
    parts = compact(S5_6)
    yield Derived(
        family="jwe-dir-encrypted-key",
        parent=S5_6,
        mutation="The empty JWE Encrypted Key of the 'dir' token is replaced by 16 octets: "
        "its 12-octet IV followed by four zero octets.",
        clause="RFC 7516 s5.2 step 10: with Direct Encryption the JWE Encrypted Key MUST be "
        "the empty octet sequence",
        error=MALFORMED,
        form="compact",
        token=_jwe(parts, ENCRYPTED_KEY, unb64u(parts[IV]) + bytes(4)),
    )


@spec
def jwe_alg_enc() -> Iterator[Derived]:
    parts = compact(S5_8)
    header = header_of(parts[HEADER])
    yield Derived(
        family="jwe-alg-none",
        parent=S5_8,
        variant="lower",
        mutation="'alg' is changed from 'A128KW' to 'none' in the re-encoded protected header.",
        clause="RFC 7516 s4.1.1: 'alg' must name a key management algorithm the recipient "
        "understands; 'none' is registered for JWS only (RFC 7518 s3.6, s7.1.2)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"A128KW"', b'"none"')),
    )
    yield Derived(
        family="jwe-alg-none",
        parent=S5_8,
        variant="upper",
        mutation="'alg' is changed from 'A128KW' to 'NONE' in the re-encoded protected header.",
        clause="RFC 7516 s4.1.1: 'alg' is case-sensitive and must be understood; 'NONE' is no "
        "registered algorithm (RFC 7518 s7.1.2)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"A128KW"', b'"NONE"')),
    )
    yield Derived(
        family="jwe-alg-case",
        parent=S5_8,
        mutation="'alg' is changed from 'A128KW' to 'a128kw' in the re-encoded protected header.",
        clause="RFC 7516 s4.1.1: 'alg' values are case-sensitive; 'a128kw' is not registered "
        "(RFC 7518 s4.1)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"A128KW"', b'"a128kw"')),
    )
    yield Derived(
        family="jwe-enc-unknown",
        parent=S5_8,
        variant="padded",
        mutation="'enc' is changed from 'A128GCM' to 'A128GCM ' (a trailing space).",
        clause="RFC 7516 s4.1.2: 'enc' is case-sensitive and MUST be understood; 'A128GCM ' "
        "is not registered (RFC 7518 s5.1)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"A128GCM"', b'"A128GCM "')),
    )
    parts = compact(JWE_A1)
    yield Derived(
        family="jwe-enc-unknown",
        parent=JWE_A1,
        variant="a512gcm",
        mutation="'enc' is changed from 'A256GCM' to the unregistered 'A512GCM'.",
        clause="RFC 7516 s4.1.2: 'enc' MUST be understood; 'A512GCM' is not registered "
        "(RFC 7518 s5.1)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(
            parts, replace_once(header_of(parts[HEADER]), b'"A256GCM"', b'"A512GCM"')
        ),
    )
    parts = compact(S5_2)
    yield Derived(
        family="jwe-alg-substituted",
        parent=S5_2,
        mutation="'alg' is changed from 'RSA-OAEP' to 'RSA1_5' while the verifier allows only "
        "RSA-OAEP.",
        clause="RFC 8725 s3.1-3.2: the recipient accepts only the algorithms it allows; an "
        "attacker's RSA1_5 (Bleichenbacher) header is refused before any RSA operation",
        error=NOT_ALLOWED,
        form="compact",
        token=_jwe_header(
            parts, replace_once(header_of(parts[HEADER]), b'"RSA-OAEP"', b'"RSA1_5"')
        ),
    )


@spec
def jwe_json_headers() -> Iterator[Derived]:
    token = json_form(S5_8, "json_flattened")
    token["unprotected"] = {"zip": "DEF"}
    yield Derived(
        family="jwe-zip-unprotected",
        parent=S5_8,
        variant="shared",
        mutation="A JWE Shared Unprotected Header {'zip': 'DEF'} is added to the flattened "
        "JSON serialization.",
        clause="RFC 7516 s4.1.3: 'zip' MUST be integrity protected and therefore occur only "
        "within the JWE Protected Header",
        error=MALFORMED,
        form="json_flattened",
        token=token,
    )
    token = json_form(S5_11, "json")
    token["recipients"][0]["header"] = {"zip": "DEF"}
    yield Derived(
        family="jwe-zip-unprotected",
        parent=S5_11,
        variant="per-recipient",
        mutation="A per-recipient header {'zip': 'DEF'} is added to the general JSON "
        "serialization.",
        clause="RFC 7516 s4.1.3: 'zip' MUST be integrity protected and therefore occur only "
        "within the JWE Protected Header",
        error=MALFORMED,
        form="json",
        token=token,
    )
    token = json_form(S5_11, "json_flattened")
    token["unprotected"]["enc"] = "A128GCM"
    yield Derived(
        family="jwe-header-not-disjoint",
        parent=S5_11,
        mutation="'enc': 'A128GCM', already in the JWE Protected Header, is added to the JWE "
        "Shared Unprotected Header of the flattened JSON serialization.",
        clause="RFC 7516 s7.2.1: the JWE Protected Header, JWE Shared Unprotected Header and "
        "Per-Recipient Unprotected Header members MUST be disjoint (s5.2 step 4)",
        error=MALFORMED,
        form="json_flattened",
        token=token,
    )
    token = json_form(JWE_A4, "json")
    token["recipients"][0]["header"]["jku"] = "https://server.example.com/keys.jwks"
    yield Derived(
        family="jwe-header-not-disjoint",
        parent=JWE_A4,
        mutation="The shared header's 'jku' is repeated in the first recipient's header of the "
        "general JSON serialization.",
        clause="RFC 7516 s7.2.1: the header sets MUST be disjoint; a malformed recipient "
        "refuses the whole JWE whichever recipient's key is used",
        error=MALFORMED,
        form="json",
        token=token,
    )
    token = json_form(S5_11, "json_flattened")
    token["unprotected"]["crit"] = ["exp"]
    token["unprotected"]["exp"] = 1363284000
    yield Derived(
        family="jwe-crit-unprotected",
        parent=S5_11,
        mutation="'crit': ['exp'] and 'exp' are added to the JWE Shared Unprotected Header of "
        "the flattened JSON serialization.",
        clause="RFC 7516 s4.1.13 (RFC 7515 s4.1.11): 'crit' MUST be integrity protected and "
        "occur only within the JWE Protected Header",
        error=MALFORMED,
        form="json_flattened",
        token=token,
    )


@spec
def jwe_crit() -> Iterator[Derived]:
    parts = compact(S5_8)
    header = with_members(header_of(parts[HEADER]), {"crit": ["exp"], "exp": 1363284000})
    yield Derived(
        family="jwe-crit-unknown",
        parent=S5_8,
        variant="tag-stale",
        mutation="'crit': ['exp'] and 'exp': 1363284000 are added to the re-encoded protected "
        "header (the tag no longer matches the new AAD).",
        clause="RFC 7516 s4.1.13 and s5.2 step 5: a 'crit' extension the recipient does not "
        "understand makes the JWE invalid; step 5 comes before any decryption (step 16)",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(parts, header),
    )
    # The same mutation with a tag that verifies: AES-GCM under the printed 'dir' key and IV.
    parent = published(S5_6)
    parts = compact(S5_6)
    header = with_members(header_of(parts[HEADER]), {"crit": ["exp"], "exp": 1363284000})
    encoded = b64u(header)
    key = unb64u(parent["keys"]["aes-128-gcm"]["k"])
    sealed = AESGCM(key).encrypt(
        unb64u(parts[IV]), octets(parent["input"]["plaintext"]), encoded.encode("ascii")
    )
    token = ".".join(
        [encoded, parts[ENCRYPTED_KEY], parts[IV], b64u(sealed[:-16]), b64u(sealed[-16:])]
    )
    yield Derived(
        family="jwe-crit-unknown",
        parent=S5_6,
        variant="tag-valid",
        mutation="'crit': ['exp'] and 'exp' are added to the protected header and the content "
        "re-encrypted (AES-GCM, cryptography) under the printed key and IV, so the tag is valid.",
        clause="RFC 7516 s4.1.13 and s5.2 step 5: a 'crit' extension the recipient does not "
        "understand makes the JWE invalid even though its tag verifies",
        error=MALFORMED,
        form="compact",
        token=token,
    )


# -- JWE: key management --------------------------------------------------------------------------


@spec
def jwe_key_management() -> Iterator[Derived]:
    parts = compact(JWE_A2)
    yield Derived(
        family="jwe-rsa1-5-encrypted-key",
        parent=JWE_A2,
        variant="flipped",
        mutation="The last bit of the RSA1_5 JWE Encrypted Key is flipped.",
        clause="RFC 7518 s4.2 and RFC 7516 s11.5: the recovered CEK is wrong or the padding "
        "invalid; a random CEK stands in, so the failure shows only at the tag (s5.2 step 16)",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, ENCRYPTED_KEY, flip(unb64u(parts[ENCRYPTED_KEY]), -1)),
    )
    parts = compact(S5_1)
    yield Derived(
        family="jwe-rsa1-5-encrypted-key",
        parent=S5_1,
        variant="short",
        mutation="The first octet of the 256-octet RSA1_5 JWE Encrypted Key is removed.",
        clause="RFC 8017 s7.2.2 step 1 (the ciphertext must have the modulus length) and "
        "RFC 7516 s11.5: refused as indistinguishably as any other RSA1_5 failure",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, ENCRYPTED_KEY, unb64u(parts[ENCRYPTED_KEY])[1:]),
    )
    parts = compact(S5_8)
    yield Derived(
        family="jwe-aeskw-encrypted-key",
        parent=S5_8,
        mutation="The last bit of the A128KW JWE Encrypted Key is flipped.",
        clause="RFC 3394 s2.2.3: the AES Key Wrap integrity check fails on unwrap "
        "(RFC 7518 s4.4, RFC 7516 s5.2 step 9)",
        error=DECRYPTION,
        form="compact",
        token=_jwe(parts, ENCRYPTED_KEY, flip(unb64u(parts[ENCRYPTED_KEY]), -1)),
    )
    parts = compact(S5_7)
    header = header_of(parts[HEADER])
    iv = json.loads(header)["iv"]
    yield Derived(
        family="jwe-gcmkw-iv-length",
        parent=S5_7,
        mutation="The A256GCMKW header 'iv' is cut from 12 to its first 8 octets.",
        clause="RFC 7518 s4.7.1.1: 'iv' is the 96-bit IV of the key encryption",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, iv.encode(), b64u(unb64u(iv)[:8]).encode())),
    )


@spec
def jwe_pbes2() -> Iterator[Derived]:
    parts = compact(S5_3)
    header = header_of(parts[HEADER])
    limit_clause = (
        "RFC 7518 s4.8.1.2 makes 'p2c' the PBKDF2 iteration count with no upper bound; "
        "jose_ref's Limits.max_pbes2_count (10 000 by default, SECURITY.md 'Defaults') refuses a "
        "larger count before any derivation"
    )
    yield Derived(
        family="jwe-pbes2-p2c-limit",
        parent=S5_3,
        mutation="'p2c' is raised from 8192 to 10001 in the re-encoded protected header.",
        clause=limit_clause,
        error=LIMIT,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"p2c":8192', b'"p2c":10001')),
    )
    yield Derived(
        family="jwe-pbes2-p2c-invalid",
        parent=S5_3,
        variant="zero",
        mutation="'p2c' is changed from 8192 to 0 in the re-encoded protected header.",
        clause="RFC 7518 s4.8.1.2: 'p2c' is a positive JSON integer",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"p2c":8192', b'"p2c":0')),
    )
    yield Derived(
        family="jwe-pbes2-p2c-invalid",
        parent=S5_3,
        variant="boolean",
        mutation="'p2c' is changed from 8192 to true in the re-encoded protected header.",
        clause="RFC 7518 s4.8.1.2: 'p2c' is a positive JSON integer; true is a JSON boolean",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, b'"p2c":8192', b'"p2c":true')),
    )
    p2s = json.loads(header)["p2s"]
    yield Derived(
        family="jwe-pbes2-p2s-short",
        parent=S5_3,
        mutation="'p2s' is cut from 16 to its first 7 octets in the re-encoded protected header.",
        clause="RFC 7518 s4.8.1.1: a Salt Input value containing 8 or more octets MUST be used",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(
            parts, replace_once(header, p2s.encode(), b64u(unb64u(p2s)[:7]).encode())
        ),
    )
    parts = compact(PBES2_C)
    yield Derived(
        family="jwe-pbes2-p2c-limit",
        parent=PBES2_C,
        mutation="'p2c' is raised from 4096 to 2147483647 (2^31 - 1) in the re-encoded "
        "protected header.",
        clause=limit_clause,
        error=LIMIT,
        form="compact",
        token=_jwe_header(
            parts, replace_once(header_of(parts[HEADER]), b'"p2c":4096', b'"p2c":2147483647')
        ),
    )


@spec
def jwe_ecdh() -> Iterator[Derived]:
    parent = published(S5_4)
    parts = compact(S5_4)
    header = header_of(parts[HEADER])
    epk = json.loads(header)["epk"]
    y = flip(unb64u(epk["y"]), -1)
    if on_curve(epk["crv"], unb64u(epk["x"]), y):
        raise AssertionError("the mutated epk is still on the curve")
    yield Derived(
        family="jwe-ecdh-epk-off-curve",
        parent=S5_4,
        mutation="The last bit of the 'epk' y coordinate is flipped, which moves the point off "
        "P-384 (checked with cryptography).",
        clause="RFC 8725 s3.4: an ECDH-ES ephemeral public key must be validated to be on the "
        "curve (invalid-curve attack); RFC 7518 s4.6.1.1",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(parts, replace_once(header, epk["y"].encode(), b64u(y).encode())),
    )
    ephemeral = parent["fixed_randomness"]["recipients"][0]["epk"]
    if (ephemeral["x"], ephemeral["y"]) != (epk["x"], epk["y"]):
        raise AssertionError("the printed ephemeral key is not the header's epk")
    epk_end = b'"y":"' + epk["y"].encode() + b'"'
    yield Derived(
        family="jwe-ecdh-epk-private",
        parent=S5_4,
        mutation="The printed ephemeral private key 'd' is added to the header's 'epk'.",
        clause="RFC 7518 s4.6.1.1: 'epk' MUST contain only public key parameters",
        error=MALFORMED,
        form="compact",
        token=_jwe_header(
            parts,
            replace_once(header, epk_end, epk_end + b',"d":"' + ephemeral["d"].encode() + b'"'),
        ),
    )


# -- JWE: compression -----------------------------------------------------------------------------


@spec
def jwe_zip() -> Iterator[Derived]:
    parts = compact(S5_9)
    yield Derived(
        family="jwe-zip-unknown",
        parent=S5_9,
        mutation="'zip' is changed from 'DEF' to 'def' in the re-encoded protected header.",
        clause="RFC 7516 s4.1.3: 'zip' values are case-sensitive and 'DEF' is the only "
        "registered one (RFC 7518 s7.3)",
        error=UNSUPPORTED,
        form="compact",
        token=_jwe_header(parts, replace_once(header_of(parts[HEADER]), b'"DEF"', b'"def"')),
    )
    # A validly encrypted bomb: the printed header, encrypted key and IV, with the content
    # replaced by raw DEFLATE of 300 055 zero octets, sealed under the printed CEK.
    parent = published(S5_9)
    cek = octets(parent["fixed_randomness"]["cek"])
    if unb64u(parts[IV]) != octets(parent["fixed_randomness"]["iv"]):
        raise AssertionError("the printed IV is not the token's")
    stream = raw_deflate_zeros(1 + 258 * 1163)
    sealed = AESGCM(cek).encrypt(unb64u(parts[IV]), stream, parts[HEADER].encode("ascii"))
    token = ".".join(
        [parts[HEADER], parts[ENCRYPTED_KEY], parts[IV], b64u(sealed[:-16]), b64u(sealed[-16:])]
    )
    yield Derived(
        family="jwe-zip-bomb",
        parent=S5_9,
        mutation=f"The content is replaced by {len(stream)} octets of raw DEFLATE that inflate "
        "to 300 055 zero octets, encrypted (AES-GCM, cryptography) under the printed CEK and IV.",
        clause=f"{DECRYPT[17].label} uncompresses only after the tag; jose_ref's "
        "Limits.max_plaintext_bytes (250 000 by default, SECURITY.md 'Defaults') bounds the "
        "inflated plaintext, as no RFC does",
        error=LIMIT,
        form="compact",
        token=token,
    )


# -- JWS: signature values ------------------------------------------------------------------------


def _jws(parts: list[str], signature: bytes) -> str:
    return ".".join([parts[0], parts[1], b64u(signature)])


def _sig(parts: list[str]) -> bytes:
    return unb64u(parts[2])


STEP8 = f"{VALIDATE[8].label}: the JWS Signature does not validate over the JWS Signing Input"


@spec
def jws_signature() -> Iterator[Derived]:
    parts = compact(A1_HS256)
    yield Derived(
        family="jws-signature-flip",
        parent=A1_HS256,
        mutation="The last bit of the HS256 JWS Signature is flipped.",
        clause=f"{STEP8}; RFC 7518 s3.2 (HMAC)",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, flip(_sig(parts), -1)),
    )
    parts = compact(S4_1)
    yield Derived(
        family="jws-signature-flip",
        parent=S4_1,
        mutation="The last bit of the RS256 JWS Signature is flipped.",
        clause=f"{STEP8}; RFC 7518 s3.3 (RSASSA-PKCS1-v1_5)",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, flip(_sig(parts), -1)),
    )
    token = json_form(S4_2, "json_flattened")
    token["signature"] = b64u(flip(unb64u(token["signature"]), 0, 0x80))
    yield Derived(
        family="jws-signature-flip",
        parent=S4_2,
        mutation="The first bit of the PS384 signature is flipped in the flattened JSON "
        "serialization.",
        clause=f"{STEP8}; RFC 7518 s3.5 (RSASSA-PSS)",
        error=BAD_SIGNATURE,
        form="json_flattened",
        token=token,
    )
    token = json_form(S4_3, "json")
    token["signatures"][0]["signature"] = b64u(
        flip(unb64u(token["signatures"][0]["signature"]), -1)
    )
    yield Derived(
        family="jws-signature-flip",
        parent=S4_3,
        mutation="The last bit of the ES512 signature (in S) is flipped in the general JSON "
        "serialization.",
        clause=f"{STEP8}; RFC 7518 s3.4 (ECDSA)",
        error=BAD_SIGNATURE,
        form="json",
        token=token,
    )
    parts = compact(ED25519)
    yield Derived(
        family="jws-signature-flip",
        parent=ED25519,
        mutation="The first bit of the Ed25519 JWS Signature (in R) is flipped.",
        clause=f"{STEP8}; RFC 8037 s3.1 (EdDSA, RFC 8032 s5.1.7)",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, flip(_sig(parts), 0, 0x80)),
    )
    parts = compact(A1_HS256)
    yield Derived(
        family="jws-signature-truncated",
        parent=A1_HS256,
        mutation="The 32-octet HS256 JWS Signature is truncated to its first 16 octets.",
        clause="RFC 7518 s3.2: the JWS Signature is the full HMAC SHA-256 output compared with "
        "the computed one; a truncated MAC does not validate (RFC 7515 s5.2 step 8)",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, _sig(parts)[:16]),
    )
    parts = compact(S4_3)
    yield Derived(
        family="jws-signature-truncated",
        parent=S4_3,
        mutation="The last octet of the 132-octet ES512 JWS Signature is removed.",
        clause="RFC 7518 s3.4: an ES512 JWS Signature MUST be a 132-octet sequence (R || S), "
        "else the validation has failed",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, _sig(parts)[:-1]),
    )
    parts = compact(A2_RS256)
    yield Derived(
        family="jws-signature-length",
        parent=A2_RS256,
        mutation="A zero octet is prepended to the 256-octet RS256 JWS Signature (same integer, "
        "257 octets).",
        clause="RFC 8017 s8.2.2 step 1: a signature whose length is not k (the modulus length) "
        "is invalid (RFC 7518 s3.3)",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, b"\x00" + _sig(parts)),
    )
    parts = compact(A3_ES256)
    yield Derived(
        family="jws-signature-zero",
        parent=A3_ES256,
        mutation="The ES256 JWS Signature is replaced by 64 zero octets (R = S = 0).",
        clause="RFC 7518 s3.4: ECDSA validation (FIPS 186-4 s6.4) requires 0 < r, s < n; "
        "R = S = 0 never validates",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, bytes(64)),
    )
    signature = _sig(parts)
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    yield Derived(
        family="jws-signature-der",
        parent=A3_ES256,
        mutation=f"The ES256 R || S signature is re-encoded as a DER Ecdsa-Sig-Value "
        f"({len(der)} octets, cryptography's encode_dss_signature) with the same R and S.",
        clause="RFC 7518 s3.4: the ES256 JWS Signature is R || S and MUST be a 64-octet "
        "sequence, else the validation has failed",
        error=BAD_SIGNATURE,
        form="compact",
        token=_jws(parts, der),
    )


@spec
def jws_payload() -> Iterator[Derived]:
    parts = compact(A1_HS256)
    payload = replace_once(unb64u(parts[1]), b'"joe"', b'"eve"')
    yield Derived(
        family="jws-payload-changed",
        parent=A1_HS256,
        mutation="The payload's 'iss' value 'joe' is changed to 'eve' (re-encoded payload, "
        "signature kept).",
        clause="RFC 7515 s5.2 step 8: the JWS Signing Input includes the encoded payload, so a "
        "changed payload does not validate",
        error=BAD_SIGNATURE,
        form="compact",
        token=".".join([parts[0], b64u(payload), parts[2]]),
    )
    token = json_form(S4_4, "json_flattened")
    token["payload"] = b64u(flip(unb64u(token["payload"]), -1))
    yield Derived(
        family="jws-payload-changed",
        parent=S4_4,
        mutation="The last bit of the payload is flipped in the flattened JSON serialization.",
        clause="RFC 7515 s5.2 step 8: the JWS Signing Input includes the encoded payload",
        error=BAD_SIGNATURE,
        form="json_flattened",
        token=token,
    )


# -- JWS: alg -------------------------------------------------------------------------------------


@spec
def jws_alg() -> Iterator[Derived]:
    parts = compact(A1_HS256)
    header = header_of(parts[0])
    yield Derived(
        family="jws-alg-none",
        parent=A1_HS256,
        variant="unsigned",
        mutation="'alg' is changed from 'HS256' to 'none' and the signature removed (empty "
        "third part).",
        clause="RFC 7518 s3.6 and RFC 8725 s3.1-3.2: an Unsecured JWS MUST NOT be accepted "
        "unless the application allows it; the verifier allows HS256 only",
        error=NOT_ALLOWED,
        form="compact",
        token=".".join([b64u(replace_once(header, b'"HS256"', b'"none"')), parts[1], ""]),
    )
    parts = compact(S4_1)
    yield Derived(
        family="jws-alg-none",
        parent=S4_1,
        variant="signature-kept",
        mutation="'alg' is changed from 'RS256' to 'none', the RS256 signature is kept.",
        clause="RFC 7518 s3.6 and RFC 8725 s3.1: 'none' is never accepted by a verifier that "
        "allows RS256 only, whatever signature is attached",
        error=NOT_ALLOWED,
        form="compact",
        token=_jws(
            [b64u(replace_once(header_of(parts[0]), b'"RS256"', b'"none"')), parts[1]],
            _sig(parts),
        ),
    )
    parts = compact(A2_RS256)
    yield Derived(
        family="jws-alg-case",
        parent=A2_RS256,
        variant="none-upper",
        mutation="'alg' is changed from 'RS256' to 'NONE' and the signature removed.",
        clause="RFC 7515 s4.1.1: 'alg' values are case-sensitive; 'NONE' is not registered "
        "(RFC 7518 s3.1)",
        error=UNSUPPORTED,
        form="compact",
        token=".".join(
            [b64u(replace_once(header_of(parts[0]), b'"RS256"', b'"NONE"')), parts[1], ""]
        ),
    )
    parts = compact(A1_HS256)
    yield Derived(
        family="jws-alg-case",
        parent=A1_HS256,
        variant="hs256-lower",
        mutation="'alg' is changed from 'HS256' to 'hs256' (signature kept).",
        clause="RFC 7515 s4.1.1: 'alg' values are case-sensitive; 'hs256' is not registered "
        "(RFC 7518 s3.1)",
        error=UNSUPPORTED,
        form="compact",
        token=".".join([b64u(replace_once(header, b'"HS256"', b'"hs256"')), parts[1], parts[2]]),
    )
    hmac_key = unb64u(published(A1_HS256)["keys"]["hmac"]["k"])
    without_alg = with_members(header, {}, drop=("alg",))
    encoded = b64u(without_alg)
    yield Derived(
        family="jws-alg-missing",
        parent=A1_HS256,
        mutation="'alg' is removed from the protected header ({'typ':'JWT'}) and the HMAC "
        "recomputed (stdlib hmac) with the printed key.",
        clause="RFC 7515 s4.1.1: the 'alg' Header Parameter MUST be present",
        error=MALFORMED,
        form="compact",
        token=_jws([encoded, parts[1]], hs256(hmac_key, f"{encoded}.{parts[1]}".encode())),
    )


@spec
def jws_key_confusion() -> Iterator[Derived]:
    parent = published(A2_RS256)
    parts = compact(A2_RS256)
    encoded = b64u(replace_once(header_of(parts[0]), b'"RS256"', b'"HS256"'))
    pem = rsa_public_pem(parent["keys"]["rsa"])
    token = _jws([encoded, parts[1]], hs256(pem, f"{encoded}.{parts[1]}".encode()))
    public_keys = {"rsa": public_jwk(parent["keys"]["rsa"])}
    yield Derived(
        family="jws-alg-hmac-confusion",
        parent=A2_RS256,
        variant="rs256-allowed",
        mutation="'alg' is changed to 'HS256' and the token MACed (stdlib hmac) with the RSA "
        "public key's SubjectPublicKeyInfo PEM as the secret; the verifier holds the public JWK "
        "and allows RS256.",
        clause="RFC 8725 s3.1: the verifier accepts only the algorithm it allows (RS256), never "
        "the token's choice",
        error=NOT_ALLOWED,
        form="compact",
        token=token,
        keys=public_keys,
    )
    given = copy.deepcopy(parent["input"])
    given["signatures"][0]["alg"] = "HS256"
    yield Derived(
        family="jws-alg-hmac-confusion",
        parent=A2_RS256,
        variant="hs256-allowed",
        mutation="The same HS256 token MACed with the RSA public key's PEM, with HS256 in the "
        "verifier's allow-set ('input' alg) and the public RSA JWK as its key.",
        clause="RFC 8725 s3.1 and RFC 7518 s3.2/s6.4: an HMAC is keyed by a symmetric ('oct') "
        "key only; an RSA public key in any encoding never keys an HMAC",
        error=BAD_KEY,
        form="compact",
        token=token,
        keys=public_keys,
        input=given,
    )


# -- JWS: headers, crit, b64 ----------------------------------------------------------------------


def _resigned_hs256(parent_id: str, header: bytes, key_name: str = "hmac") -> str:
    parts = compact(parent_id)
    secret = unb64u(published(parent_id)["keys"][key_name]["k"])
    encoded = b64u(header)
    return _jws([encoded, parts[1]], hs256(secret, f"{encoded}.{parts[1]}".encode()))


@spec
def jws_crit() -> Iterator[Derived]:
    parts = compact(A1_HS256)
    header = with_members(header_of(parts[0]), {"crit": ["exp"], "exp": 1363284000})
    yield Derived(
        family="jws-crit-unknown",
        parent=A1_HS256,
        mutation="'crit': ['exp'] and 'exp': 1363284000 are added to the protected header and "
        "the HMAC recomputed (stdlib hmac) with the printed key.",
        clause="RFC 7515 s4.1.11: if any extension listed in 'crit' is not understood and "
        "supported by the recipient, the JWS is invalid (s5.2 step 5)",
        error=MALFORMED,
        form="compact",
        token=_resigned_hs256(A1_HS256, header),
    )
    parent = published(S4_1)
    parts = compact(S4_1)
    header = with_members(
        header_of(parts[0]),
        {"crit": ["http://example.invalid/unknown"], "http://example.invalid/unknown": True},
    )
    encoded = b64u(header)
    signature = rsa_private(parent["keys"]["rsa"]).sign(
        f"{encoded}.{parts[1]}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    yield Derived(
        family="jws-crit-unknown",
        parent=S4_1,
        mutation="'crit' naming the unknown extension 'http://example.invalid/unknown' (present, "
        "true) is added and the token re-signed RS256 (cryptography) with the printed key.",
        clause="RFC 7515 s4.1.11: an extension listed in 'crit' that the recipient does not "
        "understand makes the JWS invalid even though its signature verifies",
        error=MALFORMED,
        form="compact",
        token=_jws([encoded, parts[1]], signature),
    )
    parts = compact(S4_4)
    yield Derived(
        family="jws-crit-invalid",
        parent=S4_4,
        variant="empty",
        mutation="'crit': [] is added to the protected header and the HMAC recomputed with the "
        "printed key.",
        clause="RFC 7515 s4.1.11: producers MUST NOT use the empty list [] as the 'crit' "
        "value, and recipients MAY then consider the JWS invalid; jose_ref does (SECURITY.md)",
        error=MALFORMED,
        form="compact",
        token=_resigned_hs256(S4_4, with_members(header_of(parts[0]), {"crit": []})),
    )
    yield Derived(
        family="jws-crit-invalid",
        parent=S4_4,
        variant="registered-name",
        mutation="'crit': ['alg'] is added to the protected header and the HMAC recomputed with "
        "the printed key.",
        clause="RFC 7515 s4.1.11: 'crit' MUST NOT list Header Parameter names defined by "
        "RFC 7515 or RFC 7518, such as 'alg', and recipients MAY then consider the JWS invalid; "
        "jose_ref does (SECURITY.md)",
        error=MALFORMED,
        form="compact",
        token=_resigned_hs256(S4_4, with_members(header_of(parts[0]), {"crit": ["alg"]})),
    )
    token = json_form(S4_6, "json_flattened")
    token["header"]["crit"] = ["exp"]
    token["header"]["exp"] = 1363284000
    yield Derived(
        family="jws-crit-unprotected",
        parent=S4_6,
        mutation="'crit': ['exp'] and 'exp' are added to the JWS Unprotected Header of the "
        "flattened JSON serialization.",
        clause="RFC 7515 s4.1.11: 'crit' MUST be integrity protected: it occurs only within the "
        "JWS Protected Header",
        error=MALFORMED,
        form="json_flattened",
        token=token,
    )


@spec
def jws_headers() -> Iterator[Derived]:
    token = json_form(S4_6, "json_flattened")
    token["header"]["alg"] = "HS256"
    yield Derived(
        family="jws-header-not-disjoint",
        parent=S4_6,
        mutation="'alg': 'HS256', already in the JWS Protected Header, is added to the JWS "
        "Unprotected Header of the flattened JSON serialization.",
        clause="RFC 7515 s7.2.1: the JWS Protected Header and JWS Unprotected Header members "
        "MUST be disjoint (s5.2 step 4)",
        error=MALFORMED,
        form="json_flattened",
        token=token,
    )
    parts = compact(S4_4)
    header = replace_once(header_of(parts[0]), b'{"alg":"HS256"', b'{"alg":"none","alg":"HS256"')
    yield Derived(
        family="jws-header-duplicate-member",
        parent=S4_4,
        mutation="A first member 'alg': 'none' is inserted before 'alg': 'HS256' in the protected "
        "header and the HMAC recomputed with the printed key.",
        clause="RFC 7515 s4: Header Parameter names MUST be unique and a parser MUST either "
        "reject duplicates or keep the lexically last; jose_ref rejects them (SECURITY.md, "
        "'duplicate members'), so this token is never read as 'none' or 'HS256'",
        error=MALFORMED,
        form="compact",
        token=_resigned_hs256(S4_4, header),
    )
    parent = published(B64_FALSE)
    parts = compact(B64_FALSE)
    header = with_members(header_of(parts[0]), {}, drop=("crit",))
    encoded = b64u(header)
    payload = octets(parent["input"]["payload"])
    secret = unb64u(parent["keys"]["hmac"]["k"])
    signature = hs256(secret, encoded.encode() + b"." + payload)
    yield Derived(
        family="jws-b64-without-crit",
        parent=B64_FALSE,
        mutation="'crit' is removed from the header {'alg':'HS256','b64':false} and the HMAC "
        "recomputed over the unencoded payload with the printed key (detached, as printed).",
        clause="RFC 7797 s6: a JWS with 'b64': false MUST list 'b64' in 'crit', so that it is "
        "refused rather than misread",
        error=MALFORMED,
        form="compact",
        token=_jws([encoded, ""], signature),
    )


# -- JWS: encoding and structure ------------------------------------------------------------------

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@spec
def jws_encoding() -> Iterator[Derived]:
    parts = compact(A1_HS256)
    signature = parts[2]
    if len(signature) % 4 != 3 or ALPHABET.index(signature[-1]) % 4:
        raise AssertionError("expected a canonical 43-character signature")
    noncanonical = signature[:-1] + ALPHABET[ALPHABET.index(signature[-1]) + 1]
    yield Derived(
        family="jws-b64url-noncanonical",
        parent=A1_HS256,
        mutation=f"The signature's last character '{signature[-1]}' is replaced by "
        f"'{noncanonical[-1]}', which sets an unused pad bit (same octets with a lenient "
        "decoder).",
        clause="RFC 7515 s2 and Appendix C with RFC 4648 s3.5: the encoding has zero pad bits; "
        "decoders MAY reject other encodings and jose_ref does (SECURITY.md), so a signature "
        "has one encoding",
        error=MALFORMED,
        form="compact",
        token=".".join([parts[0], parts[1], noncanonical]),
    )
    yield Derived(
        family="jws-b64url-padding",
        parent=A1_HS256,
        mutation="A '=' padding character is appended to the signature part.",
        clause="RFC 7515 s2: base64url omits all trailing '='; s5.2 step 7 decodes the "
        "signature with no additional characters",
        error=MALFORMED,
        form="compact",
        token=".".join([parts[0], parts[1], signature + "="]),
    )
    yield Derived(
        family="jws-part-count",
        parent=A1_HS256,
        variant="two-parts",
        mutation="The signature part and the period before it are removed (two parts).",
        clause="RFC 7515 s7.1: the JWS Compact Serialization is exactly three base64url parts "
        "separated by two periods (s5.2 step 1)",
        error=MALFORMED,
        form="compact",
        token=".".join(parts[:2]),
    )
    yield Derived(
        family="jws-part-count",
        parent=A1_HS256,
        variant="four-parts",
        mutation="A fourth part (a copy of the signature) is appended after a third period.",
        clause="RFC 7515 s7.1: the JWS Compact Serialization is exactly three base64url parts "
        "separated by two periods (s5.2 step 1)",
        error=MALFORMED,
        form="compact",
        token=".".join([*parts, parts[2]]),
    )
    parent = published(JWE_A1)
    yield Derived(
        family="jws-given-jwe",
        parent=JWE_A1,
        kind="jws",
        mutation="The printed five-part JWE is handed to JWS verification with its RSA key, "
        "allowing RS256 (the 'input' is rewritten as a JWS input).",
        clause="RFC 7516 s9 and RFC 7515 s7.1: four periods make a JWE, a JWS has two; a "
        "verifier never decrypts or reinterprets it (RFC 7515 s5.2 step 1)",
        error=MALFORMED,
        form="compact",
        token=parent["expected"]["compact"],
        input={
            "payload": parent["input"]["plaintext"],
            "signatures": [{"key": "rsa", "alg": "RS256", "protected": None, "unprotected": None}],
            "detached": False,
        },
    )


# -- output ---------------------------------------------------------------------------------------


def build() -> list[Derived]:
    """Every derived vector, in a fixed order; stems are unique, families declared."""
    derived = [item for function in SPECS for item in function()]
    stems = [item.stem for item in derived]
    if len(set(stems)) != len(stems):
        raise AssertionError("two derived vectors share a stem")
    unknown = {item.family for item in derived} - set(FAMILIES)
    if unknown:
        raise AssertionError(f"undeclared mutation families: {sorted(unknown)}")
    return derived


def render(vector: dict[str, Any]) -> str:
    """The file text: two-space JSON, UTF-8 as is, one trailing newline (like the RFC files)."""
    return json.dumps(vector, indent=2, ensure_ascii=False) + "\n"


def write(out: Path) -> list[Path]:
    """Write every derived vector into `out`, replacing the JSON files already there."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    written = []
    for item in build():
        path = out / f"{item.stem}.json"
        path.write_text(render(item.vector()), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the derived vectors (default vectors/derived/)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args(argv)
    written = write(args.out)
    print(f"{len(written)} derived vectors written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
