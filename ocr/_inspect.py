"""``inspect``: the cheap structural check of an upload, answered before anything is decoded.

It reads headers and structure with bounded scanners of its own (no pdfium, no Pillow), so it
is safe in the API process: under a second and a few MB for any file the byte cap admits.
"""

from __future__ import annotations

from ocr._imgscan import scan_image
from ocr._pdfscan import scan_pdf
from ocr._sniff import sniff
from ocr.errors import UnsupportedFileType
from ocr.types import DEFAULT_LIMITS, DocumentInfo, ExtractionLimits, Finding


def inspect(data: bytes, limits: ExtractionLimits = DEFAULT_LIMITS) -> DocumentInfo:
    """Check an upload's structure cheaply: every problem found is a ``Finding``.

    Type (from the bytes), size, pages or frames, declared pixels, encryption, xref and active
    content; ``ocr.errors.refusal(info)`` says what to answer. Never raises for what the file
    contains (an exception means it could not be checked).
    """
    if len(data) > limits.max_bytes:
        return _refused("file_too_large", f"upload is {len(data)} bytes, cap {limits.max_bytes}")
    try:
        mime = sniff(data)
    except UnsupportedFileType as exc:
        code = "empty_file" if not data else "unsupported_file_type"
        return _refused(code, exc.message, exc.detail_id)
    if mime == "application/pdf":
        return _pdf(data, limits)
    return _image(data, mime, limits)


def _refused(code: str, message: str, detail_id: str | None = None) -> DocumentInfo:
    finding = Finding(code, message, True, detail_id=detail_id)
    return DocumentInfo(mime="application/octet-stream", page_count=0, findings=(finding,))


def _too_many(count: int, limits: ExtractionLimits, what: str) -> Finding | None:
    if count <= limits.max_pages:
        return None
    shown = f"more than {limits.max_pages}" if count > limits.max_pages else str(count)
    return Finding(
        "too_many_pages",
        f"{shown} {what}, cap {limits.max_pages}",
        True,
        detail_id=f"Dokumen memiliki lebih dari {limits.max_pages} halaman. Pisahkan dokumen "
        "lalu unggah kembali.",
    )


def _pdf(data: bytes, limits: ExtractionLimits) -> DocumentInfo:
    scan = scan_pdf(data, limits)
    findings = list(scan.findings)
    many = _too_many(scan.page_count, limits, "pages")
    if many is not None:
        findings.append(many)
    largest_pt = max((p.points for p in scan.pages), key=lambda wh: wh[0] * wh[1], default=None)
    for number, page in enumerate(scan.pages, start=1):
        w, h = page.points
        if max(w, h) > limits.max_page_pt:
            findings.append(
                Finding(
                    "page_too_large",
                    f"page {number} is {w:.0f} x {h:.0f} pt (/UserUnit {page.user_unit:g}); "
                    f"the longest side may be {limits.max_page_pt:.0f} pt",
                    True,
                    page=number,
                    detail_id="Ukuran halaman dokumen PDF tidak wajar (lebih dari 5 meter). "
                    "Cetak ulang dokumen ke ukuran kertas biasa lalu unggah kembali.",
                )
            )
            break
    if scan.largest_image is not None:
        w_px, h_px = scan.largest_image
        if w_px * h_px > limits.max_pixels:
            findings.append(
                Finding(
                    "embedded_image_too_large",
                    f"an embedded image is {w_px}x{h_px} px, cap {limits.max_pixels}; "
                    "its page will be unreadable",
                    False,
                )
            )
    return DocumentInfo(
        mime="application/pdf",
        page_count=min(scan.page_count, limits.max_pages + 1),
        encrypted=scan.encrypted,
        image_size=scan.largest_image,
        page_size=largest_pt,
        findings=tuple(findings),
    )


def _image(data: bytes, mime: str, limits: ExtractionLimits) -> DocumentInfo:
    scan = scan_image(data, mime, limits)
    findings = list(scan.findings)
    many = _too_many(scan.frames, limits, "frames")
    if many is not None:
        findings.append(many)
    if scan.width * scan.height > limits.max_pixels:
        findings.append(
            Finding(
                "image_too_large",
                f"image is {scan.width}x{scan.height} px, cap {limits.max_pixels}",
                True,
            )
        )
    return DocumentInfo(
        mime=mime,
        page_count=min(scan.frames, limits.max_pages + 1),
        image_size=(scan.width, scan.height) if scan.frames else None,
        findings=tuple(findings),
    )
