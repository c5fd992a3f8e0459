"""Taking one SOP step: who takes it (:class:`Actor`) and the recorded change of state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workflow.db.models import Application, TransitionRecord, User
from workflow.sop.states import Role, Transition, plan_transition

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who takes a step: a staff member with one role, or Pintu itself."""

    user_id: str
    role: Role
    full_name: str
    nip: str | None = None
    jabatan: str | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        """Build the actor for a staff account."""
        return cls(user.id, Role(user.role), user.full_name, user.nip, user.jabatan)


def apply_transition(
    session: Session,
    application: Application,
    event: str,
    actor: Actor,
    *,
    note: str | None = None,
    before: Callable[[Transition], None] | None = None,
) -> Transition:
    """Check and take one SOP step, recording who took it and when."""
    transition = plan_transition(application, event, actor.role)
    if before is not None:
        before(transition)
    record = TransitionRecord(
        application_id=application.id,
        event=event,
        from_state=application.state,
        to_state=transition.target.value,
        actor_id=actor.user_id,
        actor_role=actor.role.value,
        note=note,
    )
    application.state = transition.target.value
    session.add(record)
    session.flush()
    log.info(
        "application %s: %s -> %s by %s (%s)",
        application.id,
        record.from_state,
        record.to_state,
        actor.user_id,
        event,
    )
    return transition
