"""Record the differential corpus: valid tokens, seeded mutations, and their outcomes.

Run once, on the code BEFORE the hot-path work (issue 9), from the repository root:

    .venv/bin/python -m tests.differential.record

It generates fresh keys and tokens (encryption is randomized, so tokens are stored),
derives mutations with random.Random(SEED), runs every case through the public API and
writes corpus.json with each outcome. test_differential.py replays the cases and
asserts identical outcomes: the same result, or the same error class and message.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import subprocess
from typing import Any

from jose_ref import JWK, b64url, jwe, jws
from tests.differential.corpus import CORPUS, load_keys, run

SEED = 20261201
PLAINTEXT = b'{"sub":"fin-hetu-hash","iss":"https://idp.example","aud":"client-123"}'
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

KEY_SPECS: dict[str, tuple[str, dict[str, Any]]] = {
    "rsa": ("RSA", {"size": 2048}),
    "rsa-other": ("RSA", {"size": 2048}),
    "p256": ("EC", {"crv": "P-256"}),
    "p384": ("EC", {"crv": "P-384"}),
    "p521": ("EC", {"crv": "P-521"}),
    "x25519": ("OKP", {"crv": "X25519"}),
    "x448": ("OKP", {"crv": "X448"}),
    "ed25519": ("OKP", {"crv": "Ed25519"}),
    "oct128": ("oct", {"size": 128}),
    "oct192": ("oct", {"size": 192}),
    "oct256": ("oct", {"size": 256}),
    "oct384": ("oct", {"size": 384}),
    "oct512": ("oct", {"size": 512}),
    "oct256-other": ("oct", {"size": 256}),
}

# (name, alg, enc, key name) for compact JWE.
JWE_BASES = [
    ("rsa1_5", "RSA1_5", "A128GCM", "rsa"),
    ("rsa-oaep", "RSA-OAEP", "A256GCM", "rsa"),
    *[
        (f"rsa-oaep-256-{e}", "RSA-OAEP-256", e, "rsa")
        for e in (
            "A128GCM",
            "A192GCM",
            "A256GCM",
            "A128CBC-HS256",
            "A192CBC-HS384",
            "A256CBC-HS512",
        )
    ],
    ("ecdh-p256", "ECDH-ES", "A128GCM", "p256"),
    ("ecdh-p384-a128kw", "ECDH-ES+A128KW", "A128GCM", "p384"),
    ("ecdh-p521", "ECDH-ES", "A256GCM", "p521"),
    ("ecdh-p256-a256kw", "ECDH-ES+A256KW", "A256GCM", "p256"),
    ("ecdh-x25519", "ECDH-ES", "A128GCM", "x25519"),
    ("ecdh-x448-a192kw", "ECDH-ES+A192KW", "A192CBC-HS384", "x448"),
    ("dir-a256gcm", "dir", "A256GCM", "oct256"),
    ("dir-a128cbc", "dir", "A128CBC-HS256", "oct256"),
    ("a256kw-cbc", "A256KW", "A256CBC-HS512", "oct256"),
    ("a128kw-gcm", "A128KW", "A128GCM", "oct128"),
    ("a192gcmkw", "A192GCMKW", "A256GCM", "oct192"),
    ("pbes2", "PBES2-HS256+A128KW", "A128GCM", "oct256"),
]
JWS_BASES = [
    ("hs256", "HS256", "oct256"),
    ("hs384", "HS384", "oct384"),
    ("hs512", "HS512", "oct512"),
    ("rs256", "RS256", "rsa"),
    ("ps256", "PS256", "rsa"),
    ("es256", "ES256", "p256"),
    ("es384", "ES384", "p384"),
    ("es512", "ES512", "p521"),
    ("eddsa", "EdDSA", "ed25519"),
]
PUBLIC_RECIPIENT = ("RSA", "EC", "OKP")


def _keys() -> dict[str, Any]:
    specs: dict[str, Any] = {}
    for name, (kty, args) in KEY_SPECS.items():
        specs[name] = JWK.generate(kty, kid=name, **args).to_dict(private=True)
    specs["rsa-bound"] = {**specs["rsa"], "kid": "rsa-bound", "alg": "RSA-OAEP-256"}
    specs["rsa-sig"] = {**specs["rsa"], "kid": "rsa-sig", "use": "sig"}
    specs["oct256-ops"] = {**specs["oct256"], "kid": "oct256-ops", "key_ops": ["encrypt"]}
    public = {k: v for k, v in specs["rsa"].items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
    specs["rsa-public"] = {**public, "kid": "rsa-public"}
    specs["set"] = {"keys": [specs[n] for n in ("rsa-other", "rsa", "p256", "x25519", "oct256")]}
    specs["set-nokid"] = {
        "keys": [{k: v for k, v in specs[n].items() if k != "kid"} for n in ("oct256", "p256")]
    }
    return specs


def _split_header(token: str) -> tuple[dict[str, Any], list[str]]:
    parts = token.split(".")
    return json.loads(b64url.decode(parts[0])), parts


def _with_header(parts: list[str], raw: bytes) -> str:
    return ".".join([b64url.encode_text(raw), *parts[1:]])


def _header_mutations(token: str, ecdh: bool, rng: random.Random) -> list[tuple[str, str]]:
    header, parts = _split_header(token)
    out: list[tuple[str, str]] = []

    def put(label: str, new: dict[str, Any]) -> None:
        out.append((label, _with_header(parts, json.dumps(new).encode())))

    def change(label: str, **members: Any) -> None:
        put(label, {**header, **members})

    def drop(label: str, name: str) -> None:
        put(label, {k: v for k, v in header.items() if k != name})

    for alg in (
        "none",
        "HS999",
        "RSA1_5",
        "RSA-OAEP-256",
        "ECDH-ES",
        "dir",
        "A128KW",
        "HS256",
        "RS256",
        "ES256",
        "EdDSA",
        "PBES2-HS512+A256KW",
        7,
        None,
    ):
        change(f"alg={alg}", alg=alg)
    drop("no alg", "alg")
    if "enc" in header:
        for enc in ("A128GCM", "A256GCM", "A128CBC-HS256", "A512GCM", 1, None):
            change(f"enc={enc}", enc=enc)
        drop("no enc", "enc")
        change("zip=DEF", zip="DEF")
        change("zip=XYZ", zip="XYZ")
    for kid in ("rsa", "oct256", "nobody", 12, "k" * 300, None):
        change(f"kid={str(kid)[:10]}", kid=kid)
    drop("no kid", "kid")
    change("crit exp", crit=["exp"], exp=1)
    change("crit empty", crit=[])
    change("crit registered", crit=["alg"])
    change("crit absent", crit=["x-ext"])
    change("b64 false no crit", b64=False)
    change("b64 false crit", b64=False, crit=["b64"])
    change("jwk member", jwk={"kty": "oct", "k": "AAAA"})
    change("unknown member", x_unknown={"a": [1, 2]})
    raw = json.dumps(header).encode()
    out.append(("duplicate alg", _with_header(parts, b'{"alg":"HS256",' + raw[1:])))
    out.append(("duplicate kid", _with_header(parts, raw[:-1] + b',"kid":"x","kid":"y"}')))
    out.append(("array header", _with_header(parts, b"[1,2]")))
    out.append(("bad json", _with_header(parts, raw[:-1])))
    out.append(("not utf-8", _with_header(parts, raw[:-1] + b',"x":"\xff"}')))
    out.append(("nan", _with_header(parts, raw[:-1] + b',"x":NaN}')))
    out.append(("deep", _with_header(parts, raw[:-1] + b',"x":' + b"[" * 40 + b"]" * 40 + b"}")))
    if ecdh:
        out.extend(_epk_mutations(header, parts, rng))
    if "apu" not in header and "epk" in header:
        change("apu", apu="QWxpY2U")
        change("apu padded", apu="QWxpY2U=")
        change("apu non-canonical", apu="QWxpY2V")
        change("apv int", apv=5)
    if "p2c" in header:
        for p2c in (0, -1, 10_001, 1.5, True, "1000"):
            change(f"p2c={p2c}", p2c=p2c)
        change("p2s short", p2s="AAAA")
        drop("no p2s", "p2s")
    if "tag" in header and "iv" in header:
        change("iv short", iv=header["iv"][:-2])
        change("tag short", tag=header["tag"][:-2])
        drop("no tag", "tag")
    return out


def _point(x: int, size: int) -> str:
    return b64url.encode_text(x.to_bytes(size, "big"))


def _epk_mutations(
    header: dict[str, Any], parts: list[str], rng: random.Random
) -> list[tuple[str, str]]:
    epk = header["epk"]
    out: list[tuple[str, str]] = []

    def put(label: str, new_epk: Any) -> None:
        new = {**header, "epk": new_epk}
        if new_epk is None:
            del new["epk"]
        out.append((label, _with_header(parts, json.dumps(new).encode())))

    put("no epk", None)
    put("epk string", "abc")
    put("epk with d", {**epk, "d": epk["x"]})
    put("epk rsa", {"kty": "RSA", "n": "AQAB", "e": "AQAB"})
    put("epk ed25519", {"kty": "OKP", "crv": "Ed25519", "x": epk["x"]})
    put("epk unknown crv", {**epk, "crv": "P-999"})
    put("epk extra member", {**epk, "kid": "e"})
    put("epk bad x b64", {**epk, "x": epk["x"] + "="})
    put("epk short x", {**epk, "x": epk["x"][:-3]})
    put("epk x non-canonical", {**epk, "x": epk["x"][:-1] + ("B" if epk["x"][-1] == "A" else "A")})
    if epk["kty"] == "EC":
        size = len(b64url.decode(epk["x"]))
        x = int.from_bytes(b64url.decode(epk["x"]), "big")
        y = int.from_bytes(b64url.decode(epk["y"]), "big")
        put("epk off-curve", {**epk, "y": _point(y ^ 1, size)})
        put("epk no y", {k: v for k, v in epk.items() if k != "y"})
        put("epk x too long", {**epk, "x": _point(x, size + 1)})
        put("epk zero point", {**epk, "x": _point(0, size), "y": _point(0, size)})
        put("epk other curve", {**epk, "crv": "P-384" if epk["crv"] != "P-384" else "P-256"})
        put("epk y random", {**epk, "y": _point(rng.getrandbits(size * 8 - 8), size)})
        primes = {
            "P-256": 2**256 - 2**224 + 2**192 + 2**96 - 1,
            "P-384": 2**384 - 2**128 - 2**96 + 2**32 - 1,
            "P-521": 2**521 - 1,
        }
        p = primes[epk["crv"]]
        if x + p < 256**size:
            put("epk x+p", {**epk, "x": _point(x + p, size)})
        put("epk x=p", {**epk, "x": _point(p, size)})
        put("epk x+p long", {**epk, "x": b64url.encode_text((x + p).to_bytes(size + 1, "big"))})
    else:
        size = len(b64url.decode(epk["x"]))
        put("epk low order", {**epk, "x": _point(0, size)})
        put("epk one", {**epk, "x": b64url.encode_text((1).to_bytes(size, "little"))})
        put("epk y member", {**epk, "y": epk["x"]})
        put("epk as EC", {**epk, "kty": "EC"})
    return out


def _flip(part: str, rng: random.Random) -> str:
    if not part:
        return "A"
    i = rng.randrange(len(part))
    choices = [c for c in ALPHABET if c != part[i]]
    return part[:i] + rng.choice(choices) + part[i + 1 :]


def _non_canonical(part: str) -> str | None:
    remainder = len(part) % 4
    if remainder not in (2, 3):
        return None
    index = ALPHABET.index(part[-1])
    return part[:-1] + ALPHABET[index + 1 if index % 64 != 63 else index - 1]


def _syntax_mutations(token: str, rng: random.Random) -> list[tuple[str, str]]:
    parts = token.split(".")
    out: list[tuple[str, str]] = []

    def with_part(i: int, value: str) -> str:
        return ".".join([*parts[:i], value, *parts[i + 1 :]])

    for i, part in enumerate(parts):
        out.append((f"p{i} flip", with_part(i, _flip(part, rng))))
        out.append((f"p{i} flip2", with_part(i, _flip(part, rng))))
        out.append((f"p{i} drop last", with_part(i, part[:-1])))
        out.append((f"p{i} drop 2", with_part(i, part[:-2])))
        out.append((f"p{i} append A", with_part(i, part + "A")))
        out.append((f"p{i} pad", with_part(i, part + "=")))
        out.append((f"p{i} empty", with_part(i, "")))
        for bad in ("+", "/", " ", "é", "\n", "=", "~"):
            pos = rng.randrange(len(part) + 1)
            out.append((f"p{i} insert {bad!r}", with_part(i, part[:pos] + bad + part[pos:])))
        canonical = _non_canonical(part)
        if canonical is not None:
            out.append((f"p{i} non-canonical", with_part(i, canonical)))
    out.append(("drop a part", ".".join(parts[:-1])))
    out.append(("extra part", token + ".AAAA"))
    out.append(("truncated half", token[: len(token) // 2]))
    out.append(("empty", ""))
    out.append(("dots", "." * (len(parts) - 1)))
    out.append(("json", "{}"))
    for _ in range(6):
        cut = rng.randrange(len(token))
        out.append((f"cut {cut}", token[:cut]))
    return out


def _jwe_cases(bases: dict[str, str], rng: random.Random) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(label: str, token: Any, key: str, options: dict[str, Any]) -> None:
        cases.append(
            {"label": label, "op": "jwe_compact", "token": token, "key": key, "options": options}
        )

    for name, alg, enc, key_name in JWE_BASES:
        token = bases[name]
        opts = {"algorithms": [alg], "encryptions": [enc]}
        add(f"{name} valid", token, key_name, opts)
        add(f"{name} default sets", token, key_name, {})
        add(
            f"{name} bytes",
            base64.b64encode(token.encode()).decode(),
            key_name,
            {**opts, "_bytes": True},
        )
        add(f"{name} set", token, "set", {"algorithms": [alg]})
        add(f"{name} set-nokid", token, "set-nokid", {"algorithms": [alg]})
        add(f"{name} require kid", token, key_name, {**opts, "require_kid": True})
        add(f"{name} other alg allowed", token, key_name, {"algorithms": ["A128KW"]})
        add(
            f"{name} other enc allowed",
            token,
            key_name,
            {"algorithms": [alg], "encryptions": ["A192GCM"]},
        )
        add(f"{name} bare string algs", token, key_name, {"algorithms": alg})
        for other in (
            "rsa-other",
            "rsa-bound",
            "rsa-sig",
            "rsa-public",
            "oct256-other",
            "oct256-ops",
            "oct128",
            "p384",
            "x448",
            "ed25519",
        ):
            add(f"{name} key {other}", token, other, opts)
        add(
            f"{name} small token limit",
            token,
            key_name,
            {**opts, "limits": {"max_token_bytes": 100}},
        )
        add(
            f"{name} small header limit",
            token,
            key_name,
            {**opts, "limits": {"max_header_bytes": 40}},
        )
        add(f"{name} small kid limit", token, key_name, {**opts, "limits": {"max_kid_bytes": 2}})
        mutations = _syntax_mutations(token, rng)
        mutations += _header_mutations(token, alg.startswith("ECDH"), rng)
        for label, mutated in mutations:
            add(f"{name} {label}", mutated, key_name, opts)
    for case in cases:
        if case["options"].pop("_bytes", False):
            case["token_bytes"] = True
    return cases


def _jws_cases(bases: dict[str, str], rng: random.Random) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []

    def add(label: str, token: Any, key: str, options: dict[str, Any]) -> None:
        cases.append(
            {"label": label, "op": "jws_compact", "token": token, "key": key, "options": options}
        )

    for name, alg, key_name in JWS_BASES:
        token = bases[name]
        opts = {"algorithms": [alg]}
        add(f"{name} valid", token, key_name, opts)
        add(f"{name} default", token, key_name, {})
        add(f"{name} set", token, "set", opts)
        add(f"{name} set-nokid", token, "set-nokid", opts)
        add(f"{name} other alg", token, key_name, {"algorithms": ["HS256"]})
        for other in ("rsa-other", "rsa-sig", "rsa-public", "oct256-other", "p384", "ed25519"):
            add(f"{name} key {other}", token, other, opts)
        add(f"{name} critical", token, key_name, {**opts, "critical": ["exp"]})
        add(
            f"{name} detached given",
            token,
            key_name,
            {**opts, "payload": base64.b64encode(PLAINTEXT).decode()},
        )
        add(
            f"{name} small token limit",
            token,
            key_name,
            {**opts, "limits": {"max_token_bytes": 60}},
        )
        for label, mutated in _syntax_mutations(token, rng) + _header_mutations(token, False, rng):
            add(f"{name} {label}", mutated, key_name, opts)
    return cases


def _json_cases(specs: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    keys = load_keys(specs)
    rsa, p256, oct256 = keys["rsa"], keys["p256"], keys["oct256"]
    assert isinstance(rsa, JWK) and isinstance(p256, JWK) and isinstance(oct256, JWK)
    general = jwe.encrypt_json(
        PLAINTEXT,
        [(rsa.public(), {"alg": "RSA-OAEP-256"}), (p256.public(), {"alg": "ECDH-ES+A128KW"})],
        enc="A256GCM",
        unprotected={"jku": "https://x.example"},
        aad=b"extra",
    )
    flat = jwe.encrypt_json(PLAINTEXT, [(oct256, {"alg": "A256KW"})], enc="A128GCM", flatten=True)
    signed = jws.sign_json(PLAINTEXT, [(oct256, {"alg": "HS256"}), (p256, {"alg": "ES256"})])
    signed_flat = jws.sign_json(PLAINTEXT, [(rsa, {"alg": "RS256"}, {"x": 1})], flatten=True)
    cases: list[dict[str, Any]] = []
    documents = [
        ("jwe_json", "general", general),
        ("jwe_json", "flat", flat),
        ("jws_json", "general", signed),
        ("jws_json", "flat", signed_flat),
    ]
    for op, name, document in documents:
        for key in ("rsa", "p256", "oct256", "set", "rsa-other"):
            cases.append(
                {
                    "label": f"{op} {name} key {key}",
                    "op": op,
                    "token": document,
                    "key": key,
                    "options": {},
                }
            )
            text = json.dumps(document)
            cases.append(
                {
                    "label": f"{op} {name} text {key}",
                    "op": op,
                    "token": text,
                    "key": key,
                    "options": {},
                }
            )
        for label, mutated in _document_mutations(document, rng):
            cases.append(
                {
                    "label": f"{op} {name} {label}",
                    "op": op,
                    "token": mutated,
                    "key": "set",
                    "options": {},
                }
            )
    return cases


def _document_mutations(document: dict[str, Any], rng: random.Random) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    text = json.dumps(document)
    for name in list(document):
        out.append((f"drop {name}", {k: v for k, v in document.items() if k != name}))
        value = document[name]
        if isinstance(value, str):
            out.append((f"flip {name}", {**document, name: _flip(value, rng)}))
            out.append((f"pad {name}", {**document, name: value + "="}))
        out.append((f"int {name}", {**document, name: 5}))
    out.append(("duplicate member", text[:-1] + ', "protected": "e30"}'))
    out.append(("extra member", {**document, "x": 1}))
    out.append(("array", "[]"))
    out.append(("not json", text[:-3]))
    for _ in range(8):
        i = rng.randrange(len(text))
        out.append((f"text flip {i}", text[:i] + rng.choice('{}[]",:0aZ') + text[i + 1 :]))
    entries = document.get("recipients") or document.get("signatures")
    if entries:
        out.append(
            (
                "no entries",
                {**document, ("recipients" if "recipients" in document else "signatures"): []},
            )
        )
        out.append(
            (
                "one entry",
                {
                    **document,
                    ("recipients" if "recipients" in document else "signatures"): entries[1:],
                },
            )
        )
    return out


def main() -> None:
    rng = random.Random(SEED)
    specs = _keys()
    keys = load_keys(specs)
    jwe_bases = {}
    for name, alg, enc, key_name in JWE_BASES:
        key = keys[key_name]
        assert isinstance(key, JWK)
        recipient = key.public() if key.kty in PUBLIC_RECIPIENT else key
        header = {"p2c": 1000} if alg.startswith("PBES2") else None
        jwe_bases[name] = jwe.encrypt_compact(PLAINTEXT, recipient, alg=alg, enc=enc, header=header)
    jws_bases = {}
    for name, alg, key_name in JWS_BASES:
        key = keys[key_name]
        assert isinstance(key, JWK)
        jws_bases[name] = jws.sign_compact(PLAINTEXT, key, alg=alg)
    cases = _jwe_cases(jwe_bases, rng) + _jws_cases(jws_bases, rng) + _json_cases(specs, rng)
    for case in cases:
        case["outcome"] = run(case, keys)
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    corpus = {
        "about": (
            "Differential corpus for issue 9 (the hot path). Produced by "
            f"`python -m tests.differential.record` with random.Random({SEED}) choosing the "
            f"mutations, on commit {commit} (main before the hot-path changes); the outcomes "
            "are what that code returned. Keys are throwaway test keys."
        ),
        "keys": specs,
        "cases": cases,
    }
    # gzip keeps the many near-identical mutated tokens small (zcat to read it).
    with gzip.open(CORPUS, "wt", encoding="utf-8", compresslevel=9) as out:
        json.dump(corpus, out, indent=0, sort_keys=True)
    errors = sum(1 for c in cases if "error" in c["outcome"])
    print(f"{len(cases)} cases, {errors} refused, written to {CORPUS}")


if __name__ == "__main__":
    main()
