"""RFC 8017 s3.2 - The RSA private key: consistency of its members, and its primes from "d".

A private JWK is checked here with integer arithmetic alone, never with a
modular exponentiation, so that loading one costs milliseconds at any
accepted size: n = p * q, e * d = 1 modulo lcm(p - 1, q - 1), and the CRT
values are d mod (p - 1), d mod (q - 1) and q^-1 mod p (RFC 8017 s3.2). The
primality of p and q is not tested: that test (OpenSSL's key check) is
what made a 16384-bit key cost half a minute, and Go's crypto/rsa Validate
makes the same choice. A key given by "d" alone has its primes recovered
from a continued fraction, again without exponentiation.

https://www.rfc-editor.org/rfc/rfc8017#section-3.2
"""

from __future__ import annotations

import math

from jose_ref.errors import InvalidKeyError

__all__ = ["check", "recover_primes"]

# The largest numerator of a convergent tried: e * d - 1 = k * lcm(p - 1, q - 1) with k below
# e * gcd(p - 1, q - 1); this allows any gcd below 2^64 (that of random primes is tiny).
_GCD_BITS = 64


def check(n: int, e: int, d: int, crt: tuple[int, int, int, int, int]) -> None:
    """Refuse private members that do not belong together (RFC 8017 s3.2); p, q, dp, dq, qi."""
    p, q, dp, dq, qi = crt
    if not (1 < q < n and 1 < p < n and p * q == n):
        raise InvalidKeyError("RSA JWK: p * q is not n (RFC 8017 s3.2)")
    lam = math.lcm(p - 1, q - 1)
    if not 1 < d < n or (e * d) % lam != 1:
        raise InvalidKeyError("RSA JWK: d does not match n and e (RFC 8017 s3.2)")
    if dp != d % (p - 1) or dq != d % (q - 1) or not 0 < qi < p or (qi * q) % p != 1:
        raise InvalidKeyError("RSA JWK: dp, dq or qi does not match p, q and d (RFC 8017 s3.2)")


def recover_primes(n: int, e: int, d: int) -> tuple[int, int]:
    """The primes p > q of n, given e and d, or InvalidKeyError when d does not match.

    With m = e * d - 1 = k * lcm(p - 1, q - 1) and phi = (p - 1)(q - 1) = g * lcm, the
    fraction m / phi = k / g lies within about 3k / (g * sqrt(n)) of m / n, close enough to
    be one of the convergents of the continued fraction of m / n (Legendre). A convergent
    a / b gives phi = m * b / a, so p + q = n - phi + 1 and p, q are the roots of
    x^2 - (p + q) x + n.
    """
    m = e * d - 1
    if not 1 < d < n or m <= 0:
        raise InvalidKeyError("RSA JWK: d does not match n and e (RFC 8017 s3.2)")
    # Convergents a/b of m/n by the usual recurrence; x/y runs Euclid's algorithm on m/n.
    a_prev, a, b_prev, b = 0, 1, 1, 0
    x, y = m, n
    while y and a <= e << _GCD_BITS:
        quotient, remainder = divmod(x, y)
        x, y = y, remainder
        a_prev, a = a, quotient * a + a_prev
        b_prev, b = b, quotient * b + b_prev
        primes = _primes_from_phi(n, m * b // a) if a and (m * b) % a == 0 else None
        if primes is not None:
            return primes
    raise InvalidKeyError(
        "RSA JWK: d does not match n and e, or the primes cannot be recovered from it: "
        "give p, q, dp, dq and qi (RFC 7518 s6.3.2)"
    )


def _primes_from_phi(n: int, phi: int) -> tuple[int, int] | None:
    total = n - phi + 1  # p + q
    discriminant = total * total - 4 * n  # (p - q)^2
    if discriminant < 0:
        return None
    root = math.isqrt(discriminant)
    if root * root != discriminant or (total + root) % 2:
        return None
    p, q = (total + root) // 2, (total - root) // 2
    return (p, q) if q > 1 and p * q == n else None
