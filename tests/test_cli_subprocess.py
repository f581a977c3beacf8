"""The jose-ref command as a user meets it: a subprocess, its exit status, stdout and stderr.

Exit 0 on success, 1 for a token examined and refused, 2 for a usage error; one line on
stderr, never a traceback; `--json` on stdout for success and failure alike (issue 10).
Input is read as bytes and bounded (issue 12, item 6). Expected payloads and plaintexts
are the RFCs' (vectors/) or the claims the test itself chose.
"""

from __future__ import annotations

import importlib.metadata
import json
import time
from pathlib import Path
from typing import Any

import pytest

from jose_ref import JWK, errors, jwe, jws, jwt
from tests.clirun import REJECTED, USAGE, key_files, key_of, one_line_error, run
from tests.vectorlib import VECTORS, load, octets


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Key files: RSA and EC private keys, the EC public key, an empty set, RFC 7520 keys."""
    return key_files(tmp_path_factory.mktemp("keys"))


# --- jose-ref jwt (issue 10, item 1) -------------------------------------------------


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": "https://idp.example", "aud": "rp", "exp": now + 600, "sub": "s1", **changes}


def test_jwt_prints_the_claims_of_a_valid_token(keys: dict[str, Path]) -> None:
    chosen = claims()
    token = jwt.encode(chosen, key_of(keys["rsa"]), alg="RS256")
    result = run(
        "jwt", "--key", str(keys["rsa"]), "--iss", "https://idp.example", "--aud", "rp", token
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == chosen and result.stderr == b""


@pytest.mark.parametrize(
    ("changes", "options", "error"),
    [
        ({"exp": 1_000_000_000}, [], "ExpiredError"),
        ({}, ["--aud", "another-rp"], "AudienceError"),
        ({}, ["--iss", "https://other.example"], "IssuerError"),
        ({"nbf": 4_000_000_000}, [], "NotYetValidError"),
        ({}, ["--alg", "RS384"], "AlgorithmNotAllowedError"),
    ],
)
def test_jwt_refuses_bad_claims_with_exit_1(
    keys: dict[str, Path], changes: dict[str, Any], options: list[str], error: str
) -> None:
    token = jwt.encode(claims(**changes), key_of(keys["rsa"]), alg="RS256")
    chosen = {"--iss": "https://idp.example", "--aud": "rp"}
    chosen.update(zip(options[::2], options[1::2], strict=True))
    given = [item for pair in chosen.items() for item in pair]
    err = one_line_error(run("jwt", "--key", str(keys["rsa"]), *given, token), REJECTED)
    assert f"rejected: {error}" in err


def test_jwt_leeway_accepts_a_token_just_expired(keys: dict[str, Path]) -> None:
    token = jwt.encode(claims(exp=int(time.time()) - 30), key_of(keys["rsa"]), alg="RS256")
    base = ["jwt", "--key", str(keys["rsa"]), "--iss", "https://idp.example", "--aud", "rp"]
    assert run(*base, token).returncode == REJECTED
    assert run(*base, "--leeway", "300", token).returncode == 0


def test_jwt_decrypts_the_outer_jwe_first(keys: dict[str, Path]) -> None:
    # The Signicat FTN flow: an ID token signed RS256, then encrypted to the relying party.
    chosen = claims()
    token = jwt.encode(
        chosen,
        key_of(keys["rsa"]),
        alg="RS256",
        encryption_key=key_of(keys["ec"]).public(),
        key_algorithm="ECDH-ES+A128KW",
        encryption="A128GCM",
    )
    base = ["jwt", "--key", str(keys["rsa"]), "--iss", "https://idp.example", "--aud", "rp"]
    one_line_error(run(*base, token), REJECTED)  # without --decrypt-key
    result = run(*base, "--decrypt-key", str(keys["ec"]), "--json", token)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["verified"] is True
    assert document["claims"] == chosen and document["kid"] == "r1"
    assert document["encryption_header"]["alg"] == "ECDH-ES+A128KW"


# --- verify --payload: detached content (issue 10, item 2) ----------------------------

DETACHED = load("rfc7520-4.5-signature-detached-content-hs256")


@pytest.mark.parametrize("form", ["compact", "json", "json_flattened"])
def test_detached_content_needs_payload_and_verifies_with_it(
    keys: dict[str, Path], tmp_path: Path, form: str
) -> None:
    token = DETACHED["expected"][form]
    token = token if isinstance(token, str) else json.dumps(token)
    err = one_line_error(run("verify", "--key", str(keys["hmac"]), token), REJECTED)
    assert "detached" in err and "--payload" in err
    content = tmp_path / "content"
    content.write_bytes(octets(DETACHED["input"]["payload"]))
    result = run("verify", "--key", str(keys["hmac"]), "--payload", str(content), token)
    assert result.returncode == 0, result.stderr
    assert result.stdout == octets(DETACHED["expected"]["payload"])


# --- jose-ref vectors (issue 10, item 3) ------------------------------------------------


def vector_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.json") if p.name != "schema.json"]


def test_vectors_runs_every_published_file(tmp_path: Path) -> None:
    result = run("vectors", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["failed"] == 0
    assert report["passed"] == len(vector_files(VECTORS))


def test_vectors_dir(tmp_path: Path) -> None:
    one_line_error(run("vectors", "--dir", str(tmp_path)), USAGE)  # empty: usage error
    one_line_error(run("vectors", "--dir", str(tmp_path / "absent")), USAGE)
    source = VECTORS / "rfc7638"
    for path in source.glob("*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    result = run("vectors", "--dir", str(tmp_path))
    assert result.returncode == 0 and b"0 failed" in result.stdout
    (tmp_path / "other.json").write_text('{"not": "a vector"}')
    result = run("vectors", "--dir", str(tmp_path))
    assert result.returncode == REJECTED and b"FAIL other.json" in result.stdout


# --- usage errors exit 2 (issue 10, item 4) ----------------------------------------------


def usage_cases(keys: dict[str, Path]) -> list[tuple[list[str], bytes, str]]:
    rsa_key, ec_key = str(keys["rsa"]), str(keys["ec"])
    return [
        (["encrypt", "--key", ec_key, "--alg", "ECDH-ES", "--enc", "FOO", "x"], b"", "FOO"),
        (["encrypt", "--key", ec_key, "--alg", "RS256", "--enc", "A128GCM", "x"], b"", "RS256"),
        (["sign", "--key", str(keys["ec_public"]), "--alg", "ES256", "x"], b"", "private key"),
        (["decrypt", "--key", ec_key], b"", "no input"),
        (["decrypt", "--key", ec_key], b" \n", "no input"),
        (["verify", "--key", ec_key, "--alg", "FOO", "a.b.c"], b"", "FOO"),
        (["explain", "--key", ec_key, "--enc", "FOO", "a.b.c.d.e"], b"", "FOO"),
        (["thumbprint", "--key", str(keys["empty_set"])], b"", "no keys"),
        (["keygen", "--kty", "EC", "--crv", "P-256", "--alg", "RS256"], b"", "ES256"),
        (["keygen", "--kty", "EC", "--alg", "FOO"], b"", "ECDH-ES"),
        (["keygen", "--kty", "RSA", "--alg", "ES256"], b"", "RS256"),
        (["keygen", "--kty", "EC", "--size", "256"], b"", "--size"),
        (["keygen", "--kty", "OKP", "--size", "256"], b"", "--size"),
        (["keygen", "--kty", "RSA", "--crv", "P-256"], b"", "--crv"),
        (["keygen", "--kty", "oct", "--crv", "P-256"], b"", "--crv"),
        (["keygen", "--kty", "RSA", "--size", "100000"], b"", "--size"),
        (["decrypt", "--bogus", "--key", ec_key], b"", "--bogus"),
        (["decrypt"], b"", "--key"),
        (["nonsense"], b"", "nonsense"),
        (["jwt", "--key", rsa_key, "--leeway", "nan", "a.b.c"], b"", "--leeway"),
        (["decrypt", "--key", str(keys["rsa"].parent / "absent.json"), "a"], b"", "cannot read"),
    ]


def test_usage_errors_exit_2_with_one_line(keys: dict[str, Path]) -> None:
    for args, stdin, named in usage_cases(keys):
        err = one_line_error(run(*args, stdin=stdin), USAGE)
        assert named in err, (args, err)


def test_a_refused_token_exits_1(keys: dict[str, Path]) -> None:
    err = one_line_error(run("decrypt", "--key", str(keys["ec"]), "a.b.c.d"), REJECTED)
    assert "rejected: MalformedError" in err


# --- --json, success and failure (issue 10, item 5) --------------------------------------


def test_json_failure_goes_to_stdout_with_the_same_exit_status(keys: dict[str, Path]) -> None:
    for args, status, error in (
        (["decrypt", "--json", "--key", str(keys["ec"]), "a.b.c.d"], REJECTED, "MalformedError"),
        (["keygen", "--json", "--kty", "EC", "--alg", "RS256"], USAGE, "UsageError"),
        (["decrypt", "--json"], USAGE, "UsageError"),
    ):
        result = run(*args)
        assert result.returncode == status and b"Traceback" not in result.stderr
        document = json.loads(result.stdout)
        assert document["ok"] is False and document["error"] == error
        assert document["message"] and "\n" not in document["message"]


def test_json_success_of_decrypt_and_verify(keys: dict[str, Path]) -> None:
    vector = load("rfc7520-5.8-a128kw-a128gcm")
    result = run("decrypt", "--json", "--key", str(keys["aes"]), vector["expected"]["compact"])
    document = json.loads(result.stdout)
    assert result.returncode == 0 and document["ok"] is True and document["verified"] is True
    assert document["payload"] == vector["input"]["plaintext"]["utf8"]
    assert document["header"]["alg"] == "A128KW" and "kid" in document
    signed = load("rfc7515-a.1-hs256")
    key_file = keys["hmac"].parent / "a1.json"
    key_file.write_text(json.dumps(next(iter(signed["keys"].values()))))
    result = run("verify", "--json", "--key", str(key_file), signed["expected"]["compact"])
    document = json.loads(result.stdout)
    assert result.returncode == 0 and document["verified"] is True
    assert document["payload"] == octets(signed["input"]["payload"]).decode("utf-8")


def test_every_subcommand_takes_json(keys: dict[str, Path]) -> None:
    result = run("keygen", "--json", "--kty", "oct")
    assert json.loads(result.stdout)["ok"] is True
    result = run("thumbprint", "--json", "--key", str(keys["rsa"]))
    assert json.loads(result.stdout)["keys"][0]["kid"] == "r1"
    result = run("sign", "--json", "--key", str(keys["ec"]), "--alg", "ES256", "x")
    token = json.loads(result.stdout)["token"]
    assert jws.verify_compact(token, key_of(keys["ec"])).payload == b"x"


# --- inspect (issue 10, item 6) -------------------------------------------------------


def test_inspect_refuses_json_that_is_no_jose_serialization() -> None:
    err = one_line_error(run("inspect", '{"foo":1}'), REJECTED)
    assert "not a JWS or JWE JSON serialization" in err


def test_inspect_shows_each_recipient_of_a_general_jwe() -> None:
    vector = load("rfc7520-5.13-multiple-recipients")
    result = run("inspect", "--json", json.dumps(vector["expected"]["json"]))
    document = json.loads(result.stdout)
    assert result.returncode == 0 and document["verified"] is False
    published = [r["alg"] for r in vector["input"]["recipients"]]
    assert [r["alg"] for r in document["recipients"]] == published
    assert all(r["kid"] for r in document["recipients"])


def test_inspect_shows_the_jws_payload_as_not_verified() -> None:
    vector = load("rfc7515-a.1-hs256")
    result = run("inspect", vector["expected"]["compact"])
    text = result.stdout.decode()
    assert result.returncode == 0 and "not verified" in text
    payload = json.loads(text[: text.rindex("}") + 1])["unverified_payload"]["payload"]
    assert payload.encode() == octets(vector["input"]["payload"])


def test_inspect_names_the_token_limit_for_a_large_json() -> None:
    big = json.dumps({"payload": "A" * 600_000, "signature": "AA"}).encode()
    err = one_line_error(run("inspect", stdin=big), REJECTED)
    assert "max_token_bytes" in err and "max_header_bytes" not in err


# --- messages a person can act on (issue 10, item 7) --------------------------------------


def test_messages(keys: dict[str, Path]) -> None:
    err = one_line_error(run("inspect", stdin=b""), USAGE)
    assert "no input" in err and "parts" not in err
    es256 = load("rfc7515-a.3-es256")["expected"]["compact"]
    err = one_line_error(run("verify", "--key", str(keys["rsa"]), es256), REJECTED)
    assert "an RSA key" in err
    err = one_line_error(run("thumbprint", "--key", str(keys["no_crv"])), USAGE)
    assert '"crv" is missing' in err and err.count("key file") == 1
    binary = keys["rsa"].parent / "binary.key"
    binary.write_bytes(bytes(range(128, 256)))
    err = one_line_error(run("thumbprint", "--key", str(binary)), USAGE)
    assert "RFC 7515" not in err and "JWK, a JWK Set or PEM" in err
    rsa1_5 = jwe.encrypt_compact(b"x", key_of(keys["rsa"]).public(), alg="RSA1_5", enc="A128GCM")
    err = one_line_error(run("decrypt", "--key", str(keys["rsa"]), rsa1_5), REJECTED)
    assert "--alg RSA1_5" in err
    accepted = run("decrypt", "--key", str(keys["rsa"]), "--alg", "RSA1_5", rsa1_5)
    assert accepted.returncode == 0 and accepted.stdout == b"x"


def test_oct_public_names_no_parameter_it_does_not_take() -> None:
    with pytest.raises(errors.InvalidKeyError) as refused:
        JWK.generate("oct").public()
    assert "private=True" not in str(refused.value) and "no public form" in str(refused.value)


def test_version_is_the_installed_distribution_version() -> None:
    result = run("--version")
    expected = importlib.metadata.version("jose_ref")
    assert result.returncode == 0 and result.stdout.decode().split() == ["jose-ref", expected]
