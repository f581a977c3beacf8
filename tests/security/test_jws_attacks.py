"""SECURITY.md attack rows at the JWS level: each refused with its precise error class.

Rows: "Algorithm and key binding", "Embedded and remote trust" (x5c chain validation
has its own tests), "Signature values" and "crit and extensions".
"""

from __future__ import annotations

import datetime
import socket
import urllib.request
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from jose_ref import JWK, JWKSet, jws
from jose_ref.errors import (
    AlgorithmNotAllowedError,
    InvalidKeyError,
    InvalidSignatureError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
    UnsupportedAlgorithmError,
)
from tests.jwk import P521_ORDER, raises_exactly
from tests.jws.forge import b64, forge, replace_signature, unb64
from tests.jws.keys import other_private, private, public, with_members

PAYLOAD = b'{"sub":"victim","admin":true}'
VICTIM = private("rsa")
ATTACKER = other_private("rsa")

# -- Algorithm and key binding -------------------------------------------------------------


@pytest.mark.parametrize("signature", [b"", b"\x00" * 32])
@pytest.mark.parametrize("algorithms", [None, ["none"], ["none", "RS256", "HS256"]])
def test_alg_none_refused_whatever_the_key(signature: bytes, algorithms: Any) -> None:
    token = replace_signature(forge({"alg": "none"}, PAYLOAD, None), signature)
    for key in (public(VICTIM), private("oct256"), JWKSet([public(VICTIM), private("oct256")])):
        with pytest.raises(AlgorithmNotAllowedError):
            jws.verify_compact(token, key, algorithms=algorithms)


@pytest.mark.parametrize("name", ["None", "NONE", "nOnE", "none ", " none"])
def test_alg_none_case_variants_are_unknown_names(name: str) -> None:
    token = forge({"alg": name}, PAYLOAD, None)
    with pytest.raises(UnsupportedAlgorithmError):
        jws.verify_compact(token, public(VICTIM), algorithms=[name])


@pytest.mark.parametrize("name", ["hs256", "Hs256", "rs256", "HS256 ", "ES256k"])
def test_alg_is_case_sensitive(name: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        jws.verify_compact(forge({"alg": name}, PAYLOAD, None), private("oct256"))


@pytest.mark.parametrize(
    "header",
    [
        {},
        {"Alg": "HS256"},
        {"alg": None},
        {"alg": ["HS256"]},
        {"alg": 256},
        {"alg": {"HS256": 1}},
        {"alg": True},
    ],
)
def test_missing_or_mistyped_alg(header: dict[str, Any]) -> None:
    with pytest.raises(MalformedError):
        jws.verify_compact(forge(header, PAYLOAD, b"k" * 32, "HS256"), private("oct256"))


def test_alg_outside_the_allow_set() -> None:
    token = jws.sign_compact(PAYLOAD, VICTIM, alg="RS384")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, public(VICTIM), algorithms=["RS256", "PS384"])
    bound = with_members(public(VICTIM), alg="RS256")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, bound)


def _public_encodings() -> dict[str, bytes]:
    crypto = VICTIM.crypto_public
    pem, der, ssh = (
        serialization.Encoding.PEM,
        serialization.Encoding.DER,
        serialization.Encoding.OpenSSH,
    )
    spki, pkcs1 = serialization.PublicFormat.SubjectPublicKeyInfo, serialization.PublicFormat.PKCS1
    n = crypto.public_numbers().n
    return {
        "pem": crypto.public_bytes(pem, spki),
        "pem-stripped": crypto.public_bytes(pem, spki).strip(),
        "der": crypto.public_bytes(der, spki),
        "pkcs1-pem": crypto.public_bytes(pem, pkcs1),
        "pkcs1-der": crypto.public_bytes(der, pkcs1),
        "openssh": crypto.public_bytes(ssh, serialization.PublicFormat.OpenSSH),
        "jwk-json": VICTIM.public().to_json().encode(),
        "jwk-json-spaced": VICTIM.public().to_json().replace(",", ", ").encode(),
        "modulus": n.to_bytes((n.bit_length() + 7) // 8, "big"),
    }


@pytest.mark.parametrize("encoding", sorted(_public_encodings()))
@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_keyed_with_the_public_key_never_verifies(encoding: str, alg: str) -> None:
    # The classic RS256/HS256 confusion: an attacker MACs with the verifier's public key.
    secret = _public_encodings()[encoding]
    token = forge({"alg": alg}, PAYLOAD, secret, alg)
    for algorithms in (None, [alg], [alg, "RS256"]):
        with pytest.raises(InvalidKeyError):
            jws.verify_compact(token, public(VICTIM), algorithms=algorithms)
        with pytest.raises(KeyNotFoundError):
            jws.verify_compact(token, JWKSet([public(VICTIM)]), algorithms=algorithms)
    bound = with_members(public(VICTIM), alg="RS256", use="sig")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, bound)
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, bound, algorithms=[alg])


