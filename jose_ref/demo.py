"""The `make demo` run: real keys, real tokens, every flow the library exists for.

Generates keys of every type and prints their RFC 7638 thumbprints, then
runs the flows of the Nordic eID integrations end to end with keys it makes
on the spot: the Signicat FTN nested ID token (RS256 inside RSA-OAEP), a
BankID-style rotating JWK Set whose signing key is trusted only after its
x5c chain verifies to a root, encrypted request objects, and the ECDH-ES
`login_hint`. The decryption of the last flow is traced step by step (RFC
7516 s5.2), with secrets masked, by the formatter of `jose-ref explain`.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import datetime
import sys
import time
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from jose_ref import JWK, JWKSet, errors, explain_format, jwe, jwt, trace, x5c

__all__ = ["main"]


def _heading(text: str) -> None:
    print(f"\n== {text}")


def _keys() -> None:
    _heading("Keys of every type, with RFC 7638 thumbprints")
    for kty, options in (
        ("RSA", {"size": 2048}),
        ("EC", {"crv": "P-256"}),
        ("EC", {"crv": "P-384"}),
        ("EC", {"crv": "P-521"}),
        ("OKP", {"crv": "Ed25519"}),
        ("OKP", {"crv": "Ed448"}),
        ("OKP", {"crv": "X25519"}),
        ("OKP", {"crv": "X448"}),
        ("oct", {"size": 256}),
    ):
        key = JWK.generate(kty, **options)
        label = f"{kty} {options.get('crv') or str(options.get('size')) + ' bits'}"
        print(f"  {label:<14} thumbprint {key.thumbprint()}")


def _signicat() -> None:
    _heading("Signicat FTN: nested ID token (RS256 signed, then RSA-OAEP + A256GCM encrypted)")
    issuer = JWK.generate("RSA", size=2048, kid="idp-sig-1", use="sig", alg="RS256")
    client = JWK.generate("RSA", size=2048, kid="client-enc-1", use="enc", alg="RSA-OAEP")
    now = time.time()
    claims = {
        "iss": "https://idp.example",
        "aud": "client-123",
        "sub": "fin-hetu-hash",
        "iat": int(now),
        "exp": int(now) + 300,
    }
    token = jwt.encode(
        claims,
        issuer,
        alg="RS256",
        encryption_key=client.public(),
        key_algorithm="RSA-OAEP",
        encryption="A256GCM",
    )
    print(f"  token: {token[:60]}... ({token.count('.') + 1} parts, {len(token)} bytes)")
    decoded = jwt.decode(
        token,
        JWKSet([issuer.public()]),
        decryption_key=client,
        issuer="https://idp.example",
        audience="client-123",
    )
    print(f"  decoded claims: sub={decoded['sub']} iss={decoded['iss']} aud={decoded['aud']}")


def _certificate(subject: str, key: Any, issuer: str, signer: Any, *, ca: bool) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    )
    return builder.sign(signer, hashes.SHA256())


def _bankid_key_rotation() -> None:
    _heading("BankID: rotating JWK Set, signing key trusted only after its x5c chain verifies")
    root_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    root = _certificate("Demo BankID Root", root_key, "Demo BankID Root", root_key, ca=True)
    leaf = _certificate("Demo BankID Signer", leaf_key, "Demo BankID Root", root_key, ca=False)
    from cryptography.hazmat.primitives.serialization import Encoding

    from jose_ref import b64url

    chain = [b64url.encode_std(leaf.public_bytes(Encoding.DER))]
    signer = JWK.from_key_object(leaf_key, kid="bankid-2026-11", use="sig", alg="ES256", x5c=chain)
    retired = JWK.generate("EC", kid="bankid-2026-05", use="sig", alg="ES256")
    encryption = JWK.generate("RSA", kid="bankid-enc", use="enc", alg="RSA-OAEP-256")
    published = JWKSet.from_dict(
        {"keys": [signer.to_dict(), retired.to_dict(), encryption.to_dict()]}
    )
    trusted = x5c.trusted_keys(published, [root])
    print(f"  JWKS has {len(published)} keys; {len(trusted)} passed x5c verification to the root")
    now = int(time.time())
    token = jwt.encode(
        {"iss": "https://bankid.example", "aud": "rp", "exp": now + 60}, signer, alg="ES256"
    )
    claims = jwt.decode(token, trusted, issuer="https://bankid.example", audience="rp")
    print(f"  ID token verified with kid=bankid-2026-11: iss={claims['iss']}")
    unknown = jwt.encode(
        {"exp": now + 60}, JWK.generate("EC", kid="attacker", alg="ES256"), alg="ES256"
    )
    try:
        jwt.decode(unknown, trusted)
    except errors.KeyNotFoundError as error:
        print(f"  token with an unknown kid refused: {type(error).__name__}: {error}")


def _bankid_request_objects() -> None:
    _heading("BankID: encrypted request objects (RSA1_5, RSA-OAEP, RSA-OAEP-256 x six enc)")
    bankid = JWK.generate("RSA", kid="bankid-request-enc", use="enc")
    for alg in ("RSA1_5", "RSA-OAEP", "RSA-OAEP-256"):
        for enc in (
            "A128GCM",
            "A192GCM",
            "A256GCM",
            "A128CBC-HS256",
            "A192CBC-HS384",
            "A256CBC-HS512",
        ):
            request = b'{"login_hint":"BID:14025800177","scope":"openid"}'
            token = jwe.encrypt_compact(request, bankid.public(), alg=alg, enc=enc)
            # RSA1_5 is refused unless named (RFC 8725 s3.2): BankID accepts it, so we name it.
            if jwe.decrypt_compact(token, bankid, algorithms=[alg]).plaintext != request:
                raise SystemExit(f"{alg} {enc}: round trip failed")
        print(f"  {alg:<13} round trip with all six enc values")


def _login_hint() -> None:
    _heading("BankID login_hint: ECDH-ES (P-256) with kid, non-JSON plaintext, traced")
    recipient = JWK.generate("EC", crv="P-256", kid="bankid-login-hint", use="enc")
    token = jwe.encrypt_compact("BID:14025800177", recipient.public(), alg="ECDH-ES", enc="A256GCM")
    with trace.recording() as recorded:
        result = jwe.decrypt_compact(token, JWKSet([recipient]), require_kid=True)
    # The formatter of `jose-ref explain`: base64url octets, text as text, nothing cut.
    print(explain_format.render_steps(recorded.steps, reveal=False))
    print(f"  plaintext: {result.plaintext.decode()} (kid {result.header['kid']})")


def main() -> int:
    """Run every demo flow; exit 0 when all of them worked."""
    _keys()
    _signicat()
    _bankid_key_rotation()
    _bankid_request_objects()
    _login_hint()
    print("\nAll flows completed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
