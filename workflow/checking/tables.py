"""The rule tables in force, built from the shipped defaults and the versions the office imported.

Pure functions over stored table rows (kind, version, content, import time): the database-backed
provider (:mod:`workflow.checking.rules`) and the commands that only read (``pintu kbli``,
``pintu check``) build the same rule set from the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

import validator

log = logging.getLogger(__name__)


class StoredTable(Protocol):
    """One imported version of a rule table, as the database keeps it."""

    @property
    def kind(self) -> str:
        """``kbli``, ``kewenangan``, ``persyaratan``, ``wilayah`` or ``masa_berlaku``."""

    @property
    def version(self) -> str:
        """The version label (what a report's ``rule_versions`` records)."""

    @property
    def content(self) -> bytes:
        """The table as imported (CSV)."""

    @property
    def created_at(self) -> datetime:
        """When it was imported: the day it takes effect."""


@dataclass(frozen=True, slots=True)
class TableKind:
    """How one kind of rule table is parsed and put into a RuleSet."""

    parse: Callable[..., Any]
    apply: Callable[[validator.RuleSet, Any], validator.RuleSet]
    file_name: str
    report_key: str
    """The table's name in ``validator.Report.rule_versions``."""


TABLE_KINDS: dict[str, TableKind] = {
    "kbli": TableKind(validator.parse_kbli_csv, validator.RuleSet.with_kbli, "kbli.csv", "kbli"),
    "kewenangan": TableKind(
        validator.parse_authority_table,
        validator.RuleSet.with_authority,
        "kewenangan.csv",
        "authority",
    ),
    "persyaratan": TableKind(
        validator.parse_checklists,
        validator.RuleSet.with_checklists,
        "persyaratan.csv",
        "checklists",
    ),
    "wilayah": TableKind(
        validator.parse_region_table, validator.RuleSet.with_region, "wilayah.csv", "region"
    ),
    "masa_berlaku": TableKind(
        validator.parse_validity_table,
        validator.RuleSet.with_validity,
        "masa_berlaku.csv",
        "validity",
    ),
}


def parse(row: StoredTable) -> Any:
    """Parse one stored table (it was validated whole when it was imported)."""
    spec = TABLE_KINDS[row.kind]
    return spec.parse(
        row.content,
        version=row.version,
        effective_from=row.created_at.date(),
        source=spec.file_name,
    )


def rules_from(rows: Iterable[StoredTable]) -> validator.RuleSet:
    """Return the rules in force: the shipped defaults, each imported version over them in turn."""
    rules = validator.load_rules()
    for row in rows:
        if row.kind in TABLE_KINDS:
            rules = TABLE_KINDS[row.kind].apply(rules, parse(row))
    return rules


def pinned_from(
    rows: Iterable[StoredTable], versions: Mapping[str, str], current: validator.RuleSet
) -> validator.RuleSet:
    """Return the rules at the table versions a check used (a report's ``rule_versions``).

    A table whose version is unknown (a report from before versions were recorded) is the one
    in ``current``, and the log says so.
    """
    rules = validator.load_rules()
    shipped = rules.versions()
    found = {key: shipped[key] == versions.get(key) for key in shipped}
    kbli = rules.kbli if found["kbli"] else None
    for row in rows:
        spec = TABLE_KINDS.get(row.kind)
        if spec is None or versions.get(spec.report_key) != row.version:
            continue
        table = parse(row)
        if spec.report_key == "kbli":
            kbli = table
        else:
            rules = spec.apply(rules, table)
        found[spec.report_key] = True
    for key in [k for k, ok in found.items() if not ok]:
        log.warning(
            "rule table %s version %s unknown; using the one in force", key, versions.get(key)
        )
        if key != "kbli":
            rules = replace(rules, **{key: getattr(current, key)})
    return replace(rules, kbli_versions=(kbli or current.kbli,))
