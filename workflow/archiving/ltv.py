"""LTV upkeep: a new document timestamp on archived permits before their last one expires.

Each upkeep appends an incremental update (revocation data and a document timestamp), so every
earlier revision stays a byte prefix of the new file and the copy the applicant downloaded keeps
verifying. The new revision is archived under new keys with a manifest that names the one before;
nothing archived is ever rewritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

import archive
import signer
from workflow.archiving.dossier import dossier_prefix
from workflow.archiving.index import PERMIT_FILE, DatabaseArchiveIndex
from workflow.db.engine import transaction
from workflow.db.models import Application, ArchiveEntry
from workflow.sop.states import State

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UpkeepResult:
    """One permit that got a new revision."""

    application_id: str
    revision: int
    key: str
    previous_expiry: datetime | None


def _latest_permit(session: Session, application_id: str) -> tuple[ArchiveEntry, ArchiveEntry]:
    """Return the newest archived permit revision and the newest manifest."""
    entries = session.scalars(
        select(ArchiveEntry)
        .where(ArchiveEntry.application_id == application_id, ArchiveEntry.status == "written")
        .order_by(ArchiveEntry.id)
    ).all()
    permits = [e for e in entries if e.role == "permit"]
    manifests = [e for e in entries if e.role == "manifest"]
    return permits[-1], manifests[-1]


def ltv_upkeep(
    rt: Runtime, *, margin: timedelta = timedelta(days=180), now: datetime | None = None
) -> list[UpkeepResult]:
    """Extend every archived permit whose last timestamp expires within ``margin``."""
    timestamps = rt.signing.timestamps
    if timestamps is None:
        log.warning("LTV upkeep skipped: no timestamp authority configured")
        return []
    now = now or datetime.now(UTC)
    with transaction(rt.sessions) as session:
        archived = session.scalars(
            select(Application.id).where(Application.state == State.ARCHIVED.value)
        ).all()
    results = []
    for application_id in archived:
        result = _upkeep_one(rt, timestamps, application_id, margin=margin, now=now)
        if result is not None:
            results.append(result)
    log.info("LTV upkeep: %d permits extended", len(results))
    return results


def _upkeep_one(
    rt: Runtime,
    timestamps: signer.TimestampConfig,
    application_id: str,
    *,
    margin: timedelta,
    now: datetime,
) -> UpkeepResult | None:
    with transaction(rt.sessions) as session:
        permit, manifest = _latest_permit(session, application_id)
        application = session.get(Application, application_id)
        assert application is not None
        prefix = dossier_prefix(application)
        revision = sum(
            1
            for e in session.scalars(
                select(ArchiveEntry).where(ArchiveEntry.application_id == application_id)
            )
            if e.role == "permit"
        )
        labels = {
            "application_id": application_id,
            "permit_number": application.permit_number or "",
            "nib": application.nib or "",
            "previous_manifest": manifest.key,
            "previous_manifest_version": manifest.version_id or "",
        }
    current = rt.archive.get(permit.key, permit.version_id)
    expiry = signer.last_timestamp_expiry(current)
    if expiry is not None and expiry - now > margin:
        return None
    extended, _ = signer.extend_to_lta(current, rt.signing.trust, timestamps)
    if not extended.startswith(current):
        raise signer.SignatureNotValid("LTV upkeep did not append to the archived revision")
    revision_prefix = f"{prefix}/revisi-{revision + 1:02d}"
    receipt = archive.archive_dossier(
        rt.archive,
        DatabaseArchiveIndex(rt.sessions, application_id),
        revision_prefix,
        [archive.DossierFile(PERMIT_FILE, extended, "application/pdf")],
        rt.retention,
        labels=labels,
    )
    key = receipt.objects[0].key
    log.info("application %s: permit revision %d archived", application_id, revision + 1)
    return UpkeepResult(application_id, revision + 1, key, expiry)
