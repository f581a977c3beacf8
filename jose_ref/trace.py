"""RFC 7516 s5 and RFC 7515 s5 - Opt-in step recorder behind `jose-ref explain`.

The orchestration code asks once per call for the active recorder
(`rec = trace.recorder()`), and only when there is one (`if rec is not
None:`) does it build the values of a numbered step (`rec.note(JWE_DECRYPT[9],
...)`, numbers from `jose_ref.rfc_steps`). When nobody records, tracing
costs that one context-variable lookup and nothing else. Algorithm modules
add details (`rec.detail("RFC 7518 s4.8.1.1", ...)`) that sit under the step
noted last, so the PBES2 salt input or the CBC-HMAC MAC_KEY appear under
the RFC 7516 step that produced them. Secret values are named in `secret`;
`jose-ref explain` masks them unless asked to reveal them. Recordings are
per context (thread or task). The trace is the real code path: nothing here
recomputes anything. What a recording holds (Trace, Step, Content) lives in
`jose_ref.trace_record` and loads with the first recording.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jose_ref.trace_record import Content, Step, Trace

__all__ = ["Content", "Step", "Trace", "active", "note", "recorder", "recording"]


def __getattr__(name: str) -> Any:
    """Content, Step and Trace load with the first recording (PEP 562; issue 9's cold start)."""
    if name in ("Content", "Step", "Trace"):
        from jose_ref import trace_record

        value = getattr(trace_record, name)
        globals()[name] = value  # later uses: a plain module attribute
        return value
    raise AttributeError(f"module 'jose_ref.trace' has no attribute {name!r}")


_current: contextvars.ContextVar[Trace | None] = contextvars.ContextVar(
    "jose_ref_trace", default=None
)


# The active recording, or None (the one check a traced function makes per call). The
# ContextVar's own C method: no Python frame per call on the hot path.
recorder: Callable[[], Trace | None] = _current.get


def active() -> bool:
    """Whether a recording is active."""
    return _current.get() is not None


def note(rfc: str, text: str, *, secret: tuple[str, ...] = (), **values: Any) -> None:
    """Record an unnumbered clause (e.g. "RFC 7519 s7.2") when a recording is active."""
    rec = _current.get()
    if rec is not None:
        rec.clause(rfc, text, secret=secret, **values)


@contextmanager
def recording() -> Iterator[Trace]:
    """Record every step noted inside the `with` block of the current context."""
    from jose_ref import trace_record

    trace = trace_record.Trace()
    token = _current.set(trace)
    try:
        yield trace
    finally:
        _current.reset(token)
