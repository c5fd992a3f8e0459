"""The periodic fixity audit (step 8's guarantee): re-read archived versions, record, alert.

The check itself lives in ``archive``; this module picks what is due from the archive index,
records every result, and raises an alert (an error log, a metric and an alert row the API
lists) on mismatch or loss. Celery beat runs it daily (``workflow.tasks``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

import archive
from workflow.db.engine import transaction
from workflow.db.models import Alert, ArchiveEntry, FixityCheck

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)

FIXITY_ALERT = "fixity"


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """What one audit run did."""

    checked: int
    intact: int
    problems: int
    unreachable: int


def run_fixity_audit(
    rt: Runtime,
    *,
    now: datetime | None = None,
    cycle: timedelta = timedelta(days=30),
    sample_fraction: float = 0.01,
    sample_minimum: int = 20,
) -> AuditSummary:
    """Audit what is due within ``cycle`` plus a random sample; record results and alerts."""
    now = now or datetime.now(UTC)
    with transaction(rt.sessions) as session:
        rows = session.scalars(select(ArchiveEntry).where(ArchiveEntry.status == "written")).all()
        candidates = [
            archive.AuditCandidate(
                archive.FixityTarget(row.key, row.version_id, row.sha256 or ""),
                row.last_audited_at,
            )
            for row in rows
        ]
        ids = {(row.key, row.version_id): row.id for row in rows}
    selection = archive.select_for_audit(
        candidates,
        now=now,
        cycle=cycle,
        sample_fraction=sample_fraction,
        sample_minimum=sample_minimum,
    )
    results = archive.audit_fixity(rt.archive, selection.targets, now=now)
    counts = {"intact": 0, "problems": 0, "unreachable": 0}
    with transaction(rt.sessions) as session:
        for result in results:
            entry_id = ids[(result.target.key, result.target.version_id)]
            session.add(
                FixityCheck(
                    entry_id=entry_id,
                    status=result.status.value,
                    severity=result.severity.value,
                    detail=result.detail,
                    actual_sha256=result.actual_sha256,
                    checked_at=result.checked_at,
                )
            )
            entry = session.get(ArchiveEntry, entry_id)
            assert entry is not None
            if result.status is archive.FixityStatus.UNREACHABLE:
                counts["unreachable"] += 1
                continue  # not checked: it stays due
            entry.last_audited_at = result.checked_at
            entry.last_audit_status = result.status.value
            if result.status is archive.FixityStatus.INTACT:
                counts["intact"] += 1
                continue
            counts["problems"] += 1
            log.error(
                "fixity audit: %s version %s is %s (%s)",
                result.target.key,
                result.target.version_id,
                result.status.value,
                result.detail,
            )
            session.add(
                Alert(
                    kind=FIXITY_ALERT,
                    severity=result.severity.value,
                    subject=result.target.key,
                    detail=f"{result.status.value}: {result.detail}",
                )
            )
        if counts["unreachable"]:
            session.add(
                Alert(
                    kind=FIXITY_ALERT,
                    severity="warning",
                    subject=rt.settings.s3_bucket,
                    detail=f"{counts['unreachable']} archived versions could not be checked",
                )
            )
    summary = AuditSummary(
        len(results), counts["intact"], counts["problems"], counts["unreachable"]
    )
    log.info("fixity audit: %s", summary)
    return summary


def open_alerts(rt: Runtime, *, limit: int = 100) -> list[Alert]:
    """Return the alerts nobody has acknowledged yet, newest first."""
    with transaction(rt.sessions) as session:
        return list(
            session.scalars(
                select(Alert)
                .where(Alert.acknowledged_at.is_(None))
                .order_by(Alert.id.desc())
                .limit(limit)
            )
        )


def metrics(rt: Runtime) -> dict[str, int]:
    """Return the counters exported at /metrics."""
    with transaction(rt.sessions) as session:
        alerts = session.scalar(
            select(func.count()).select_from(Alert).where(Alert.acknowledged_at.is_(None))
        )
        failures = session.scalar(
            select(func.count()).select_from(FixityCheck).where(FixityCheck.severity == "error")
        )
        archived = session.scalar(
            select(func.count()).select_from(ArchiveEntry).where(ArchiveEntry.status == "written")
        )
    return {
        "pintu_open_alerts": alerts or 0,
        "pintu_fixity_failures_total": failures or 0,
        "pintu_archived_objects": archived or 0,
    }
