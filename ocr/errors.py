"""Errors raised by ``ocr``: caller mistakes (bad uploads) and engine failures."""

from __future__ import annotations

from typing import ClassVar

from common.catalogue import text_id
from common.codes import Code
from common.errors import CallerError, OperationalError


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


class OcrEngineFailure(OperationalError):
    """Tesseract (or the second engine) is missing or failed for a reason other than the page."""

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or text_id(self.code))

    code: ClassVar[Code] = Code.OCR_ENGINE_FAILURE
    http_status: ClassVar[int] = 503


__all__ = [
    "CorruptDocument",
    "EncryptedDocument",
    "FileTooLarge",
    "ImageTooLarge",
    "OcrCallerError",
    "OcrEngineFailure",
    "UnsupportedFileType",
]
