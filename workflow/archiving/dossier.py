"""Step 8: the signed permit and its dossier into the locked archive, via the archive index."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

import archive
from workflow.archiving.index import PERMIT_FILE, DatabaseArchiveIndex
from workflow.db.engine import transaction
from workflow.db.models import Application, ArchiveEntry
from workflow.intake.applications import get_application
from workflow.sop.states import State
from workflow.sop.transitions import apply_transition
from workflow.staff.accounts import system_actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode()


def dossier_files(rt: Runtime, application: Application) -> list[archive.DossierFile]:
    """Collect the dossier as stored (never re-rendered: a retry sees the same bytes)."""
    pdf = "application/pdf"
    files = [
        archive.DossierFile(
            PERMIT_FILE, rt.documents.get(application.signed_permit_sha256 or ""), pdf
        )
    ]
    for name, sha256 in (
        ("berita-acara-pemeriksaan.pdf", application.bap_sha256),
        ("pertimbangan-teknis.pdf", application.pertimbangan_sha256),
    ):
        if sha256:
            files.append(archive.DossierFile(name, rt.documents.get(sha256), pdf))
    for number, document in enumerate(application.documents, start=1):
        stem = f"persyaratan/{number:02d}-{document.id[:8]}"
        extension = document.content_type.rsplit("/", 1)[-1]
        files.append(
            archive.DossierFile(
                f"{stem}.{extension}", rt.documents.get(document.sha256), document.content_type
            )
        )
        if document.extraction is not None:
            files.append(
                archive.DossierFile(
                    f"{stem}.ekstraksi.json", _json(document.extraction), "application/json"
                )
            )
    files.append(
        archive.DossierFile("temuan.json", _json(application.findings), "application/json")
    )
    trail = [
        {
            "event": t.event,
            "from": t.from_state,
            "to": t.to_state,
            "actor_id": t.actor_id,
            "role": t.actor_role,
            "at": t.at.isoformat(),
            "note": t.note,
        }
        for t in application.transitions
        if t.to_state != State.ARCHIVED.value
    ]
    files.append(archive.DossierFile("jejak-audit.json", _json(trail), "application/json"))
    data = dict(application.data)
    files.append(archive.DossierFile("data-permohonan.json", _json(data), "application/json"))
    if application.confirmed_values:  # read from the documents, confirmed by the Tim Teknis
        confirmed = _json(application.confirmed_values)
        files.append(archive.DossierFile("nilai-dikonfirmasi.json", confirmed, "application/json"))
    return files


def dossier_prefix(application: Application) -> str:
    """Return the dossier's key prefix: year of signing / permit number."""
    signed = application.signed_at or datetime.now(UTC)
    return f"{signed:%Y}/{application.permit_number}"


def archive_permit(rt: Runtime, application_id: str) -> archive.DossierReceipt | None:
    """Archive the signed permit's dossier and take ``archive``; a repeat stores nothing new."""
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        if application.state not in (State.SIGNED.value, State.ARCHIVED.value):
            log.warning(
                "application %s is %s: nothing to archive", application_id, application.state
            )
            return None
        files = dossier_files(rt, application)
        prefix = dossier_prefix(application)
        labels = {
            "application_id": application.id,
            "permit_number": application.permit_number or "",
            "nib": application.nib or "",
        }
    receipt = archive.archive_dossier(
        rt.archive,
        DatabaseArchiveIndex(rt.sessions, application_id),
        prefix,
        files,
        rt.retention,
        labels=labels,
    )
    actor = system_actor(rt)
    sizes = {o.key: o.size for o in (*receipt.objects, receipt.manifest_object)}
    with transaction(rt.sessions) as session:
        for row in session.scalars(
            select(ArchiveEntry).where(ArchiveEntry.application_id == application_id)
        ):
            row.size = sizes.get(row.key, row.size)
        application = get_application(session, application_id)
        if application.state == State.SIGNED.value:
            application.archived_at = datetime.now(UTC)
            apply_transition(session, application, "archive", actor)
    log.info(
        "application %s archived under %s (%d files, %d already there)",
        application_id,
        prefix,
        len(receipt.objects),
        receipt.reused,
    )
    return receipt


def signed_not_archived(rt: Runtime, *, older_than: timedelta = timedelta(minutes=2)) -> list[str]:
    """Return the ids of permits signed a while ago whose archiving has not completed."""
    cutoff = datetime.now(UTC) - older_than
    with transaction(rt.sessions) as session:
        return list(
            session.scalars(
                select(Application.id).where(
                    Application.state == State.SIGNED.value, Application.signed_at < cutoff
                )
            )
        )
