"""RFC 7520 and the JOSE appendices - Running the published vectors shipped with the package.

Behind `jose-ref vectors`: every transcribed vector of the repository's
`vectors/` folder (shipped in the wheel as `jose_ref/vectors/`, see setup.py) goes
through the public API (and, for the primitive vectors of RFC 3394 and RFC
7518 Appendices B and C, through the primitives). A valid vector must
verify or decrypt to its published payload in every serialization it
prints, and the intermediate values it prints (encoded header, AAD, JWE
Encrypted Key, ciphertext, tag, derived key, MAC_KEY, Z, OtherInfo, JWS
Signing Input...) must be the ones the library's recorded trace shows; an
invalid one must be refused with the error class it names. The expected
values are the RFCs'; nothing here computes an expected value.

https://www.rfc-editor.org/rfc/rfc7520
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jose_ref import errors, trace
from jose_ref import vector_intermediates as intermediates
from jose_ref.jwa.signatures import mldsa
from jose_ref.jwk import JWK, JWKSet
from jose_ref.vector_intermediates import octets

__all__ = ["Result", "run_all"]

_PACKAGE = Path(__file__).resolve().parent
# An installed wheel carries the vectors inside the package; a source checkout (or an
# editable install) has the single source, the repository's top-level vectors/ folder.
VECTORS = next(
    (p for p in (_PACKAGE / "vectors", _PACKAGE.parent / "vectors") if p.is_dir()),
    _PACKAGE / "vectors",
)
FORMS = ("compact", "json", "json_flattened")


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one vector."""

    vector_id: str
    passed: bool
    detail: str


def _keys(vector: dict[str, Any], names: set[str]) -> list[JWK]:
    # Each published key is used on its own: the RFC's tokens carry "kid" values that its
    # JWKs do not, and a JWK Set is matched strictly by "kid" (RFC 7517 s4.5).
    keys = [JWK.from_dict(vector["keys"][name]) for name in sorted(n for n in names if n)]
    # An unsecured JWS (RFC 7515 A.5) names no key: any key must still see it refused.
    return keys or [JWK.generate("oct")]


def _check_jwk(vector: dict[str, Any]) -> str:
    key = JWK.from_dict(vector["keys"]["key"])
    expected = vector["expected"]
    if (
        "thumbprint" in expected
        and key.thumbprint(expected["thumbprint"]["hash"]) != expected["thumbprint"]["b64u"]
    ):
        raise AssertionError("thumbprint differs")
    if "thumbprint_uri" in expected and key.thumbprint_uri() != expected["thumbprint_uri"]:
        raise AssertionError("thumbprint URI differs")
    return "key loads" + (", thumbprint matches" if "thumbprint" in expected else "")


def _check_jwks(vector: dict[str, Any]) -> str:
    keys = JWKSet.from_dict(vector["input"]["jwks"])
    return f"{len(keys)} keys load"


def _jws_forms(vector: dict[str, Any]) -> list[str]:
    from jose_ref import jws

    given = vector["input"]
    algorithms = {s["alg"] for s in given.get("signatures", [])}
    done = []
    for form in FORMS:
        token = vector["expected"].get(form)
        if token is None:
            continue
        # RFC 7797 s4.2 prints its compact form detached and its JSON form with the payload.
        detached_forms = given.get(
            "detached_serializations", FORMS if given.get("detached") else ()
        )
        detached = octets(given["payload"]) if form in detached_forms else None
        for key in _keys(vector, {s["key"] for s in given.get("signatures", [])}):
            with trace.recording() as recorded:
                if form == "compact":
                    result = jws.verify_compact(token, key, algorithms=algorithms, payload=detached)
                else:
                    result = jws.verify_json(token, key, algorithms=algorithms, payload=detached)
            if result.payload != octets(given["payload"]):
                raise AssertionError(f"{form}: payload differs")
            checked = intermediates.same(
                recorded.steps, intermediates.jws_printed(vector, result.signature_index)
            )
        done.append(form)
    return done + ([f"{checked} intermediates"] if done else [])


def _jwe_forms(vector: dict[str, Any]) -> list[str]:
    from jose_ref import jwe

    given = vector["input"]
    algorithms = {r["alg"] for r in given["recipients"]}
    done = []
    for form in FORMS:
        token = vector["expected"].get(form)
        if token is None:
            continue
        decrypt = jwe.decrypt_compact if form == "compact" else jwe.decrypt_json
        for key in _keys(vector, {r["key"] for r in given["recipients"]}):
            with trace.recording() as recorded:
                plaintext = decrypt(token, key, algorithms=algorithms).plaintext
            if plaintext != octets(given["plaintext"]):
                raise AssertionError(f"{form}: plaintext differs")
            checked = intermediates.same(recorded.steps, intermediates.jwe_printed(vector, form))
        done.append(form)
    return done + ([f"{checked} intermediates"] if done else [])


def _check_signed_or_encrypted(vector: dict[str, Any]) -> str:
    forms = _jwe_forms(vector) if vector["kind"] in ("jwe", "pbes2") else _jws_forms(vector)
    return "verified or decrypted: " + ", ".join(forms)


