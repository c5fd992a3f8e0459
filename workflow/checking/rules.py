"""The rule tables in force: the shipped defaults overlaid with the versions the office imported.

Each import is validated whole by ``validator``'s parser (a bad file is refused with its line
number and nothing changes), then stored as a new row of ``rule_table_versions``. Every process
rebuilds its RuleSet when it sees a newer row, so the API and the workers agree.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import validator
from workflow.db.engine import transaction
from workflow.db.models import RuleTableVersion
from workflow.errors import InvalidApplicationData


@dataclass(frozen=True, slots=True)
class TableKind:
    """How one kind of rule table is parsed and put into a RuleSet."""

    parse: Callable[..., Any]
    apply: Callable[[validator.RuleSet, Any], validator.RuleSet]
    file_name: str


TABLE_KINDS: dict[str, TableKind] = {
    "kbli": TableKind(validator.parse_kbli_csv, validator.RuleSet.with_kbli, "kbli.csv"),
    "kewenangan": TableKind(
        validator.parse_authority_table, validator.RuleSet.with_authority, "kewenangan.csv"
    ),
    "persyaratan": TableKind(
        validator.parse_checklists, validator.RuleSet.with_checklists, "persyaratan.csv"
    ),
    "wilayah": TableKind(
        validator.parse_region_table, validator.RuleSet.with_region, "wilayah.csv"
    ),
    "masa_berlaku": TableKind(
        validator.parse_validity_table, validator.RuleSet.with_validity, "masa_berlaku.csv"
    ),
}


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


def _parse(kind: str, row: RuleTableVersion) -> Any:
    spec = TABLE_KINDS[kind]
    return spec.parse(
        row.content,
        version=row.version,
        effective_from=row.created_at.date(),
        source=spec.file_name,
    )


def _build(session: Session) -> validator.RuleSet:
    rules = validator.load_rules()
    for row in session.scalars(select(RuleTableVersion).order_by(RuleTableVersion.id)):
        if row.kind in TABLE_KINDS:
            rules = TABLE_KINDS[row.kind].apply(rules, _parse(row.kind, row))
    return rules


def import_table(session: Session, kind: str, data: bytes, *, version: str | None = None) -> Any:
    """Validate a rule table and put it in force as a new version (refused whole if bad)."""
    if kind not in TABLE_KINDS:
        raise InvalidApplicationData(
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


def rules_in_force(sessions: sessionmaker[Session]) -> RuleProvider:
    """Return the provider of the rules in force for this process."""
    return RuleProvider(sessions)
