"""Errors raised by ``ocr``: caller mistakes (bad uploads) and engine failures."""

from __future__ import annotations

from typing import ClassVar

from common.errors import CallerError, OperationalError


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


class OcrEngineFailure(OperationalError):
    """Tesseract (or the second engine) is missing or failed for a reason other than the page."""

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message, detail_id=detail_id or self.detail)

    code: ClassVar[str] = "ocr_engine_failure"
    http_status: ClassVar[int] = 503
    detail: ClassVar[str] = "Mesin OCR sedang tidak dapat digunakan. Coba lagi beberapa saat lagi."


__all__ = [
    "CorruptDocument",
    "EncryptedDocument",
    "FileTooLarge",
    "ImageTooLarge",
    "OcrCallerError",
    "OcrEngineFailure",
    "UnsupportedFileType",
]
