"""RFC 7517 s9.1 - Fetching a JWK Set document: one GET, bounded in time and in size.

The transport of `RemoteJWKSet`, standard library only: HTTPS with certificate
verification (plain HTTP for loopback hosts only, checked by the caller), no
cookies, no file/ftp/data handlers, redirects only within the configured
origin (RFC 6454 s4), their bodies unread, and a body of at most `max_bytes`.
`timeout` bounds the whole fetch, not each socket call (a server sending one
byte just before each socket timeout would hold it for ever): every connect,
TLS handshake and read gets only the time left before the fetch's deadline.
Name resolution keeps the system resolver's own timeout.

https://www.rfc-editor.org/rfc/rfc7517#section-9.1
"""

from __future__ import annotations

import contextvars
import http.client
import io
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import IO, TYPE_CHECKING, NoReturn

from jose_ref.errors import LimitExceededError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["FetchError", "Origin", "build_opener", "download", "is_loopback", "origin"]

_CHUNK_BYTES = 64 * 1024
# RFC 7517 s8.5.1 registers application/jwk-set+json; most servers say application/json.
_ACCEPT = "application/jwk-set+json, application/json;q=0.9"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_REASON_CHARS = 160

Origin = tuple[str, str, int]

# The deadline of the fetch in this thread, read by the connections that urllib builds.
_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("jose_ref_fetch_deadline")


class FetchError(Exception):
    """Internal: the endpoint could not be fetched; the message is a short reason."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, or the name localhost (RFC 6761 s6.3)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin(url: str) -> Origin:
    """(scheme, host, port) of a URL, the unit a redirect may not leave (RFC 6454 s4)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme, 0)


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


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose connect and every response read end by the fetch's deadline."""

    response_class = _DeadlineResponse

    def connect(self) -> None:
        self.timeout = _time_left()
        super().connect()
        # What the TLS handshake gets (CPython bounds a whole handshake by the socket timeout).
        self.sock.settimeout(_time_left())


class _HTTPSConnection(http.client.HTTPSConnection, _HTTPConnection):
    """HTTPS likewise: HTTPSConnection.connect runs _HTTPConnection.connect, then TLS."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._tls)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the configured origin (same scheme, host and port)."""

    max_redirections = 3

    def __init__(self, allowed: Origin) -> None:
        super().__init__()
        self._origin = allowed

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        # The redirect's body is never needed; closed here, urllib does not read it (it
        # would read it whole: any size, until the deadline).
        fp.close()
        # A redirect to another host (or from https to http) would let whoever controls
        # the first response choose where keys come from: the URL is the caller's alone.
        if origin(newurl) != self._origin:
            raise FetchError(f"HTTP {code} redirect to another origin refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def build_opener(allowed: Origin, context: ssl.SSLContext) -> urllib.request.OpenerDirector:
    """An opener with only what a JWK Set fetch needs: no file/ftp/data URLs, no cookies."""
    # Loopback is never sent through a proxy; other hosts honour the usual proxy settings.
    proxies: dict[str, str] | None = {} if is_loopback(allowed[1]) else None
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies),
        _HTTPHandler(),
        _HTTPSHandler(context),
        urllib.request.HTTPDefaultErrorHandler(),
        _SameOriginRedirects(allowed),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def download(
    opener: urllib.request.OpenerDirector, url: str, *, timeout: float, max_bytes: int
) -> bytes:
    """GET `url`: the body, at most `max_bytes` (else LimitExceededError), within `timeout`.

    Any failure to fetch (connection, timeout, HTTP status, redirect) is a FetchError.
    """
    # The scheme was checked by the caller (https, or http to loopback) and the opener has
    # no handler for any other scheme, redirects included.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": _ACCEPT, "User-Agent": "jose_ref"}
    )
    deadline = _DEADLINE.set(time.monotonic() + timeout)
    try:
        response: http.client.HTTPResponse
        with opener.open(request, timeout=timeout) as response:
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}")
            return _read_body(response, max_bytes)
    except urllib.error.HTTPError as error:
        error.close()
        raise FetchError(f"HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise FetchError(_describe(error.reason)) from None
    except (OSError, http.client.HTTPException) as error:
        # TimeoutError, ConnectionError, IncompleteRead, BadStatusLine ...
        raise FetchError(_describe(error)) from None
    finally:
        _DEADLINE.reset(deadline)


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    length = response.getheader("Content-Length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        _too_large(int(length), max_bytes)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK_BYTES):
        size += len(chunk)
        # Never hold more than max_bytes + one chunk, whatever the server sends.
        if size > max_bytes:
            _too_large(size, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(actual: int, max_bytes: int) -> NoReturn:
    raise LimitExceededError(
        f"response body of {actual} bytes or more exceeds max_bytes={max_bytes}",
        limit="max_bytes",
        maximum=max_bytes,
        actual=actual,
    )


def _describe(reason: object) -> str:
    """A short reason for a transport failure (an exception or urllib's text), cut short."""
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}"[:_MAX_REASON_CHARS]
    return str(reason)[:_MAX_REASON_CHARS]
