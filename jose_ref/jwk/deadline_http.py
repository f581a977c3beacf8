"""RFC 7517 s9.1 - HTTP(S) for a JWK Set fetch, every step of it ended by one deadline.

A socket timeout bounds one socket call: a server that sends one byte just
before each timeout (a "slow drip") holds a fetch for as long as it likes.
Here a fetch runs `within(timeout)` and every step of it, the connect to each
address of the host, the TLS handshake and each read of the status line,
headers and body, gets only the time left before that deadline; once it has
passed, the next step raises TimeoutError. urllib builds the connections and
responses itself, so the handlers below give it classes that read the
deadline of the fetch running in this thread. Name resolution keeps the
system resolver's own timeout.

https://www.rfc-editor.org/rfc/rfc7517#section-9.1
"""

from __future__ import annotations

import contextlib
import contextvars
import http.client
import io
import socket
import ssl
import time
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["HTTPHandler", "HTTPSHandler", "within"]

_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("jose_ref_fetch_deadline")


@contextlib.contextmanager
def within(timeout: float) -> Iterator[None]:
    """Run one fetch: the connections the handlers open in it end `timeout` s from now."""
    token = _DEADLINE.set(time.monotonic() + timeout)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _time_left() -> float:
    """Seconds until the current fetch's deadline; TimeoutError once it has passed."""
    left = _DEADLINE.get() - time.monotonic()
    if left <= 0:
        raise TimeoutError("the fetch ran past its timeout")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket stream whose every read waits at most until the fetch's deadline."""

    def __init__(self, sock: socket.socket, raw: io.RawIOBase) -> None:
        super().__init__()
        self._sock = sock
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        self._sock.settimeout(_time_left())  # one socket timeout would bound one read only
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """An HTTP response (status line, headers, body) read by the fetch's deadline."""

    def __init__(
        self,
        sock: socket.socket,
        debuglevel: int = 0,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(sock, debuglevel, method, url)  # reads nothing yet
        self.fp = io.BufferedReader(_DeadlineReader(sock, self.fp.detach()))


def _connect(
    address: tuple[str, int], timeout: float | None, source: tuple[str, int] | None = None
) -> socket.socket:
    """socket.create_connection, each address of the host tried for the time left only.

    http.client passes its own `timeout`; it is not used: the deadline decides.
    """
    failure: OSError = OSError(f"no address for {address[0]!r}")
    for family, kind, proto, _, target in socket.getaddrinfo(*address, type=socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(_time_left())
            if source is not None:
                sock.bind(source)
            sock.connect(target)
            return sock
        except OSError as error:
            sock.close()
            failure = error
    raise failure


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose connect and every response read end by the fetch's deadline."""

    response_class = _DeadlineResponse

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect

    def connect(self) -> None:
        super().connect()
        # What the TLS handshake gets (CPython bounds a whole handshake by the socket timeout).
        self.sock.settimeout(_time_left())


class _HTTPSConnection(http.client.HTTPSConnection, _HTTPConnection):
    """HTTPS likewise: HTTPSConnection.connect runs _HTTPConnection.connect, then TLS."""


class HTTPHandler(urllib.request.HTTPHandler):
    """http: URLs, over connections that end by the deadline."""

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class HTTPSHandler(urllib.request.HTTPSHandler):
    """https: URLs with `context`, over connections that end by the deadline."""

    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._tls)
