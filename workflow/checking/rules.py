"""The rule tables in force, kept in the database: imports, and the provider every process asks.

Each import is validated whole by ``validator``'s parser (a bad file is refused with its line
number and nothing changes), then stored as a new row of ``rule_table_versions``. Every process
rebuilds its RuleSet when it sees a newer row, so the API and the workers agree.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import validator
from workflow.checking.tables import TABLE_KINDS, pinned_from, rules_from
from workflow.db.engine import transaction
from workflow.db.models import RuleTableVersion

if TYPE_CHECKING:
    from workflow.runtime import Runtime


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

    def pinned(self, versions: Mapping[str, str]) -> validator.RuleSet:
        """Return the rules at the table versions a check used (its ``rule_versions``)."""
        current = self.get()
        with transaction(self._sessions) as session:
            return pinned_from(_rows(session), versions, current)


def _rows(session: Session) -> list[RuleTableVersion]:
    return list(session.scalars(select(RuleTableVersion).order_by(RuleTableVersion.id)))


def _build(session: Session) -> validator.RuleSet:
    return rules_from(_rows(session))


def import_table(session: Session, kind: str, data: bytes, *, version: str | None = None) -> Any:
    """Validate a rule table and put it in force as a new version (refused whole if bad)."""
    if kind not in TABLE_KINDS:
        raise validator.RuleTableError(
            f"unknown rule table {kind!r}; known: {', '.join(sorted(TABLE_KINDS))}"
        )
    count = session.scalar(
        select(func.count()).select_from(RuleTableVersion).where(RuleTableVersion.kind == kind)
    )
    label = version or f"{kind}-import-{date.today():%Y%m%d}-{(count or 0) + 1}"
    spec = TABLE_KINDS[kind]
    table = spec.parse(data, version=label, effective_from=date.today(), source=spec.file_name)
    session.add(RuleTableVersion(kind=kind, version=label, content=data))
    session.flush()
    return table


def import_rule_table(rt: Runtime, kind: str, data: bytes) -> Any:
    """Validate a rule table and put it in force as a new version, in one transaction."""
    with transaction(rt.sessions) as session:
        return import_table(session, kind, data)
