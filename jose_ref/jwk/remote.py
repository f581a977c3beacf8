"""RFC 7517 s5 - A remote JWK Set: fetched over HTTPS, cached, refetched when keys rotate.

An issuer publishes its verification keys as a JWK Set at a fixed URL and
rotates them; a relying party that meets an unknown "kid" fetches the set
again (OpenID Connect Core 1.0 s10.1.1). The URL always comes from the
caller, never from a token ("jku"/"x5u" are never followed, RFC 8725
s3.10); module `fetch` gets it (HTTPS, one timeout for the whole fetch, a
size cap). The set is cached for `max_age`; an unknown kid refetches at most
once per `cooldown`, so a flood of made-up kids cannot hammer the endpoint;
when a refetch fails the cached set is still served for `grace` seconds, and
the failure is logged. One fetch runs at a time; a lookup that the cached
set answers never waits for it.

https://www.rfc-editor.org/rfc/rfc7517#section-5
"""

from __future__ import annotations

import functools
import logging
import math
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator

from jose_ref.errors import InvalidURLError, JoseError, KeyNotFoundError, LimitExceededError
from jose_ref.jwk.fetch import FetchError, Origin, build_opener, download, is_loopback, origin
from jose_ref.jwk.jwk_set import JWKSet
from jose_ref.jwk.key import JWK
from jose_ref.limits import DEFAULT_LIMITS, Limits

__all__ = ["RemoteJWKSet"]

_LOG = logging.getLogger(__name__)


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
        timeout: Seconds for the whole fetch: connect, TLS handshake, status line, headers
            and body together (name resolution keeps the system resolver's timeout).
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
    One fetch runs at a time. A lookup the cached set answers (the kid is in it, and it is
    younger than `max_age`, or within `grace` while another lookup refreshes it) never
    waits; a lookup that needs a fetch waits for the running one (which ends within
    `timeout`) and uses its result.
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
        self._where, allowed = self._check_url(url)
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
        self._opener = build_opener(allowed, ssl_context or ssl.create_default_context())
        # Held for a whole fetch (network I/O), never by a lookup the cache answers.
        self._fetch_lock = threading.Lock()
        # (set, clock time of its fetch), replaced as one value: read without the lock.
        self._cache: tuple[JWKSet, float] | None = None
        # Written only with _fetch_lock held.
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
        scheme, host, port = origin(url)
        if not host:
            raise InvalidURLError("the JWK Set URL needs a host")
        if parts.username is not None or parts.password is not None:
            raise InvalidURLError("the JWK Set URL must not carry credentials")
        # RFC 7515 s4.1.2 (the rule for "jku", applied to the caller's URL) and RFC 7517
        # s9.1: keys are fetched over TLS with the server's identity checked; plain HTTP
        # only where no network is crossed (a loopback test server).
        if scheme != "https" and not (scheme == "http" and is_loopback(host)):
            raise InvalidURLError(
                "the JWK Set URL must use https (http is allowed only for a loopback host)"
            )
        return f"{scheme}://{parts.netloc}{parts.path}", (scheme, host, port)

    # -- the KeySource protocol -----------------------------------------------------------------

    def find(
        self, *, kid: str | None = None, alg: str | None = None, use: str | None = None
    ) -> list[JWK]:
        """Keys matching every given criterion; an unknown kid may trigger one refetch."""
        return self._lookup(kid).find(kid=kid, alg=alg, use=use)

    def keys(self) -> JWKSet:
        """The current set (fetched first when there is none or it is older than max_age)."""
        return self._lookup(None)

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

    # -- cache and refresh ---------------------------------------------------------------------

    def _answers(self, kid: str | None, now: float, max_age: float) -> JWKSet | None:
        """The cached set if it holds `kid` (any, for None) and is younger than `max_age`."""
        cache = self._cache
        if cache is None or now - cache[1] >= max_age:
            return None
        # OpenID Connect Core 1.0 s10.1.1: an unknown kid may mean the keys were rotated,
        # so it calls for a fetch (at most once per cooldown: the token chooses the kid).
        if kid is not None and not cache[0].find(kid=kid):
            return None
        return cache[0]

    def _lookup(self, kid: str | None) -> JWKSet:
        """The set to serve for a lookup of `kid`, fetched first when the cache cannot answer."""
        now = self._clock()
        keys = self._answers(kid, now, self._max_age)
        if keys is None and self._fetch_lock.locked():
            # Another lookup is fetching: a stale set still within grace answers meanwhile.
            keys = self._answers(kid, now, self._max_age + self._grace)
        if keys is not None:
            return keys
        with self._fetch_lock:
            return self._refresh(kid)

    def _refresh(self, kid: str | None) -> JWKSet:
        """Fetch unless a fetch was made within the cooldown; return the set to serve."""
        now = self._clock()
        # A lookup that waited for another's fetch uses its result when it answers.
        keys = self._answers(kid, now, self._max_age)
        if keys is not None:
            return keys
        if self._attempted_at is None or now - self._attempted_at >= self._cooldown:
            self._attempted_at = now
            self._fetch(now)
        cache = self._cache
        # A cached set is served after a failed refetch only within its grace period.
        if cache is not None and (
            self._last_error is None or now - cache[1] <= self._max_age + self._grace
        ):
            return cache[0]
        raise self._failure()

    def _fetch(self, now: float) -> None:
        """One fetch: on success replace the set; on failure remember why."""
        try:
            # A published set is read for its public keys only: private members are never
            # needed and loading them could be made expensive by the endpoint.
            document = download(
                self._opener, self._url, timeout=self._timeout, max_bytes=self._max_bytes
            )
            keys = JWKSet.from_json(document, limits=self._limits, public_only=True)
        except FetchError as error:
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
            self._cache, self._last_error = (keys, now), None
            return
        self._last_error = reason
        if self._cache is not None:
            _LOG.warning(
                "JWK Set %s could not be refreshed (%s); serving the set fetched %.0f s ago",
                self._where,
                reason,
                now - self._cache[1],
            )
