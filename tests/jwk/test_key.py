"""JWK members common to every key type (RFC 7517 s4) and the public/private split."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

import jose_ref
from jose_ref import JWK
from jose_ref.errors import InvalidKeyError, MalformedError, UnsupportedAlgorithmError
from tests.jwk import (
    PRIVATE_MEMBERS,
    assert_no_secret_in,
    b64u,
    ec_members,
    new_ec,
    new_okp,
    okp_members,
    raises_exactly,
    rsa_members,
    rsa_private,
)

OCT = {"kty": "oct", "k": b64u(b"0123456789abcdef0123456789abcdef")}


@pytest.fixture(scope="module")
def private_members() -> dict[str, dict[str, str]]:
    """One private JWK of each kind, as members computed with cryptography directly."""
    return {
        "RSA": rsa_members(rsa_private(), private=True),
        "EC": ec_members(new_ec("P-256"), "P-256", private=True),
        "OKP-Ed25519": okp_members(new_okp("Ed25519"), "Ed25519", private=True),
        "OKP-X448": okp_members(new_okp("X448"), "X448", private=True),
        "oct": dict(OCT),
    }


KINDS = ["RSA", "EC", "OKP-Ed25519", "OKP-X448", "oct"]
ASYMMETRIC = ["RSA", "EC", "OKP-Ed25519", "OKP-X448"]


def test_exported_names() -> None:
    assert jose_ref.JWK is JWK


# -- kty ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "error"),
    [
        ({"k": "AAAA"}, MalformedError),
        ({"kty": None, "k": "AAAA"}, MalformedError),
        ({"kty": 1, "k": "AAAA"}, MalformedError),
        ({"kty": ["oct"], "k": "AAAA"}, MalformedError),
        ({"kty": "DSA"}, UnsupportedAlgorithmError),
        ({"kty": "ec", "crv": "P-256"}, UnsupportedAlgorithmError),
        ({"kty": "OCT", "k": "AAAA"}, UnsupportedAlgorithmError),
        ({"kty": "rsa"}, UnsupportedAlgorithmError),
        ({"kty": ""}, UnsupportedAlgorithmError),
        ({"kty": "oct "}, UnsupportedAlgorithmError),
    ],
)
def test_kty_missing_not_a_string_or_unknown(members: dict[str, Any], error: type) -> None:
    with raises_exactly(error) as info:
        JWK.from_dict(members)
    assert "kty" in str(info.value)


def test_unknown_kty_message_is_short() -> None:
    with raises_exactly(UnsupportedAlgorithmError) as info:
        JWK.from_dict({"kty": "Z" * 10_000})
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("value", [None, [], "{}", 1, b"{}"])
def test_from_dict_needs_a_mapping(value: Any) -> None:
    with raises_exactly(MalformedError):
        JWK.from_dict(value)


# -- kid, alg, use -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["kid", "alg", "use"])
@pytest.mark.parametrize("value", [1, 1.5, True, ["x"], {"x": 1}])
def test_string_members_must_be_strings(name: str, value: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({**OCT, name: value})
    assert name in str(info.value)


def test_common_members_are_kept_and_exposed() -> None:
    members = {**OCT, "kid": "k-1", "alg": "HS256", "use": "sig", "ext": True, "x-custom": [1]}
    key = JWK.from_dict(members)
    assert (key.kid, key.alg, key.use, key.kty) == ("k-1", "HS256", "sig", "oct")
    # RFC 7517 s4: members that are not understood are kept.
    assert key.to_dict(private=True) == members
    assert key.get("x-custom") == [1]
    assert key.get("absent") is None


def test_absent_common_members_are_none() -> None:
    key = JWK.from_dict(OCT)
    assert (key.kid, key.alg, key.use, key.key_ops) == (None, None, None, None)


def test_from_dict_does_not_alias_the_caller_mapping() -> None:
    members = dict(OCT, kid="a")
    key = JWK.from_dict(members)
    members["kid"] = "b"
    members["k"] = "AAAA"
    assert key.kid == "a"
    assert key.to_dict(private=True) == dict(OCT, kid="a")


# -- key_ops (RFC 7517 s4.3) ------------------------------------------------------------------


def test_key_ops_kept() -> None:
    key = JWK.from_dict({**OCT, "key_ops": ["sign", "verify"]})
    assert key.key_ops == ("sign", "verify")
    assert key.to_dict(private=True)["key_ops"] == ["sign", "verify"]


@pytest.mark.parametrize(
    "ops", [["sign", "sign"], ["verify", "sign", "verify"], ["encrypt", "decrypt", "encrypt"]]
)
def test_key_ops_duplicates(ops: list[str]) -> None:
    with raises_exactly(InvalidKeyError) as info:
        JWK.from_dict({**OCT, "key_ops": ops})
    assert "key_ops" in str(info.value)


@pytest.mark.parametrize(
    ("use", "ops"),
    [
        ("enc", ["sign"]),
        ("enc", ["verify"]),
        ("enc", ["encrypt", "verify"]),
        ("sig", ["encrypt"]),
        ("sig", ["decrypt"]),
        ("sig", ["wrapKey"]),
        ("sig", ["unwrapKey"]),
        ("sig", ["deriveKey"]),
        ("sig", ["deriveBits"]),
        ("sig", ["sign", "decrypt"]),
    ],
)
def test_key_ops_inconsistent_with_use(use: str, ops: list[str]) -> None:
    with raises_exactly(InvalidKeyError) as info:
        JWK.from_dict({**OCT, "use": use, "key_ops": ops})
    assert "key_ops" in str(info.value)


@pytest.mark.parametrize(
    ("use", "ops"),
    [
        ("sig", ["sign", "verify"]),
        ("enc", ["encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits"]),
    ],
)
def test_key_ops_consistent_with_use(use: str, ops: list[str]) -> None:
    assert JWK.from_dict({**OCT, "use": use, "key_ops": ops}).key_ops == tuple(ops)


@pytest.mark.parametrize("ops", ["sign", {"sign": True}, 1, True, ["sign", 1], [None], [["sign"]]])
def test_key_ops_must_be_an_array_of_strings(ops: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({**OCT, "key_ops": ops})
    assert "key_ops" in str(info.value)


# -- x5c, x5t, x5t#S256 (RFC 7517 s4.7-4.9) ---------------------------------------------------


@pytest.mark.parametrize(
    "x5c",
    [
        "MIIB",  # not an array
        [],  # empty
        ["MIIB-_AA"],  # base64url alphabet
        ["MIIBAA"],  # base64url style: padding dropped
        ["MIIBAA=="[:-1]],
        ["MII BAA=="],
        ["QR=="],  # non-canonical
        [1],
        [None],
    ],
)
def test_x5c_must_be_standard_base64(x5c: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({**OCT, "x5c": x5c})
    assert "x5c" in str(info.value)


def test_x5c_standard_base64_is_kept() -> None:
    members = {**OCT, "x5c": ["MIIBAA==", "QUJD"]}
    assert JWK.from_dict(members).to_dict(private=True)["x5c"] == ["MIIBAA==", "QUJD"]


@pytest.mark.parametrize(
    ("name", "digest"),
    [("x5t", hashlib.sha1(b"cert").digest()), ("x5t#S256", hashlib.sha256(b"cert").digest())],  # noqa: S324
)
def test_x5t_of_the_right_length_is_kept(name: str, digest: bytes) -> None:
    assert JWK.from_dict({**OCT, name: b64u(digest)}).get(name) == b64u(digest)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("x5t", b64u(b"\x00" * 19)),
        ("x5t", b64u(b"\x00" * 21)),
        ("x5t", b64u(b"\x00" * 32)),
        ("x5t", ""),
        ("x5t#S256", b64u(b"\x00" * 20)),
        ("x5t#S256", b64u(b"\x00" * 31)),
        ("x5t#S256", b64u(b"\x00" * 33)),
        ("x5t", b64u(b"\x00" * 20) + "="),
        ("x5t", 5),
        ("x5t#S256", ["x"]),
    ],
)
def test_x5t_wrong_length_or_encoding(name: str, value: Any) -> None:
    with raises_exactly(MalformedError) as info:
        JWK.from_dict({**OCT, name: value})
    assert name in str(info.value)


# -- from_json ---------------------------------------------------------------------------------


def test_from_json_text_and_bytes() -> None:
    text = json.dumps({**OCT, "kid": "é"}, ensure_ascii=False)
    assert JWK.from_json(text).kid == "é"
    assert JWK.from_json(text.encode("utf-8")).kid == "é"


@pytest.mark.parametrize(
    "data",
    [
        '{"kty":"oct","k":"AAAA","k":"AAAB"}',
        '{"kty":"oct","k":"AAAA","\\u006b":"AAAB"}',
        '{"kty":"oct","k":"AAAA"}x',
        '[{"kty":"oct","k":"AAAA"}]',
        "null",
        '{"kty":"oct","k":"AAAA","n":NaN}',
        '{"kty":"oct","k":"AAAA"}'.encode("utf-16"),
        b'{"kty":"oct","k":"AAAA","kid":"\xff"}',
    ],
)
def test_from_json_is_strict(data: str | bytes) -> None:
    with raises_exactly(MalformedError):
        JWK.from_json(data)


def test_from_json_deep_nesting_is_a_limit() -> None:
    with raises_exactly(jose_ref.errors.LimitExceededError):
        JWK.from_json('{"kty":"oct","k":"AAAA","x":' + "[" * 100_000 + "]" * 100_000 + "}")


def test_from_json_huge_document_is_a_limit() -> None:
    with raises_exactly(jose_ref.errors.LimitExceededError):
        JWK.from_json('{"kty":"oct","k":"AAAA","x":"' + "a" * 10_000_000 + '"}')


@pytest.mark.parametrize("value", [None, 1, {"kty": "oct"}, ["{}"]])
def test_from_json_needs_text(value: Any) -> None:
    with raises_exactly(MalformedError):
        JWK.from_json(value)


# -- public / private --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_private_export_gives_back_the_members(
    private_members: dict[str, dict[str, str]], kind: str
) -> None:
    members = {**private_members[kind], "kid": "k", "use": "sig" if "X" not in kind else "enc"}
    key = JWK.from_dict(members)
    assert key.to_dict(private=True) == members
    assert key.is_private
    assert json.loads(key.to_json(private=True)) == members


@pytest.mark.parametrize("kind", ASYMMETRIC)
def test_public_export_never_leaks_private_members(
    private_members: dict[str, dict[str, str]], kind: str
) -> None:
    members = {**private_members[kind], "kid": "k", "alg": "X"}
    key = JWK.from_dict(members)
    for exported in (key.to_dict(), key.to_dict(private=False), key.public().to_dict()):
        assert not PRIVATE_MEMBERS & set(exported)
        assert exported == {k: v for k, v in members.items() if k not in PRIVATE_MEMBERS}
    assert not PRIVATE_MEMBERS & set(json.loads(key.to_json()))
    for secret in (v for k, v in members.items() if k in PRIVATE_MEMBERS):
        assert secret not in key.to_json()
        assert secret not in repr(key)
        assert secret not in repr(key.public())


@pytest.mark.parametrize("kind", ASYMMETRIC)
def test_public_key_is_public(private_members: dict[str, dict[str, str]], kind: str) -> None:
    key = JWK.from_dict(private_members[kind]).public()
    assert not key.is_private
    assert key.kty == private_members[kind]["kty"]
    with raises_exactly(InvalidKeyError):
        _ = key.crypto_private
    assert key.public() == key


@pytest.mark.parametrize("kind", ASYMMETRIC)
def test_public_and_private_share_the_thumbprint(
    private_members: dict[str, dict[str, str]], kind: str
) -> None:
    key = JWK.from_dict(private_members[kind])
    assert key.thumbprint() == key.public().thumbprint()


def test_oct_has_no_public_form() -> None:
    key = JWK.from_dict({**OCT, "kid": "s"})
    for export in (key.to_dict, lambda: key.to_dict(private=False), key.public, key.to_json):
        with raises_exactly(InvalidKeyError) as info:
            export()
        assert_no_secret_in(str(info.value), OCT["k"])
    assert key.to_dict(private=True) == {**OCT, "kid": "s"}
    assert OCT["k"] not in repr(key)


def test_oct_key_material() -> None:
    key = JWK.from_dict(OCT)
    assert key.secret == b"0123456789abcdef0123456789abcdef"
    with raises_exactly(InvalidKeyError):
        _ = key.crypto_public
    with raises_exactly(InvalidKeyError):
        _ = key.crypto_private


def test_asymmetric_keys_have_no_secret() -> None:
    key = JWK.from_dict(okp_members(new_okp("Ed25519"), "Ed25519", private=True))
    with raises_exactly(InvalidKeyError):
        _ = key.secret


# -- the cached cryptography objects ------------------------------------------------------------


def test_crypto_objects_match_the_members(private_members: dict[str, dict[str, str]]) -> None:
    rsa_key = JWK.from_dict(private_members["RSA"])
    assert isinstance(rsa_key.crypto_private, rsa.RSAPrivateKey)
    assert rsa_key.crypto_public.public_numbers() == rsa_private().public_key().public_numbers()
    ec_key = JWK.from_dict(private_members["EC"])
    assert isinstance(ec_key.crypto_private, ec.EllipticCurvePrivateKey)
    assert ec_key.crv == "P-256"
    ed = JWK.from_dict(private_members["OKP-Ed25519"])
    assert isinstance(ed.crypto_private, ed25519.Ed25519PrivateKey)
    assert ed.crv == "Ed25519"


@pytest.mark.parametrize("kind", ASYMMETRIC)
def test_key_objects_are_built_once(private_members: dict[str, dict[str, str]], kind: str) -> None:
    key = JWK.from_dict(private_members[kind])
    assert key.crypto_public is key.crypto_public
    assert key.crypto_private is key.crypto_private


def test_key_objects_are_not_rebuilt_on_use(
    private_members: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = JWK.from_dict(private_members["RSA"])
    calls = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise AssertionError("the key was parsed again")

    # jose_ref builds keys through these module attributes; any call now fails the test.
    monkeypatch.setattr(rsa, "RSAPrivateNumbers", counting)
    monkeypatch.setattr(rsa, "RSAPublicNumbers", counting)
    for _ in range(3):
        assert key.crypto_private.key_size == 2048
        assert key.crypto_public.key_size == 2048
        key.thumbprint()
    assert calls == []


# -- equality, hashing, repr --------------------------------------------------------------------


def test_equality_and_hash(private_members: dict[str, dict[str, str]]) -> None:
    a = JWK.from_dict(private_members["EC"])
    b = JWK.from_dict(dict(private_members["EC"]))
    assert a == b
    assert hash(a) == hash(b)
    assert a != JWK.from_dict(private_members["OKP-Ed25519"])
    assert a != private_members["EC"]


@pytest.mark.parametrize("kind", KINDS)
def test_repr_shows_no_key_material(private_members: dict[str, dict[str, str]], kind: str) -> None:
    members = private_members[kind]
    text = repr(JWK.from_dict({**members, "kid": "visible"}))
    assert "visible" in text
    for name, value in members.items():
        if name not in ("kty", "crv"):
            assert value not in text
