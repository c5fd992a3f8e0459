"""The rule tables in force: the shipped defaults overlaid with the versions the office imported."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import validator
from workflow.db import transaction
from workflow.models import RuleTableVersion

KBLI = "kbli"


class RuleProvider:
    """Hands out the RuleSet in force, rebuilt only when a new table version was imported."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._seen: int | None = -1
        self._rules = validator.load_rules()

    def get(self) -> validator.RuleSet:
        """Return the rules in force now."""
        with transaction(self._sessions) as session:
            newest = session.scalar(select(func.max(RuleTableVersion.id)))
            with self._lock:
                if newest != self._seen:
                    self._rules = _build(session)
                    self._seen = newest
                return self._rules


def _build(session: Session) -> validator.RuleSet:
    rules = validator.load_rules()
    latest = session.scalar(
        select(RuleTableVersion)
        .where(RuleTableVersion.kind == KBLI)
        .order_by(RuleTableVersion.id.desc())
        .limit(1)
    )
    if latest is not None:
        table = validator.parse_kbli_csv(
            latest.content, version=latest.version, effective_from=latest.created_at.date()
        )
        rules = rules.with_kbli(table)
    return rules


def import_kbli(
    session: Session, data: bytes, *, version: str | None = None
) -> validator.KbliTable:
    """Validate a KBLI CSV and make it the list in force as a new version (refused whole if bad)."""
    count = session.scalar(
        select(func.count()).select_from(RuleTableVersion).where(RuleTableVersion.kind == KBLI)
    )
    label = version or f"import-{(count or 0) + 1}"
    table = validator.parse_kbli_csv(data, version=label, effective_from=date.today())
    session.add(RuleTableVersion(kind=KBLI, version=label, content=data))
    session.flush()
    return table


def rules_in_force(sessions: sessionmaker[Session]) -> RuleProvider:
    """Return the provider of the rules in force for this process."""
    return RuleProvider(sessions)
