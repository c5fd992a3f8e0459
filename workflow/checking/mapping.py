"""Mapping one capability's output into another's input (and to and from the database's JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import ocr
import validator
from workflow.db.models import Application, Document


def extraction_to_json(extraction: ocr.Extraction) -> dict[str, Any]:
    """Return the extraction as stored in the database (the `pintu extract --json` shape)."""
    return extraction.to_json()


def extraction_from_json(data: Mapping[str, Any]) -> ocr.Extraction:
    """Rebuild an extraction from its stored JSON."""
    fields: dict[str, ocr.Field] = {}
    for name, raw in data.get("fields", {}).items():
        value = raw["value"]
        fields[name] = ocr.Field(
            value=tuple(value) if isinstance(value, list) else value,
            confidence=float(raw["confidence"]),
            page=int(raw["page"]),
            bbox=ocr.BoundingBox.from_json(raw["bbox"]) if raw.get("bbox") else None,
            low_confidence=bool(raw.get("low_confidence", False)),
        )
    pages = tuple(
        ocr.PageInfo(
            number=int(p["number"]),
            source=p["source"],
            mean_confidence=float(p["mean_confidence"]),
            unreadable=bool(p.get("unreadable", False)),
            reason=p.get("reason"),
        )
        for p in data.get("pages", [])
    )
    return ocr.Extraction(
        sha256=data["sha256"],
        mime=data.get("mime", "application/octet-stream"),
        doc_type=data.get("doc_type", "other"),
        doc_type_cues=tuple(data.get("doc_type_cues", ())),
        pages=pages,
        fields=fields,
        text=data.get("text", ""),
    )


ALLOWED_LATER_CHANGES = frozenset({"none", "lta_updates"})
"""What may follow a signature without counting as a modification (revocation data, timestamps)."""


def signature_evidence(report: Mapping[str, Any] | None) -> validator.SignatureEvidence | None:
    """Turn signer's verification report (its JSON form) into validator's evidence."""
    if not report:
        return None
    signatures = [s for s in report.get("signatures", ()) if s.get("kind") == "signature"]
    if not signatures:
        return None
    first = signatures[0]
    signing_time = first.get("signing_time")
    return validator.SignatureEvidence(
        intact=all(s.get("intact") for s in signatures),
        trusted=all(s.get("trusted") for s in signatures),
        signer=first.get("signer"),
        signing_time=datetime.fromisoformat(signing_time) if signing_time else None,
        modified_after_signing=any(
            s.get("changed_after") not in ALLOWED_LATER_CHANGES or not s.get("intact")
            for s in signatures
        ),
        status=str(report.get("status", "")),
    )


def document_evidence(document: Document) -> validator.DocumentEvidence | None:
    """Return validator's view of one uploaded document, or None when it was not extracted."""
    if document.extraction is None:
        return None
    return validator.DocumentEvidence(
        document_id=document.id,
        file_name=document.file_name,
        extraction=extraction_from_json(document.extraction),
        signature=signature_evidence(document.signature_report),
    )


def report_from_json(data: Mapping[str, Any]) -> validator.Report:
    """Rebuild validator's report from the findings stored with an application."""
    findings = [
        validator.Finding(
            rule_id=f["rule_id"],
            severity=f["severity"],
            message=f["message"],
            evidence=tuple(
                validator.Evidence(
                    document_id=e.get("document_id"),
                    page=e.get("page"),
                    field=e.get("field"),
                    value=e.get("value"),
                )
                for e in f.get("evidence", ())
            ),
            correctable=bool(f.get("correctable", True)),
        )
        for f in data.get("findings", ())
    ]
    return validator.Report.from_findings(findings, data.get("rule_versions"))


CONTACT_KEYS = frozenset({"email", "whatsapp"})
"""Application data the office keeps for notifications, not for the checks."""


def declared(application: Application) -> validator.Declared:
    """Return validator's view of the declared application data."""
    data = {k: v for k, v in application.data.items() if k not in CONTACT_KEYS}
    return validator.Declared.from_json(data)


def evidences(documents: Sequence[Document]) -> list[validator.DocumentEvidence]:
    """Return the evidence of every extracted document."""
    return [e for d in documents if (e := document_evidence(d)) is not None]


def permit_render_data(
    application: Application,
    *,
    verification_url: str,
    signer_name: str,
    signer_nip: str | None,
    signer_position: str | None,
    issue_date: date,
) -> dict[str, Any]:
    """Return the data the Sertifikat Standar template takes."""
    data = application.data
    return {
        "nomor": application.permit_number,
        "nama_usaha": data.get("nama_usaha"),
        "nib": application.nib or data.get("nib"),
        "status_penanaman_modal": data.get("status_penanaman_modal", "PMDN"),
        "kbli": [{"kode": k["kode"], "judul": k.get("judul")} for k in data.get("kbli", [])],
        "lokasi": data.get("lokasi", {}),
        "status_standar": "Terverifikasi",
        "tanggal_terbit": issue_date,
        "penandatangan": {"nama": signer_name, "nip": signer_nip, "jabatan": signer_position},
        "verification_url": verification_url,
    }
