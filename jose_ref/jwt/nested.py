"""RFC 7519 s5.2, s7.1 step 5 and s7.2 step 8 - Nested JWTs: a JWE whose plaintext is a JWS.

A nested JWT is signed, then encrypted (RFC 7519 s11.2): the JWE's "cty" is
"JWT" so that the recipient knows the plaintext is itself a JWT. jose_ref
never guesses which kind of token it was given (RFC 8725 s3.10): the caller
asks for decryption by passing a decryption key, and the layers are peeled
one by one, each counted against `Limits.max_nesting` before it is opened.
The JWE module is imported only when a nested token is made or read.

https://www.rfc-editor.org/rfc/rfc7519#section-5.2
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from jose_ref import policy, trace
from jose_ref.errors import MalformedError
from jose_ref.jwk.key import JWK
from jose_ref.jwt.validation import media_type
from jose_ref.limits import Limits, check

__all__ = ["decrypt", "encrypt", "is_jwt"]

JWT_MEDIA_TYPE = "application/jwt"


def is_jwt(cty: object) -> bool:
    """Whether a "cty" value says the content is a JWT (RFC 7519 s5.2, any case, any prefix)."""
    return isinstance(cty, str) and media_type(cty) == JWT_MEDIA_TYPE


def encrypt(jws_token: str, key: JWK, *, key_algorithm: str, encryption: str) -> str:
    """Step 5 of RFC 7519 s7.1: encrypt a signed JWT with "cty": "JWT" (RFC 7519 s5.2)."""
    from jose_ref import jwe

    trace.note("RFC 7519 s7.1 step 5", "Encrypting the signed JWT (cty JWT).", alg=key_algorithm)
    return jwe.encrypt_compact(
        jws_token, key, alg=key_algorithm, enc=encryption, header={"cty": "JWT"}
    )


def decrypt(
    text: str,
    key: JWK | policy.KeySource,
    *,
    algorithms: Collection[str] | None,
    encryptions: Collection[str] | None,
    limits: Limits,
) -> tuple[str, dict[str, Any]]:
    """Step 8 of RFC 7519 s7.2: (the inner JWS, the outer JWE header) of a nested JWT."""
    from jose_ref import jwe

    depth = 1
    outer: dict[str, Any] | None = None
    while text.count(".") == 4:
        # The JWS inside counts as one level: JWE(JWS) is depth 2. Checked before decrypting.
        depth += 1
        check(limits, "max_nesting", depth, "nested JWT")
        decrypted = jwe.decrypt_compact(
            text, key, algorithms=algorithms, encryptions=encryptions, limits=limits
        )
        # RFC 7519 s5.2: "cty" MUST be present with the value "JWT" in a nested JWT.
        if not is_jwt(decrypted.header.get("cty")):
            raise MalformedError('a nested JWT needs "cty": "JWT" in the JWE header (s5.2)')
        trace.note("RFC 7519 s7.2 step 8", "Decrypted one layer; its content is a JWT.")
        outer = outer if outer is not None else decrypted.header
        try:
            text = decrypted.plaintext.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedError("the nested JWT content is not a compact token") from None
    if outer is None:
        raise MalformedError("expected an encrypted JWT (a 5-part JWE), got another token")
    return text, outer
