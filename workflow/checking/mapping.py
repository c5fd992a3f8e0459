"""Mapping one capability's typed output into another's typed input.

The database keeps each capability's own JSON (``to_json``/``from_json`` of ``ocr``, ``signer``
and ``validator``); this module only rebuilds those values and maps them, typed to typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ocr
import signer
import validator
from workflow.db.models import Application, Document
from workflow.intake.schema import ApplicationData


def extraction_to_json(extraction: ocr.Extraction) -> dict[str, Any]:
    """Return the extraction as the database keeps it: ``ocr``'s JSON plus the text."""
    return {**extraction.to_json(), "text": extraction.text}


def extraction_from_json(data: Mapping[str, Any]) -> ocr.Extraction:
    """Rebuild an extraction from what the database keeps."""
    return ocr.Extraction.from_json(data)


ALLOWED_LATER_CHANGES = frozenset({"none", "lta_updates"})
"""What may follow a signature without counting as a modification (revocation data, timestamps)."""


def signature_evidence(report: signer.VerificationReport) -> validator.SignatureEvidence | None:
    """Turn signer's verification report into validator's evidence (None: nothing signed)."""
    signatures = [s for s in report.signatures if s.kind == "signature"]
    if not signatures:
        return None
    first = signatures[0]
    return validator.SignatureEvidence(
        intact=all(s.intact for s in signatures),
        trusted=all(s.trusted for s in signatures),
        signer=first.signer_subject,
        signing_time=first.signing_time,
        modified_after_signing=any(
            s.changed_after not in ALLOWED_LATER_CHANGES or not s.intact for s in signatures
        ),
        status=report.status,
    )


def document_evidence(document: Document) -> validator.DocumentEvidence | None:
    """Return validator's view of one uploaded document, or None when it was not extracted."""
    if document.extraction is None:
        return None
    report = document.signature_report
    return validator.DocumentEvidence(
        document_id=document.id,
        file_name=document.file_name,
        extraction=extraction_from_json(document.extraction),
        signature=signature_evidence(signer.VerificationReport.from_dict(report))
        if report
        else None,
    )


def evidences(documents: Sequence[Document]) -> list[validator.DocumentEvidence]:
    """Return the evidence of every extracted document."""
    return [e for d in documents if (e := document_evidence(d)) is not None]


def report_of(application: Application) -> validator.Report:
    """Return validator's report as stored with the application (empty before the checks)."""
    return validator.Report.from_json(application.findings or {})


def declared_data(application: Application) -> ApplicationData:
    """Return the application's declared data in its one schema."""
    return ApplicationData.model_validate(application.data)


def declared_of(data: ApplicationData) -> validator.Declared:
    """Map the declared data onto validator's view of it (contact details are not checked)."""
    pemilik, lokasi = data.pemilik, data.lokasi
    return validator.Declared(
        nama_usaha=_text(data.nama_usaha),
        bentuk=data.bentuk,
        skala=data.skala,
        status_penanaman_modal=data.status_penanaman_modal,
        nib=data.nib,
        npwp=data.npwp,
        pemilik=validator.Person(
            nama=_text(pemilik.nama) if pemilik else None, nik=pemilik.nik if pemilik else None
        ),
        lokasi=validator.Location(
            alamat=_text(lokasi.alamat) if lokasi else None,
            desa=_text(lokasi.desa) if lokasi else None,
            kecamatan=_text(lokasi.kecamatan) if lokasi else None,
        ),
        kbli=tuple(
            validator.KbliClaim(
                kode=k.kode,
                judul=_text(k.judul),
                risiko=k.risiko,
                kewenangan=k.kewenangan,
                kd_daerah=k.kd_daerah,
            )
            for k in data.kbli
        ),
    )


def _text(value: str | None) -> str | None:
    """Return None for an empty text (the schema has stripped the whitespace)."""
    return value or None


def declared(application: Application) -> validator.Declared:
    """Return validator's view of the application's declared data."""
    return declared_of(declared_data(application))
