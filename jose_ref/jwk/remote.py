"""RFC 7517 s5 - A remote JWK Set: fetched over HTTPS, cached, refetched when keys rotate.

An issuer publishes its verification keys as a JWK Set at a fixed URL and
rotates them; a relying party that meets an unknown "kid" fetches the set
again (OpenID Connect Core 1.0 s10.1.1). The URL always comes from the
caller, never from a token ("jku"/"x5u" are never followed, RFC 8725
s3.10). The fetch uses the standard library only: HTTPS with certificate
verification (plain HTTP for loopback hosts only), a timeout, a response
size cap, no cookies, and no redirect to another origin. The set is cached
for `max_age`; an unknown kid refetches at most once per `cooldown`, so a
flood of made-up kids cannot hammer the endpoint; when a refetch fails the
cached set is still served for `grace` seconds, and the failure is logged.

https://www.rfc-editor.org/rfc/rfc7517#section-5
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import logging
import math
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import IO, NoReturn

from jose_ref.errors import InvalidURLError, JoseError, KeyNotFoundError, LimitExceededError
from jose_ref.jwk.jwk_set import JWKSet
from jose_ref.jwk.key import JWK
from jose_ref.limits import DEFAULT_LIMITS, Limits

__all__ = ["RemoteJWKSet"]

_LOG = logging.getLogger(__name__)
_CHUNK_BYTES = 64 * 1024
# RFC 7517 s8.5.1 registers application/jwk-set+json; most servers say application/json.
_ACCEPT = "application/jwk-set+json, application/json;q=0.9"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_REASON_CHARS = 160

Origin = tuple[str, str, int]


class _FetchError(Exception):
    """Internal: the endpoint could not be fetched; the message is a short reason."""


def _is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, or the name localhost (RFC 6761 s6.3)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> Origin:
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

    def __init__(self, origin: Origin) -> None:
        super().__init__()
        self._origin = origin

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        # A redirect to another host (or from https to http) would let whoever controls
        # the first response choose where keys come from: the URL is the caller's alone.
        if _origin(newurl) != self._origin:
            fp.close()
            raise _FetchError(f"HTTP {code} redirect to another origin refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _build_opener(origin: Origin, context: ssl.SSLContext) -> urllib.request.OpenerDirector:
    """An opener with only what a JWK Set fetch needs: no file/ftp/data URLs, no cookies."""
    # Loopback is never sent through a proxy; other hosts honour the usual proxy settings.
    proxies: dict[str, str] | None = {} if _is_loopback(origin[1]) else None
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPDefaultErrorHandler(),
        _SameOriginRedirects(origin),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _non_negative(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


class RemoteJWKSet:
    """A JWK Set fetched from `url`, accepted wherever a JWKSet is (the KeySource protocol).

    Args:
        url: An https URL (http only for 127.0.0.0/8, ::1 or localhost). Any other URL
            raises InvalidURLError here, before any request: a JoseError that is also a
            ValueError. The other settings raise ValueError when out of range.
        max_age: Seconds a fetched set is used before it is fetched again.
        cooldown: Minimum seconds between two fetches, whatever triggers them (an unknown
            kid, an expired set, or a retry after a failure).
        timeout: Seconds for the whole fetch (connect, each read, and the body as a whole).
        max_bytes: Largest response body read; a larger one raises LimitExceededError.
        limits: Limits for parsing the set (max_jwks_keys, max_jwks_bytes).
        clock: Monotonic seconds used for max_age, cooldown and grace (tests inject one).
        grace: Seconds past `max_age` a cached set is still served while refetches fail;
            `math.inf` serves it for ever.
        ssl_context: TLS settings (for example a private CA); default: system trust store.

    When no set can be served, `find` raises: KeyNotFoundError when the endpoint could not
    be fetched (connection, timeout, HTTP status, redirect), MalformedError (or another
    JoseError) for an invalid document, LimitExceededError for an oversized one. A failure
    is remembered for `cooldown` seconds, during which it is raised again without a fetch.
    One fetch runs at a time: lookups wait for it (at most about `timeout` seconds).
    """

    def __init__(
        self,
        url: str,
        *,
        max_age: float = 300,
        cooldown: float = 30,
        timeout: float = 5,
        max_bytes: int = 1_000_000,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.monotonic,
        grace: float = 86_400,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Check the URL and settings; nothing is fetched until the first lookup."""
        self._where, origin = self._check_url(url)
        self._url = url
        self._max_age = _non_negative("max_age", max_age)
        self._cooldown = _non_negative("cooldown", cooldown)
        self._grace = _non_negative("grace", grace)
        self._timeout = _non_negative("timeout", timeout)
        if self._timeout == 0 or math.isinf(self._timeout):
            raise ValueError(f"timeout must be a finite number > 0, got {timeout!r}")
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise ValueError(f"max_bytes must be an int >= 1, got {max_bytes!r}")
        self._max_bytes = max_bytes
        self._limits = limits or DEFAULT_LIMITS
        self._clock = clock
        self._opener = _build_opener(origin, ssl_context or ssl.create_default_context())
        self._lock = threading.Lock()
        self._keys: JWKSet | None = None
        self._fetched_at = -math.inf
        self._attempted_at: float | None = None
        self._last_error: str | None = None
        self._failure: Callable[[], JoseError] = functools.partial(
            KeyNotFoundError, f"no JWK Set has been fetched from {self._where}"
        )

    @staticmethod
    def _check_url(url: str) -> tuple[str, Origin]:
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, got {type(url).__name__}")
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:  # for example an unclosed "[" around an IPv6 address
            raise InvalidURLError("the JWK Set URL does not parse (RFC 3986)") from None
        try:
            parts.port  # noqa: B018 - parsing the port is the check.
        except ValueError:
            raise InvalidURLError("the JWK Set URL has an invalid port") from None
        scheme, host, port = _origin(url)
        if not host:
            raise InvalidURLError("the JWK Set URL needs a host")
        if parts.username is not None or parts.password is not None:
            raise InvalidURLError("the JWK Set URL must not carry credentials")
        # RFC 7515 s4.1.2 (the rule for "jku", applied to the caller's URL) and RFC 7517
        # s9.1: keys are fetched over TLS with the server's identity checked; plain HTTP
        # only where no network is crossed (a loopback test server).
        if scheme != "https" and not (scheme == "http" and _is_loopback(host)):
            raise InvalidURLError(
                "the JWK Set URL must use https (http is allowed only for a loopback host)"
            )
        return f"{scheme}://{parts.netloc}{parts.path}", (scheme, host, port)

    # -- the KeySource protocol -----------------------------------------------------------------

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """Keys matching every given criterion; an unknown kid may trigger one refetch."""
        with self._lock:
            keys = self._current()
            if kid is not None and not keys.find(kid=kid):
                # OpenID Connect Core 1.0 s10.1.1: an unknown kid may mean the keys were
                # rotated, so fetch again, but at most once per cooldown (the kid is the
                # token's, so an attacker chooses it).
                keys = self._refresh(self._clock())
        return keys.find(kid=kid, alg=alg, use=use)

    def keys(self) -> JWKSet:
        """The current set (fetched first when there is none or it is older than max_age)."""
        with self._lock:
            return self._current()

    def __iter__(self) -> Iterator[JWK]:
        """Iterate the current set."""
        return iter(self.keys())

    def __len__(self) -> int:
        """The number of keys in the current set."""
        return len(self.keys())

    @property
    def last_error(self) -> str | None:
        """Why the last fetch failed, or None when it succeeded (or none was made)."""
        return self._last_error

    def __repr__(self) -> str:
        """A short description (no query string: it may hold secrets)."""
        return f"<RemoteJWKSet {self._where}>"

    # -- cache and refresh (called with the lock held) ------------------------------------------

    def _current(self) -> JWKSet:
        now = self._clock()
        if self._keys is None or now - self._fetched_at >= self._max_age:
            return self._refresh(now)
        return self._keys

    def _refresh(self, now: float) -> JWKSet:
        """Fetch unless a fetch was made within the cooldown; return the set to serve."""
        if self._attempted_at is None or now - self._attempted_at >= self._cooldown:
            self._attempted_at = now
            self._fetch(now)
        keys = self._keys
        # A cached set is served after a failed refetch only within its grace period.
        if keys is not None and (
            self._last_error is None or now - self._fetched_at <= self._max_age + self._grace
        ):
            return keys
        raise self._failure()

    def _fetch(self, now: float) -> None:
        """One fetch: on success replace the set; on failure remember why."""
        try:
            # A published set is read for its public keys only: private members are never
            # needed and loading them could be made expensive by the endpoint.
            keys = JWKSet.from_json(self._download(), limits=self._limits, public_only=True)
        except _FetchError as error:
            reason = str(error)
            message = f"the JWK Set endpoint {self._where} could not be fetched: {reason}"
            self._failure = functools.partial(KeyNotFoundError, message)
        except LimitExceededError as error:
            reason = str(error)
            self._failure = functools.partial(
                LimitExceededError,
                f"the JWK Set from {self._where}: {reason}",
                limit=error.limit,
                maximum=error.maximum,
                actual=error.actual,
            )
        except JoseError as error:
            reason = str(error)
            self._failure = functools.partial(
                type(error), f"the JWK Set from {self._where} is invalid: {reason}"
            )
        else:
            self._keys, self._fetched_at, self._last_error = keys, now, None
            return
        self._last_error = reason
        if self._keys is not None:
            _LOG.warning(
                "JWK Set %s could not be refreshed (%s); serving the set fetched %.0f s ago",
                self._where,
                reason,
                now - self._fetched_at,
            )

    def _download(self) -> bytes:
        """GET the URL; the body, at most max_bytes, within the timeout."""
        # The scheme was checked at construction (https, or http to loopback) and the opener
        # has no handler for any other scheme, redirects included.
        request = urllib.request.Request(  # noqa: S310
            self._url, headers={"Accept": _ACCEPT, "User-Agent": "jose_ref"}
        )
        deadline = time.monotonic() + self._timeout
        try:
            response: http.client.HTTPResponse
            with self._opener.open(request, timeout=self._timeout) as response:
                if response.status != 200:
                    raise _FetchError(f"HTTP {response.status}")
                return self._read_body(response, deadline)
        except urllib.error.HTTPError as error:
            error.close()
            raise _FetchError(f"HTTP {error.code}") from None
        except urllib.error.URLError as error:
            raise _FetchError(_describe(error.reason)) from None
        except (OSError, http.client.HTTPException) as error:
            # TimeoutError, ConnectionError, IncompleteRead, BadStatusLine ...
            raise _FetchError(_describe(error)) from None

    def _read_body(self, response: http.client.HTTPResponse, deadline: float) -> bytes:
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > self._max_bytes:
            self._too_large(int(length))
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(_CHUNK_BYTES):
            size += len(chunk)
            # Never hold more than max_bytes + one chunk, whatever the server sends.
            if size > self._max_bytes:
                self._too_large(size)
            chunks.append(chunk)
            # The socket timeout bounds each read; this bounds a server that trickles.
            if time.monotonic() > deadline:
                raise _FetchError(f"timed out after {self._timeout:g} s")
        return b"".join(chunks)

    def _too_large(self, actual: int) -> NoReturn:
        raise LimitExceededError(
            f"response body of {actual} bytes or more exceeds max_bytes={self._max_bytes}",
            limit="max_bytes",
            maximum=self._max_bytes,
            actual=actual,
        )


def _describe(reason: object) -> str:
    """A short reason for a transport failure (an exception or urllib's text), cut short."""
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}"[:_MAX_REASON_CHARS]
    return str(reason)[:_MAX_REASON_CHARS]
