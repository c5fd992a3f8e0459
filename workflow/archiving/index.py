"""Retrieval through the database's index of archived dossiers (archive/ serves by key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from workflow.db.engine import transaction
from workflow.db.models import Application, ArchiveEntry
from workflow.errors import NotFound
from workflow.runtime import Runtime


def find_archived(
    rt: Runtime,
    *,
    permit_number: str | None = None,
    nib: str | None = None,
    application_id: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of archived dossiers matching the filters, and the total."""
    query = select(Application).where(Application.archived_at.is_not(None))
    if permit_number:
        query = query.where(Application.permit_number == permit_number)
    if nib:
        query = query.where(Application.nib == nib)
    if application_id:
        query = query.where(Application.id == application_id)
    with transaction(rt.sessions) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        applications = session.scalars(
            query.order_by(Application.archived_at.desc()).offset(offset).limit(limit)
        ).all()
        items = []
        for application in applications:
            entries = session.scalars(
                select(ArchiveEntry)
                .where(ArchiveEntry.application_id == application.id)
                .order_by(ArchiveEntry.key)
            ).all()
            items.append(
                {
                    "application_id": application.id,
                    "permit_number": application.permit_number,
                    "nib": application.nib,
                    "nama_usaha": application.data.get("nama_usaha"),
                    "archived_at": application.archived_at,
                    "objects": [
                        {
                            "id": e.id,
                            "key": e.key,
                            "role": e.role,
                            "sha256": e.sha256,
                            "size": e.size,
                            "version_id": e.version_id,
                            "status": e.status,
                        }
                        for e in entries
                    ],
                }
            )
    return items, total


def archived_object(rt: Runtime, entry_id: int) -> ArchiveEntry:
    """Return one written archive index row, or raise NotFound."""
    with transaction(rt.sessions) as session:
        entry = session.get(ArchiveEntry, entry_id)
        if entry is None or entry.status != "written":
            raise NotFound(f"archived object {entry_id} not found")
        return entry
