"""RemoteJWKSet (RFC 7517 s5) against a real HTTP server on 127.0.0.1 that the test controls."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from jose_ref import x5c
from jose_ref.errors import (
    JoseError,
    KeyNotFoundError,
    LimitExceededError,
    MalformedError,
)
from jose_ref.jwk import JWK, JWKSet
from jose_ref.jwk.remote import RemoteJWKSet
from jose_ref.limits import Limits
from tests import pki

# -- the test server --------------------------------------------------------------------------


@dataclass
class Reply:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_length: bool = True


@dataclass
class Endpoint:
    """What the server answers per path, and what it was asked."""

    port: int
    replies: dict[str, Reply] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/jwks"

    @property
    def requests(self) -> int:
        with self.lock:
            return len(self.paths)

    def serve(self, document: Any, path: str = "/jwks", **options: Any) -> None:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.replies[path] = Reply(body=body, **options)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        endpoint: Endpoint = self.server.endpoint  # type: ignore[attr-defined]
        with endpoint.lock:
            endpoint.paths.append(self.path)
            endpoint.accept.append(self.headers.get("Accept", ""))
        reply = endpoint.replies.get(self.path, Reply(status=404, body=b"not found"))
        if reply.delay:
            time.sleep(reply.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.content_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        # The client may stop reading, as a size cap or a timeout should make it.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    endpoint = Endpoint(port=httpd.server_address[1])
    httpd.endpoint = endpoint  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    yield endpoint
    httpd.shutdown()
    httpd.server_close()


class Clock:
    """An injectable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def key_members(kid: str) -> dict[str, Any]:
    return _KEYS[kid]


_KEYS = {
    kid: JWK.generate("EC", crv="P-256", kid=kid, use="sig").public().to_dict()
    for kid in ("k1", "k2", "k3")
}


def jwks(*kids: str) -> dict[str, Any]:
    return {"keys": [key_members(kid) for kid in kids]}


def remote(endpoint: Endpoint, clock: Clock, **options: Any) -> RemoteJWKSet:
    return RemoteJWKSet(endpoint.url, clock=clock, **options)


def raises_exactly(cls: type[JoseError], call: Any, match: str | None = None) -> JoseError:
    with pytest.raises(cls, match=match) as caught:
        call()
    assert type(caught.value) is cls, type(caught.value)
    return caught.value


# -- fetching and caching ---------------------------------------------------------------------


