"""The jose-ref command: exit statuses 0/1/2, one-line errors, masked secrets in explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from jose_ref import JWK, jwe
from jose_ref.cli import main


@pytest.fixture()
def ec_key_file(tmp_path: Path) -> tuple[JWK, Path]:
    key = JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()), kid="e1")
    path = tmp_path / "ec.json"
    path.write_text(key.to_json(private=True))
    return key, path


def test_keygen_prints_a_private_jwk_that_loads(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keygen", "--kty", "EC", "--crv", "P-384", "--kid", "k", "--use", "sig"]) == 0
    members = json.loads(capsys.readouterr().out)
    key = JWK.from_dict(members)
    assert (key.kty, key.crv, key.kid, key.use, key.is_private) == ("EC", "P-384", "k", "sig", True)


def test_encrypt_then_decrypt_the_login_hint(
    ec_key_file: tuple[JWK, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    key, path = ec_key_file
    assert (
        main(
            [
                "encrypt",
                "--key",
                str(path),
                "--alg",
                "ECDH-ES",
                "--enc",
                "A256GCM",
                "BID:14025800177",
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip()
    # Decrypted by the library directly: the command produced a real JWE.
    assert jwe.decrypt_compact(token, key).plaintext == b"BID:14025800177"
    assert main(["decrypt", "--key", str(path), token]) == 0
    assert capsys.readouterr().out == "BID:14025800177"


def test_explain_masks_secrets_unless_revealed(
    ec_key_file: tuple[JWK, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    key, path = ec_key_file
    token = jwe.encrypt_compact(b"secret plaintext", key.public(), alg="ECDH-ES", enc="A128GCM")
    assert main(["explain", "--key", str(path), token]) == 0
    masked = capsys.readouterr().out
    assert "RFC 7516 s5.2" in masked and "secret plaintext" not in masked and "<masked" in masked
    assert main(["explain", "--key", str(path), "--reveal", "--json", token]) == 0
    revealed = json.loads(capsys.readouterr().out)
    shown = [s["values"].get("plaintext") for s in revealed["steps"] if "plaintext" in s["values"]]
    assert shown == [{"utf8": "secret plaintext"}] * 2  # step 16 decrypts, step 18 outputs


def test_rejected_token_exits_1_with_one_line(
    ec_key_file: tuple[JWK, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, path = ec_key_file
    assert main(["decrypt", "--key", str(path), "a.b.c.d"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "MalformedError" in err and "Traceback" not in err


def test_unreadable_key_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["thumbprint", "--key", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"kty": "RSA", "n": "AQAB", "e": "AQAB"}')
    assert main(["thumbprint", "--key", str(bad)]) == 2
    assert "key file" in capsys.readouterr().err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decrypt"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--key" in err and "usage:" not in err


def test_inspect_says_not_verified(
    ec_key_file: tuple[JWK, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    key, _ = ec_key_file
    token = jwe.encrypt_compact(b"x", key.public(), alg="ECDH-ES+A128KW", enc="A128GCM")
    assert main(["inspect", token]) == 0
    out = capsys.readouterr().out
    assert "not verified" in out and '"ECDH-ES+A128KW"' in out


def test_thumbprint_matches_rfc_7638(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.vectorlib import load

    vector = load("rfc7638-3.1-rsa-thumbprint")
    path = tmp_path / "k.json"
    path.write_text(json.dumps(vector["keys"]["key"]))
    assert main(["thumbprint", "--key", str(path)]) == 0
    assert capsys.readouterr().out.strip() == vector["expected"]["thumbprint"]["b64u"]


def test_vectors_command_runs_every_published_vector(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vectors", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["failed"] == 0 and report["passed"] >= 60
