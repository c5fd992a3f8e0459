"""How long each SOP step took against its time standard (mutu baku), from the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow.db.models import TransitionRecord
from workflow.sop.states import TIME_STANDARD_MINUTES

# A step runs from the first of its start events to the first of its end events after it.
_STEP_BOUNDS: dict[int, tuple[frozenset[str], frozenset[str]]] = {
    3: (
        frozenset({"submit", "resubmit"}),
        frozenset({"approve_technical", "return_for_correction", "reject_technical"}),
    ),
    4: (frozenset({"approve_technical"}), frozenset({"set_penetapan", "return_to_applicant"})),
    5: (frozenset({"set_penetapan"}), frozenset({"sign", "reject_by_kadis"})),
    8: (frozenset({"sign"}), frozenset({"archive"})),
}


@dataclass(frozen=True, slots=True)
class StepTime:
    """One SOP step of one application: when it ran and whether it kept its time standard."""

    step: int
    started_at: datetime
    ended_at: datetime | None
    minutes: float | None
    standard_minutes: int
    over_standard: bool | None


def _utc(when: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time Pintu stores is UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def step_times(transitions: Sequence[TransitionRecord], *, now: datetime) -> list[StepTime]:
    """Return each step's latest run (a step still running is measured up to ``now``)."""
    ordered = sorted(transitions, key=lambda t: t.id or 0)
    result = []
    for step, (starts, ends) in _STEP_BOUNDS.items():
        start_index = max((i for i, t in enumerate(ordered) if t.event in starts), default=None)
        if start_index is None:
            continue
        started = _utc(ordered[start_index].at)
        end = next((t for t in ordered[start_index + 1 :] if t.event in ends), None)
        ended = _utc(end.at) if end else None
        minutes = ((ended or now) - started).total_seconds() / 60
        standard = TIME_STANDARD_MINUTES[step]
        result.append(
            StepTime(
                step=step,
                started_at=started,
                ended_at=ended,
                minutes=round(minutes, 2),
                standard_minutes=standard,
                over_standard=minutes > standard,
            )
        )
    return result
