"""The whole-document entry points: ``assemble`` pages into an ``Extraction``, and ``extract``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ocr._doctype import classify
from ocr._fields import extract_fields
from ocr._isolated import open_document, read_page
from ocr._layout import lines_of
from ocr.types import DEFAULT_LIMITS, Extraction, ExtractionLimits, PageText


def assemble(data_sha256: str, mime: str, pages: Sequence[PageText]) -> Extraction:
    """Combine per-page results (any order) into the document's type, fields and text."""
    ordered = sorted(pages, key=lambda p: p.number)
    lines = [line for page in ordered if not page.unreadable for line in lines_of(page)]
    doc_type, cues, scores = classify(lines, ordered)
    grids = {page.number: page.tables for page in ordered if page.tables}
    fields = extract_fields(lines, doc_type, grids)
    text_pages: list[str] = []
    for page in ordered:
        text_pages.append("\n".join(ln.text for ln in lines if ln.page == page.number))
    return Extraction(
        sha256=data_sha256,
        mime=mime,
        doc_type=doc_type,
        doc_type_cues=cues,
        doc_type_scores=scores,
        pages=tuple(p.info for p in ordered),
        fields=fields,
        text="\f".join(text_pages),
    )


def extract(data: bytes, *, limits: ExtractionLimits = DEFAULT_LIMITS) -> Extraction:
    """Read a whole upload in this process (the workflow fans pages out instead)."""
    info = open_document(data, limits)
    pages = [read_page(data, n, limits) for n in range(1, info.page_count + 1)]
    return assemble(hashlib.sha256(data).hexdigest(), info.mime, pages)