@pytest.mark.parametrize("key_name", ["p256", "ed25519"])
def test_hmac_keyed_with_other_public_keys(key_name: str) -> None:
    key = private(key_name)
    for encoding in (serialization.Encoding.PEM, serialization.Encoding.DER):
        secret = key.crypto_public.public_bytes(
            encoding, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        token = forge({"alg": "HS256"}, PAYLOAD, secret, "HS256")
        with pytest.raises(InvalidKeyError):
            jws.verify_compact(token, public(key), algorithms=["HS256"])


def test_key_bound_to_another_alg_of_the_family() -> None:
    token = jws.sign_compact(PAYLOAD, VICTIM, alg="RS256")
    ps512 = with_members(public(VICTIM), alg="PS512")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, ps512)
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, ps512, algorithms=["RS256"])
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet([ps512]), algorithms=["RS256"])


@pytest.mark.parametrize(
    "members",
    [
        {"use": "enc"},
        {"key_ops": ["encrypt"]},
        {"key_ops": ["sign"]},
        {"use": "enc", "key_ops": ["wrapKey"]},
    ],
)
def test_key_not_meant_for_verification(members: dict[str, Any]) -> None:
    token = jws.sign_compact(PAYLOAD, VICTIM, alg="RS256")
    key = with_members(public(VICTIM), **members)
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, key)
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet([key]))


def test_inconsistent_use_and_key_ops_refused_at_load() -> None:
    with pytest.raises(InvalidKeyError):
        with_members(public(VICTIM), use="sig", key_ops=["encrypt"])


def test_oct_key_for_content_encryption_cannot_verify_hs256() -> None:
    key = private("oct256")
    token = jws.sign_compact(PAYLOAD, key, alg="HS256")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, with_members(key, alg="A256GCM"))
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, with_members(key, use="enc"))
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(token, JWKSet([with_members(key, alg="A256GCM")]))


@pytest.mark.parametrize(
    ("alg", "key_name"),
    [("ES256", "p384"), ("ES256", "secp256k1"), ("ES256K", "p256"), ("EdDSA", "p256")],
)
def test_curve_must_match_the_alg(alg: str, key_name: str) -> None:
    token = forge({"alg": alg}, PAYLOAD, None) + "AAAA"
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, public(private(key_name)))


def test_x25519_key_cannot_verify_eddsa() -> None:
    token = jws.sign_compact(PAYLOAD, private("ed25519"), alg="EdDSA")
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, JWK.generate("OKP", crv="X25519").public())


@pytest.mark.parametrize("kid", [1, 1.5, True, ["a"], {"a": 1}])
def test_kid_of_odd_type(kid: object) -> None:
    key = private("oct256")
    token = forge({"alg": "HS256", "kid": kid}, PAYLOAD, key.secret, "HS256")
    with pytest.raises(MalformedError):
        jws.verify_compact(token, JWKSet([key]))


def test_huge_kid() -> None:
    key = private("oct256")
    token = forge({"alg": "HS256", "kid": "k" * 10_000}, PAYLOAD, key.secret, "HS256")
    with pytest.raises(LimitExceededError):
        jws.verify_compact(token, JWKSet([key]))


def test_mixed_key_set_with_a_repeated_kid_is_unambiguous() -> None:
    mac = with_members(private("oct256"), kid="k")
    rsa = with_members(public(VICTIM), kid="k")
    keys = JWKSet([rsa, mac])
    assert jws.verify_compact(jws.sign_compact(PAYLOAD, mac, alg="HS256"), keys).key == mac
    assert jws.verify_compact(jws.sign_compact(PAYLOAD, VICTIM, alg="RS256"), keys).key == rsa
    # HS256 keyed with the RSA key's PEM, claiming the shared kid: only the oct key is tried.
    pem = _public_encodings()["pem"]
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(forge({"alg": "HS256", "kid": "k"}, PAYLOAD, pem, "HS256"), keys)


