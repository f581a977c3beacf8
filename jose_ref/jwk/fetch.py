"""RFC 7517 s9.1 - Fetching a JWK Set document: one GET, bounded in time and in size.

The transport of `RemoteJWKSet`, standard library only: HTTPS with certificate
verification (plain HTTP for loopback hosts only, checked by the caller), no
cookies, no file/ftp/data handlers, redirects only within the configured
origin (RFC 6454 s4), their bodies unread, and a body of at most `max_bytes`.
`timeout` bounds the whole fetch, not each socket call (module
`deadline_http`): connect, TLS handshake, status line, headers and body.

https://www.rfc-editor.org/rfc/rfc7517#section-9.1
"""

from __future__ import annotations

import http.client
import ipaddress
import ssl
import urllib.error
import urllib.parse
import urllib.request
from typing import IO, NoReturn

from jose_ref.errors import LimitExceededError
from jose_ref.jwk.deadline_http import HTTPHandler, HTTPSHandler, within

__all__ = ["FetchError", "Origin", "build_opener", "download", "is_loopback", "origin"]

_CHUNK_BYTES = 64 * 1024
# RFC 7517 s8.5.1 registers application/jwk-set+json; most servers say application/json.
_ACCEPT = "application/jwk-set+json, application/json;q=0.9"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_REASON_CHARS = 160

Origin = tuple[str, str, int]


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
        HTTPHandler(),
        HTTPSHandler(context),
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
    try:
        response: http.client.HTTPResponse
        with within(timeout), opener.open(request, timeout=timeout) as response:
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
