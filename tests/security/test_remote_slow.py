"""Slow-drip JWKS endpoints (issue 12 item 2): `timeout` bounds the whole fetch, and cached
lookups never wait behind a refresh.

A real TCP server on 127.0.0.1, run by the test, answers each connection by a plan: a
JWK Set, or one byte every DRIP seconds of the status line, the headers, the body, a
redirect's body or a TLS record, or nothing at all. Each drip would last far longer than
the bound asserted (MAX_DRIP_BYTES * DRIP seconds); every server thread stops by itself
when the client goes away, when the test releases it, or after that many bytes. The
elapsed-time assertions are correctness bounds on a deadline (5x the timeout), not speed
measurements.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from jose_ref.errors import JoseError, KeyNotFoundError
from jose_ref.jwk import JWK
from jose_ref.jwk.remote import RemoteJWKSet
from tests import pki

DRIP = 0.5
MAX_DRIP_BYTES = 80  # 40 s of drip: far past every bound asserted below
TIMEOUT = 1.0
BOUND = 5 * TIMEOUT

KEY_A = JWK.from_key_object(ec.generate_private_key(ec.SECP256R1()).public_key(), kid="a")
DOCUMENT = json.dumps({"keys": [KEY_A.to_dict()]}).encode()

# One plan per connection kind. Each is a function of the server and the client socket.
Plan = Callable[["SlowServer", socket.socket], None]


def serve_jwks(server: SlowServer, conn: socket.socket) -> None:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(DOCUMENT)}"
    conn.sendall(head.encode() + b"\r\nConnection: close\r\n\r\n" + DOCUMENT)


def drip_status_line(server: SlowServer, conn: socket.socket) -> None:
    server.drip(conn, b"HTTP/1.1 200 OK\r\n".ljust(MAX_DRIP_BYTES, b"K"))


def drip_headers(server: SlowServer, conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    server.drip(conn, b"X-Drip: " + b"a" * MAX_DRIP_BYTES)


def drip_body(server: SlowServer, conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    server.drip(conn, b'{"keys": [' + b" " * MAX_DRIP_BYTES)


def drip_redirect_body(server: SlowServer, conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /jwks\r\nContent-Length: 1000000000\r\n\r\n")
    server.drip(conn, b"x" * MAX_DRIP_BYTES)


def drip_tls_record(server: SlowServer, conn: socket.socket) -> None:
    # A TLS handshake record header announcing 4096 bytes, then its body one byte at a time.
    server.drip(conn, b"\x16\x03\x03\x10\x00" + b"\x02" * MAX_DRIP_BYTES)


def silent(server: SlowServer, conn: socket.socket) -> None:
    server.hold(conn)


@dataclass
class SlowServer:
    """A TCP server on 127.0.0.1 answering each connection by the plan for its request path."""

    listener: socket.socket
    plans: dict[str, Plan] = field(default_factory=dict)
    # A plan used without reading any request (for the TLS cases, where none will come).
    raw_plan: Plan | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    dripping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])

    def url(self, path: str = "/jwks", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self.handle, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def handle(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            plan = self.raw_plan or self.plans.get(self.read_path(conn), silent)
            plan(self, conn)

    @staticmethod
    def read_path(conn: socket.socket) -> str:
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            request += chunk
        parts = request.split(b" ", 2)
        return parts[1].decode("ascii", "replace") if len(parts) > 1 else ""

    def drip(self, conn: socket.socket, data: bytes) -> None:
        """One byte every DRIP seconds, until released, stopped, or the client is gone."""
        self.dripping.set()
        for index in range(min(len(data), MAX_DRIP_BYTES)):
            if self.release.is_set() or self.stop.is_set():
                return
            conn.sendall(data[index : index + 1])  # raises once the client has gone
            self.release.wait(DRIP)

    def hold(self, conn: socket.socket) -> None:
        """Send nothing; return when released, stopped, or the client closes."""
        self.dripping.set()
        conn.settimeout(DRIP)
        for _ in range(MAX_DRIP_BYTES):
            if self.release.is_set() or self.stop.is_set():
                return
            try:
                if not conn.recv(4096):
                    return
            except TimeoutError:
                continue


@pytest.fixture
def server() -> Iterator[SlowServer]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    slow = SlowServer(listener, plans={"/jwks": serve_jwks})
    acceptor = threading.Thread(target=slow.accept_loop, daemon=True)
    acceptor.start()
    yield slow
    slow.stop.set()
    slow.release.set()
    acceptor.join(5)
    listener.close()
    for thread in slow.threads:
        thread.join(5)


def timed_failure(call: Callable[[], Any]) -> tuple[JoseError, float]:
    """The JoseError `call` raises, and how long it took to raise it."""
    start = time.monotonic()
    with pytest.raises(JoseError) as caught:
        call()
    return caught.value, time.monotonic() - start


# -- timeout bounds the whole fetch ------------------------------------------------------------

HTTP_PLANS = {
    "status line": drip_status_line,
    "headers": drip_headers,
    "body": drip_body,
    "no answer": silent,
}


@pytest.mark.parametrize("plan", sorted(HTTP_PLANS))
def test_slow_http_server_fetch_ends_within_the_timeout(server: SlowServer, plan: str) -> None:
    server.plans["/slow"] = HTTP_PLANS[plan]
    jwks = RemoteJWKSet(server.url("/slow"), timeout=TIMEOUT)
    error, elapsed = timed_failure(lambda: jwks.find(kid="a"))
    assert isinstance(error, KeyNotFoundError)
    assert "could not be fetched" in str(error)
    assert "Timeout" in str(error) or "timed out" in str(error)
    assert elapsed < BOUND, f"{plan}: the fetch took {elapsed:.1f} s with timeout={TIMEOUT}"


@pytest.mark.parametrize("plan", [drip_tls_record, silent], ids=["record drip", "no answer"])
def test_slow_tls_handshake_ends_within_the_timeout(server: SlowServer, plan: Plan) -> None:
    server.raw_plan = plan
    jwks = RemoteJWKSet(server.url(scheme="https"), timeout=TIMEOUT)
    error, elapsed = timed_failure(lambda: jwks.find(kid="a"))
    assert isinstance(error, KeyNotFoundError)
    assert elapsed < BOUND, f"the TLS fetch took {elapsed:.1f} s with timeout={TIMEOUT}"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context) for a certificate naming 127.0.0.1, from a test CA."""
    root = pki.issue(
        "Remote TLS Root",
        pki.key("EC", "Remote TLS Root"),
        issuer=None,
        ca=True,
        key_usage=pki.CA_USAGE,
    )
    names = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    usage = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
    leaf = pki.issue(
        "127.0.0.1",
        pki.key("EC", "Remote TLS server"),
        issuer=root,
        ca=False,
        key_usage=pki.SIGNING_USAGE,
        extra=[(names, False), (usage, False)],
    )
    directory = tmp_path_factory.mktemp("tls")
    (directory / "cert.pem").write_bytes(leaf.cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(
        leaf.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    root_pem = root.cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return server_context, ssl.create_default_context(cadata=root_pem)


def over_tls(context: ssl.SSLContext) -> Plan:
    """The plan for the request path, behind a TLS handshake that completes."""

    def plan(server: SlowServer, conn: socket.socket) -> None:
        conn.settimeout(5)
        with context.wrap_socket(conn, server_side=True) as tls_conn:
            server.plans.get(server.read_path(tls_conn), silent)(server, tls_conn)

    return plan


def test_https_fetch_is_served(
    server: SlowServer, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    server.raw_plan = over_tls(tls[0])
    jwks = RemoteJWKSet(server.url(scheme="https"), timeout=3 * TIMEOUT, ssl_context=tls[1])
    assert [key.kid for key in jwks.find(kid="a")] == ["a"]


def test_slow_headers_after_tls_end_within_the_timeout(
    server: SlowServer, tls: tuple[ssl.SSLContext, ssl.SSLContext]
) -> None:
    server.raw_plan = over_tls(tls[0])
    server.plans["/jwks"] = drip_headers
    jwks = RemoteJWKSet(server.url(scheme="https"), timeout=TIMEOUT, ssl_context=tls[1])
    error, elapsed = timed_failure(lambda: jwks.find(kid="a"))
    assert isinstance(error, KeyNotFoundError)
    assert "Timeout" in str(error) or "timed out" in str(error)
    assert elapsed < BOUND, f"the HTTPS fetch took {elapsed:.1f} s with timeout={TIMEOUT}"


def test_fetch_by_host_name(server: SlowServer) -> None:
    """localhost may resolve to ::1 first, where nothing listens: the next address is tried."""
    jwks = RemoteJWKSet(f"http://localhost:{server.port}/jwks", timeout=3 * TIMEOUT)
    assert [key.kid for key in jwks.find(kid="a")] == ["a"]


def test_redirect_body_is_not_read(server: SlowServer) -> None:
    """A same-origin redirect whose body drips for ever: the fetch follows it at once."""
    server.plans["/moved"] = drip_redirect_body
    jwks = RemoteJWKSet(server.url("/moved"), timeout=3 * TIMEOUT)
    assert [key.kid for key in jwks.find(kid="a")] == ["a"]


def test_lookups_waiting_for_a_slow_fetch_end_within_the_timeout(server: SlowServer) -> None:
    """Two lookups that both need the set: one fetches, the other waits for that fetch only."""
    server.plans["/slow"] = drip_headers
    jwks = RemoteJWKSet(server.url("/slow"), timeout=TIMEOUT)
    outcomes: list[tuple[JoseError, float]] = []

    def lookup() -> None:
        outcomes.append(timed_failure(lambda: jwks.find(kid="a")))

    threads = [threading.Thread(target=lookup) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10 * BOUND)
    assert len(outcomes) == 2
    for error, elapsed in outcomes:
        assert isinstance(error, KeyNotFoundError)
        assert elapsed < BOUND, f"a lookup took {elapsed:.1f} s with timeout={TIMEOUT}"


# -- cached lookups do not wait behind a refresh ----------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def start_hanging_refresh(
    server: SlowServer, jwks: RemoteJWKSet, kid: str
) -> tuple[threading.Thread, list[list[JWK]]]:
    """A thread whose lookup of `kid` refetches from a server that drips until released."""
    server.plans["/jwks"] = drip_headers
    results: list[list[JWK]] = []
    refresher = threading.Thread(target=lambda: results.append(jwks.find(kid=kid)))
    refresher.start()
    assert server.dripping.wait(10), "the refresh never reached the server"
    return refresher, results


def test_cached_kid_is_served_while_an_unknown_kid_refetches(server: SlowServer) -> None:
    # A timeout far longer than the test: only the release below ends the refresh.
    jwks = RemoteJWKSet(server.url(), timeout=60, cooldown=0)
    assert [key.kid for key in jwks.find(kid="a")] == ["a"]
    refresher, results = start_hanging_refresh(server, jwks, "rotated")
    try:
        assert [key.kid for key in jwks.find(kid="a")] == ["a"]
        assert len(jwks.keys()) == 1
        # The lookups above returned while the refresh was still hanging on the server.
        assert refresher.is_alive()
    finally:
        server.release.set()
        refresher.join(10)
    # The refresh failed (the server hung up); the cached set is still served.
    assert results == [[]]
    assert jwks.last_error is not None


def test_stale_set_is_served_within_grace_while_another_lookup_refreshes(
    server: SlowServer,
) -> None:
    clock = Clock()
    jwks = RemoteJWKSet(server.url(), timeout=60, max_age=10, cooldown=5, clock=clock)
    assert [key.kid for key in jwks.find(kid="a")] == ["a"]
    clock.now += 11  # stale: the next lookup refreshes
    refresher, results = start_hanging_refresh(server, jwks, "a")
    try:
        assert [key.kid for key in jwks.find(kid="a")] == ["a"]
        assert refresher.is_alive()
    finally:
        server.release.set()
        refresher.join(10)
    assert [[key.kid for key in found] for found in results] == [["a"]]
