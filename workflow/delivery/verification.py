"""Step 7: anyone can check a permit's signature and compare a file with what was issued."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

import signer
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry
from workflow.decisions.permit import permit_values
from workflow.intake.applications import get_application

if TYPE_CHECKING:
    from workflow.runtime import Runtime

PERMIT_ROLE = "permit"


def verify_pdf_bytes(rt: Runtime, data: bytes) -> dict[str, Any]:
    """Verify every signature of a PDF against the configured trust anchors."""
    rt.signing.refresh()
    return signer.verify_pdf(data, rt.signing.trust).to_dict()


def permit_revisions(rt: Runtime, application_id: str) -> list[dict[str, Any]]:
    """Return every revision of the permit: the signed one and each archived one."""
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        revisions: list[dict[str, Any]] = []
        if application.signed_permit_sha256:
            revisions.append(
                {"where": "document_store", "sha256": application.signed_permit_sha256}
            )
        archived = session.scalars(
            select(ArchiveEntry).where(
                ArchiveEntry.application_id == application_id,
                ArchiveEntry.role == PERMIT_ROLE,
                ArchiveEntry.status == "written",
            )
        )
        for entry in archived:
            revisions.append(
                {
                    "where": "archive",
                    "key": entry.key,
                    "version_id": entry.version_id,
                    "sha256": entry.sha256,
                }
            )
    return revisions


def permit_status(rt: Runtime, application_id: str) -> dict[str, Any]:
    """Return what the public verification page shows of one permit."""
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        values = permit_values(application)
        status: dict[str, Any] = {
            "nomor": application.permit_number,
            "nama_usaha": values.nama_usaha,
            "nib": application.nib,
            "kbli": ", ".join(kode for kode, _ in values.kbli),
            "tahap": application.state,
            "ditandatangani_pada": application.signed_at.isoformat()
            if application.signed_at
            else None,
        }
        sha256 = application.signed_permit_sha256
    if sha256 is None:
        status["status_tanda_tangan"] = "BELUM DITANDATANGANI"
        return status
    rt.signing.refresh()
    report = signer.verify_pdf(rt.documents.get(sha256), rt.signing.trust)
    status["status_tanda_tangan"] = report.status
    status["sha256"] = sha256
    status["signatures"] = report.to_dict().get("signatures", [])
    return status
