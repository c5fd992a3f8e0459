"""The workflow's service API: what the HTTP routes and the CLI call, in views.

Each function takes the runtime, opens the transactions it needs and hands back frozen views
(:mod:`workflow.views`), never ORM rows; the callers hold no SQL and no transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from workflow.archiving import fixity, index
from workflow.checking.read_values import read_values
from workflow.db.engine import transaction
from workflow.db.models import Application, Document, TransitionRecord
from workflow.decisions import steps
from workflow.errors import NotFound
from workflow.intake import applications
from workflow.signing import request
from workflow.sop.states import State, events_from
from workflow.sop.timeline import step_times
from workflow.views import (
    AlertView,
    ApplicationPage,
    ApplicationView,
    ArchivedFile,
    DocumentDetailView,
    DocumentView,
    ProducedFile,
    TransitionView,
)

if TYPE_CHECKING:
    from workflow.intake.schema import ApplicationData
    from workflow.runtime import Runtime
    from workflow.signing.consent import Consent
    from workflow.sop.transitions import Actor

PRODUCED_FILES: dict[str, tuple[str, str]] = {
    "permit": ("signed_permit_sha256", "sertifikat-standar"),
    "draft-permit": ("draft_permit_sha256", "draf-sertifikat-standar"),
    "bap": ("bap_sha256", "berita-acara-pemeriksaan"),
    "pertimbangan-teknis": ("pertimbangan_sha256", "pertimbangan-teknis"),
}
"""The PDFs Pintu produces, by download name: (column, file name stem)."""


def _document_view(document: Document) -> DocumentView:
    return DocumentView(
        id=document.id,
        file_name=document.file_name,
        content_type=document.content_type,
        sha256=document.sha256,
        size=document.size,
        uploaded_at=document.uploaded_at,
        extraction_status=document.extraction_status,
        page_count=document.page_count,
        pages_done=document.pages_done or 0,
        doc_type=document.doc_type,
        extraction_error=document.extraction_error,
    )


def _transition_view(record: TransitionRecord) -> TransitionView:
    return TransitionView(
        event=record.event,
        from_state=record.from_state,
        to_state=record.to_state,
        actor_id=record.actor_id,
        actor_role=record.actor_role,
        note=record.note,
        at=record.at,
    )


def _application_view(application: Application) -> ApplicationView:
    produced = {
        name: sha
        for name, sha in (
            ("bap", application.bap_sha256),
            ("pertimbangan_teknis", application.pertimbangan_sha256),
            ("draft_permit", application.draft_permit_sha256),
            ("permit", application.signed_permit_sha256),
        )
        if sha
    }
    return ApplicationView(
        id=application.id,
        state=application.state,
        data=dict(application.data),
        nib=application.nib,
        permit_number=application.permit_number,
        verdict=application.verdict,
        findings=application.findings,
        signing_error=application.signing_error,
        signed_at=application.signed_at,
        archived_at=application.archived_at,
        created_at=application.created_at,
        documents=tuple(_document_view(d) for d in application.documents),
        transitions=tuple(_transition_view(t) for t in application.transitions),
        next_events=tuple(t.event for t in events_from(State(application.state))),
        timeline=tuple(step_times(application.transitions, now=datetime.now(UTC))),
        produced=produced,
        read_values={path: value.to_json() for path, value in read_values(application).items()},
        confirmed_values=dict(application.confirmed_values or {}),
    )


def get_application(rt: Runtime, application_id: str) -> ApplicationView:
    """Return one application with its documents, findings and audit trail."""
    with transaction(rt.sessions) as session:
        return _application_view(applications.get_application(session, application_id))


def list_applications(
    rt: Runtime, *, state: str | None = None, offset: int = 0, limit: int = 50
) -> ApplicationPage:
    """Return one page of applications, newest first."""
    with transaction(rt.sessions) as session:
        rows, total = applications.list_applications(
            session, state=state, offset=offset, limit=limit
        )
        items = tuple(_application_view(r) for r in rows)
    return ApplicationPage(items=items, total=total, offset=offset, limit=limit)


def create_application(rt: Runtime, actor: Actor, data: ApplicationData) -> ApplicationView:
    """Open an application in state ``draft`` with the declared data."""
    created = applications.create_application(rt, actor, data)
    return get_application(rt, created.id)


def upload_document(
    rt: Runtime, actor: Actor, application_id: str, file_name: str, data: bytes
) -> DocumentView:
    """Store one requirement document (its type is sniffed from the bytes)."""
    return _document_view(applications.upload_document(rt, actor, application_id, file_name, data))


def get_document(rt: Runtime, application_id: str, document_id: str) -> DocumentDetailView:
    """Return one document of an application with its extraction and signature report."""
    with transaction(rt.sessions) as session:
        application = applications.get_application(session, application_id)
        for document in application.documents:
            if document.id == document_id:
                view = _document_view(document)
                return DocumentDetailView(
                    **{f: getattr(view, f) for f in DocumentView.__dataclass_fields__},
                    extraction=document.extraction,
                    signature_report=document.signature_report,
                )
    raise NotFound(f"document {document_id} not in application {application_id}")


def take_step(
    rt: Runtime,
    actor: Actor,
    application_id: str,
    event: str,
    *,
    note: str | None = None,
    confirm: Sequence[str] = (),
) -> ApplicationView:
    """Take one SOP step and return the application as it stands after it.

    ``confirm`` goes with ``approve_technical``: the read values the Tim Teknis confirms.
    """
    steps.take_step(rt, actor, application_id, event, note=note, confirm=confirm)
    return get_application(rt, application_id)


def sign_permit(
    rt: Runtime, actor: Actor, application_id: str, consent: str | Consent
) -> ApplicationView:
    """Sign the permit with the consent of this request; return the application."""
    request.sign_permit(rt, actor, application_id, consent)
    return get_application(rt, application_id)


def produced_file(rt: Runtime, application_id: str, name: str) -> ProducedFile:
    """Return a PDF Pintu produced: permit, draft-permit, bap or pertimbangan-teknis."""
    if name not in PRODUCED_FILES:
        raise NotFound(f"no file {name!r}; known: {', '.join(PRODUCED_FILES)}")
    column, stem = PRODUCED_FILES[name]
    with transaction(rt.sessions) as session:
        application = applications.get_application(session, application_id)
        sha256 = getattr(application, column)
        label = application.permit_number or application.id
    if sha256 is None:
        raise NotFound(f"{name} of application {application_id} not produced yet")
    return ProducedFile(rt.documents.get(sha256), f"{stem}-{label}.pdf")


def archived_file(rt: Runtime, entry_id: int) -> ArchivedFile:
    """Return one archived version: a presigned URL where S3 serves it, else the bytes."""
    entry = index.archived_object(rt, entry_id)
    name = entry.key.rsplit("/", 1)[-1]
    url = rt.archive.presigned_get_url(entry.key, entry.version_id, timedelta(minutes=5))
    if url is not None:
        return ArchivedFile(name, url, None)
    return ArchivedFile(name, None, rt.archive.get(entry.key, entry.version_id))


def find_archived(
    rt: Runtime,
    *,
    permit_number: str | None = None,
    nib: str | None = None,
    application_id: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    """Return one page of archived dossiers and their objects (newest first)."""
    items, total = index.find_archived(
        rt,
        permit_number=permit_number,
        nib=nib,
        application_id=application_id,
        offset=offset,
        limit=limit,
    )
    return {"items": items, "total": total, "offset": offset, "limit": limit}


def open_alerts(rt: Runtime) -> list[AlertView]:
    """Return the alerts nobody has acknowledged yet, newest first."""
    return [
        AlertView(a.id, a.kind, a.severity, a.subject, a.detail, a.created_at)
        for a in fixity.open_alerts(rt)
    ]


def metrics(rt: Runtime) -> dict[str, int]:
    """Return the counters exported at /metrics."""
    return fixity.metrics(rt)


def check_database(rt: Runtime) -> None:
    """Answer only when the database answers (readiness)."""
    with rt.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
