"""Applications as Pintu receives them: create, read, list, and upload requirement documents."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

import ocr
from ocr.errors import refusal
from workflow.db.engine import transaction
from workflow.db.models import Application, Document
from workflow.errors import NotFound, UploadRefused, UploadTooLarge
from workflow.intake.schema import ApplicationData
from workflow.sop.states import UPLOAD_STATES, State
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)

ACCEPTED_UPLOAD_TYPES: frozenset[str] = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "image/tiff", "image/heic"}
)


def create_application(rt: Runtime, actor: Actor, data: ApplicationData) -> Application:
    """Open a new application in state ``draft`` with the declared data."""
    with transaction(rt.sessions) as session:
        application = Application(
            state=State.DRAFT.value,
            data=data.model_dump(mode="json", exclude_none=True),
            nib=data.nib,
            created_by=actor.user_id,
        )
        session.add(application)
        session.flush()
        log.info("application %s created by %s", application.id, actor.user_id)
        return application


def get_application(session: Session, application_id: str) -> Application:
    """Load an application with its documents and audit trail, or raise NotFound."""
    application = session.scalar(
        select(Application)
        .where(Application.id == application_id)
        .options(selectinload(Application.documents), selectinload(Application.transitions))
    )
    if application is None:
        raise NotFound(f"application {application_id} not found")
    return application


def list_applications(
    session: Session, *, state: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[Sequence[Application], int]:
    """Return one page of applications, newest first, and the total count."""
    query = select(Application)
    count = select(func.count()).select_from(Application)
    if state is not None:
        query = query.where(Application.state == state)
        count = count.where(Application.state == state)
    rows = session.scalars(
        query.order_by(Application.created_at.desc()).offset(offset).limit(limit)
    ).all()
    return rows, session.scalar(count) or 0


def upload_document(
    rt: Runtime, actor: Actor, application_id: str, file_name: str, data: bytes
) -> Document:
    """Store one requirement document; the type is sniffed from the bytes, not the name."""
    if not data:
        raise UploadRefused("empty upload", detail_id="Berkas yang diunggah kosong.")
    if len(data) > rt.settings.max_upload_bytes:
        raise UploadTooLarge(
            f"upload of {len(data)} bytes over the limit of {rt.settings.max_upload_bytes}",
            detail_id=(
                f"Berkas terlalu besar ({len(data) // 1024} KiB); batasnya "
                f"{rt.settings.max_upload_bytes // 1024} KiB."
            ),
        )
    mime = ocr.sniff(data)  # raises UnsupportedFileType for anything else
    if mime not in ACCEPTED_UPLOAD_TYPES:
        raise ocr.UnsupportedFileType(f"type {mime} is not accepted for upload")
    # Encrypted, too many pages or frames, a pixel bomb, a broken xref, active content ...:
    # answered here, before anything is stored or queued.
    refused = refusal(ocr.inspect(data, rt.ocr_limits))
    if refused is not None:
        raise refused
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        if State(application.state) not in UPLOAD_STATES:
            raise UploadRefused(
                f"application {application_id} is in state {application.state}",
                detail_id="Dokumen hanya dapat ditambahkan sebelum pemeriksaan dimulai.",
            )
        same = next((d for d in application.documents if d.sha256 == sha256), None)
        if same is not None:
            # The same bytes again (a double click, a retry): the document already there.
            log.info("document %s uploaded again to %s", same.id, application.id)
            return same
        stored = rt.documents.put(data, content_type=mime)
        document = Document(
            application_id=application.id,
            file_name=_safe_name(file_name),
            content_type=mime,
            sha256=stored.sha256,
            size=len(data),
            uploaded_by=actor.user_id,
        )
        session.add(document)
        session.flush()
        log.info("document %s (%s) added to %s", document.id, mime, application.id)
        return document


def _safe_name(file_name: str) -> str:
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in name if ch.isprintable())[:200]
    return cleaned or "dokumen"