def _check_aes_cbc_hmac(vector: dict[str, Any]) -> str:
    from jose_ref.jwa import content_encryption, registry

    given, expected = vector["input"], vector["expected"]
    enc = registry.content_encryption(given["enc"])
    with trace.recording() as recorded:
        e, t = content_encryption.encrypt(
            enc, octets(given["k"]), octets(given["iv"]), octets(given["p"]), octets(given["a"])
        )
    if (e, t) != (octets(expected["e"]), octets(expected["t"])):
        raise AssertionError("ciphertext or tag differs")
    printed = {name: octets(vector["intermediate"][name]) for name in ("mac_key", "enc_key", "al")}
    intermediates.same(recorded.steps, printed)
    return "E and T match; MAC_KEY, ENC_KEY and AL match"


def _check_aes_key_wrap(vector: dict[str, Any]) -> str:
    from jose_ref.jwa.key_management import aes_key_wrap

    given = vector["input"]
    if aes_key_wrap.wrap(octets(given["kek"]), octets(given["key_data"])) != octets(
        vector["expected"]["ciphertext"]
    ):
        raise AssertionError("wrapped key differs")
    return "wrapped key matches"


def _check_ecdh_es_kdf(vector: dict[str, Any]) -> str:
    from jose_ref.jwa import registry
    from jose_ref.jwa.key_management import ecdh_es

    given, expected = vector["input"], vector["expected"]
    private, public = intermediates.agreeing_pair(vector)
    with trace.recording() as recorded:
        z = ecdh_es.agree(private, public)
        derived = ecdh_es.derive_key(
            z,
            registry.key_management(given["alg"]),
            registry.content_encryption(given["enc"]),
            octets(given["apu"]),
            octets(given["apv"]),
        )
    names = ("z", "algorithm_id", "party_u_info", "party_v_info", "supp_pub_info", "other_info")
    printed = {n: octets(vector["intermediate"][n]) for n in names if n in vector["intermediate"]}
    if "derived_key" in expected:
        printed["derived_key"] = octets(expected["derived_key"])
    intermediates.same(recorded.steps, printed)
    if "derived_key" in expected and derived != printed["derived_key"]:
        raise AssertionError("derived key differs")
    return "matches: " + ", ".join(sorted(printed))


CHECKS: dict[str, Callable[[dict[str, Any]], str]] = {
    "jwk": _check_jwk,
    "jwks": _check_jwks,
    "jws": _check_signed_or_encrypted,
    "jwe": _check_signed_or_encrypted,
    "pbes2": _check_signed_or_encrypted,
    "jwt": _check_signed_or_encrypted,
    "aes-cbc-hmac": _check_aes_cbc_hmac,
    "aes-key-wrap": _check_aes_key_wrap,
    "ecdh-es-kdf": _check_ecdh_es_kdf,
}


def run_one(vector: dict[str, Any]) -> Result:
    """Run one vector; an invalid vector passes when refused with the error it names."""
    expected = vector["expected"]
    if "ML-DSA" in json.dumps(vector) and not mldsa.available():  # RFC 9964 vectors
        return Result(vector["id"], True, f"skipped: ML-DSA needs {mldsa.REQUIREMENT}")
    check = CHECKS[vector["kind"]]
    if vector["kind"] == "jwt" and "recipients" in vector["input"]:
        check = _check_signed_or_encrypted_jwt
    try:
        detail = check(vector)
    except errors.JoseError as error:
        refused = type(error).__name__
        ok = expected["result"] == "invalid" and refused == expected.get("error")
        return Result(vector["id"], ok, f"refused: {refused}")
    except AssertionError as error:
        return Result(vector["id"], False, str(error))
    return Result(vector["id"], expected["result"] == "valid", detail)


def _check_signed_or_encrypted_jwt(vector: dict[str, Any]) -> str:
    return "decrypted: " + ", ".join(_jwe_forms(vector))


def run_all(root: Path = VECTORS) -> list[Result]:
    """Run every vector file below `root` (the shipped vectors, or a folder of the same format)."""
    if not root.is_dir():
        raise errors.JoseError(f"no vectors folder at {root}")
    results = []
    for path in sorted(root.rglob("*.json")):
        if path.name == "schema.json":
            continue
        results.append(_run_file(path))
    return results


def _run_file(path: Path) -> Result:
    # A folder given with `jose-ref vectors --dir` may hold files that are not vectors:
    # each is reported as a failure of its own rather than stopping the run.
    try:
        vector = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(vector, dict) or vector.get("kind") not in CHECKS:
            return Result(path.name, False, "not a vector file (vectors/FORMAT.md)")
        return run_one(vector)
    except (OSError, ValueError) as error:
        return Result(path.name, False, f"unreadable: {type(error).__name__}")
    except (KeyError, TypeError, AttributeError) as error:
        return Result(path.name, False, f"not a vector file (vectors/FORMAT.md): {error!r}"[:200])
