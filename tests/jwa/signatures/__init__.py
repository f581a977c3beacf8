"""Published values and independent helpers for the JWA signature tests.

Every expected value here is transcribed from an RFC (section named beside
it) and every key is built with cryptography directly, never with jose_ref,
so a test compares jose_ref against something it did not compute itself.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from jose_ref.errors import InvalidSignatureError


def b64u(text: str) -> bytes:
    """Decode unpadded base64url as the RFCs print it (test-side, not jose_ref.b64url)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def uint(text: str) -> int:
    """A base64url big-endian unsigned integer (a JWK member)."""
    return int.from_bytes(b64u(text), "big")


def flip_bit(data: bytes, bit: int) -> bytes:
    """Return `data` with bit number `bit` (0 = low bit of the first octet) inverted."""
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def assert_invalid_signature(call: Callable[[], object]) -> None:
    """`call` raises the one opaque InvalidSignatureError: fixed message, nothing chained."""
    with pytest.raises(InvalidSignatureError) as info:
        call()
    assert type(info.value) is InvalidSignatureError
    assert info.value.args == (InvalidSignatureError.MESSAGE,)
    # Neither an explicit cause nor an implicit context from cryptography.
    assert info.value.__cause__ is None
    assert info.value.__context__ is None


# RFC 7515 Appendix A.1 - HS256. Signing input = ASCII(header "." payload).
RFC7515_A1_KEY = b64u(
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
)
RFC7515_PAYLOAD = (
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
)
RFC7515_A1_SIGNING_INPUT = f"eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.{RFC7515_PAYLOAD}".encode()
RFC7515_A1_SIGNATURE = b64u("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")

# RFC 7515 Appendix A.2 - RS256 (deterministic), the RSA key of Figure 9 (A.2.1).
RFC7515_A2_JWK = {
    "n": (
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qP"
        "CJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47s"
        "oMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2"
        "R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoud"
        "F8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    ),
    "e": "AQAB",
    "d": (
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgv"
        "fTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f"
        "3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQl"
        "BjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuh"
        "LhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"
    ),
    "p": (
        "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3"
        "KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXq"
        "hJTBgIPgtldC-KDV5z-y2XDwGUc"
    ),
    "q": (
        "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZS"
        "e7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ1"
        "1BKBBypeeF6689rjcJIDEz9RWdc"
    ),
    "dp": (
        "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9Ykxvu"
        "xdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwr"
        "A86rZtu5Mbr1C1XsmvkxHQAdYo0"
    ),
    "dq": (
        "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB71"
        "9rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ6"
        "8m6_pbLBSp3nssTdlqvd0tIiTHU"
    ),
    "qi": (
        "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2M"
        "owX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh"
        "6A5603k2-ZQwVK0JKSHuLFkuQ3U"
    ),
}
RFC7515_A2_SIGNING_INPUT = f"eyJhbGciOiJSUzI1NiJ9.{RFC7515_PAYLOAD}".encode()
RFC7515_A2_SIGNATURE = b64u(
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4B"
    "h-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZ"
    "LgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_d"
    "O--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6"
    "LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)

# RFC 7515 Appendix A.3 - ES256, the P-256 key of A.3.1.
RFC7515_A3_JWK = {
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "d": "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
}
RFC7515_A3_SIGNING_INPUT = f"eyJhbGciOiJFUzI1NiJ9.{RFC7515_PAYLOAD}".encode()
RFC7515_A3_SIGNATURE = b64u(
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
)

# RFC 7515 Appendix A.4 - ES512, the P-521 key of A.4.1; the payload is "Payload".
RFC7515_A4_JWK = {
    "x": (
        "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk"
    ),
    "y": (
        "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"
    ),
    "d": (
        "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"
    ),
}
RFC7515_A4_SIGNING_INPUT = b"eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA"
RFC7515_A4_SIGNATURE = b64u(
    "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-K"
    "GDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKv"
    "U8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
)

# RFC 7520 s3.3 - the RSA public key of the cookbook; s4.1 (RS256) and s4.2 (PS384).
RFC7520_RSA_N = (
    "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTD"
    "vNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5yd"
    "QLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bT"
    "wJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwd"
    "q_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw"
)
RFC7520_PAYLOAD = (
    "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9v"
    "ci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIg"
    "ZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9m"
    "ZiB0by4"
)
RFC7520_4_1_SIGNING_INPUT = (
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." + RFC7520_PAYLOAD
).encode()
RFC7520_4_1_SIGNATURE = b64u(
    "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U"
    "4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0Rn"
    "ltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9Uzp"
    "ERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4"
    "uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg"
)
RFC7520_4_2_SIGNING_INPUT = (
    "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9." + RFC7520_PAYLOAD
).encode()
RFC7520_4_2_SIGNATURE = b64u(
    "cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6V"
    "rklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlf"
    "z28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shn"
    "r2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAj"
    "VKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw"
)

# RFC 8037 Appendix A.1 (private key), A.2 (public key), A.4 (JWS) - Ed25519.
RFC8037_A1_D = b64u("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
RFC8037_A2_X = b64u("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
RFC8037_A4_SIGNING_INPUT = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
RFC8037_A4_SIGNATURE = b64u(
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


def rsa_private_key(jwk: dict[str, str]) -> rsa.RSAPrivateKey:
    """Build an RSA private key from JWK members with cryptography's number classes."""
    public = rsa.RSAPublicNumbers(uint(jwk["e"]), uint(jwk["n"]))
    numbers = rsa.RSAPrivateNumbers(
        p=uint(jwk["p"]),
        q=uint(jwk["q"]),
        d=uint(jwk["d"]),
        dmp1=uint(jwk["dp"]),
        dmq1=uint(jwk["dq"]),
        iqmp=uint(jwk["qi"]),
        public_numbers=public,
    )
    return numbers.private_key()


def rsa_public_key(n: str, e: str = "AQAB") -> rsa.RSAPublicKey:
    """Build an RSA public key from base64url n and e."""
    return rsa.RSAPublicNumbers(uint(e), uint(n)).public_key()


def ec_private_key(jwk: dict[str, str], curve: ec.EllipticCurve) -> ec.EllipticCurvePrivateKey:
    """Build an EC private key from JWK x, y, d on `curve`."""
    public = ec.EllipticCurvePublicNumbers(uint(jwk["x"]), uint(jwk["y"]), curve)
    return ec.EllipticCurvePrivateNumbers(uint(jwk["d"]), public).private_key()


def ec_public_key(jwk: dict[str, str], curve: ec.EllipticCurve) -> ec.EllipticCurvePublicKey:
    """Build an EC public key from JWK x, y on `curve`."""
    return ec.EllipticCurvePublicNumbers(uint(jwk["x"]), uint(jwk["y"]), curve).public_key()
