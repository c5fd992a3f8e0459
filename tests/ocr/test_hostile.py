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
