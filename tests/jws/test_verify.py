"""RFC 7515 s5.2 - the validation steps: options, key trials, trace."""

from __future__ import annotations

import pytest

from jose_ref import JWK, JWKSet, Limits, jws, trace
from jose_ref.errors import InvalidKeyError, InvalidSignatureError
from jose_ref.jwa import registry, signatures
from jose_ref.jws import verify
from tests.jwk import raises_exactly
from tests.jws.forge import forge
from tests.jws.keys import CASES, other_private, private, public, with_members


def test_options_default_is_the_keys_own_alg() -> None:
    key = with_members(private("rsa"), alg="PS384")
    assert verify.options(key, None, (), None).default == frozenset({"PS384"})
    assert "RS256" in verify.options(JWKSet([key]), None, (), None).default
    assert verify.options(key, ["RS256"], (), None).requested == frozenset({"RS256"})
    assert verify.options(key, None, ["x"], None).understood == frozenset({"b64", "x"})
    assert verify.options(key, None, (), None).limits == Limits()


@pytest.mark.parametrize("given", [["RS256", "ES256"], ("ES256", "RS256"), {"RS256", "ES256"}])
def test_options_resolve_every_kind_of_allow_list_alike(given: object) -> None:
    for _ in range(2):  # the second time from the memo of lists, tuples and frozensets
        opts = verify.options(private("rsa"), given, (), None)  # type: ignore[arg-type]
        assert opts.requested == frozenset({"RS256", "ES256"})
        opts = verify.options(private("rsa"), frozenset(given), (), None)  # type: ignore[arg-type]
        assert opts.requested == frozenset({"RS256", "ES256"})


@pytest.mark.parametrize("bad", ["RS256", b"RS256", [1], [["RS256"]], ("RS256", {})])
def test_options_refuse_what_is_no_list_of_names(bad: object) -> None:
    with pytest.raises(TypeError, match="algorithms must be a collection of algorithm names"):
        verify.options(private("rsa"), bad, (), None)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["RS256", b"RS256", [1]])
def test_options_refuse_a_bare_string(bad: object) -> None:
    with pytest.raises(TypeError):
        verify.options(private("rsa"), bad, (), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verify.options(private("rsa"), None, bad, None)  # type: ignore[arg-type]


def test_key_set_tries_every_candidate() -> None:
    signer = with_members(private("rsa"), kid="same")
    decoy = with_members(other_private("rsa"), kid="same")
    token = jws.sign_compact(b"x", signer, alg="RS256")
    verified = jws.verify_compact(token, JWKSet([public(decoy), public(signer)]))
    assert verified.key == public(signer)
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, JWKSet([public(decoy)]))


def test_unusable_key_in_a_set_is_skipped() -> None:
    # A 16-octet oct key is too short for HS256: skipped in a set, refused alone.
    short = with_members(private("oct256"), k="AAAAAAAAAAAAAAAAAAAAAA")
    good = private("oct256")
    token = jws.sign_compact(b"x", good, alg="HS256")
    assert jws.verify_compact(token, JWKSet([short, good])).key == good
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, JWKSet([short]))
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, short)


def test_trace_records_the_numbered_steps() -> None:
    key = private("p256")
    token = jws.sign_compact(b"x", key, alg="ES256")
    with trace.recording() as recorded:
        jws.verify_compact(token, public(key))
    numbers = [step.number for step in recorded.steps if step.clause is None]
    # RFC 7515 s5.2 in order: the payload's encoded form (step 6) is what step 8 signs over;
    # step 10 outputs the decoded payload once the signature validated.
    assert numbers == [1, 2, 3, 4, 5, 6, 7, 8, 8, 10]
    assert recorded.steps[-1].values["payload"] == trace.Content(b"x")


def test_trace_of_signing_marks_no_secret_unmasked() -> None:
    key = private("oct256")
    with trace.recording() as recorded:
        jws.sign_compact(b"x", key, alg="HS256")
    assert [s.number for s in recorded.steps] == [1, 2, 3, 4, 5, 6]
    for step in recorded.steps:
        assert key.secret not in step.values.values()


@pytest.mark.parametrize("keys", [b"secret", {"kty": "oct"}, None])
def test_options_refuse_what_is_not_a_key(keys: object) -> None:
    with pytest.raises(TypeError):
        verify.options(keys, None, (), None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("alg", "name"), CASES)
def test_tokens_signed_by_an_independent_signer_verify(alg: str, name: str) -> None:
    # tests.jws.forge signs with hmac / cryptography directly: every algorithm verifies,
    # and the same bytes fail under another key of the same kind.
    token = forge({"alg": alg}, b"independent", private(name))
    verified = jws.verify_compact(token, public(private(name)), algorithms=[alg])
    assert verified.payload == b"independent"
    with raises_exactly(InvalidSignatureError):
        jws.verify_compact(token, public(other_private(name)), algorithms=[alg])


def _counting_verifier(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    make = signatures.verifier

    def counted(alg: registry.SignatureAlg, key: object) -> signatures.Verifier:
        made.append(alg.name)
        return make(alg, key)

    monkeypatch.setattr(signatures, "verifier", counted)
    return made


@pytest.mark.parametrize(("alg", "name"), CASES)
def test_a_key_is_checked_once_per_alg_then_verifies_every_token(
    alg: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _counting_verifier(monkeypatch)
    signer = private(name)
    key = JWK.from_dict(public(signer).to_dict(private=True))  # a key no test used before
    for payload in (b"one", b"two", b"three"):
        token = forge({"alg": alg}, payload, signer)
        assert jws.verify_compact(token, key, algorithms=[alg]).payload == payload
    # A remembered verifier still refuses what does not verify.
    other = forge({"alg": alg}, b"one", other_private(name))
    with raises_exactly(InvalidSignatureError):
        jws.verify_compact(other, key, algorithms=[alg])
    assert made == [alg]


def test_a_key_that_cannot_verify_is_refused_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 16-octet oct key is too short for HS256: the refusal is never remembered as a verifier.
    made = _counting_verifier(monkeypatch)
    short = with_members(private("oct256"), k="AAAAAAAAAAAAAAAAAAAAAA")
    token = jws.sign_compact(b"x", private("oct256"), alg="HS256")
    for _ in range(2):
        with raises_exactly(InvalidKeyError):
            jws.verify_compact(token, short)
    assert made == ["HS256", "HS256"]
