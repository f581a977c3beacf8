"""vectors/derived/: negative vectors mutated from published ones by vectors/tools/derive.py.

The committed files are exactly what the generator writes (and it writes the same
bytes every time); the generator imports neither jose_ref nor anything outside the
standard library and `cryptography`; every derived vector is refused by the public
API with exactly the error class it names; every mutation family has a vector; and
where a mutation re-signed or re-sealed the token, its MAC, signature or tag is
checked to be valid here without jose_ref, so only the mutation can explain the refusal.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import importlib.util
import json
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jose_ref import JWK, errors, jws
from jose_ref.vector_runner import run_one

VECTORS = Path(__file__).resolve().parent.parent / "vectors"
DERIVED = VECTORS / "derived"
GENERATOR = VECTORS / "tools" / "derive.py"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vectors_derive", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve string annotations through sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


derive = _load_generator()
FILES = sorted(DERIVED.glob("*.json"))
BY_STEM: dict[str, dict[str, Any]] = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in FILES
}


def _b64u(text: str) -> bytes:
    return derive.unb64u(text)  # type: ignore[no-any-return]


# -- (a) the committed files are the generator's deterministic output -----------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.json"))}


def test_committed_files_are_exactly_the_generator_output(tmp_path: Path) -> None:
    # Run as a script (as `make`/a reviewer would), checking that jose_ref is never imported.
    code = (
        "import runpy, sys\n"
        "out, script = sys.argv[1:]\n"
        "sys.argv = [script, '--out', out]\n"
        "try:\n    runpy.run_path(script, run_name='__main__')\n"
        "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'jose_ref'], 'jose_ref imported'"
    )
    first = tmp_path / "first"
    result = subprocess.run(
        [sys.executable, "-c", code, str(first), str(GENERATOR)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed = _tree(DERIVED)
    assert committed, "vectors/derived/ is empty: run vectors/tools/derive.py"
    generated = _tree(first)
    assert sorted(generated) == sorted(committed), "run vectors/tools/derive.py"
    for name, data in generated.items():
        assert data == committed[name], f"{name} differs: run vectors/tools/derive.py"
    # A second run, in this process, writes the very same bytes.
    second = tmp_path / "second"
    derive.main(["--out", str(second)])
    assert _tree(second) == generated


def test_the_generator_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(GENERATOR.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0 and node.module is not None
            roots.add(node.module.split(".")[0])
    assert "jose_ref" not in roots and "tests" not in roots
    assert roots - sys.stdlib_module_names == {"cryptography"}


def test_writing_replaces_stale_files(tmp_path: Path) -> None:
    (tmp_path / "stale.json").write_text("{}", encoding="utf-8")
    derive.write(tmp_path)
    assert not (tmp_path / "stale.json").exists()
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [p.name for p in FILES]


# -- (b) every derived vector is refused with exactly its error ------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_derived_vector_is_refused_with_its_error(path: Path) -> None:
    vector = BY_STEM[path.stem]
    error = vector["expected"]["error"]
    assert vector["expected"]["result"] == "invalid"
    assert error in errors.__all__ and issubclass(getattr(errors, error), errors.JoseError)
    result = run_one(vector)
    assert result.passed, f"expected {error}, got {result.detail}"


def test_derived_vectors_name_a_published_parent_and_cite_it() -> None:
    assert len(FILES) >= 30
    for stem, vector in BY_STEM.items():
        assert vector["id"] == f"derived-{stem}"
        parent_id = vector["derived_from"]
        source, _, parent_stem = parent_id.partition("-")
        assert source.startswith("rfc"), parent_id
        parent = json.loads((VECTORS / source / f"{parent_stem}.json").read_text("utf-8"))
        assert parent["expected"]["result"] == "valid"
        for member in ("rfc", "section", "title", "url"):
            assert vector["source"][member] == parent["source"][member], (stem, member)
        assert "derived" in vector["source"]["note"].lower()
        assert vector["mutation"].endswith(".") and vector["clause"]
        assert vector["serializations"] == [
            form for form in ("compact", "json", "json_flattened") if form in vector["expected"]
        ]


# -- (c) every mutation family has a vector --------------------------------------------------------


def test_every_mutation_family_has_a_derived_vector() -> None:
    families: dict[str, str] = derive.FAMILIES
    assert len(families) >= 30
    for family in families:
        assert any(stem.startswith(f"{family}-rfc") for stem in BY_STEM), family
    for stem in BY_STEM:
        assert any(stem.startswith(f"{family}-rfc") for family in families), stem


def test_the_families_span_jws_and_jwe_and_several_errors() -> None:
    errors_named = {vector["expected"]["error"] for vector in BY_STEM.values()}
    assert errors_named >= {
        "DecryptionError",
        "MalformedError",
        "UnsupportedAlgorithmError",
        "AlgorithmNotAllowedError",
        "LimitExceededError",
        "InvalidSignatureError",
        "InvalidKeyError",
    }
    assert {v["kind"] for v in BY_STEM.values()} >= {"jws", "jwe"}


# -- controls: a re-signed or re-sealed token is valid but for its mutation ------------------------


def _parts(stem: str) -> list[str]:
    token: str = BY_STEM[stem]["expected"]["compact"]
    return token.split(".")


def _parent(stem: str) -> dict[str, Any]:
    source, _, rest = BY_STEM[stem]["derived_from"].partition("-")
    data: dict[str, Any] = json.loads((VECTORS / source / f"{rest}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize(
    "stem",
    [
        "jws-alg-missing-rfc7515-a.1",
        "jws-crit-unknown-rfc7515-a.1",
        "jws-crit-invalid-rfc7520-4.4-empty",
        "jws-crit-invalid-rfc7520-4.4-registered-name",
        "jws-header-duplicate-member-rfc7520-4.4",
    ],
)
def test_remaced_tokens_carry_a_valid_hs256(stem: str) -> None:
    header, payload, signature = _parts(stem)
    secret = _b64u(_parent(stem)["keys"]["hmac"]["k"])
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(mac, _b64u(signature))


def test_b64_without_crit_carries_a_valid_mac_over_the_unencoded_payload() -> None:
    stem = "jws-b64-without-crit-rfc7797-4.2"
    header, payload_segment, signature = _parts(stem)
    assert payload_segment == "" and json.loads(_b64u(header)) == {"alg": "HS256", "b64": False}
    parent = _parent(stem)
    payload = derive.octets(parent["input"]["payload"])
    mac = hmac.new(
        _b64u(parent["keys"]["hmac"]["k"]), header.encode() + b"." + payload, hashlib.sha256
    )
    assert hmac.compare_digest(mac.digest(), _b64u(signature))


def test_hmac_confusion_token_is_a_valid_hmac_under_the_public_pem() -> None:
    stem = "jws-alg-hmac-confusion-rfc7515-a.2-hs256-allowed"
    header, payload, signature = _parts(stem)
    pem = derive.rsa_public_pem(_parent(stem)["keys"]["rsa"])
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    mac = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(mac, _b64u(signature))
    assert "d" not in BY_STEM[stem]["keys"]["rsa"]


def test_rs256_crit_token_carries_a_valid_signature() -> None:
    stem = "jws-crit-unknown-rfc7520-4.1"
    header, payload, signature = _parts(stem)
    key = derive.rsa_private(_parent(stem)["keys"]["rsa"]).public_key()
    key.verify(
        _b64u(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )


@pytest.mark.parametrize(
    ("stem", "extension"),
    [
        ("jws-crit-unknown-rfc7515-a.1", "exp"),
        ("jws-crit-unknown-rfc7520-4.1", "http://example.invalid/unknown"),
    ],
)
def test_crit_tokens_verify_once_the_extension_is_understood(stem: str, extension: str) -> None:
    # The refusal is the crit check alone: declared understood, the same token verifies.
    vector = BY_STEM[stem]
    signature = vector["input"]["signatures"][0]
    key = JWK.from_dict(vector["keys"][signature["key"]])
    verified = jws.verify_compact(
        vector["expected"]["compact"], key, algorithms=[signature["alg"]], critical=[extension]
    )
    assert verified.payload == derive.octets(vector["input"]["payload"])


def test_crit_jwe_with_valid_tag_opens_under_the_printed_key() -> None:
    stem = "jwe-crit-unknown-rfc7520-5.6-tag-valid"
    header, encrypted_key, iv, ciphertext, tag = _parts(stem)
    parent = _parent(stem)
    assert encrypted_key == ""
    assert json.loads(_b64u(header))["crit"] == ["exp"]
    opened = AESGCM(_b64u(parent["keys"]["aes-128-gcm"]["k"])).decrypt(
        _b64u(iv), _b64u(ciphertext) + _b64u(tag), header.encode("ascii")
    )
    assert opened == derive.octets(parent["input"]["plaintext"])


def test_zip_bomb_is_validly_encrypted_and_inflates_beyond_the_limit() -> None:
    stem = "jwe-zip-bomb-rfc7520-5.9"
    header, _, iv, ciphertext, tag = _parts(stem)
    parent = _parent(stem)
    assert header == parent["expected"]["compact"].split(".")[0]
    cek = derive.octets(parent["fixed_randomness"]["cek"])
    stream = AESGCM(cek).decrypt(_b64u(iv), _b64u(ciphertext) + _b64u(tag), header.encode())
    inflater = zlib.decompressobj(-15)
    plaintext = inflater.decompress(stream)
    assert inflater.eof and plaintext == bytes(len(plaintext)) and len(plaintext) > 250_000
    assert len(stream) < 4096


def test_off_curve_epk_is_off_the_curve() -> None:
    stem = "jwe-ecdh-epk-off-curve-rfc7520-5.4"
    epk = json.loads(_b64u(_parts(stem)[0]))["epk"]
    assert not derive.on_curve(epk["crv"], _b64u(epk["x"]), _b64u(epk["y"]))
    parent_epk = json.loads(_b64u(_parent(stem)["expected"]["compact"].split(".")[0]))["epk"]
    assert derive.on_curve(parent_epk["crv"], _b64u(parent_epk["x"]), _b64u(parent_epk["y"]))