# -- Embedded and remote trust ---------------------------------------------------------------


def test_attacker_jwk_header_is_ignored() -> None:
    header = {"alg": "RS256", "jwk": ATTACKER.public().to_dict()}
    token = forge(header, PAYLOAD, ATTACKER)
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, public(VICTIM))
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, JWKSet([public(VICTIM)]))
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(
            forge({**header, "kid": "attacker"}, PAYLOAD, ATTACKER),
            JWKSet([with_members(public(VICTIM), kid="victim")]),
        )


def test_attacker_oct_jwk_header_is_ignored() -> None:
    secret = b"s" * 32
    header = {"alg": "HS256", "jwk": {"kty": "oct", "k": b64(secret)}}
    token = forge(header, PAYLOAD, secret, "HS256")
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, public(VICTIM))
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, private("oct256"))


def test_jku_and_x5u_are_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        calls.append(repr(args)[:80])
        raise OSError("network use during verification")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    for member in ("jku", "x5u"):
        header = {"alg": "RS256", member: "https://attacker.example/keys", "kid": "a"}
        token = forge(header, PAYLOAD, ATTACKER)
        with pytest.raises(InvalidSignatureError):
            jws.verify_compact(token, public(VICTIM))
        with pytest.raises(KeyNotFoundError):
            jws.verify_compact(token, JWKSet([with_members(public(VICTIM), kid="v")]))
    assert calls == []


def _self_signed(key: JWK) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.crypto_public)
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key.crypto_private, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_self_signed_x5c_and_x5t_never_choose_the_key() -> None:
    import base64
    import hashlib

    der = _self_signed(ATTACKER)
    victim_thumbprint = b64(hashlib.sha256(b"victim certificate").digest())
    header = {
        "alg": "RS256",
        "x5c": [base64.b64encode(der).decode()],
        "x5t#S256": victim_thumbprint,
    }
    token = forge(header, PAYLOAD, ATTACKER)
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, public(VICTIM))


# -- Signature values ---------------------------------------------------------------------

P256_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
ED25519_L = 2**252 + 27742317777372353535851937790883648493


def _es256_token() -> str:
    return jws.sign_compact(PAYLOAD, private("p256"), alg="ES256")


@pytest.mark.parametrize("length", [0, 32, 63, 65, 66, 128])
def test_ecdsa_signature_of_the_wrong_length(length: int) -> None:
    token = _es256_token()
    valid = unb64(token.split(".")[2])
    changed = (valid * 3)[:length] if length > 64 else valid[:length]
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(replace_signature(token, changed), public(private("p256")))


def test_ecdsa_der_signature_refused() -> None:
    token = _es256_token()
    raw = unb64(token.split(".")[2])
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(replace_signature(token, der), public(private("p256")))


