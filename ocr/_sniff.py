"""MIME type from the leading bytes, never from a file name."""

from __future__ import annotations

from ocr.errors import UnsupportedFileType

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})


def sniff(data: bytes) -> str:
    """Return the MIME type of ``data`` (PDF, JPEG, PNG, TIFF or HEIC) or raise."""
    if not data:
        raise UnsupportedFileType(
            "empty upload", detail_id="Berkas kosong (0 byte). Unggah ulang berkasnya."
        )
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "image/heic"
    raise UnsupportedFileType("unrecognised leading bytes")
