"""Reading the documents an applicant uploads: text, typed fields and the evidence for each.

``inspect`` checks an upload's structure cheaply (at upload time, in any process). ``extract``
reads a whole file. The workflow fans out instead: ``open_document`` once, ``read_page`` per page
(one Celery task each, ``PageText.to_json``/``from_json`` across the broker), then ``assemble``.
Pages are parsed and rendered in reader processes with hard memory, CPU and time limits, never
in the caller's. Inputs are never modified.

The types, the errors and ``sniff`` load with the package; the readers load on first use of a
function that reads, so that what only needs the types (the validator's rule tables,
``pintu kbli``) starts fast.
"""

import importlib as _importlib
import typing as _typing

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

if _typing.TYPE_CHECKING:
    from ocr._extract import assemble, extract
    from ocr._inspect import inspect
    from ocr._isolated import open_document, read_page, warm_up

_READERS = {
    "assemble": "ocr._extract",
    "extract": "ocr._extract",
    "inspect": "ocr._inspect",
    "open_document": "ocr._isolated",
    "read_page": "ocr._isolated",
    "warm_up": "ocr._isolated",
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
