"""The SOP as one table: (state, event) -> next state, who may take it, and why it may be refused.

Every change of an application's state goes through :func:`plan_transition`; the API, the CLI and
the Celery tasks never set ``Application.state`` themselves. Roles are the office's roles of the
SOP; ``system`` is Pintu itself (a finished Celery task).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from workflow.errors import IllegalTransition, RoleNotAllowed

if TYPE_CHECKING:
    from workflow.db.models import Application


class Role(StrEnum):
    """The office's SOP roles, plus the system itself and an administrator."""

    TIM_TEKNIS = "tim_teknis"
    PENATA_PERIZINAN = "penata_perizinan"
    KOORDINATOR = "koordinator"
    KADIS = "kadis"
    ADMIN = "admin"
    SYSTEM = "system"


class State(StrEnum):
    """Where an application stands in the SOP."""

    DRAFT = "draft"  # documents being uploaded (step 1-2)
    CHECKING = "checking"  # OCR and rules running (step 3, automated)
    CHECKED = "checked"  # findings ready for the Tim Teknis (step 3)
    RETURNED = "returned"  # back to the applicant for correction
    REJECTED = "rejected"  # refused (final)
    TECHNICAL_APPROVED = "technical_approved"  # BAP + Pertimbangan Teknis issued (end of step 3)
    VALIDATED = "validated"  # JF Penata Perizinan validated (step 4)
    APPROVED = "approved"  # Koordinator's penetapan set, draft permit rendered (end of step 4)
    SIGNED = "signed"  # Kadis signed (step 5)
    ARCHIVED = "archived"  # dossier in the locked archive (step 8)


Guard = Callable[["Application"], str | None]
"""A condition on the application: None when the transition may go, else the reason it may not."""


def _verdict_allows_approval(application: Application) -> str | None:
    if application.verdict != "memenuhi":
        return "the checks did not conclude 'memenuhi'; return or reject the application instead"
    return None


def _has_documents(application: Application) -> str | None:
    if not application.documents:
        return "upload the requirement documents first"
    return None


def _checks_finished(application: Application) -> str | None:
    if application.findings is None:
        return "the automated checks have not produced findings yet"
    return None


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the SOP table."""

    event: str
    source: State
    target: State
    roles: frozenset[Role]
    step: int
    guard: Guard | None = None
    description: str = ""


def _t(
    event: str,
    source: State,
    target: State,
    roles: set[Role],
    step: int,
    description: str,
    guard: Guard | None = None,
) -> Transition:
    return Transition(event, source, target, frozenset(roles), step, guard, description)


TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "submit",
        State.DRAFT,
        State.CHECKING,
        {Role.TIM_TEKNIS},
        3,
        "start the automated checks",
        _has_documents,
    ),
    _t(
        "resubmit",
        State.RETURNED,
        State.CHECKING,
        {Role.TIM_TEKNIS},
        3,
        "check the corrected documents again",
        _has_documents,
    ),
    _t(
        "checks_done",
        State.CHECKING,
        State.CHECKED,
        {Role.SYSTEM},
        3,
        "findings and verdict ready",
        _checks_finished,
    ),
    _t(
        "approve_technical",
        State.CHECKED,
        State.TECHNICAL_APPROVED,
        {Role.TIM_TEKNIS},
        3,
        "issue the BAP and Pertimbangan Teknis",
        _verdict_allows_approval,
    ),
    _t(
        "return_for_correction",
        State.CHECKED,
        State.RETURNED,
        {Role.TIM_TEKNIS},
        3,
        "ask the applicant to correct the documents",
    ),
    _t(
        "reject_technical",
        State.CHECKED,
        State.REJECTED,
        {Role.TIM_TEKNIS},
        3,
        "refuse: the requirements are not met",
    ),
    _t(
        "validate",
        State.TECHNICAL_APPROVED,
        State.VALIDATED,
        {Role.PENATA_PERIZINAN},
        4,
        "the documents are valid: forward",
    ),
    _t(
        "return_to_applicant",
        State.TECHNICAL_APPROVED,
        State.RETURNED,
        {Role.PENATA_PERIZINAN},
        4,
        "not valid: back to the applicant for correction",
    ),
    _t(
        "set_penetapan",
        State.VALIDATED,
        State.APPROVED,
        {Role.KOORDINATOR},
        4,
        "set the penetapan and render the draft permit",
    ),
    _t(
        "sign",
        State.APPROVED,
        State.SIGNED,
        {Role.KADIS},
        5,
        "sign the permit electronically (TTE)",
    ),
    _t(
        "reject_by_kadis",
        State.APPROVED,
        State.RETURNED,
        {Role.KADIS},
        5,
        "refuse: back to the applicant",
    ),
    _t(
        "archive",
        State.SIGNED,
        State.ARCHIVED,
        {Role.SYSTEM},
        8,
        "dossier stored in the locked archive",
    ),
)

_BY_KEY: dict[tuple[State, str], Transition] = {(t.source, t.event): t for t in TRANSITIONS}

UPLOAD_STATES: frozenset[State] = frozenset({State.DRAFT, State.RETURNED})
"""States in which requirement documents may be added."""

TIME_STANDARD_MINUTES: dict[int, int] = {3: 30, 4: 35, 5: 10, 6: 10, 7: 10, 8: 20}
"""The SOP's time standard (mutu baku) per step, in minutes."""


def events_from(state: State) -> tuple[Transition, ...]:
    """Return the transitions that leave ``state``."""
    return tuple(t for t in TRANSITIONS if t.source == state)


def plan_transition(application: Application, event: str, role: Role) -> Transition:
    """Return the transition ``event`` from the application's state, or raise why it is refused."""
    state = State(application.state)
    transition = _BY_KEY.get((state, event))
    if transition is None:
        allowed = ", ".join(t.event for t in events_from(state)) or "none"
        raise IllegalTransition(
            f"event {event!r} is not possible from state {state.value!r} (possible: {allowed})"
        )
    if role not in transition.roles:
        raise RoleNotAllowed(
            f"role {role.value!r} may not take {event!r}; "
            f"allowed: {', '.join(sorted(r.value for r in transition.roles))}"
        )
    if transition.guard is not None and (reason := transition.guard(application)):
        raise IllegalTransition(f"{event!r} refused: {reason}")
    return transition


def mermaid_diagram() -> str:
    """Draw the SOP table as a Mermaid state diagram (for the README and /docs)."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    for t in TRANSITIONS:
        roles = "/".join(sorted(r.value for r in t.roles))
        lines.append(f"    {t.source.value} --> {t.target.value}: {t.event} ({roles})")
    lines += [f"    {State.ARCHIVED.value} --> [*]", f"    {State.REJECTED.value} --> [*]"]
    return "\n".join(lines)
