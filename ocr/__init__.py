"""Reading the documents an applicant uploads: text, typed fields and the evidence for each.

``extract`` reads a whole file in-process. The workflow fans out instead: ``open_document`` once,
``read_page`` per page (one Celery task each, ``PageText.to_json``/``from_json`` across the
broker), then ``assemble``. Inputs are never modified.

The types, the errors and ``sniff`` load with the package; the readers (pdfium, OpenCV,
tesseract, the second reader) load on first use of a function that reads, so that what only
needs the types (the validator's rule tables, ``pintu kbli``) starts fast.
"""

import importlib as _importlib
import typing as _typing

from ocr._sniff import sniff
from ocr.errors import (
    CorruptDocument,
    EncryptedDocument,
    FileTooLarge,
    ImageTooLarge,
    OcrCallerError,
    OcrEngineFailure,
    UnsupportedFileType,
)
from ocr.types import (
    DOC_TYPES,
    FIELD_NAMES,
    BoundingBox,
    DocumentInfo,
    Extraction,
    ExtractionLimits,
    Field,
    PageInfo,
    PageText,
    Word,
)

if _typing.TYPE_CHECKING:
    from ocr._extract import assemble, extract
    from ocr._reader import open_document, read_page
    from ocr._second import warm_up

_READERS = {
    "assemble": "ocr._extract",
    "extract": "ocr._extract",
    "open_document": "ocr._reader",
    "read_page": "ocr._reader",
    "warm_up": "ocr._second",
}
"""The functions that read, and the module each one loads on first use."""


def __getattr__(name: str) -> _typing.Any:
    """Load a reading function (and its engines) on first use."""
    module = _READERS.get(name)
    if module is None:
        raise AttributeError(f"module 'ocr' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_READERS})


__all__ = [
    "DOC_TYPES",
    "FIELD_NAMES",
    "BoundingBox",
    "CorruptDocument",
    "DocumentInfo",
    "EncryptedDocument",
    "Extraction",
    "ExtractionLimits",
    "Field",
    "FileTooLarge",
    "ImageTooLarge",
    "OcrCallerError",
    "OcrEngineFailure",
    "PageInfo",
    "PageText",
    "UnsupportedFileType",
    "Word",
    "assemble",
    "extract",
    "open_document",
    "read_page",
    "sniff",
    "warm_up",
]
