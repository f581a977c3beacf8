"""SECURITY.md "Found by outside testing": attacker text in messages is escaped and cut.

Every place where a token or key document puts its own text into an error message
(a "crit" name, a member name duplicated across headers or within one, alg, enc, zip,
kid, a JWK's kty, crv, use or alg, a duplicated claim name) is fed strings full of
control characters: newlines, ESC sequences, NUL, DEL, C1 controls, line separators,
bidi overrides, lone surrogates. Whatever is refused, the message holds only printable
characters (no log forging, no terminal escapes) and stays short.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jose_ref import JWK, JWKSet, jwe, jws, jwt
from jose_ref.errors import JoseError
from tests.jws.forge import forge

MAC_KEY = JWK.from_dict({"kty": "oct", "k": "c2VjcmV0LWtleS1vZi0zMi1vY3RldHMtZm9yLWhzMjU2"})
DIR_KEY = JWK.from_dict({"kty": "oct", "k": "AAECAwQFBgcICQoLDA0ODw"})
MAX_MESSAGE_CHARS = 400

HOSTILE = [
    "\n",
    "\r\n",
    "\x1b[2J\x1b[31m",
    "\x1b]0;title\x07",
    "\x00",
    "\x7f",
    "\x9b",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\t",
    "\x08",
]
EVIL = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), min_size=1, max_size=60
).map("".join)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def dumps(value: Any) -> bytes:
    # ensure_ascii keeps lone surrogates as \\ud800 escapes, as a hostile sender would.
    return json.dumps(value).encode("ascii")


def _jws_header(header: dict[str, Any] | bytes) -> str:
    return forge(header if isinstance(header, bytes) else dumps(header), b"{}", None) + "AAAA"


def _jwe(header: dict[str, Any] | bytes) -> str:
    encoded = b64(header if isinstance(header, bytes) else dumps(header))
    return f"{encoded}..{b64(bytes(12))}.{b64(b'x')}.{b64(bytes(16))}"


def _duplicate(evil: str, before: bytes) -> bytes:
    name = dumps(evil)
    return before[:-1] + b"," + name + b":1," + name + b":2}"


def _verify(token: str, keys: Any = MAC_KEY) -> object:
    return jws.verify_compact(token, keys, algorithms=["HS256"])


CASES: dict[str, Callable[[str], object]] = {
    "crit not understood": lambda e: _verify(_jws_header({"alg": "HS256", "crit": [e], e: 1})),
    "crit absent": lambda e: _verify(_jws_header({"alg": "HS256", "crit": [e]})),
    "duplicate in a header": lambda e: _verify(_jws_header(_duplicate(e, b'{"alg":"HS256"}'))),
    "duplicate across JWS headers": lambda e: jws.verify_json(
        {
            "protected": b64(dumps({"alg": "HS256", e: 1})),
            "header": {e: 2},
            "payload": "",
            "signature": "AAAA",
        },
        MAC_KEY,
        algorithms=["HS256"],
    ),
    "duplicate across JWE headers": lambda e: jwe.decrypt_json(
        {
            "protected": b64(dumps({"enc": "A128GCM", e: 1})),
            "unprotected": {e: 2},
            "header": {"alg": "dir"},
            "iv": b64(bytes(12)),
            "ciphertext": "AA",
            "tag": b64(bytes(16)),
        },
        DIR_KEY,
    ),
    "alg": lambda e: _verify(_jws_header({"alg": e})),
    "enc": lambda e: jwe.decrypt_compact(_jwe({"alg": "dir", "enc": e}), DIR_KEY),
    "zip": lambda e: jwe.decrypt_compact(_jwe({"alg": "dir", "enc": "A128GCM", "zip": e}), DIR_KEY),
    "kid": lambda e: _verify(
        _jws_header({"alg": "HS256", "kid": e}),
        JWKSet([JWK.from_dict({**MAC_KEY.to_dict(private=True), "kid": "k1"})]),
    ),
    "typ": lambda e: jwt.decode(
        forge({"alg": "HS256", "typ": e}, b'{"exp": 9999999999}', MAC_KEY),
        MAC_KEY,
        algorithms=["HS256"],
        typ="JWT",
    ),
    "duplicate claim": lambda e: jwt.decode(
        forge({"alg": "HS256"}, _duplicate(e, b'{"exp":9999999999}'), MAC_KEY),
        MAC_KEY,
        algorithms=["HS256"],
    ),
    "epk crv": lambda e: jwe.decrypt_compact(
        _jwe(
            {
                "alg": "ECDH-ES",
                "enc": "A128GCM",
                "epk": {"kty": "EC", "crv": e, "x": "AA", "y": "AA"},
            }
        ),
        JWK.generate("EC", crv="P-256"),
        algorithms=["ECDH-ES"],
    ),
    "epk duplicate": lambda e: jwe.decrypt_compact(
        _jwe(b'{"alg":"ECDH-ES","enc":"A128GCM","epk":' + _duplicate(e, b'{"kty":"EC"}') + b"}"),
        JWK.generate("EC", crv="P-256"),
        algorithms=["ECDH-ES"],
    ),
    "JWK kty": lambda e: JWK.from_dict({"kty": e}),
    "JWK crv": lambda e: JWK.from_dict({"kty": "OKP", "crv": e, "x": "AA"}),
    "JWK EC crv": lambda e: JWK.from_dict({"kty": "EC", "crv": e, "x": "AA", "y": "AA"}),
    "JWK use": lambda e: JWK.from_dict(
        {**MAC_KEY.to_dict(private=True), "use": e, "key_ops": ["sign", "encrypt"]}
    ),
    "JWK alg binding": lambda e: _verify(
        forge({"alg": "HS256"}, b"{}", MAC_KEY),
        JWK.from_dict({**MAC_KEY.to_dict(private=True), "alg": e}),
    ),
    "JWK use binding": lambda e: _verify(
        forge({"alg": "HS256"}, b"{}", MAC_KEY),
        JWK.from_dict({**MAC_KEY.to_dict(private=True), "use": e}),
    ),
    "JWK Set JSON duplicate": lambda e: JWKSet.from_json(_duplicate(e, b'{"keys":[]}')),
}


def _refusal(call: Callable[[], object]) -> JoseError:
    with pytest.raises(JoseError) as info:
        call()
    return info.value


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evil=EVIL)
def test_messages_hold_no_control_character_and_stay_short(case: str, evil: str) -> None:
    message = str(_refusal(lambda: CASES[case](evil)))
    assert message.isprintable(), f"{case}: {message!r}"
    assert len(message) <= MAX_MESSAGE_CHARS, f"{case}: {len(message)} characters"


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_worst_case_reaches_the_message_escaped(case: str) -> None:
    # The control: each case does reach a message that shows the hostile text, escaped and
    # cut (a kid that long is refused by max_kid_bytes first; "typ" shows the caller's value).
    evil = "\x1b[31mred\nForged: line" + "x" * 1000
    message = str(_refusal(lambda: CASES[case](evil)))
    assert "\x1b" not in message and "\n" not in message
    assert len(message) <= MAX_MESSAGE_CHARS
    if case not in ("kid", "typ"):
        assert "'\\x1b[31mred\\nForged: line" in message
        assert "x" * 100 not in message


def test_a_short_hostile_kid_is_shown_escaped() -> None:
    message = str(_refusal(lambda: CASES["kid"]("\x1b]0;pwned\x07\n")))
    assert "'\\x1b]0;pwned\\x07\\n'" in message
