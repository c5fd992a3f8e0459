"""Hostile uploads give a clear error or an unreadable page, never a crash, hang or blow-up."""

from __future__ import annotations

import resource

import pytest

import ocr
from tests.ocr.conftest import BROKEN_DIR

REFUSED = {
    "empty.pdf": ocr.UnsupportedFileType,
    "not-a-pdf.pdf": ocr.UnsupportedFileType,
    "zip-named.pdf": ocr.UnsupportedFileType,
    "truncated.pdf": ocr.CorruptDocument,
    "encrypted.pdf": ocr.EncryptedDocument,
    "truncated.jpg": ocr.CorruptDocument,
    "bomb.png": ocr.ImageTooLarge,
}


@pytest.mark.parametrize(("name", "error"), sorted(REFUSED.items()))
def test_hostile_file_is_refused_with_a_clear_indonesian_reason(name, error):
    with pytest.raises(error) as info:
        ocr.extract((BROKEN_DIR / name).read_bytes())
    assert 400 <= info.value.http_status < 500
    assert info.value.detail_id and info.value.detail_id.endswith(".")


def test_pdf_page_with_an_image_bomb_is_unreadable_and_not_rendered():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = ocr.extract((BROKEN_DIR / "image-bomb.pdf").read_bytes())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.pages[0].unreadable
    assert "cap" in (result.pages[0].reason or "")
    assert grown_mb < 200


def test_every_committed_broken_sample_is_covered():
    samples = {p.name for p in BROKEN_DIR.iterdir() if p.name != "README.md"}
    assert samples == set(REFUSED) | {"image-bomb.pdf"}


def _vector_heavy_pdf(rectangles: int) -> bytes:
    """One A4 page of ``rectangles`` small grey squares: valid, small to upload, slow to draw."""
    ops = "\n".join(
        f"{i % 10 / 10:.1f} g {(i * 7) % 580} {(i * 13) % 830} 3 3 re f" for i in range(rectangles)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_page_that_takes_too_long_to_render_is_unreadable_not_a_held_worker():
    data = _vector_heavy_pdf(200_000)
    limits = ocr.ExtractionLimits(render_timeout_s=0.05)
    page = ocr.read_page(data, 1, limits)
    assert page.unreadable
    assert page.reason == "rendering took over 0.05 s"
