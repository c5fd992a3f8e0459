"""The rule tables in force: the shipped defaults overlaid with the versions the office imported.

Each import is validated whole by ``validator``'s parser (a bad file is refused with its line
number and nothing changes), then stored as a new row of ``rule_table_versions``. Every process
rebuilds its RuleSet when it sees a newer row, so the API and the workers agree.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

import validator
from workflow.db.engine import transaction
from workflow.db.models import RuleTableVersion

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


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


_REPORT_KEYS: dict[str, str] = {
    "kbli": "kbli",
    "kewenangan": "authority",
    "persyaratan": "checklists",
    "wilayah": "region",
    "masa_berlaku": "validity",
}
"""The name each kind of table has in ``validator.Report.rule_versions``."""


class RuleProvider:
    """Hands out the RuleSet in force, rebuilt only when a new table version was imported.

    Without a database (``sessions`` None: ``pintu kbli`` before anything was set up) it hands
    out the shipped defaults.
    """

    def __init__(self, sessions: sessionmaker[Session] | None) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._seen: int | None = -1
        self._rules = validator.load_rules()

    def get(self) -> validator.RuleSet:
        """Return the rules in force now."""
        if self._sessions is None:
            return self._rules
        with transaction(self._sessions) as session:
            newest = session.scalar(select(func.max(RuleTableVersion.id)))
            with self._lock:
                if newest != self._seen:
                    self._rules = _build(session)
                    self._seen = newest
                return self._rules

    def pinned(self, versions: Mapping[str, str]) -> validator.RuleSet:
        """Return the rules at the table versions a check used (its ``rule_versions``).

        A table whose version is unknown (a report from before versions were recorded) is the
        one in force now, and the log says so.
        """
        rules = validator.load_rules()
        found = {key: rules.versions()[key] == versions.get(key) for key in _REPORT_KEYS.values()}
        kbli = rules.kbli if found["kbli"] else None
        if self._sessions is not None:
            with transaction(self._sessions) as session:
                for row in session.scalars(select(RuleTableVersion).order_by(RuleTableVersion.id)):
                    key = _REPORT_KEYS.get(row.kind)
                    if key is None or versions.get(key) != row.version:
                        continue
                    table = _parse(row.kind, row)
                    if key == "kbli":
                        kbli = table
                    else:
                        rules = TABLE_KINDS[row.kind].apply(rules, table)
                    found[key] = True
        current = self.get()
        for key in [k for k, ok in found.items() if not ok]:
            log.warning(
                "rule table %s version %s unknown; using the one in force", key, versions.get(key)
            )
            rules = _take(rules, current, key)
        if kbli is None:
            kbli = current.kbli
        return replace(rules, kbli_versions=(kbli,))


def _take(rules: validator.RuleSet, source: validator.RuleSet, key: str) -> validator.RuleSet:
    if key == "kbli":
        return rules
    return replace(rules, **{key: getattr(source, key)})


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
