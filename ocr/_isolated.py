"""``open_document``, ``read_page`` and ``warm_up``: the reader work done in a reader process.

The caller's process never parses an upload: ``inspect`` (bounded, pure Python) answers first,
then a reader process (``_sandbox``) opens and reads under hard memory, CPU and time limits.
A reader that dies or is stopped turns into an unreadable page with its reason, or, when the
document cannot even be opened, into ``ReaderLimitExceeded``: an outcome, never a hang.
"""

from __future__ import annotations

import logging

from ocr._inspect import inspect
from ocr._sandbox import ReaderDied, readers
from ocr.errors import ReaderLimitExceeded, refusal
from ocr.types import DEFAULT_LIMITS, DocumentInfo, ExtractionLimits, PageText

logger = logging.getLogger(__name__)


def open_document(data: bytes, limits: ExtractionLimits = DEFAULT_LIMITS) -> DocumentInfo:
    """Check an upload (``inspect``), then open it in a reader: its type, pages and findings.

    Raises the refusal of the first refusing finding, or ``ReaderLimitExceeded`` when opening
    made the reader exceed its limits.
    """
    info = inspect(data, limits)
    error = refusal(info)
    if error is not None:
        raise error
    try:
        opened = readers().run("open", {}, data, limits)
    except ReaderDied as died:
        logger.warning("opening a %s failed in its reader: %s", info.mime, died.reason)
        raise ReaderLimitExceeded(f"opening the document: {died.reason}") from None
    return DocumentInfo(
        mime=str(opened["mime"]),
        page_count=int(opened["page_count"]),
        encrypted=info.encrypted,
        image_size=info.image_size,
        page_size=info.page_size,
        findings=info.findings,
    )


def read_page(data: bytes, number: int, limits: ExtractionLimits = DEFAULT_LIMITS) -> PageText:
    """Read page ``number`` (1-based) in a reader process.

    A page that cannot be read, or whose reader died or was stopped, comes back ``unreadable``
    with the reason.
    """
    try:
        result = readers().run("read", {"number": number}, data, limits)
    except ReaderDied as died:
        logger.warning("page %d unreadable: %s", number, died.reason)
        return PageText(number, "ocr", 0.0, 0.0, unreadable=True, reason=died.reason)
    return PageText.from_json(result)


def warm_up(limits: ExtractionLimits = DEFAULT_LIMITS) -> None:
    """Start a reader and load the second reader's models in it, before the first task."""
    try:
        readers().run("warm", {}, b"", limits)
    except ReaderDied as died:
        logger.warning("warming up a reader failed: %s", died.reason)
