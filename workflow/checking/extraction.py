"""Step 3, automated: extract every requirement document, then run the Tim Teknis's rules."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import ocr
import signer
import validator
from common.errors import CallerError
from workflow.checking import mapping
from workflow.db.engine import transaction
from workflow.db.models import Application, Document, DocumentPage
from workflow.intake.applications import Actor, apply_transition, get_application
from workflow.runtime import Runtime
from workflow.sop.states import State
from workflow.staff.accounts import system_user

log = logging.getLogger(__name__)


def system_actor(rt: Runtime) -> Actor:
    """Return the actor that records Pintu's own steps."""
    with transaction(rt.sessions) as session:
        return Actor.of(system_user(session))


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
        info = ocr.open_document(rt.documents.get(sha256))
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
            page = ocr.read_page(rt.documents.get(sha256), number)
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
        signatures = signer.verify_pdf(rt.documents.get(sha256), rt.signing.trust).to_dict()
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


def run_checks(rt: Runtime, application_id: str, *, today: date | None = None) -> str | None:
    """Run every rule on the application's documents; take ``checks_done``. Idempotent."""
    actor = system_actor(rt)
    rules = rt.rules.get()
    try:
        with transaction(rt.sessions) as session:
            application = get_application(session, application_id)
            if application.state != State.CHECKING.value:
                return application.verdict
            if any(d.extraction_status == "pending" for d in application.documents):
                return None
            report = check_application(application, rules, today=today or date.today())
            application.findings = report.to_dict()
            application.verdict = report.verdict
            _complete_declared_data(application)
            apply_transition(session, application, "checks_done", actor)
            log.info("application %s checked: %s", application_id, report.verdict)
            return report.verdict
    except StaleDataError:
        log.info("application %s was checked concurrently; keeping that result", application_id)
        return None


def check_application(
    application: Application, rules: validator.RuleSet, *, today: date
) -> validator.Report:
    """Return validator's report on one application as it stands."""
    documents = mapping.evidences(application.documents)
    failed = [d for d in application.documents if d.extraction_status == "failed"]
    report = validator.check(mapping.declared(application), documents, rules, today=today)
    if not failed:
        return report
    unreadable = [
        validator.Finding(
            rule_id="dokumen.tidak_terbaca",
            severity="blocking",
            message=f"Dokumen {d.file_name} tidak dapat dibaca; unggah ulang berkas yang jelas.",
            evidence=(validator.Evidence(document_id=d.id, page=None, field=None, value=None),),
        )
        for d in failed
    ]
    return validator.Report.from_findings([*report.findings, *unreadable])


def _complete_declared_data(application: Application) -> None:
    """Fill what the applicant did not declare from what the documents say (never overwrite)."""
    data = dict(application.data)
    by_type: dict[str, dict[str, Any]] = {}
    for document in application.documents:
        if document.extraction and document.doc_type:
            by_type.setdefault(document.doc_type, document.extraction.get("fields", {}))

    def value(doc_type: str, field: str) -> Any:
        raw = by_type.get(doc_type, {}).get(field)
        return raw["value"] if raw else None

    if not data.get("nib") and (nib := value("nib", "nib")):
        data["nib"] = nib
    if not data.get("nama_usaha") and (nama_usaha := value("nib", "nama_usaha")):
        data["nama_usaha"] = nama_usaha
    if not data.get("kbli") and (codes := value("nib", "kbli")):
        titles = value("nib", "kbli_judul") or [None] * len(codes)
        data["kbli"] = [
            {"kode": c, "judul": t or None} for c, t in zip(codes, titles, strict=False)
        ]
    pemilik = dict(data.get("pemilik", {}))
    if not pemilik.get("nama") and (nama := value("ktp", "nama")):
        pemilik["nama"] = nama
    if not pemilik.get("nik") and (nik := value("ktp", "nik")):
        pemilik["nik"] = nik
    if pemilik:
        data["pemilik"] = pemilik
    application.data = data
    application.nib = data.get("nib")


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
