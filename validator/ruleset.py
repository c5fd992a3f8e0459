"""The rule set: every rule table in one frozen value, loaded from a folder of versioned files.

A folder holds ``rules.json`` (the manifest) and one CSV file per table. The manifest names, per
table, its file, its version label and the date it takes effect::

    {"kbli": {"file": "kbli.csv", "version": "...", "effective_from": "2021-02-02"},
     "authority": {...}, "checklists": {...}, "region": {...}, "validity": {...},
     "parameters": {"ocr_confidence_min": 0.8, "min_age": 17, "max_age": 110}}

The KBLI list keeps its history: :meth:`RuleSet.with_kbli` adds a version, and the rules use the
version in force on the day of the check (the latest whose ``effective_from`` is not after it).
The other tables are replaced whole by their ``with_*`` method.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from validator.errors import RuleTableError
from validator.tables import (
    AuthorityTable,
    ChecklistTable,
    KbliTable,
    RegionTable,
    ValidityTable,
    parse_authority_table,
    parse_checklists,
    parse_kbli_csv,
    parse_region_table,
    parse_validity_table,
)

DEFAULT_FOLDER = Path(__file__).parent / "data"
MANIFEST = "rules.json"


@dataclass(frozen=True, slots=True)
class RuleParameters:
    """Numbers the rules use, kept as data."""

    ocr_confidence_min: float = 0.8
    """An OCR field read below this confidence is tolerated in comparisons and flagged."""
    min_age: int = 17
    """Youngest age at which a KTP-el is issued; used to infer a NIK's birth century."""
    max_age: int = 110


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All rule tables the validator needs, each with its version and effective date."""

    kbli_versions: tuple[KbliTable, ...]
    """Sorted by ``effective_from``; never empty."""
    authority: AuthorityTable
    checklists: ChecklistTable
    region: RegionTable
    validity: ValidityTable
    parameters: RuleParameters = RuleParameters()

    def __post_init__(self) -> None:
        if not self.kbli_versions:
            raise RuleTableError("a rule set needs at least one KBLI list")
        ordered = tuple(sorted(self.kbli_versions, key=lambda t: t.effective_from))
        object.__setattr__(self, "kbli_versions", ordered)

    @property
    def kbli(self) -> KbliTable:
        """The newest KBLI list (whatever its date)."""
        return self.kbli_versions[-1]

    def kbli_in_force(self, day: date | None = None) -> KbliTable:
        """Return the KBLI list in force on ``day`` (None: the newest; the oldest if none yet)."""
        if day is None:
            return self.kbli
        in_force = [t for t in self.kbli_versions if t.effective_from <= day]
        return in_force[-1] if in_force else self.kbli_versions[0]

    def with_kbli(self, table: KbliTable) -> RuleSet:
        """Return a rule set with ``table`` added as a KBLI version (same label replaced)."""
        kept = tuple(t for t in self.kbli_versions if t.version != table.version)
        return replace(self, kbli_versions=(*kept, table))

    def with_authority(self, table: AuthorityTable) -> RuleSet:
        """Return a rule set with another authority table."""
        return replace(self, authority=table)

    def with_checklists(self, table: ChecklistTable) -> RuleSet:
        """Return a rule set with other checklists."""
        return replace(self, checklists=table)

    def with_region(self, table: RegionTable) -> RuleSet:
        """Return a rule set with another region table."""
        return replace(self, region=table)

    def with_validity(self, table: ValidityTable) -> RuleSet:
        """Return a rule set with another validity table."""
        return replace(self, validity=table)

    def versions(self, day: date | None = None) -> dict[str, str]:
        """Return the version label of each table used on ``day``."""
        return {
            "kbli": self.kbli_in_force(day).version,
            "authority": self.authority.version,
            "checklists": self.checklists.version,
            "region": self.region.version,
            "validity": self.validity.version,
        }


T = TypeVar("T")


def _load_table(
    folder: Path,
    manifest: Mapping[str, Any],
    key: str,
    parse: Callable[..., T],
) -> T:
    entry = manifest.get(key)
    if not isinstance(entry, Mapping):
        raise RuleTableError(f"the manifest has no object {key!r}", source=MANIFEST)
    try:
        file_name = str(entry["file"])
        version = str(entry["version"])
        effective_from = date.fromisoformat(str(entry["effective_from"]))
    except KeyError as exc:
        raise RuleTableError(f"{key}: missing key {exc.args[0]!r}", source=MANIFEST) from exc
    except ValueError as exc:
        raise RuleTableError(
            f"{key}: effective_from is not a YYYY-MM-DD date", source=MANIFEST
        ) from exc
    path = folder / file_name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleTableError(f"cannot read the file ({exc.strerror})", source=file_name) from exc
    return parse(data, version=version, effective_from=effective_from, source=file_name)


def _parameters(manifest: Mapping[str, Any]) -> RuleParameters:
    raw = manifest.get("parameters", {})
    if not isinstance(raw, Mapping):
        raise RuleTableError("parameters must be an object", source=MANIFEST)
    known = set(RuleParameters.__dataclass_fields__)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RuleTableError(f"unknown parameters: {', '.join(unknown)}", source=MANIFEST)
    try:
        return RuleParameters(
            ocr_confidence_min=float(raw.get("ocr_confidence_min", 0.8)),
            min_age=int(raw.get("min_age", 17)),
            max_age=int(raw.get("max_age", 110)),
        )
    except (TypeError, ValueError) as exc:
        raise RuleTableError(f"bad parameter value: {exc}", source=MANIFEST) from exc


def load_rules(folder: Path | None = None) -> RuleSet:
    """Load a rule set from ``folder`` (None: the defaults shipped in validator/data/)."""
    folder = DEFAULT_FOLDER if folder is None else folder
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleTableError(f"cannot read the manifest ({exc.strerror})", source=MANIFEST) from exc
    except json.JSONDecodeError as exc:
        raise RuleTableError(f"bad JSON: {exc.msg}", source=MANIFEST, line=exc.lineno) from exc
    if not isinstance(manifest, Mapping):
        raise RuleTableError("the manifest must be a JSON object", source=MANIFEST)
    return RuleSet(
        kbli_versions=(_load_table(folder, manifest, "kbli", parse_kbli_csv),),
        authority=_load_table(folder, manifest, "authority", parse_authority_table),
        checklists=_load_table(folder, manifest, "checklists", parse_checklists),
        region=_load_table(folder, manifest, "region", parse_region_table),
        validity=_load_table(folder, manifest, "validity", parse_validity_table),
        parameters=_parameters(manifest),
    )
