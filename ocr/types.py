"""The values ``ocr`` takes and returns.

Units: pages count from 1. A ``BoundingBox`` is in PDF points (1/72 inch) measured from the
top-left corner of the page. For image uploads (JPEG, PNG, TIFF, HEIC) pixels are converted to
points at the dpi recorded in the image when it is plausible (50-2400 dpi), otherwise at 72 dpi
(one point per pixel). Confidences are floats in 0..1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PageSource = Literal["text", "ocr"]
Reader = Literal["text_layer", "tesseract", "two_readers", "second_reader"]
"""Who read a word or a field: the PDF's text layer (cannot be a misreading), tesseract alone,
tesseract and the second reader agreeing (cannot be a misreading either), or the second reader
alone where the two disagreed (always flagged)."""
CERTAIN_READERS: frozenset[str] = frozenset({"text_layer", "two_readers"})
"""Readers whose agreement with the printed page is certain (a misreading is ruled out)."""
_READERS: frozenset[str] = frozenset({"text_layer", "tesseract", "two_readers", "second_reader"})

DOC_TYPES: tuple[str, ...] = (
    "ktp",
    "npwp",
    "nib",
    "akta_pendirian",
    "sk_kemenkumham",
    "pkkpr",
    "sppl",
    "ukl_upl",
    "pbg",
    "slf",
    "surat_pernyataan",
    "surat_kuasa",
    "other",
)
"""Every value ``Extraction.doc_type`` can take."""

FIELD_NAMES: tuple[str, ...] = (
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "kecamatan",
    "npwp",
    "nib",
    "kbli",
    "kbli_judul",
    "nama_usaha",
    "nomor_dokumen",
    "tanggal_terbit",
    "berlaku_hingga",
    "lokasi_usaha",
    "kbli_risiko",
    "kbli_lokasi",
    "tanggal_lahir_tertulis",
)
"""Every field name ``Extraction.fields`` can hold (a field is absent when not found).

