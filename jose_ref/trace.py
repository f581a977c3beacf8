"""Opt-in step recorder behind `jose-ref explain`; a no-op unless a recording is active.

The orchestration code calls `note(step, text, **values)` at each numbered
RFC step (e.g. RFC 7516 s5.2 step 10). When no recording is active the call
costs one context-variable lookup and returns. `recording()` activates a
recorder for the current context (thread or task), so concurrent callers
never see each other's steps. Secret values are named in `secret=(...)`;
the explain command masks them unless asked to reveal them. The trace is the
real code path: nothing here recomputes anything.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Step", "Trace", "active", "note", "recording"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One recorded step: where in the RFC, what happened, and the values involved."""

    rfc: str
    text: str
    values: dict[str, Any]
    secret: frozenset[str]


@dataclass(slots=True)
class Trace:
    """The steps recorded so far, in order."""

    steps: list[Step] = field(default_factory=list)


_current: contextvars.ContextVar[Trace | None] = contextvars.ContextVar(
    "jose_ref_trace", default=None
)


def active() -> bool:
    """Whether a recording is active (lets callers skip computing values only shown in traces)."""
    return _current.get() is not None


def note(rfc: str, text: str, *, secret: tuple[str, ...] = (), **values: Any) -> None:
    """Record a step when a recording is active; otherwise do nothing.

    Args:
        rfc: The clause, e.g. "RFC 7516 s5.2 step 10".
        text: What was done, one sentence.
        secret: Names among `values` that are secret (CEK, derived keys, plaintext).
        **values: Values an auditor wants to see (bytes, str, int, dict).
    """
    trace = _current.get()
    if trace is not None:
        trace.steps.append(Step(rfc=rfc, text=text, values=values, secret=frozenset(secret)))


@contextmanager
def recording() -> Iterator[Trace]:
    """Record every step noted inside the `with` block of the current context."""
    trace = Trace()
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)