@pytest.mark.parametrize(
    ("r", "s"),
    [
        (0, 0),
        (1, 1),
        (P256_N - 1, P256_N - 1),
        (P256_N, P256_N),
        (0, None),
        (None, 0),
        (P256_N, None),
        (None, P256_N),
        (1, None),
        (None, 1),
    ],
)
def test_ecdsa_degenerate_r_s(r: int | None, s: int | None) -> None:
    token = _es256_token()
    raw = unb64(token.split(".")[2])
    r = int.from_bytes(raw[:32], "big") if r is None else r
    s = int.from_bytes(raw[32:], "big") if s is None else s
    forged = replace_signature(token, r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(forged, public(private("p256")))


def test_p521_order_is_the_published_one() -> None:
    # Independent check of P521_ORDER: d = n - 1 is -G (the x of G), d = n is out of range.
    minus_g = ec.derive_private_key(P521_ORDER - 1, ec.SECP521R1()).public_key()
    g = ec.derive_private_key(1, ec.SECP521R1()).public_key()
    assert minus_g.public_numbers().x == g.public_numbers().x
    assert minus_g.public_numbers().y != g.public_numbers().y
    with pytest.raises(ValueError):
        ec.derive_private_key(P521_ORDER, ec.SECP521R1())


@pytest.mark.parametrize("shift", ["r", "s", "both"])
def test_ecdsa_r_s_plus_n_refused(shift: str) -> None:
    # On P-521 n < 2^521, so r + n and s + n always fit the 66 octets of R and S
    # (RFC 7518 s3.4): congruent mod n, they must still be refused (r, s in [1, n-1]).
    key = private("p521")
    token = jws.sign_compact(PAYLOAD, key, alg="ES512")
    jws.verify_compact(token, public(key))
    raw = unb64(token.split(".")[2])
    assert len(raw) == 132
    r, s = int.from_bytes(raw[:66], "big"), int.from_bytes(raw[66:], "big")
    if shift in ("r", "both"):
        r += P521_ORDER
    if shift in ("s", "both"):
        s += P521_ORDER
    forged = replace_signature(token, r.to_bytes(66, "big") + s.to_bytes(66, "big"))
    with raises_exactly(InvalidSignatureError):
        jws.verify_compact(forged, public(key))


@pytest.mark.parametrize("change", ["short", "long", "zero-prefixed"])
def test_rsa_signature_length_must_equal_the_modulus(change: str) -> None:
    token = jws.sign_compact(PAYLOAD, VICTIM, alg="RS256")
    raw = unb64(token.split(".")[2])
    changed = {"short": raw[1:], "long": raw + b"\x00", "zero-prefixed": b"\x00" + raw}[change]
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(replace_signature(token, changed), public(VICTIM))


_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def _raw_rsa(em: bytes) -> bytes:
    numbers: rsa.RSAPrivateNumbers = VICTIM.crypto_private.private_numbers()
    n = numbers.public_numbers.n
    k = (n.bit_length() + 7) // 8
    return pow(int.from_bytes(em, "big"), numbers.d, n).to_bytes(k, "big")


def _em(
    digest_info: bytes, *, block_type: int = 1, pad_bytes: int | None = None, tail: bytes = b""
) -> bytes:
    k = 256
    pad = (k - 3 - len(digest_info) - len(tail)) if pad_bytes is None else pad_bytes
    em = bytes([0, block_type]) + b"\xff" * pad + b"\x00" + digest_info + tail
    return em + b"\x00" * (k - len(em))


@pytest.mark.parametrize(
    "mutation",
    [
        "control",
        "sha1-oid",
        "no-null",
        "block-type-2",
        "short-padding-garbage",
        "other-digest",
        "sha384-digest",
    ],
)
def test_pkcs1_digest_info_mutations(mutation: str) -> None:
    import hashlib

    token = jws.sign_compact(PAYLOAD, VICTIM, alg="RS256")
    signing_input = token.rsplit(".", 1)[0].encode()
    digest = hashlib.sha256(signing_input).digest()
    em = {
        "control": _em(_SHA256_PREFIX + digest),
        "sha1-oid": _em(bytes.fromhex("3021300906052b0e03021a05000414") + digest),
        "no-null": _em(bytes.fromhex("302f300b06096086480165030402010420") + digest),
        "block-type-2": _em(_SHA256_PREFIX + digest, block_type=2),
        "short-padding-garbage": _em(_SHA256_PREFIX + digest, pad_bytes=8, tail=b"\x01" * 150),
        "other-digest": _em(_SHA256_PREFIX + hashlib.sha256(b"other").digest()),
        "sha384-digest": _em(
            bytes.fromhex("3041300d060960864801650304020205000430")
            + hashlib.sha384(signing_input).digest()
        ),
    }[mutation]
    forged = replace_signature(token, _raw_rsa(em))
    if mutation == "control":
        assert jws.verify_compact(forged, public(VICTIM)).payload == PAYLOAD
        return
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(forged, public(VICTIM))


@pytest.mark.parametrize("salt", [0, 20, 64, padding.PSS.MAX_LENGTH])
def test_pss_salt_length_must_be_the_hash_length(salt: int) -> None:
    head = forge({"alg": "PS256"}, PAYLOAD, None)
    signing_input = head[:-1].encode()
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt)
    signature = VICTIM.crypto_private.sign(signing_input, pss, hashes.SHA256())
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(replace_signature(head + "x", signature), public(VICTIM))
    good = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    valid = VICTIM.crypto_private.sign(signing_input, good, hashes.SHA256())
    assert jws.verify_compact(replace_signature(head + "x", valid), public(VICTIM))


