"""The SOP table: every step checks state, role and its guard."""

from __future__ import annotations

import pytest

from workflow.db.models import Application, Document
from workflow.errors import IllegalTransition, RoleNotAllowed
from workflow.sop.states import TRANSITIONS, Role, State, events_from, plan_transition


def _application(state: State, *, verdict: str | None = None, documents: int = 1) -> Application:
    application = Application(state=state.value, data={}, verdict=verdict)
    application.documents = [Document(file_name=f"d{i}.pdf") for i in range(documents)]
    return application


@pytest.mark.parametrize(
    ("state", "event", "role", "target"),
    [
        (State.DRAFT, "submit", Role.TIM_TEKNIS, State.CHECKING),
        (State.TECHNICAL_APPROVED, "validate", Role.PENATA_PERIZINAN, State.VALIDATED),
        (State.VALIDATED, "set_penetapan", Role.KOORDINATOR, State.APPROVED),
        (State.APPROVED, "sign", Role.KADIS, State.SIGNED),
        (State.APPROVED, "reject_by_kadis", Role.KADIS, State.RETURNED),
        (State.SIGNED, "archive", Role.SYSTEM, State.ARCHIVED),
    ],
)
def test_each_role_takes_its_own_step(state: State, event: str, role: Role, target: State) -> None:
    assert plan_transition(_application(state), event, role).target == target


@pytest.mark.parametrize(
    ("state", "event", "role"),
    [
        (State.APPROVED, "sign", Role.TIM_TEKNIS),
        (State.APPROVED, "sign", Role.ADMIN),
        (State.VALIDATED, "set_penetapan", Role.PENATA_PERIZINAN),
        (State.DRAFT, "submit", Role.KADIS),
        (State.CHECKING, "checks_done", Role.TIM_TEKNIS),
    ],
)
def test_a_role_cannot_take_another_roles_step(state: State, event: str, role: Role) -> None:
    with pytest.raises(RoleNotAllowed):
        plan_transition(_application(state), event, role)


def test_a_permit_cannot_be_signed_before_the_penetapan() -> None:
    with pytest.raises(IllegalTransition, match="not possible from state 'validated'"):
        plan_transition(_application(State.VALIDATED), "sign", Role.KADIS)


def test_technical_approval_needs_the_verdict_memenuhi() -> None:
    with pytest.raises(IllegalTransition, match="memenuhi"):
        plan_transition(
            _application(State.CHECKED, verdict="perlu_perbaikan"),
            "approve_technical",
            Role.TIM_TEKNIS,
        )
    approved = plan_transition(
        _application(State.CHECKED, verdict="memenuhi"), "approve_technical", Role.TIM_TEKNIS
    )
    assert approved.target == State.TECHNICAL_APPROVED


def test_an_application_without_documents_cannot_be_submitted() -> None:
    with pytest.raises(IllegalTransition, match="upload"):
        plan_transition(_application(State.DRAFT, documents=0), "submit", Role.TIM_TEKNIS)


def test_the_table_has_no_duplicate_and_every_state_but_the_ends_can_be_left() -> None:
    keys = [(t.source, t.event) for t in TRANSITIONS]
    assert len(keys) == len(set(keys))
    for state in State:
        leaves = events_from(state)
        assert bool(leaves) == (state not in {State.ARCHIVED, State.REJECTED}), state


def test_each_step_is_measured_against_its_time_standard() -> None:
    from datetime import UTC, datetime, timedelta

    from workflow.db.models import TransitionRecord
    from workflow.sop.timeline import step_times

    start = datetime(2026, 11, 27, 8, 0)  # naive, as SQLite returns it
    events = [("submit", 0), ("checks_done", 1), ("approve_technical", 45), ("validate", 50)]
    trail = [
        TransitionRecord(id=i, event=e, at=start + timedelta(minutes=m))
        for i, (e, m) in enumerate(events, 1)
    ]
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    steps = {s.step: s for s in step_times(trail, now=now)}
    assert steps[3].minutes == 45 and steps[3].over_standard is True  # standard: 30 min
    assert steps[4].ended_at is None and steps[4].minutes == 15  # still running
    assert steps[4].over_standard is False and steps[4].standard_minutes == 35
    assert 5 not in steps
