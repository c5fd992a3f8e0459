"""The demo applicant's documents (used by ``pintu demo``) must be read exactly right."""

from __future__ import annotations

import pytest

import ocr
from tests.corpus.evaluate import normalise
from tests.ocr.conftest import DEMO_DIR

META = {"doc_type", "font", "layout"}


@pytest.mark.parametrize("name", ["ktp.png", "npwp.png", "nib.pdf"])
def test_demo_document_fields_are_exact_and_confident(name, demo_truth):
    truth = demo_truth[name]
    result = ocr.extract((DEMO_DIR / name).read_bytes())
    assert result.doc_type == truth["doc_type"], result.doc_type_cues
    assert result.doc_type_cues
    for field_name, want in truth.items():
        if field_name in META:
            continue
        got = result.fields.get(field_name)
        assert got is not None, field_name
        assert normalise(field_name, got.value) == normalise(field_name, want), field_name
        assert not got.low_confidence, field_name
        assert got.bbox is not None and got.page == 1


def test_born_digital_nib_is_read_from_its_text_layer_and_cards_by_ocr():
    nib = ocr.extract((DEMO_DIR / "nib.pdf").read_bytes())
    ktp = ocr.extract((DEMO_DIR / "ktp.png").read_bytes())
    assert [p.source for p in nib.pages] == ["text"]
    assert [p.source for p in ktp.pages] == ["ocr"]
    assert 0.8 < ktp.pages[0].mean_confidence <= 1.0


def test_field_boxes_point_at_the_value_on_the_page():
    result = ocr.extract((DEMO_DIR / "nib.pdf").read_bytes())
    box = result.fields["nib"].bbox
    assert box is not None
    # A4 in points, top-left origin: the NIB is printed in the upper part of the page.
    assert 0 < box.x0 < box.x1 < 595
    assert 0 < box.y0 < box.y1 < 300


def test_reading_never_modifies_the_input():
    data = (DEMO_DIR / "nib.pdf").read_bytes()
    before = bytes(data)
    ocr.extract(data)
    assert data == before