def test_first_fetch(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1", "k2"))
    keys = remote(endpoint, clock)
    assert endpoint.requests == 0  # Nothing is fetched at construction.
    found = keys.find(kid="k1")
    assert [key.kid for key in found] == ["k1"]
    assert endpoint.paths == ["/jwks"]
    assert "application/jwk-set+json" in endpoint.accept[0]


def test_cache_hit(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1", "k2"))
    keys = remote(endpoint, clock, max_age=300)
    keys.find(kid="k1")
    clock.advance(299)
    assert [key.kid for key in keys.find(kid="k2")] == ["k2"]
    assert len(keys.find()) == 2
    assert len(keys) == 2
    assert [key.kid for key in keys] == ["k1", "k2"]
    assert isinstance(keys.keys(), JWKSet)
    assert endpoint.requests == 1


def test_max_age_expiry_refetches(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, max_age=300)
    keys.find()
    endpoint.serve(jwks("k2"))
    clock.advance(300)
    assert [key.kid for key in keys.find()] == ["k2"]
    assert endpoint.requests == 2


def test_filters_by_alg_and_use(endpoint: Endpoint, clock: Clock) -> None:
    members = dict(key_members("k3"), use="enc")
    endpoint.serve({"keys": [key_members("k1"), members]})
    keys = remote(endpoint, clock)
    assert [key.kid for key in keys.find(use="sig")] == ["k1"]
    assert keys.find(kid="k3", use="sig") == []
    # The kid is known, so a mismatch of use is no reason to refetch.
    assert endpoint.requests == 1


# -- rotation and cooldown --------------------------------------------------------------------


def test_rotation_fetches_the_new_kid_once(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, cooldown=30)
    keys.find(kid="k1")
    endpoint.serve(jwks("k1", "k2"))
    clock.advance(31)
    assert [key.kid for key in keys.find(kid="k2")] == ["k2"]
    assert [key.kid for key in keys.find(kid="k2")] == ["k2"]
    assert [key.kid for key in keys.find(kid="k1")] == ["k1"]
    assert endpoint.requests == 2


def test_rotation_removing_a_key(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock)
    keys.find(kid="k1")
    endpoint.serve(jwks("k2"))
    clock.advance(31)
    assert keys.find(kid="k2") != []
    assert keys.find(kid="k1") == []


def test_unknown_kid_within_the_cooldown_does_not_fetch(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, cooldown=30)
    keys.find(kid="k1")
    endpoint.serve(jwks("k1", "k2"))
    clock.advance(10)
    assert keys.find(kid="k2") == []
    assert endpoint.requests == 1
    clock.advance(20)
    assert [key.kid for key in keys.find(kid="k2")] == ["k2"]
    assert endpoint.requests == 2


def test_a_flood_of_unknown_kids_causes_at_most_one_fetch(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, cooldown=30)
    keys.find(kid="k1")
    clock.advance(31)
    for index in range(100):
        assert keys.find(kid=f"attacker-{index}") == []
        clock.advance(0.1)
    assert endpoint.requests == 2
    clock.advance(30)
    keys.find(kid="attacker-again")
    assert endpoint.requests == 3


def test_concurrent_unknown_kids_share_one_fetch(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock)
    keys.find(kid="k1")
    endpoint.serve(jwks("k1", "k2"), delay=0.1)
    clock.advance(31)
    results: list[list[JWK]] = []

    def look_up() -> None:
        found = keys.find(kid="k2")
        results.append(found)

    threads = [threading.Thread(target=look_up) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert endpoint.requests == 2
    assert all([key.kid for key in found] == ["k2"] for found in results)
    assert len(results) == 20


# -- failures with a cached set: served within the grace period -------------------------------


def test_server_error_with_a_cached_set(
    endpoint: Endpoint, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, max_age=300)
    keys.find(kid="k1")
    endpoint.serve(b"oops", status=500)
    clock.advance(301)
    with caplog.at_level(logging.WARNING, logger="jose_ref.jwk.remote"):
        assert [key.kid for key in keys.find(kid="k1")] == ["k1"]
    assert endpoint.requests == 2
    assert keys.last_error is not None
    assert "HTTP 500" in keys.last_error
    assert "could not be refreshed" in caplog.text
    assert "oops" not in caplog.text
    # The endpoint comes back: the next fetch (after the cooldown) clears the error.
    endpoint.serve(jwks("k1", "k2"))
    clock.advance(31)
    assert len(keys.find()) == 2
    assert keys.last_error is None


@pytest.mark.parametrize(
    "reply",
    [
        Reply(status=503),
        Reply(body=b"{not json"),
        Reply(body=b'{"keys": {}}'),
        Reply(body=b"x" * 5_000),
    ],
)
def test_any_refetch_failure_keeps_the_cached_set(
    endpoint: Endpoint, clock: Clock, reply: Reply
) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, max_bytes=1_000)
    keys.find()
    endpoint.replies["/jwks"] = reply
    clock.advance(31)
    assert keys.find(kid="k-new") == []
    assert [key.kid for key in keys.find(kid="k1")] == ["k1"]
    assert endpoint.requests == 2
    assert keys.last_error is not None


def test_cached_set_expires_after_the_grace_period(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"))
    keys = remote(endpoint, clock, max_age=300, grace=600)
    keys.find()
    endpoint.serve(b"", status=500)
    clock.advance(900)
    assert len(keys.find()) == 1
    clock.advance(31)
    raises_exactly(KeyNotFoundError, keys.find, "could not be fetched: HTTP 500")


# -- failures without a cached set ------------------------------------------------------------


def test_server_error_without_a_cached_set(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(b"", status=500)
    keys = remote(endpoint, clock)
    raises_exactly(KeyNotFoundError, lambda: keys.find(kid="k1"), "could not be fetched: HTTP 500")


def test_not_found(endpoint: Endpoint, clock: Clock) -> None:
    keys = RemoteJWKSet(f"http://127.0.0.1:{endpoint.port}/missing", clock=clock)
    raises_exactly(KeyNotFoundError, keys.find, "HTTP 404")


def test_a_failure_is_remembered_for_the_cooldown(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(b"", status=500)
    keys = remote(endpoint, clock, cooldown=30)
    for _ in range(50):
        raises_exactly(KeyNotFoundError, keys.find, "HTTP 500")
    assert endpoint.requests == 1
    endpoint.serve(jwks("k1"))
    clock.advance(30)
    assert len(keys.find()) == 1
    assert endpoint.requests == 2


def test_slow_server_times_out(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1"), delay=1.0)
    keys = remote(endpoint, clock, timeout=0.3)
    started = time.monotonic()
    error = raises_exactly(KeyNotFoundError, keys.find, "could not be fetched")
    assert "timed out" in str(error).lower() or "timeout" in str(error).lower()
    assert time.monotonic() - started < 0.9


def test_connection_refused(clock: Clock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    keys = RemoteJWKSet(f"http://127.0.0.1:{port}/jwks", clock=clock)
    raises_exactly(KeyNotFoundError, keys.find, "could not be fetched")


@pytest.mark.parametrize("content_length", [True, False])
def test_oversized_body(endpoint: Endpoint, clock: Clock, content_length: bool) -> None:
    document = {"keys": [key_members("k1")] * 50}
    endpoint.serve(document, content_length=content_length)
    keys = remote(endpoint, clock, max_bytes=1_000)
    error = raises_exactly(LimitExceededError, keys.find, "max_bytes=1000")
    assert isinstance(error, LimitExceededError)
    assert (error.limit, error.maximum) == ("max_bytes", 1_000)
    assert error.actual > 1_000


def test_body_of_exactly_max_bytes_is_read(endpoint: Endpoint, clock: Clock) -> None:
    body = json.dumps(jwks("k1")).encode()
    for content_length in (True, False):
        endpoint.serve(body, content_length=content_length)
        assert len(RemoteJWKSet(endpoint.url, max_bytes=len(body), clock=clock).find()) == 1


def test_too_many_keys(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.serve(jwks("k1", "k2", "k3"))
    limits = Limits(max_jwks_keys=2)
    error = raises_exactly(LimitExceededError, remote(endpoint, clock, limits=limits).find)
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_jwks_keys"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"{not json", "JSON"),
        (b"", "JSON"),
        (b'[{"keys": []}]', "JSON object"),
        (b'{"keys": {"kty": "EC"}}', '"keys" array'),
        (b'{"keys": "k1"}', '"keys" array'),
        (b'{"no_keys": []}', '"keys" array'),
        (b'{"keys": ["k1"]}', "not a JSON object"),
        (b'{"keys": [null]}', "not a JSON object"),
        (b'{"keys": [], "keys": []}', "duplicate"),
    ],
)
def test_invalid_document(endpoint: Endpoint, clock: Clock, body: bytes, match: str) -> None:
    endpoint.serve(body)
    raises_exactly(MalformedError, remote(endpoint, clock).find, match)


# -- the URL and redirects --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/jwks",
        "http://10.0.0.1/jwks",
        "http://[2001:db8::1]/jwks",
        "http://127.0.0.1.example.com/jwks",
        "ftp://127.0.0.1/jwks",
        "file:///etc/passwd",
        "https:///jwks",
        "//example.com/jwks",
        "https://user:secret@example.com/jwks",
        "https://example.com:99999/jwks",
        "jwks.json",
    ],
)
def test_urls_refused_at_construction(url: str) -> None:
    with pytest.raises(ValueError):
        RemoteJWKSet(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/.well-known/jwks.json",
        "HTTPS://Example.COM:8443/jwks?tenant=a",
        "http://127.0.0.1:8080/jwks",
        "http://127.5.6.7/jwks",
        "http://localhost/jwks",
        "http://[::1]:9000/jwks",
    ],
)
def test_urls_accepted(url: str) -> None:
    assert "RemoteJWKSet" in repr(RemoteJWKSet(url))


def test_repr_hides_the_query() -> None:
    assert "secret" not in repr(RemoteJWKSet("https://example.com/jwks?api_key=secret"))


@pytest.mark.parametrize(
    "options",
    [
        {"max_age": -1},
        {"cooldown": float("nan")},
        {"timeout": 0},
        {"timeout": float("inf")},
        {"max_bytes": 0},
        {"max_bytes": True},
        {"grace": -5},
    ],
)
def test_settings_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RemoteJWKSet("https://example.com/jwks", **options)


def test_url_of_the_wrong_type() -> None:
    wrong: Any = b"https://example.com/jwks"
    with pytest.raises(TypeError):
        RemoteJWKSet(wrong)


def test_redirect_to_another_host_is_refused(endpoint: Endpoint, clock: Clock) -> None:
    # localhost is the same server by another name: had the redirect been followed,
    # the server would have seen a second request.
    target = f"http://localhost:{endpoint.port}/jwks"
    endpoint.replies["/jwks"] = Reply(status=302, headers={"Location": target})
    endpoint.serve(jwks("k1"), path="/elsewhere")
    raises_exactly(KeyNotFoundError, remote(endpoint, clock).find, "redirect to another origin")
    assert endpoint.paths == ["/jwks"]


def test_redirect_to_another_port_is_refused(endpoint: Endpoint, clock: Clock) -> None:
    target = f"http://127.0.0.1:{endpoint.port + 1}/jwks"
    endpoint.replies["/jwks"] = Reply(status=301, headers={"Location": target})
    raises_exactly(KeyNotFoundError, remote(endpoint, clock).find, "redirect")


def test_redirect_within_the_origin_is_followed(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.replies["/jwks"] = Reply(status=302, headers={"Location": "/v2/jwks"})
    endpoint.serve(jwks("k1"), path="/v2/jwks")
    assert len(remote(endpoint, clock).find()) == 1
    assert endpoint.paths == ["/jwks", "/v2/jwks"]


def test_redirect_loop_ends(endpoint: Endpoint, clock: Clock) -> None:
    endpoint.replies["/jwks"] = Reply(status=302, headers={"Location": "/jwks"})
    raises_exactly(KeyNotFoundError, remote(endpoint, clock).find, "could not be fetched")
    assert endpoint.requests <= 5


# -- with x5c: the BankID flow ------------------------------------------------------------------


def test_trusted_key_source_over_a_rotating_remote_set(endpoint: Endpoint, clock: Clock) -> None:
    good = pki.build("EC")
    rogue = pki.build("EC", root_name="Rogue Root", leaf_name="Rogue Signer")

    def published(p: pki.PKI, kid: str) -> dict[str, Any]:
        return JWK.from_key_object(p.leaf.key.public_key(), kid=kid, x5c=p.x5c).to_dict()

    endpoint.serve({"keys": [published(good, "2024")]})
    source = x5c.TrustedKeySource(remote(endpoint, clock), [good.root.cert])
    assert [key.kid for key in source.find(kid="2024")] == ["2024"]
    endpoint.serve(
        {"keys": [published(good, "2024"), published(good, "2025"), published(rogue, "evil")]}
    )
    clock.advance(31)
    # An unknown kid reaches the remote set (one refetch), then only verified keys come back.
    assert [key.kid for key in source.find(kid="2025")] == ["2025"]
    assert source.find(kid="evil") == []
    assert [key.kid for key in source.find()] == ["2024", "2025"]
    assert endpoint.requests == 2
