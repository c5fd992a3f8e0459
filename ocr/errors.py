"""Errors raised by ``ocr``: caller mistakes (bad uploads) and engine failures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from common.catalogue import text_id
from common.codes import Code
from common.errors import CallerError, OperationalError
from ocr.types import FINDING_CODES, DocumentInfo, Finding


class OcrCallerError(CallerError):
    """Base of the upload problems ``ocr`` detects; carries its code's Indonesian text."""

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or text_id(self.code))


class UnsupportedFileType(OcrCallerError):
    """The bytes are not a PDF, JPEG, PNG, TIFF or HEIC file, whatever the file name says."""

    code: ClassVar[Code] = Code.UNSUPPORTED_FILE_TYPE
    http_status: ClassVar[int] = 415


class FileTooLarge(OcrCallerError):
    """The upload is larger than the byte or page-count limit."""

    code: ClassVar[Code] = Code.FILE_TOO_LARGE
    http_status: ClassVar[int] = 413


class EncryptedDocument(OcrCallerError):
    """The PDF is password-protected and cannot be read."""

    code: ClassVar[Code] = Code.ENCRYPTED_DOCUMENT
    http_status: ClassVar[int] = 422


class CorruptDocument(OcrCallerError):
    """The file is damaged or truncated and cannot be opened."""

    code: ClassVar[Code] = Code.CORRUPT_DOCUMENT
    http_status: ClassVar[int] = 422


class ImageTooLarge(OcrCallerError):
    """An image or rendered page exceeds the pixel cap (decompression-bomb guard)."""

    code: ClassVar[Code] = Code.IMAGE_TOO_LARGE
    http_status: ClassVar[int] = 413


class ActiveContent(OcrCallerError):
    """The PDF carries active content: JavaScript, a launch action, attached files, XFA ...

    Nothing of it runs here; it is refused because the office's viewers might run it and the
    document then is not what was read. The message names what was found.
    """

    code: ClassVar[Code] = Code.ACTIVE_CONTENT
    http_status: ClassVar[int] = 422


class MalformedDocument(OcrCallerError):
    """The PDF's structure is built to trap a reader.

    A page tree that loops, nesting far past what any writer produces, or more objects than a
    document of its kind has.
    """

    code: ClassVar[Code] = Code.MALFORMED_DOCUMENT
    http_status: ClassVar[int] = 422


class DecompressionBomb(OcrCallerError):
    """A compressed stream inflates past the per-stream cap (checked before it is decoded)."""

    code: ClassVar[Code] = Code.DECOMPRESSION_BOMB
    http_status: ClassVar[int] = 413


class ReaderLimitExceeded(OcrCallerError):
    """Opening the document made its reader process exceed a memory, CPU or time limit.

    Or crash; the same bytes would do it again.
    """

    code: ClassVar[Code] = Code.READER_LIMIT_EXCEEDED
    http_status: ClassVar[int] = 422


class OcrEngineFailure(OperationalError):
    """Tesseract (or the second engine) is missing or failed for a reason other than the page."""

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or text_id(self.code))

    code: ClassVar[Code] = Code.OCR_ENGINE_FAILURE
    http_status: ClassVar[int] = 503


_ACTIVE = ActiveContent
_MALFORMED = MalformedDocument
FINDING_ERRORS: Mapping[str, type[OcrCallerError]] = {
    "empty_file": UnsupportedFileType,
    "unsupported_file_type": UnsupportedFileType,
    "file_too_large": FileTooLarge,
    "too_many_pages": FileTooLarge,
    "corrupt": CorruptDocument,
    "truncated": CorruptDocument,
    "encrypted": EncryptedDocument,
    "too_many_objects": _MALFORMED,
    "nesting_too_deep": _MALFORMED,
    "page_tree_cycle": _MALFORMED,
    "page_tree_too_deep": _MALFORMED,
    "no_pages": _MALFORMED,
    "image_too_large": ImageTooLarge,
    "page_too_large": ImageTooLarge,
    "decompression_bomb": DecompressionBomb,
    "javascript": _ACTIVE,
    "launch_action": _ACTIVE,
    "embedded_file": _ACTIVE,
    "additional_actions": _ACTIVE,
    "rich_media": _ACTIVE,
    "xfa_form": _ACTIVE,
    "form_submission": _ACTIVE,
    "xref_damaged": CorruptDocument,
    "page_count_mismatch": _MALFORMED,
    "embedded_image_too_large": ImageTooLarge,
    "encrypted_without_password": EncryptedDocument,
    "streams_not_checked": DecompressionBomb,
}
"""The error each finding becomes when it is refused."""


def refusal(info: DocumentInfo) -> OcrCallerError | None:
    """Return the error to answer for an upload ``inspect`` looked at (None: accepted)."""
    return error_for(info.findings)


def error_for(findings: Sequence[Finding]) -> OcrCallerError | None:
    """Return the error for the first refused finding (in ``FINDING_CODES`` order), or None.

    Findings that map to the same error are reported together (every kind of active content
    found, not only the first).
    """
    refused = sorted((f for f in findings if f.refused), key=lambda f: FINDING_CODES.index(f.code))
    if not refused:
        return None
    cls = FINDING_ERRORS[refused[0].code]
    same = [f for f in refused if FINDING_ERRORS[f.code] is cls]
    message = "; ".join(f.message for f in same)
    details = [f.detail_id for f in same if f.detail_id]
    return cls(message, detail_id=details[0] if details else None)


__all__ = [
    "ActiveContent",
    "CorruptDocument",
    "DecompressionBomb",
    "EncryptedDocument",
    "FileTooLarge",
    "ImageTooLarge",
    "MalformedDocument",
    "OcrCallerError",
    "OcrEngineFailure",
    "ReaderLimitExceeded",
    "UnsupportedFileType",
    "error_for",
    "refusal",
]
