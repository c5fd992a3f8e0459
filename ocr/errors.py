"""Errors raised by ``ocr``: caller mistakes (bad uploads) and engine failures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from common.errors import CallerError, OperationalError

if TYPE_CHECKING:
    from ocr.types import Finding


class OcrCallerError(CallerError):
    """Base of the upload problems ``ocr`` detects; carries an Indonesian ``detail_id``."""

    detail: ClassVar[str] = "Berkas tidak dapat diproses."

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or self.detail)


class UnsupportedFileType(OcrCallerError):
    """The bytes are not a PDF, JPEG, PNG, TIFF or HEIC file, whatever the file name says."""

    code: ClassVar[str] = "unsupported_file_type"
    http_status: ClassVar[int] = 415
    detail: ClassVar[str] = (
        "Jenis berkas tidak didukung. Unggah PDF, JPEG, PNG, TIFF atau HEIC "
        "(jenis dikenali dari isi berkas, bukan dari namanya)."
    )


class FileTooLarge(OcrCallerError):
    """The upload is larger than the byte or page-count limit."""

    code: ClassVar[str] = "file_too_large"
    http_status: ClassVar[int] = 413
    detail: ClassVar[str] = (
        "Berkas terlalu besar atau halamannya terlalu banyak. Perkecil berkas atau pisahkan "
        "dokumen lalu unggah kembali."
    )


class EncryptedDocument(OcrCallerError):
    """The PDF is password-protected and cannot be read."""

    code: ClassVar[str] = "encrypted_document"
    http_status: ClassVar[int] = 422
    detail: ClassVar[str] = (
        "Dokumen PDF dilindungi kata sandi sehingga tidak dapat dibaca. "
        "Unggah dokumen tanpa kata sandi."
    )


class CorruptDocument(OcrCallerError):
    """The file is damaged or truncated and cannot be opened."""

    code: ClassVar[str] = "corrupt_document"
    http_status: ClassVar[int] = 422
    detail: ClassVar[str] = (
        "Berkas rusak atau tidak lengkap sehingga tidak dapat dibuka. Unggah ulang berkas aslinya."
    )


class ImageTooLarge(OcrCallerError):
    """An image or rendered page exceeds the pixel cap (decompression-bomb guard)."""

    code: ClassVar[str] = "image_too_large"
    http_status: ClassVar[int] = 413
    detail: ClassVar[str] = (
        "Resolusi gambar terlalu besar untuk diproses. Perkecil resolusi gambar "
        "(misalnya pindai pada 300 dpi) lalu unggah kembali."
    )


class ActiveContent(OcrCallerError):
    """The PDF carries active content: JavaScript, a launch action, attached files, XFA ...

    Nothing of it runs here; it is refused because the office's viewers might run it and the
    document then is not what was read. The message names what was found.
    """

    code: ClassVar[str] = "active_content"
    http_status: ClassVar[int] = 422
    detail: ClassVar[str] = (
        "Dokumen PDF berisi konten aktif (skrip, tindakan otomatis atau berkas sematan) yang "
        "tidak diizinkan. Cetak ulang dokumen ke PDF biasa (Print to PDF) lalu unggah kembali."
    )


class MalformedDocument(OcrCallerError):
    """The PDF's structure is built to trap a reader.

    A page tree that loops, nesting far past what any writer produces, or more objects than a
    document of its kind has.
    """

    code: ClassVar[str] = "malformed_document"
    http_status: ClassVar[int] = 422
    detail: ClassVar[str] = (
        "Struktur dokumen PDF tidak wajar sehingga tidak dapat dibaca dengan aman. Simpan ulang "
        "atau cetak ulang dokumen ke PDF lalu unggah kembali."
    )


class DecompressionBomb(OcrCallerError):
    """A compressed stream inflates past the per-stream cap (checked before it is decoded)."""

    code: ClassVar[str] = "decompression_bomb"
    http_status: ClassVar[int] = 413
    detail: ClassVar[str] = (
        "Isi dokumen PDF mengembang terlalu besar ketika dibuka. Simpan ulang dokumen dengan "
        "aplikasi biasa atau pindai ulang lalu unggah kembali."
    )


class ReaderLimitExceeded(OcrCallerError):
    """Opening the document made its reader process exceed a memory, CPU or time limit.

    Or crash; the same bytes would do it again.
    """

    code: ClassVar[str] = "reader_limit_exceeded"
    http_status: ClassVar[int] = 422
    detail: ClassVar[str] = (
        "Dokumen membutuhkan memori atau waktu melebihi batas ketika dibuka. Perkecil berkas, "
        "simpan ulang atau pindai ulang dokumen lalu unggah kembali."
    )


class OcrEngineFailure(OperationalError):
    """Tesseract (or the second engine) is missing or failed for a reason other than the page."""

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or self.detail)

    code: ClassVar[str] = "ocr_engine_failure"
    http_status: ClassVar[int] = 503
    detail: ClassVar[str] = "Mesin OCR sedang tidak dapat digunakan. Coba lagi beberapa saat lagi."


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


def error_for(findings: Sequence[Finding]) -> OcrCallerError | None:
    """Return the error for the first refused finding (in ``FINDING_CODES`` order), or None.

    Findings that map to the same error are reported together (every kind of active content
    found, not only the first).
    """
    from ocr.types import FINDING_CODES  # noqa: PLC0415 - types imports this module lazily

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
]
