"""RFC 9864 and RFC 9964 through the JWS API, the explain trace and the CLI.

Ed25519 and Ed448 bind their curve; the deprecated EdDSA verifies as before and
the trace says it is deprecated; ML-DSA tokens sign and verify with AKP keys.
Signatures are checked independently with cryptography where they matter.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from jose_ref import JWK, JWKSet, jws, trace
from jose_ref.cli import main
from jose_ref.errors import AlgorithmNotAllowedError, InvalidKeyError, KeyNotFoundError
from tests.mldsa_support import needs_mldsa


def _b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def edwards() -> dict[str, JWK]:
    return {crv: JWK.generate("OKP", crv=crv, kid=crv) for crv in ("Ed25519", "Ed448")}


@pytest.mark.parametrize("crv", ["Ed25519", "Ed448"])
def test_fully_specified_tokens_verify_with_their_curve(edwards: dict[str, JWK], crv: str) -> None:
    key = edwards[crv]
    token = jws.sign_compact(b"payload", key, alg=crv)
    header, _, signature = token.split(".")
    assert json.loads(_b64u_decode(header)) == {"alg": crv, "kid": crv}
    # The signature is plain RFC 8032 over the signing input (cryptography directly).
    key.crypto_public.verify(_b64u_decode(signature), token.rsplit(".", 1)[0].encode())
    assert jws.verify_compact(token, key.public()).payload == b"payload"


def test_ed25519_token_with_an_ed448_key_is_refused(edwards: dict[str, JWK]) -> None:
    token = jws.sign_compact(b"payload", edwards["Ed25519"], alg="Ed25519")
    with pytest.raises(InvalidKeyError, match="Ed448 key cannot be used"):
        jws.verify_compact(token, edwards["Ed448"].public(), algorithms=["Ed25519"])
    # Header "kid" points at the Ed448 key of a set: it does not fit, nothing verifies.
    forged = jws.sign_compact(b"p", edwards["Ed25519"], alg="Ed25519", header={"kid": "Ed448"})
    with pytest.raises(KeyNotFoundError):
        jws.verify_compact(forged, JWKSet([edwards["Ed448"].public()]))


def test_ed448_token_with_an_ed25519_key_is_refused(edwards: dict[str, JWK]) -> None:
    token = jws.sign_compact(b"payload", edwards["Ed448"], alg="Ed448")
    with pytest.raises(InvalidKeyError):
        jws.verify_compact(token, edwards["Ed25519"].public(), algorithms=["Ed448"])
    with pytest.raises(InvalidKeyError):
        jws.sign_compact(b"payload", edwards["Ed25519"], alg="Ed448")


@pytest.mark.parametrize("crv", ["Ed25519", "Ed448"])
def test_deprecated_eddsa_verifies_as_before_and_explain_says_so(
    edwards: dict[str, JWK], crv: str
) -> None:
    token = jws.sign_compact(b"old", edwards[crv], alg="EdDSA")
    with trace.recording() as recorded:
        assert jws.verify_compact(token, edwards[crv].public()).payload == b"old"
    assert [s.rfc for s in recorded.steps if "deprecated" in s.text] == ["RFC 9864 s4.1.2"]


def test_fully_specified_tokens_carry_no_deprecation_note(edwards: dict[str, JWK]) -> None:
    token = jws.sign_compact(b"new", edwards["Ed25519"], alg="Ed25519")
    with trace.recording() as recorded:
        jws.verify_compact(token, edwards["Ed25519"].public())
    assert not [s for s in recorded.steps if "deprecated" in s.text]


def test_a_key_bound_to_one_name_does_not_take_the_other(edwards: dict[str, JWK]) -> None:
    # RFC 7517 s4.4: a key's "alg" binds it; "EdDSA" and "Ed25519" are different names.
    bound = JWK.from_dict({**edwards["Ed25519"].to_dict(private=True), "alg": "Ed25519"})
    token = jws.sign_compact(b"x", edwards["Ed25519"], alg="EdDSA")
    with pytest.raises(AlgorithmNotAllowedError):
        jws.verify_compact(token, bound.public(), algorithms=["EdDSA"])
    assert jws.verify_compact(jws.sign_compact(b"x", bound, alg="Ed25519"), bound).payload == b"x"


@needs_mldsa
@pytest.mark.parametrize("alg", ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"])
def test_mldsa_compact_and_json(alg: str) -> None:
    key = JWK.generate("AKP", alg=alg, kid=alg)
    token = jws.sign_compact(b"pq", key, alg=alg)
    signature = _b64u_decode(token.rsplit(".", 1)[1])
    key.crypto_public.verify(signature, token.rsplit(".", 1)[0].encode())  # cryptography directly
    assert jws.verify_compact(token, key.public()).payload == b"pq"
    document = jws.sign_json(b"pq", [(key, {"alg": alg})], flatten=True)
    assert jws.verify_json(document, key.public()).header["alg"] == alg


@needs_mldsa
def test_cli_keygen_sign_verify_explain_with_akp(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["keygen", "--kty", "AKP", "--alg", "ML-DSA-65", "--kid", "pq"]) == 0
    members = json.loads(capsys.readouterr().out)
    assert (members["kty"], members["alg"], members["kid"]) == ("AKP", "ML-DSA-65", "pq")
    key_file = tmp_path / "akp.json"
    key_file.write_text(json.dumps(members))
    assert main(["sign", "--key", str(key_file), "--alg", "ML-DSA-65", "post-quantum"]) == 0
    token = capsys.readouterr().out.strip()
    assert jws.verify_compact(token, JWK.from_dict(members).public()).payload == b"post-quantum"
    assert main(["verify", "--key", str(key_file), token]) == 0
    assert capsys.readouterr().out == "post-quantum"
    assert main(["explain", "--key", str(key_file), token]) == 0
    assert "RFC 7515 s5.2 step 8" in capsys.readouterr().out
    # A key of one parameter set never signs for another (the exit status is the CLI's own).
    assert main(["sign", "--key", str(key_file), "--alg", "ML-DSA-44", "x"]) != 0
    assert "ML-DSA-65" in capsys.readouterr().err


def test_cli_keygen_akp_without_alg_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "--kty", "AKP"]) == 2
    assert "RFC 9964 s3" in capsys.readouterr().err
