"""Token-derived text in error messages: escaped and cut (SECURITY.md, messages invariant).

A header name, a "crit" entry, a kid, an alg or a JWK member comes from
whoever made the token or key document. Copied raw into an exception
message, its newlines forge log lines and its ESC sequences drive the
terminal that prints it (the CLI shows messages on stderr). Every such
value enters a message through `shown`: repr-escaped, so the message holds
no control character (C0, DEL, C1, line and paragraph separators, bidi
controls), and cut to a few dozen characters, so the message stays short.
"""

from __future__ import annotations

__all__ = ["MAX_SHOWN_CHARS", "shown"]

MAX_SHOWN_CHARS = 40


def shown(text: str, max_chars: int = MAX_SHOWN_CHARS) -> str:
    """`text` as it may appear in a message: at most `max_chars` characters, repr-escaped.

    repr() escapes every character that str.isprintable() rejects (control and format
    characters, separators, lone surrogates) and quotes the result; a cut is marked "...".
    """
    cut = text[:max_chars]
    return repr(cut) + ("..." if len(text) > max_chars else "")
