"""Issue 9: the hot-path work changes no outcome, refusals and messages included.

corpus.json.gz holds valid tokens of many algorithms (JWE compact and JSON, JWS compact
and JSON) and mutations of them (bit flips, truncations, non-canonical base64url,
duplicate members, wrong kid/alg/enc, bad epk, limits, unfit keys), each with the
outcome that the code before the hot-path changes gave, recorded by record.py. Every
case must give the very same outcome now: the same plaintext, header and key, or the
same error class with the same message.
"""

from __future__ import annotations

from collections import Counter

from tests.differential.corpus import load_corpus, load_keys, run


def test_corpus_covers_results_and_refusals() -> None:
    outcomes = Counter(case["outcome"].get("error", "ok") for case in load_corpus()["cases"])
    # The corpus is only a check if it holds both valid tokens and every kind of refusal.
    assert outcomes["ok"] >= 100
    for error in (
        "MalformedError",
        "DecryptionError",
        "InvalidSignatureError",
        "AlgorithmNotAllowedError",
        "InvalidKeyError",
        "KeyNotFoundError",
        "UnsupportedAlgorithmError",
        "LimitExceededError",
    ):
        assert outcomes[error] >= 10, error


def test_every_case_has_its_recorded_outcome() -> None:
    corpus = load_corpus()
    keys = load_keys(corpus["keys"])
    differences = []
    for case in corpus["cases"]:
        outcome = run(case, keys)
        if outcome != case["outcome"]:
            differences.append((case["label"], case["outcome"], outcome))
    shown = "\n".join(f"{label}: recorded {old}, now {new}" for label, old, new in differences[:10])
    assert not differences, f"{len(differences)} outcomes differ:\n{shown}"