``kbli`` is a tuple of 5-digit codes; ``kbli_judul`` is the tuple of their titles in the same
order (an empty string where a code's title was not found); ``kbli_risiko`` (``R``, ``MR``, ``MT``,
``T`` or empty) and ``kbli_lokasi`` (the business location printed for the code, or empty) are
read from the NIB's KBLI table, in the same order. Dates are ISO ``YYYY-MM-DD``;
``berlaku_hingga`` is a date or ``SEUMUR HIDUP``; ``tanggal_lahir_tertulis`` is a printed date
of birth that is no real date (``31-02-1989``), as ``DD-MM-YYYY``, kept as evidence; ``nik``,
``npwp`` and ``nib`` are digits only.
"""


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A rectangle in PDF points from the top-left of the page (x grows right, y grows down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: BoundingBox) -> BoundingBox:
        """Return the smallest box holding both boxes."""
        return BoundingBox(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def to_json(self) -> list[float]:
        """Return ``[x0, y0, x1, y1]`` rounded to 0.1 pt."""
        return [round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1)]

    @classmethod
    def from_json(cls, data: list[float]) -> BoundingBox:
        """Build a box from ``[x0, y0, x1, y1]``."""
        return cls(float(data[0]), float(data[1]), float(data[2]), float(data[3]))


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted value with the evidence for it."""

    value: str | tuple[str, ...]
    confidence: float
    """0..1; a repaired or engine-disputed value gets less."""
    page: int
    """1-based page the value was read from."""
    bbox: BoundingBox | None
    """Where on ``page`` the value was read (None when it was derived, not read)."""
    low_confidence: bool
    """True when a person should check the value (the Tim Teknis sees it flagged)."""
    repaired: bool = False
    """True when OCR confusions (O->0, I->1, S->5, B->8 ...) were repaired in a numeric value."""
    reader: Reader = "tesseract"
    """Who read the value (the least certain reader of its words)."""

    @property
    def certain(self) -> bool:
        """Whether the value cannot be a misreading: a text layer, or two readers agreeing."""
        return self.reader in CERTAIN_READERS and not self.low_confidence and not self.repaired

    def to_json(self) -> dict[str, Any]:
        """Return the field as ``pintu extract --json`` prints it."""
        value: str | list[str] = self.value if isinstance(self.value, str) else list(self.value)
        return {
            "value": value,
            "confidence": round(self.confidence, 3),
            "page": self.page,
            "bbox": self.bbox.to_json() if self.bbox is not None else None,
            "low_confidence": self.low_confidence,
            "repaired": self.repaired,
            "reader": self.reader,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Field:
        """Rebuild a field from ``to_json`` output (keys it does not know are ignored)."""
        value = data["value"]
        reader = str(data.get("reader", "tesseract"))
        return cls(
            value=tuple(str(v) for v in value) if isinstance(value, list) else str(value),
            confidence=float(data["confidence"]),
            page=int(data["page"]),
            bbox=BoundingBox.from_json(data["bbox"]) if data.get("bbox") else None,
            low_confidence=bool(data.get("low_confidence", False)),
            repaired=bool(data.get("repaired", False)),
            reader=reader if reader in _READERS else "tesseract",  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class PageInfo:
    """How one page was read."""

    number: int
    source: PageSource
    mean_confidence: float
    unreadable: bool = False
    reason: str | None = None
    """Why the page is unreadable (English, for logs and the Tim Teknis finding's detail)."""

    def to_json(self) -> dict[str, Any]:
        """Return the page summary as ``pintu extract --json`` prints it."""
        return {
            "number": self.number,
            "source": self.source,
            "mean_confidence": round(self.mean_confidence, 3),
            "unreadable": self.unreadable,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageInfo:
        """Rebuild a page summary from ``to_json`` output."""
        source: PageSource = "ocr" if data.get("source") == "ocr" else "text"
        reason = data.get("reason")
        return cls(
            number=int(data["number"]),
            source=source,
            mean_confidence=float(data.get("mean_confidence", 0.0)),
            unreadable=bool(data.get("unreadable", False)),
            reason=str(reason) if reason is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Word:
    """A word with its box (points, top-left origin) and confidence (1.0 for a text layer)."""

    text: str
    confidence: float
    bbox: BoundingBox
    line: int = 0
    """Row number the OCR stage assigned in its rectified image (0: unknown, group by box).
    Boxes of a photographed or skewed page are rotated on the page, so rows are found before
    the boxes are mapped back."""
    reader: Reader = "tesseract"


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A ruled table found on a born-digital page: its box and its cells' columns and rows."""

    bbox: BoundingBox
    columns: tuple[tuple[float, float], ...]
    """(x0, x1) of each column of the table's first row, left to right."""
    rows: tuple[tuple[float, float], ...]
    """(y0, y1) of each row, top to bottom."""

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable form (see ``from_json``)."""
        return {
            "bbox": self.bbox.to_json(),
            "columns": [[round(a, 1), round(b, 1)] for a, b in self.columns],
            "rows": [[round(a, 1), round(b, 1)] for a, b in self.rows],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TableGrid:
        """Rebuild a grid from ``to_json`` output."""
        return cls(
            BoundingBox.from_json(data["bbox"]),
            tuple((float(a), float(b)) for a, b in data.get("columns", ())),
            tuple((float(a), float(b)) for a, b in data.get("rows", ())),
        )


@dataclass(frozen=True, slots=True)
class PageText:
    """What ``read_page`` returns: the words of one page, from its text layer or from OCR.

    ``to_json``/``from_json`` let a per-page Celery task hand it to ``assemble`` through a JSON
    result backend.
    """

    number: int
    source: PageSource
    width: float
    """Page width in points."""
    height: float
    """Page height in points."""
    words: tuple[Word, ...] = ()
    mean_confidence: float = 0.0
    unreadable: bool = False
    reason: str | None = None
    tables: tuple[TableGrid, ...] = ()
    """Ruled tables of a born-digital page (pdfplumber's table finder), for reading by header."""

    @property
    def info(self) -> PageInfo:
        """Return the page summary."""
        return PageInfo(
            self.number, self.source, self.mean_confidence, self.unreadable, self.reason
        )

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable form (see ``from_json``)."""
        return {
            "number": self.number,
            "source": self.source,
            "width": self.width,
            "height": self.height,
            "mean_confidence": self.mean_confidence,
            "unreadable": self.unreadable,
            "reason": self.reason,
            "tables": [t.to_json() for t in self.tables],
            "words": [
                [w.text, w.confidence, w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1, w.line, w.reader]
                for w in self.words
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageText:
        """Rebuild a ``PageText`` from ``to_json`` output."""
        source: PageSource = "ocr" if data["source"] == "ocr" else "text"
        return cls(
            number=int(data["number"]),
            source=source,
            width=float(data["width"]),
            height=float(data["height"]),
            words=tuple(
                Word(
                    str(w[0]),
                    float(w[1]),
                    BoundingBox.from_json(list(w[2:6])),
                    int(w[6]) if len(w) > 6 else 0,
                    w[7] if len(w) > 7 and w[7] in _READERS else "tesseract",
                )
                for w in data["words"]
            ),
            mean_confidence=float(data["mean_confidence"]),
            unreadable=bool(data["unreadable"]),
            reason=data.get("reason"),
            tables=tuple(TableGrid.from_json(t) for t in data.get("tables", ())),
        )


FINDING_CODES: tuple[str, ...] = (
    # refused by default (the first of these in this order decides the caller's error)
    "empty_file",
    "unsupported_file_type",
    "file_too_large",
    "too_many_pages",
    "corrupt",
    "truncated",
    "encrypted",
    "too_many_objects",
    "nesting_too_deep",
    "page_tree_cycle",
    "page_tree_too_deep",
    "no_pages",
    "image_too_large",
    "page_too_large",
    "decompression_bomb",
    "javascript",
    "launch_action",
    "embedded_file",
    "additional_actions",
    "rich_media",
    "xfa_form",
    "form_submission",
    # notes: the document is read, a person may want to know
    "encrypted_without_password",
    "xref_damaged",
    "page_count_mismatch",
    "embedded_image_too_large",
    "streams_not_checked",
)
"""Every ``Finding.code``, in the order that decides which refusal ``DocumentInfo.refusal``
reports. The active-content codes (``javascript`` .. ``form_submission``) are refused unless
``ExtractionLimits.refuse_active_content`` is off; ``xref_damaged`` means offsets in the
cross-reference table do not point at their objects (readers repair it; signature validators
may not)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a structural check noticed about an upload."""

    code: str
    """One of ``FINDING_CODES``; stable."""
    message: str
    """English, for logs and the Tim Teknis; names what was found (``/OpenAction JavaScript``)."""
    refused: bool
    """True when the upload must be refused; ``DocumentInfo.refusal`` builds the error."""
    page: int | None = None
    """1-based page the finding is about, when it is about one."""
    detail_id: str | None = None
    """An Indonesian sentence for people, when the error's generic one would say too little."""

    def to_json(self) -> dict[str, Any]:
        """Return the finding as a JSON object."""
        return {
            "code": self.code,
            "message": self.message,
            "refused": self.refused,
            "page": self.page,
        }


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What ``inspect`` and ``open_document`` learn without reading pages."""

    mime: str
    page_count: int
    encrypted: bool = False
    """The PDF has an /Encrypt dictionary (readable when it needs no password)."""
    image_size: tuple[int, int] | None = None
    """Width and height in pixels of the largest declared raster: the image or its largest
    frame, or the largest image embedded in a PDF."""
    page_size: tuple[float, float] | None = None
    """Width and height in points of the largest PDF page, ``/UserUnit`` applied."""
    findings: tuple[Finding, ...] = ()

    @property
    def refused(self) -> bool:
        """True when a finding refuses the upload."""
        return any(f.refused for f in self.findings)


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """Caps that keep hostile or huge uploads from exhausting the worker."""

    max_bytes: int = 25 * 1024 * 1024
    """Largest upload accepted (bytes)."""
    max_pages: int = 200
    """Most pages (PDF pages or TIFF frames) accepted."""
    max_pixels: int = 89_000_000
    """Largest image (or embedded PDF image) in pixels, checked before decoding. A PDF page
    whose rendering at ``dpi`` would exceed it is rendered at a lower dpi instead."""
    page_timeout_s: float = 60.0
    """Time given to the OCR engine per page; past it the page is reported unreadable."""
    render_timeout_s: float = 30.0
    """Time given to rasterising one PDF page; past it the page is reported unreadable."""
    dpi: int = 300
    """Rasterisation resolution for PDF pages without a text layer."""
    max_render_pixels: int = 40_000_000
    """Largest raster handed to OCR: a PDF page is rendered at a lower dpi (never a higher one)
    and an image is scaled down to stay within it (an A4 page at 600 dpi is 35 Mpx)."""
    max_page_pt: float = 14_400.0
    """Longest page side accepted, in points with ``/UserUnit`` applied (200 inches)."""
    max_stream_bytes: int = 64 * 1024 * 1024
    """Most bytes one PDF stream may inflate to, checked by inflating in small chunks."""
    inflate_check_bytes: int = 256 * 1024 * 1024
    """Most bytes ``inspect`` inflates in all to check streams (keeps it under a second);
    streams past it are left to the reader's memory limit."""
    max_objects: int = 200_000
    """Most objects a PDF may hold (a 2,000-page document has about 6,000); bounds the time
    of the structural check."""
    max_nesting: int = 64
    """Deepest nesting of arrays and dictionaries in a PDF (pdfium drops deeper objects)."""
    max_page_tree_depth: int = 64
    """Deepest page tree accepted (balanced trees of millions of pages are under 10)."""
    refuse_active_content: bool = True
    """Refuse PDFs with JavaScript, launch actions, attachments, XFA and the like; when False
    they are only reported."""
    max_memory_bytes: int = 1024 * 1024 * 1024
    """Address-space limit (``RLIMIT_AS``) of each reader process and of tesseract."""
    cpu_time_s: float = 150.0
    """CPU time one reader job (opening a document, reading one page) may use."""
    wall_time_s: float = 150.0
    """Wall time one reader job may take before its process is killed."""
    reader_processes: int = 2
    """Most reader processes one calling process runs at once."""


DEFAULT_LIMITS = ExtractionLimits()
"""The limits used when a caller passes none."""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one uploaded file."""

    sha256: str
    mime: str
    doc_type: str
    """One of ``DOC_TYPES``."""
    doc_type_cues: tuple[str, ...]
    """The cues that decided ``doc_type`` (e.g. ``"title:NOMOR INDUK BERUSAHA"``)."""
    pages: tuple[PageInfo, ...]
    fields: Mapping[str, Field] = field(default_factory=dict)
    """Field name (see ``FIELD_NAMES``) to value; absent names were not found."""
    text: str = ""
    """The text of all pages, pages separated by a form feed."""
    doc_type_scores: Mapping[str, float] = field(default_factory=dict)
    """Score of every type any cue pointed at (the explanation of ``doc_type``; for an ``other``
    document, what it most resembles)."""

    def to_json(self) -> dict[str, Any]:
        """Return the object ``pintu extract --json`` prints (the caller adds ``file``)."""
        return {
            "sha256": self.sha256,
            "mime": self.mime,
            "doc_type": self.doc_type,
            "doc_type_cues": list(self.doc_type_cues),
            "doc_type_scores": {k: round(v, 2) for k, v in self.doc_type_scores.items()},
            "pages": [p.to_json() for p in self.pages],
            "fields": {name: f.to_json() for name, f in self.fields.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Extraction:
        """Rebuild an extraction from ``to_json`` output (``text`` too when it is present)."""
        doc_type = str(data.get("doc_type", "other"))
        return cls(
            sha256=str(data["sha256"]),
            mime=str(data.get("mime", "application/octet-stream")),
            doc_type=doc_type if doc_type in DOC_TYPES else "other",
            doc_type_cues=tuple(str(c) for c in data.get("doc_type_cues", ())),
            pages=tuple(PageInfo.from_json(p) for p in data.get("pages", ())),
            fields={
                str(name): Field.from_json(raw)
                for name, raw in data.get("fields", {}).items()
                if name in FIELD_NAMES
            },
            text=str(data.get("text", "")),
            doc_type_scores={str(k): float(v) for k, v in data.get("doc_type_scores", {}).items()},
        )
