"""Step 3, automated, first half: read every requirement document, page by page.

Each function is one idempotent unit of work (a Celery task, or a call of the in-process jobs):
open a document and plan its pages, read one page and store it, and assemble the document once
its last page is stored. A document that cannot be opened, or a page that cannot be read, is
recorded with its reason: a finding for the Tim Teknis, not a failed application.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import ocr
import signer
from common.errors import CallerError
from workflow.checking import mapping
from workflow.db.engine import transaction
from workflow.db.models import Document, DocumentPage

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractionPlan:
    """What is left to read of one document: the pages to queue (none when it is finished)."""

    application_id: str
    pages: tuple[int, ...]


def plan_extraction(rt: Runtime, document_id: str) -> ExtractionPlan | None:
    """Open a document, record its page count and return the pages still to read.

    A document that cannot be opened (encrypted, corrupt, over a cap) is recorded as failed with
    its reason: a finding for the Tim Teknis, not a failed application.
    """
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        if document is None:
            log.warning("document %s vanished before extraction", document_id)
            return None
        application_id = document.application_id
        if document.extraction_status != "pending":
            return ExtractionPlan(application_id, ())
        sha256 = document.sha256
        read = set(
            session.scalars(
                select(DocumentPage.number).where(DocumentPage.document_id == document_id)
            )
        )
    try:
        info = ocr.open_document(rt.uploads.get(sha256), rt.ocr_limits)
    except CallerError as exc:
        _record_failure(rt, document_id, f"{exc.code}: {exc.message}")
        return ExtractionPlan(application_id, ())
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        assert document is not None
        document.page_count = info.page_count
    return ExtractionPlan(
        application_id, tuple(n for n in range(1, info.page_count + 1) if n not in read)
    )


def read_page(rt: Runtime, document_id: str, number: int, *, give_up: str | None = None) -> bool:
    """Read one page and store it (idempotent); return True when it completed the document.

    With ``give_up`` (the reason, e.g. the task's time limit) the page is stored as unreadable
    without reading it: a finding for the Tim Teknis, not a stuck application.
    """
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        if document is None or document.extraction_status != "pending":
            return False
        sha256 = document.sha256
        exists = session.scalar(
            select(DocumentPage.id).where(
                DocumentPage.document_id == document_id, DocumentPage.number == number
            )
        )
    if exists is None:
        if give_up is None:
            page = ocr.read_page(rt.uploads.get(sha256), number, rt.ocr_limits)
        else:
            page = ocr.PageText(number, "ocr", 0.0, 0.0, unreadable=True, reason=give_up)
        try:
            with transaction(rt.sessions) as session:
                session.add(
                    DocumentPage(document_id=document_id, number=number, result=page.to_json())
                )
                document = session.get(Document, document_id)
                assert document is not None
                document.pages_done = (document.pages_done or 0) + 1
        except IntegrityError:
            log.info("page %d of %s was read twice; keeping the first", number, document_id)
    return _assemble_when_complete(rt, document_id)


def _assemble_when_complete(rt: Runtime, document_id: str) -> bool:
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        assert document is not None
        # Counted first: loading every stored page after each page made a long scan quadratic.
        stored = session.scalar(
            select(func.count())
            .select_from(DocumentPage)
            .where(DocumentPage.document_id == document_id)
        )
        if document.page_count is None or (stored or 0) < document.page_count:
            return False
        rows = session.scalars(
            select(DocumentPage)
            .where(DocumentPage.document_id == document_id)
            .order_by(DocumentPage.number)
        ).all()
        pages = [ocr.PageText.from_json(row.result) for row in rows]
        sha256 = document.sha256
        mime = document.content_type
    extraction = ocr.assemble(sha256, mime, pages)
    signatures = None
    if mime == "application/pdf":
        signatures = signer.verify_pdf(rt.uploads.get(sha256), rt.signing.trust).to_dict()
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        assert document is not None
        if document.extraction_status != "pending":
            return False  # another page task finished it first
        document.extraction = mapping.extraction_to_json(extraction)
        document.signature_report = signatures
        document.doc_type = extraction.doc_type
        document.extraction_status = "done"
    log.info("document %s extracted (%d pages)", document_id, len(pages))
    return True


def _record_failure(rt: Runtime, document_id: str, error: str) -> None:
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        assert document is not None
        document.extraction_error = error
        document.extraction_status = "failed"
    log.info("document %s could not be read: %s", document_id, error.split(":", 1)[0])


def application_ready_for_checks(rt: Runtime, application_id: str) -> bool:
    """Return whether no document of the application is still waiting to be read."""
    with transaction(rt.sessions) as session:
        pending = session.scalar(
            select(Document.id).where(
                Document.application_id == application_id,
                Document.extraction_status == "pending",
            )
        )
    return pending is None


def documents_pending(rt: Runtime, application_id: str) -> list[str]:
    """Return the ids of the application's documents still waiting for extraction."""
    with transaction(rt.sessions) as session:
        return list(
            session.scalars(
                select(Document.id).where(
                    Document.application_id == application_id,
                    Document.extraction_status == "pending",
                )
            )
        )


def application_of(rt: Runtime, document_id: str) -> str | None:
    """Return the id of the application a document belongs to (None: it is gone)."""
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        return document.application_id if document else None
