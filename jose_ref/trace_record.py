"""RFC 7516 s5 and RFC 7515 s5 - What a recording holds: the numbered steps and their values.

`jose_ref.trace` is the switch every call passes (`rec = trace.recorder()`);
this module is what a recording fills in: one `Step` per numbered step or
clause, with the values an auditor wants to see. It loads with the first
recording, so a program that never records never pays for it.

https://www.rfc-editor.org/rfc/rfc7516#section-5.2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jose_ref.rfc_steps import StepRef

__all__ = ["Content", "Step", "Trace"]


@dataclass(frozen=True, slots=True)
class Content:
    """A plaintext or payload: text when it is UTF-8, octets otherwise (the formatter decides)."""

    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One recorded step: where in the RFC, what happened, and the values involved.

    Attributes:
        rfc: The citation, e.g. "RFC 7516 s5.2 step 9" (a clause for unnumbered steps).
        section: The numbered procedure, e.g. "RFC 7516 s5.2"; the clause when unnumbered.
        number: The RFC's step number, or None for a clause outside the numbered steps.
        description: The RFC's short description of the step ("" when unnumbered).
        clause: For a detail from an algorithm, its own clause (e.g. "RFC 7518 s5.2.2.1").
        index: The recipient or signature (JSON serializations), else None.
        text: What was done, one sentence.
        values: The values an auditor wants to see, by name.
        secret: Names among `values` that are secret.
    """

    rfc: str
    section: str
    number: int | None
    description: str
    clause: str | None
    index: int | None
    text: str
    values: dict[str, Any]
    secret: frozenset[str]


@dataclass(slots=True)
class Trace:
    """The steps recorded so far, in order; `index` is the recipient or signature at work."""

    steps: list[Step] = field(default_factory=list)
    index: int | None = None
    _current: StepRef | None = None
    _current_index: int | None = None

    def note(
        self,
        step: StepRef,
        text: str,
        *,
        common: bool = False,
        secret: tuple[str, ...] = (),
        **values: Any,
    ) -> None:
        """Record one numbered step (from `jose_ref.rfc_steps`) with its values.

        `common` marks a step done once for all recipients or signatures (RFC 7516
        s5.2 steps 14-16), even while one recipient is being worked on.
        """
        self._current = step
        self._current_index = None if common else self.index
        self.steps.append(
            Step(
                rfc=step.label,
                section=step.section,
                number=step.number,
                description=step.description,
                clause=None,
                index=self._current_index,
                text=text,
                values=values,
                secret=frozenset(secret),
            )
        )

    def detail(
        self, clause: str, text: str, *, secret: tuple[str, ...] = (), **values: Any
    ) -> None:
        """Record values of an algorithm's own clause under the step noted last."""
        step = self._current
        self.steps.append(
            Step(
                rfc=step.label if step is not None else clause,
                section=step.section if step is not None else clause,
                number=step.number if step is not None else None,
                description=step.description if step is not None else "",
                clause=clause,
                index=self._current_index if step is not None else self.index,
                text=text,
                values=values,
                secret=frozenset(secret),
            )
        )

    def clause(self, rfc: str, text: str, *, secret: tuple[str, ...] = (), **values: Any) -> None:
        """Record an unnumbered clause (e.g. "RFC 7519 s7.2"), outside the numbered steps."""
        self.steps.append(
            Step(
                rfc=rfc,
                section=rfc,
                number=None,
                description="",
                clause=None,
                index=None,
                text=text,
                values=values,
                secret=frozenset(secret),
            )
        )