def test_ed25519_non_canonical_s() -> None:
    key = private("ed25519")
    token = jws.sign_compact(PAYLOAD, key, alg="EdDSA")
    raw = unb64(token.split(".")[2])
    s = int.from_bytes(raw[32:], "little") + ED25519_L
    forged = replace_signature(token, raw[:32] + s.to_bytes(32, "little"))
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(forged, public(key))


@pytest.mark.parametrize("change", ["empty", "truncated", "one-short", "extended", "flipped"])
def test_hmac_tag_truncated_or_extended(change: str) -> None:
    key = private("oct256")
    token = jws.sign_compact(PAYLOAD, key, alg="HS256")
    tag = unb64(token.split(".")[2])
    changed = {
        "empty": b"",
        "truncated": tag[:16],
        "one-short": tag[:-1],
        "extended": tag + b"\x00",
        "flipped": tag[:-1] + bytes([tag[-1] ^ 1]),
    }[change]
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(replace_signature(token, changed), key)


def test_signing_input_is_the_received_segments() -> None:
    key = private("oct256")
    spaced = forge(b'{ "alg" : "HS256" ,\r\n "kid":"\\u006b1"}', PAYLOAD, key.secret, "HS256")
    verified = jws.verify_compact(spaced, key)
    assert verified.header == {"alg": "HS256", "kid": "k1"}
    # The same header re-serialized compactly no longer matches the signature.
    _, payload, signature = spaced.split(".")
    compact_header = b64(b'{"alg":"HS256","kid":"k1"}')
    reserialized = f"{compact_header}.{payload}.{signature}"
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(reserialized, key)


# -- crit and extensions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "HS256", "crit": ["x-unknown"], "x-unknown": 1},
        {"alg": "HS256", "crit": []},
        {"alg": "HS256", "crit": "b64", "b64": True},
        {"alg": "HS256", "crit": None},
        {"alg": "HS256", "crit": [1]},
        {"alg": "HS256", "crit": ["alg"]},
        {"alg": "HS256", "crit": ["kid"], "kid": "a"},
        {"alg": "HS256", "crit": ["b64", "b64"], "b64": True},
        {"alg": "HS256", "crit": ["x-ext"]},
        {"alg": "HS256", "b64": False},
        {"alg": "HS256", "b64": True},
        {"alg": "HS256", "b64": "false", "crit": ["b64"]},
    ],
)
def test_crit_violations(header: dict[str, Any]) -> None:
    key = private("oct256")
    token = forge(header, PAYLOAD, key.secret, "HS256")
    with pytest.raises(MalformedError):
        jws.verify_compact(token, key, critical=["x-ext"])


def test_crit_must_be_protected_in_json() -> None:
    key = private("oct256")
    document = jws.sign_json(PAYLOAD, [(key, {"alg": "HS256", "x-ext": 1})], flatten=True)
    document["header"] = {"crit": ["x-ext"]}
    with pytest.raises(MalformedError):
        jws.verify_json(document, key, critical=["x-ext"])


def test_declared_extension_is_understood() -> None:
    key = private("oct256")
    token = forge({"alg": "HS256", "crit": ["x-ext"], "x-ext": 1}, PAYLOAD, key.secret, "HS256")
    with pytest.raises(MalformedError):
        jws.verify_compact(token, key)
    assert jws.verify_compact(token, key, critical=["x-ext"]).payload == PAYLOAD


def test_b64_false_honoured_only_with_crit() -> None:
    key = private("oct256")
    header = b64(b'{"alg":"HS256","b64":false,"crit":["b64"]}')
    from tests.jws.forge import signature_over

    tag = signature_over(f"{header}.raw payload".encode(), key.secret, "HS256")
    token = f"{header}.raw payload.{b64(tag)}"
    assert jws.verify_compact(token, key).payload == b"raw payload"
    without_crit = b64(b'{"alg":"HS256","b64":false}')
    tag = signature_over(f"{without_crit}.raw payload".encode(), key.secret, "HS256")
    with pytest.raises(MalformedError):
        jws.verify_compact(f"{without_crit}.raw payload.{b64(tag)}", key)
