"""Reading the documents an applicant uploads: text, typed fields and the evidence for each.

``extract`` reads a whole file in-process. The workflow fans out instead: ``open_document`` once,
``read_page`` per page (one Celery task each, ``PageText.to_json``/``from_json`` across the
broker), then ``assemble``. Inputs are never modified.
"""

from ocr._extract import assemble, extract
from ocr._reader import open_document, read_page
from ocr._second import warm_up
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
