"""Step 3, automated: extract every requirement document, then run the Tim Teknis's rules."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

import ocr
import signer
import validator
from common.errors import CallerError
from workflow import mapping
from workflow.applications import Actor, apply_transition, get_application
from workflow.db import transaction
from workflow.models import Application, Document
from workflow.runtime import Runtime
from workflow.states import State
from workflow.users import system_user

log = logging.getLogger(__name__)


def system_actor(rt: Runtime) -> Actor:
    """Return the actor that records Pintu's own steps."""
    with transaction(rt.sessions) as session:
        return Actor.of(system_user(session))


def extract_document(rt: Runtime, document_id: str) -> bool:
    """Extract one document (idempotent); return True when its application's documents are done."""
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        if document is None:
            log.warning("document %s vanished before extraction", document_id)
            return False
        application_id = document.application_id
        done = document.extraction_status == "done"
        sha256 = document.sha256
    if not done:
        data = rt.documents.get(sha256)
        try:
            extraction = ocr.extract(data)
        except CallerError as exc:
            _record_extraction(rt, document_id, None, None, f"{exc.code}: {exc.message}")
        else:
            signatures = None
            if extraction.mime == "application/pdf":
                signatures = signer.verify_pdf(data, rt.signing.trust).to_dict()
            _record_extraction(
                rt, document_id, mapping.extraction_to_json(extraction), signatures, None
            )
    with transaction(rt.sessions) as session:
        pending = session.scalar(
            select(Document.id).where(
                Document.application_id == application_id,
                Document.extraction_status == "pending",
            )
        )
    return pending is None


def _record_extraction(
    rt: Runtime,
    document_id: str,
    extraction: dict[str, Any] | None,
    signatures: dict[str, Any] | None,
    error: str | None,
) -> None:
    with transaction(rt.sessions) as session:
        document = session.get(Document, document_id)
        assert document is not None
        document.extraction = extraction
        document.signature_report = signatures
        document.extraction_error = error
        document.doc_type = extraction["doc_type"] if extraction else None
        document.extraction_status = "done" if extraction else "failed"
        log.info("document %s extracted: %s", document_id, document.extraction_status)


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
