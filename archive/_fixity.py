"""Fixity audit: re-read archived versions and compare them with what the manifest recorded.

The check returns one result per target with a severity instead of raising (an unreachable
store becomes ``UNREACHABLE`` results); ``workflow/`` schedules it, records the results and
raises the alerts. ``select_for_audit`` picks what a run checks: everything not checked within
the cycle plus a random sample of the rest.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from archive._keys import sha256_hex
from archive._store import ArchiveStore
from archive.errors import ObjectNotFound, StorageMisconfigured, StorageUnavailable


class Severity(StrEnum):
    """How bad a result is: OK, WARNING (could not check), ERROR (loss or change)."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


class FixityStatus(StrEnum):
    """What the audit found for one archived version (worst first when several apply)."""

    MISSING = "missing"
    MISMATCH = "mismatch"
    DELETE_MARKER = "delete_marker"
    UNEXPECTED_VERSION = "unexpected_version"
    UNREACHABLE = "unreachable"
    INTACT = "intact"

    @property
    def severity(self) -> Severity:
        """Severity of this finding."""
        if self is FixityStatus.INTACT:
            return Severity.OK
        if self is FixityStatus.UNREACHABLE:
            return Severity.WARNING
        return Severity.ERROR


_ORDER = list(FixityStatus)


@dataclass(frozen=True, slots=True)
class FixityTarget:
    """One archived version and the SHA-256 its manifest recorded."""

    key: str
    version_id: str | None
    sha256: str


@dataclass(frozen=True, slots=True)
class FixityResult:
    """The audit's finding for one target."""

    target: FixityTarget
    status: FixityStatus
    """The worst of ``problems`` (INTACT when there are none)."""
    problems: tuple[FixityStatus, ...]
    actual_sha256: str | None
    detail: str
    """English, for logs and the alert row; ids and digests only."""
    checked_at: datetime

    @property
    def severity(self) -> Severity:
        """Severity of the worst finding."""
        return self.status.severity


def _check(store: ArchiveStore, target: FixityTarget, now: datetime) -> FixityResult:
    problems: list[FixityStatus] = []
    notes: list[str] = []
    versions = store.list_versions(target.key)
    markers = [v for v in versions if v.is_delete_marker]
    others = [v for v in versions if not v.is_delete_marker and v.version_id != target.version_id]
    if markers:
        problems.append(FixityStatus.DELETE_MARKER)
        notes.append(f"{len(markers)} delete marker(s)")
    if others:
        problems.append(FixityStatus.UNEXPECTED_VERSION)
        notes.append("unexpected version(s) " + ", ".join(str(v.version_id) for v in others))
    actual: str | None = None
    try:
        actual = sha256_hex(store.get(target.key, target.version_id, verify=False))
    except ObjectNotFound:
        problems.append(FixityStatus.MISSING)
        notes.append(f"version {target.version_id} not found")
    if actual is not None and actual != target.sha256:
        problems.append(FixityStatus.MISMATCH)
        notes.append(f"sha256 {actual} instead of {target.sha256}")
    problems.sort(key=_ORDER.index)
    status = problems[0] if problems else FixityStatus.INTACT
    detail = "; ".join(notes) or "intact"
    return FixityResult(target, status, tuple(problems), actual, detail, now)


def audit_fixity(
    store: ArchiveStore, targets: Iterable[FixityTarget], *, now: datetime | None = None
) -> list[FixityResult]:
    """Re-read each target version, check its SHA-256 and the key's history; never raises.

    Once the store is unreachable, the remaining targets are reported UNREACHABLE unchecked.
    """
    checked_at = now or datetime.now(UTC)
    results: list[FixityResult] = []
    outage: str | None = None
    for target in targets:
        if outage is None:
            try:
                results.append(_check(store, target, checked_at))
                continue
            except (StorageUnavailable, StorageMisconfigured) as exc:
                outage = f"not checked: store unreachable ({exc.message})"
        unreachable = FixityStatus.UNREACHABLE
        results.append(FixityResult(target, unreachable, (unreachable,), None, outage, checked_at))
    return results


@dataclass(frozen=True, slots=True)
class AuditCandidate:
    """An archived version and when the audit last checked it (None: never)."""

    target: FixityTarget
    last_checked: datetime | None


@dataclass(frozen=True, slots=True)
class AuditSelection:
    """What one audit run checks and why."""

    due: tuple[AuditCandidate, ...]
    """Not checked within the cycle, oldest first."""
    sampled: tuple[AuditCandidate, ...]
    """Random sample of the others."""

    @property
    def targets(self) -> tuple[FixityTarget, ...]:
        """Every selected target, due ones first."""
        return tuple(c.target for c in (*self.due, *self.sampled))


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def select_for_audit(
    candidates: Sequence[AuditCandidate],
    *,
    now: datetime,
    cycle: timedelta = timedelta(days=30),
    sample_fraction: float = 0.01,
    sample_minimum: int = 20,
    rng: random.Random | None = None,
) -> AuditSelection:
    """Pick the versions due within ``cycle`` plus a random sample (a fraction, at least a minimum).

    Naive datetimes (as SQLite returns them) are taken as UTC.
    """
    oldest_allowed = _utc(now) - cycle
    never = datetime.min.replace(tzinfo=UTC)

    def last(candidate: AuditCandidate) -> datetime:
        return never if candidate.last_checked is None else _utc(candidate.last_checked)

    due = [c for c in candidates if last(c) <= oldest_allowed]
    due.sort(key=last)
    due_ids = {id(c) for c in due}
    rest = [c for c in candidates if id(c) not in due_ids]
    size = min(len(rest), max(sample_minimum, math.ceil(sample_fraction * len(candidates))))
    sampled = (rng or random.SystemRandom()).sample(rest, size)
    return AuditSelection(tuple(due), tuple(sampled))
