"""RFC 7516 s5.1-5.2 and RFC 7515 s5.1-5.2 - The numbered steps, as one table.

JWE encryption has 19 steps, JWE decryption 18, JWS signing 8 and JWS
validation 10. Each entry is the RFC's number and a short description in
the RFC's own words. Code comments, `trace` labels, `jose-ref explain`,
docs/explain.md and the derived vectors' clauses all take their step
numbers from here, and tests/test_rfc_steps.py checks the table against the
RFC text. This module is data only: it imports nothing from jose_ref, so
vectors/tools/derive.py can load it without loading the implementation.

https://www.rfc-editor.org/rfc/rfc7516#section-5
https://www.rfc-editor.org/rfc/rfc7515#section-5
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

__all__ = [
    "JWE_DECRYPT",
    "JWE_ENCRYPT",
    "JWS_SIGN",
    "JWS_VERIFY",
    "PROCEDURES",
    "Procedure",
    "StepRef",
    "order_problem",
]


@dataclass(frozen=True, slots=True)
class StepRef:
    """One numbered step: its section, number and the RFC's short description."""

    section: str
    number: int
    description: str

    @property
    def label(self) -> str:
        """The citation used in comments and traces, e.g. "RFC 7516 s5.2 step 9"."""
        return f"{self.section} step {self.number}"


@dataclass(frozen=True, slots=True)
class Procedure:
    """The numbered steps of one RFC section, and the range its "repeat" step repeats."""

    section: str
    title: str
    steps: tuple[StepRef, ...]
    repeat: int  # the step that says "repeat steps first-last" per recipient or signature
    repeated: tuple[int, int]

    def __getitem__(self, number: int) -> StepRef:
        """The step numbered `number` (1-based, as in the RFC)."""
        if not 1 <= number <= len(self.steps):
            raise KeyError(f"{self.section} has no step {number}")
        return self.steps[number - 1]

    def __len__(self) -> int:
        return len(self.steps)


def _procedure(
    section: str, title: str, repeat: int, repeated: tuple[int, int], texts: tuple[str, ...]
) -> Procedure:
    steps = tuple(StepRef(section, n, text) for n, text in enumerate(texts, start=1))
    return Procedure(section, title, steps, repeat, repeated)


JWE_ENCRYPT = _procedure(
    "RFC 7516 s5.1",
    "Message Encryption",
    8,
    (1, 7),
    (
        'Determine the Key Management Mode employed by the algorithm ("alg")',
        "Key Wrapping, Key Encryption, Key Agreement with Key Wrapping: generate a random CEK",
        "Direct Key Agreement, Key Agreement with Key Wrapping: compute the agreed upon key",
        "Key Wrapping, Key Encryption, Key Agreement with Key Wrapping: encrypt the CEK to "
        "the recipient (the JWE Encrypted Key)",
        "Direct Key Agreement, Direct Encryption: the JWE Encrypted Key is the empty octet "
        "sequence",
        "Direct Encryption: let the CEK be the shared symmetric key",
        "Compute the encoded key value BASE64URL(JWE Encrypted Key)",
        "JWE JSON Serialization: repeat steps 1-7 for each recipient",
        "Generate a random JWE Initialization Vector of the correct size",
        "Compute the encoded Initialization Vector value BASE64URL(JWE Initialization Vector)",
        '"zip": compress the plaintext (M is the compressed plaintext)',
        "Create the JSON object(s) of the JOSE Header",
        "Compute the Encoded Protected Header value BASE64URL(UTF8(JWE Protected Header))",
        "Let the Additional Authenticated Data be ASCII(Encoded Protected Header) "
        "(|| '.' || BASE64URL(JWE AAD) when a JWE AAD is present)",
        "Encrypt M using the CEK, the JWE Initialization Vector and the AAD "
        "(the JWE Ciphertext and the JWE Authentication Tag)",
        "Compute the encoded ciphertext value BASE64URL(JWE Ciphertext)",
        "Compute the encoded Authentication Tag value BASE64URL(JWE Authentication Tag)",
        "If a JWE AAD value is present, compute the encoded AAD value BASE64URL(JWE AAD)",
        "Create the desired serialized output",
    ),
)

