"""Reading the documents an applicant uploads: text, typed fields and the evidence for each.

``inspect`` checks an upload's structure cheaply (at upload time, in any process). ``extract``
reads a whole file. The workflow fans out instead: ``open_document`` once, ``read_page`` per page
(one Celery task each, ``PageText.to_json``/``from_json`` across the broker), then ``assemble``.
Pages are parsed and rendered in reader processes with hard memory, CPU and time limits, never
in the caller's. Inputs are never modified.
"""

from ocr._extract import assemble, extract
from ocr._inspect import inspect
from ocr._isolated import open_document, read_page, warm_up
from ocr._sniff import sniff
from ocr.errors import (
    ActiveContent,
    CorruptDocument,
    DecompressionBomb,
    EncryptedDocument,
    FileTooLarge,
    ImageTooLarge,
    MalformedDocument,
    OcrCallerError,
    OcrEngineFailure,
    ReaderLimitExceeded,
    UnsupportedFileType,
)
from ocr.types import (
    DOC_TYPES,
    FIELD_NAMES,
    FINDING_CODES,
    BoundingBox,
    DocumentInfo,
    Extraction,
    ExtractionLimits,
    Field,
    Finding,
    PageInfo,
    PageText,
    Word,
)

__all__ = [
    "DOC_TYPES",
    "FIELD_NAMES",
    "FINDING_CODES",
    "ActiveContent",
    "BoundingBox",
    "CorruptDocument",
    "DecompressionBomb",
    "DocumentInfo",
    "EncryptedDocument",
    "Extraction",
    "ExtractionLimits",
    "Field",
    "FileTooLarge",
    "Finding",
    "ImageTooLarge",
    "MalformedDocument",
    "OcrCallerError",
    "OcrEngineFailure",
    "PageInfo",
    "PageText",
    "ReaderLimitExceeded",
    "UnsupportedFileType",
    "Word",
    "assemble",
    "extract",
    "inspect",
    "open_document",
    "read_page",
    "sniff",
    "warm_up",
]
