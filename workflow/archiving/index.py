"""The database's index of archived dossiers: rows claimed before each write, and retrieval.

``archive/`` itself serves by key only; staff find dossiers through these rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import archive
from workflow.db.engine import transaction
from workflow.db.models import Application, ArchiveEntry
from workflow.decisions.permit import permit_values
from workflow.errors import NotFound

if TYPE_CHECKING:
    from workflow.runtime import Runtime

PERMIT_FILE = "permit.pdf"
ROLES = {PERMIT_FILE: "permit", archive.MANIFEST_NAME: "manifest"}


class DatabaseArchiveIndex:
    """The archive index as database rows: one unique row per key, claimed before the write."""

    def __init__(self, sessions: sessionmaker[Session], application_id: str) -> None:
        self._sessions = sessions
        self._application_id = application_id

    def claim(self, key: str, sha256: str) -> archive.IndexEntry:
        """Create the row for ``key`` if missing (its own transaction) and return it."""
        fresh = True
        try:
            with transaction(self._sessions) as session:
                session.add(
                    ArchiveEntry(
                        application_id=self._application_id,
                        key=key,
                        role=_role(key),
                        sha256=sha256,
                    )
                )
        except IntegrityError:
            fresh = False  # claimed before: by an earlier try, or by another worker right now
        with transaction(self._sessions) as session:
            row = session.scalar(select(ArchiveEntry).where(ArchiveEntry.key == key))
            assert row is not None
            if row.status != "written" and row.sha256 != sha256:
                row.sha256 = sha256
            return archive.IndexEntry(
                key=row.key,
                sha256=row.sha256 or sha256,
                written=row.status == "written",
                version_id=row.version_id,
                fresh=fresh,
            )

    def mark_written(self, key: str, sha256: str, version_id: str | None) -> None:
        """Record that ``key`` holds ``sha256`` as ``version_id``."""
        with transaction(self._sessions) as session:
            row = session.scalar(select(ArchiveEntry).where(ArchiveEntry.key == key))
            assert row is not None
            row.status = "written"
            row.sha256 = sha256
            row.version_id = version_id
            row.written_at = datetime.now(UTC)


def _role(key: str) -> str:
    return ROLES.get(key.rsplit("/", 1)[-1], "file")


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
                    "nama_usaha": permit_values(application).nama_usaha,
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