JWE_DECRYPT = _procedure(
    "RFC 7516 s5.2",
    "Message Decryption",
    13,
    (4, 12),
    (
        "Parse the JWE representation to extract the serialized values",
        "Base64url decode the encoded representations of the JWE Protected Header, Encrypted "
        "Key, Initialization Vector, Ciphertext, Authentication Tag and AAD",
        "Verify that the JWE Protected Header is a UTF-8-encoded, completely valid JSON object",
        "Let the JOSE Header be the union of the header members (names MUST be disjoint)",
        'Verify that the implementation understands and can process all fields ("crit")',
        'Determine the Key Management Mode employed by the algorithm ("alg")',
        "Verify that the JWE uses a key known to the recipient",
        "Direct Key Agreement, Key Agreement with Key Wrapping: compute the agreed upon key",
        "Key Wrapping, Key Encryption, Key Agreement with Key Wrapping: decrypt the JWE "
        "Encrypted Key to produce the CEK (of the length the content encryption requires)",
        "Direct Key Agreement, Direct Encryption: verify that the JWE Encrypted Key is empty",
        "Direct Encryption: let the CEK be the shared symmetric key",
        "Record whether the CEK could be successfully determined for this recipient",
        "JWE JSON Serialization: repeat steps 4-12 for each recipient",
        "Compute the Encoded Protected Header value BASE64URL(UTF8(JWE Protected Header))",
        "Let the Additional Authenticated Data be ASCII(Encoded Protected Header) "
        "(|| '.' || BASE64URL(JWE AAD) when a JWE AAD is present)",
        "Decrypt the JWE Ciphertext using the CEK, the JWE Initialization Vector, the AAD and "
        "the JWE Authentication Tag, validating the tag",
        '"zip": uncompress the decrypted plaintext',
        "If no recipient succeeded, the JWE is invalid; otherwise output the plaintext and "
        "say for which recipients decryption succeeded and failed",
    ),
)

JWS_SIGN = _procedure(
    "RFC 7515 s5.1",
    "Message Signature or MAC Computation",
    7,
    (3, 6),
    (
        "Create the content to be used as the JWS Payload",
        "Compute the encoded payload value BASE64URL(JWS Payload)",
        "Create the JSON object(s) of the JOSE Header",
        "Compute the encoded header value BASE64URL(UTF8(JWS Protected Header))",
        "Compute the JWS Signature over the JWS Signing Input "
        "ASCII(BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload))",
        "Compute the encoded signature value BASE64URL(JWS Signature)",
        "JWS JSON Serialization: repeat steps 3-6 for each signature or MAC",
        "Create the desired serialized output",
    ),
)

JWS_VERIFY = _procedure(
    "RFC 7515 s5.2",
    "Message Signature or MAC Validation",
    9,
    (4, 8),
    (
        "Parse the JWS representation to extract the serialized values",
        "Base64url-decode the encoded representation of the JWS Protected Header",
        "Verify that the JWS Protected Header is a UTF-8-encoded, completely valid JSON object",
        "Let the JOSE Header be the union of the header members (names MUST be disjoint)",
        'Verify that the implementation understands and can process all fields ("crit")',
        "Base64url-decode the encoded representation of the JWS Payload",
        "Base64url-decode the encoded representation of the JWS Signature",
        "Validate the JWS Signature against the JWS Signing Input "
        "ASCII(BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload))",
        "JWS JSON Serialization: repeat steps 4-8 for each signature or MAC",
        "If none of the validations succeeded, the JWS is invalid; otherwise say which "
        "succeeded and failed",
    ),
)

PROCEDURES = {p.section: p for p in (JWE_ENCRYPT, JWE_DECRYPT, JWS_SIGN, JWS_VERIFY)}


def order_problem(procedure: Procedure, visited: list[tuple[int, int | None]]) -> str | None:
    """Why a sequence of (step number, recipient or signature index) is out of RFC order.

    Steps of one recipient or signature (and the steps common to all) come in
    ascending order; going back is allowed only into the range that the
    procedure's "repeat" step repeats (another key or another recipient).
    """
    numbered = sorted({i for _, i in visited if i is not None})
    indexes: list[int | None] = [*numbered] if numbered else [None]
    for index in indexes:
        seen = [n for n, i in visited if i is None or i == index]
        for before, after in itertools.pairwise(seen):
            first, last = procedure.repeated
            if after < before and not first <= after <= last:
                return f"{procedure.section}: step {after} after step {before} (index {index})"
    return None
