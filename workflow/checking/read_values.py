"""Values of an application that only the machine read, kept apart from the declared data.

When the applicant left a value out (the NIB, the business name, the KBLI lines, the owner's
name or NIK) and a requirement document supplies it, that value is a *read value*: the rules and
the BAP see it with its source, the declared data never holds it. A read value reaches the
permit only once the Tim Teknis confirmed it, on approval (:func:`confirm`); the confirmation
names who confirmed what, read from which document and page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ocr
from workflow.checking.mapping import declared_data, extraction_from_json
from workflow.db.models import Application
from workflow.errors import ValueNotConfirmable
from workflow.intake.schema import ApplicationData
from workflow.sop.transitions import Actor

READABLE: tuple[tuple[str, str, str], ...] = (
    ("nama_usaha", "nib", "nama_usaha"),
    ("nib", "nib", "nib"),
    ("kbli", "nib", "kbli"),
    ("pemilik.nama", "ktp", "nama"),
    ("pemilik.nik", "ktp", "nik"),
)
"""(path in the application data, document type, ocr field) of each value a document supplies."""

PERMIT_PATHS: tuple[str, ...] = ("nama_usaha", "nib", "kbli")
"""The values the Sertifikat Standar prints: each declared, or read and confirmed."""

LABELS_ID: dict[str, str] = {
    "nama_usaha": "nama usaha",
    "nib": "NIB",
    "kbli": "KBLI",
    "pemilik.nama": "nama pemilik",
    "pemilik.nik": "NIK pemilik",
}


@dataclass(frozen=True, slots=True)
class ReadValue:
    """One value only the machine read: what, from which document and page, how sure."""

    path: str
    value: str | tuple[str, ...]
    """A text, or for ``kbli`` the 5-digit codes."""
    document_id: str
    file_name: str
    page: int
    confidence: float
    low_confidence: bool
    titles: tuple[str, ...] = ()
    """For ``kbli``: each code's title as read ("" where none was found)."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (as stored with a confirmation and shown by the API)."""
        return {
            "path": self.path,
            "value": self.value if isinstance(self.value, str) else list(self.value),
            "document_id": self.document_id,
            "file_name": self.file_name,
            "page": self.page,
            "confidence": round(self.confidence, 3),
            "low_confidence": self.low_confidence,
            "titles": list(self.titles),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReadValue:
        """Rebuild from ``to_json`` output (keys it does not know are ignored)."""
        value = data["value"]
        return cls(
            path=str(data["path"]),
            value=tuple(str(v) for v in value) if isinstance(value, list) else str(value),
            document_id=str(data["document_id"]),
            file_name=str(data["file_name"]),
            page=int(data["page"]),
            confidence=float(data["confidence"]),
            low_confidence=bool(data["low_confidence"]),
            titles=tuple(str(t) for t in data.get("titles", ())),
        )


def declared_paths(data: ApplicationData) -> set[str]:
    """Return the paths of :data:`READABLE` the applicant declared."""
    pemilik = data.pemilik
    values = {
        "nama_usaha": data.nama_usaha,
        "nib": data.nib,
        "kbli": data.kbli,
        "pemilik.nama": pemilik.nama if pemilik else None,
        "pemilik.nik": pemilik.nik if pemilik else None,
    }
    return {path for path, value in values.items() if value}


def read_values(application: Application) -> dict[str, ReadValue]:
    """Return what the documents supply for each value the applicant did not declare.

    The first document of the right type that has the field supplies it (upload order).
    """
    declared = declared_paths(declared_data(application))
    found: dict[str, ReadValue] = {}
    for document in application.documents:
        if document.extraction is None:
            continue
        extraction = extraction_from_json(document.extraction)
        for path, doc_type, field in READABLE:
            read = extraction.fields.get(field)
            if path in declared or path in found or extraction.doc_type != doc_type or not read:
                continue
            found[path] = ReadValue(
                path=path,
                value=read.value,
                document_id=document.id,
                file_name=document.file_name,
                page=read.page,
                confidence=read.confidence,
                low_confidence=read.low_confidence,
                titles=_titles(extraction) if path == "kbli" else (),
            )
    return {path: found[path] for path, _, _ in READABLE if path in found}


def _titles(extraction: ocr.Extraction) -> tuple[str, ...]:
    judul = extraction.fields.get("kbli_judul")
    if judul is None:
        return ()
    return (judul.value,) if isinstance(judul.value, str) else judul.value


def confirmed_values(application: Application) -> dict[str, ReadValue]:
    """Return the read values the Tim Teknis confirmed on approval."""
    return {
        path: ReadValue.from_json(stored)
        for path, stored in (application.confirmed_values or {}).items()
    }


def confirm(application: Application, paths: Sequence[str], actor: Actor) -> list[str]:
    """Record the Tim Teknis's confirmation of these read values; return what the permit lacks.

    Every path must name a value the documents supplied; the result lists the permit's values
    (:data:`PERMIT_PATHS`) that were read but not confirmed: approval waits for them.
    """
    available = read_values(application)
    unknown = sorted(set(paths) - available.keys())
    if unknown:
        raise ValueNotConfirmable(
            f"not machine-read values of application {application.id}: {', '.join(unknown)}"
        )
    now = datetime.now(UTC).isoformat()
    application.confirmed_values = {
        path: {
            **available[path].to_json(),
            "confirmed_by": actor.user_id,
            "confirmed_by_name": actor.full_name,
            "confirmed_at": now,
        }
        for path in dict.fromkeys(paths)
    }
    if "nib" in application.confirmed_values:
        application.nib = str(available["nib"].value)
    return [p for p in PERMIT_PATHS if p in available and p not in application.confirmed_values]
