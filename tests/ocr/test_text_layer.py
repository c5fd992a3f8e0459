"""Text layers as real producers write them, and the word-level checks of the readers.

Each case comes from a held-out corpus miss: a kerned pair that made pdfium guess a space inside a
word, a KBLI title wrapped after its comma, a page turned by /Rotate, a space both OCR readers
missed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import weasyprint
from PIL import Image, ImageDraw, ImageFont

import ocr
from ocr._fields import extract_fields
from ocr._layout import lines_of
from ocr._second import missed_space, recheck
from ocr._tesseract import RawWord
from ocr.types import BoundingBox, PageText, Word
from tests.corpus import letters
from tests.corpus.persona import make_business, make_person

OPEN_SANS = Path("/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf")


def _pdf(html: str) -> bytes:
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf


def test_a_space_pdfium_guesses_inside_a_kerned_word_is_not_a_word_break():
    pdf = _pdf(
        "<body style=\"font-family: 'Open Sans'; font-size: 9.5pt\"><p>Nama : FAJAR SETIAWAN</p>"
        "<p>Pemerintah Republik Indonesia menerbitkan Nomor Induk Berusaha kepada:</p></body>"
    )
    # Precondition: pdfium itself puts a generated space between "FA" and "JAR".
    doc = pdfium.PdfDocument(pdf)
    textpage = doc[0].get_textpage()
    text = textpage.get_text_range()
    at = text.index("FA") + 2
    assert text[at] == " " and pdfium_raw.FPDFText_IsGenerated(textpage.raw, at)
    textpage.close()
    doc.close()

    page = ocr.read_page(pdf, 1)
    assert page.source == "text"
    assert [w.text for w in page.words][:4] == ["Nama", ":", "FAJAR", "SETIAWAN"]


def test_spaces_written_in_the_text_layer_still_separate_words():
    pdf = _pdf(
        "<body style=\"font-family: 'DejaVu Sans'\"><p>JL. GAJAH MADA NO. 12</p>"
        "<p>Pemerintah Republik Indonesia menerbitkan Nomor Induk Berusaha kepada:</p></body>"
    )
    page = ocr.read_page(pdf, 1)
    assert page.source == "text"
    assert [w.text for w in page.words][:5] == ["JL.", "GAJAH", "MADA", "NO.", "12"]


def _words(rows: list[tuple[float, list[tuple[float, str]]]]) -> PageText:
    words = [
        Word(text, 1.0, BoundingBox(x, y, x + 8.0 * len(text), y + 10.0))
        for y, items in rows
        for x, text in items
    ]
    return PageText(1, "text", 595.0, 842.0, tuple(words), 1.0)


def test_a_kbli_title_wrapped_after_its_comma_keeps_the_comma():
    page = _words(
        [
            (100.0, [(60.0, "No"), (90.0, "KBLI"), (150.0, "Judul"), (200.0, "KBLI")]),
            (120.0, [(60.0, "1"), (90.0, "47111"), (150.0, "MAKANAN,")]),
            (133.0, [(150.0, "MINUMAN"), (220.0, "ATAU"), (260.0, "TEMBAKAU")]),
        ]
    )
    fields = extract_fields(lines_of(page), "nib")
    assert fields["kbli"].value == ("47111",)
    assert fields["kbli_judul"].value == ("MAKANAN, MINUMAN ATAU TEMBAKAU",)


@pytest.fixture(scope="module")
def nib_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import random

    rng = random.Random(7)
    person = make_person(rng)
    business = make_business(rng, person)
    pdf, _ = letters.nib_pdf(person, business, letters.DEV_STYLES[0])
    path = tmp_path_factory.mktemp("rotate") / "nib.pdf"
    path.write_bytes(pdf)
    return path


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_page_turned_by_rotate_gives_the_same_fields_with_boxes_on_the_displayed_page(
    nib_pdf: Path, turn: int, tmp_path: Path
):
    turned = tmp_path / f"turned-{turn}.pdf"
    subprocess.run(["qpdf", f"--rotate=+{turn}", str(nib_pdf), str(turned)], check=True)
    upright = ocr.extract(nib_pdf.read_bytes())
    rotated = ocr.extract(turned.read_bytes())
    assert rotated.pages[0].source == "text"
    for name in ("nib", "nama", "npwp", "kbli"):
        assert rotated.fields[name].value == upright.fields[name].value, name
    width, height = 595.28, 841.89  # A4 upright, in points
    box, turned_box = upright.fields["nib"].bbox, rotated.fields["nib"].bbox
    expected = {
        90: (height - box.y1, box.x0, height - box.y0, box.x1),
        180: (width - box.x1, height - box.y1, width - box.x0, height - box.y0),
        270: (box.y0, width - box.x1, box.y1, width - box.x0),
    }[turn]
    got = (turned_box.x0, turned_box.y0, turned_box.x1, turned_box.y1)
    assert got == pytest.approx(expected, abs=0.3)


def _card_word(gap_share: float) -> tuple[np.ndarray, RawWord]:
    """Draw "SITI" and "ANWAR" ``gap_share`` of the text height apart; box both as one word."""
    font = ImageFont.truetype(str(OPEN_SANS), 30)
    img = Image.new("L", (420, 60), 255)
    draw = ImageDraw.Draw(img)
    x0 = 10
    draw.text((x0, 10), "SITI", font=font, fill=0)
    left, top, right, bottom = draw.textbbox((x0, 10), "SITI", font=font)
    height = bottom - top
    x = right + int(gap_share * height)
    draw.text((x, 10), "ANWAR", font=font, fill=0)
    _, _, right2, _ = draw.textbbox((x, 10), "ANWAR", font=font)
    arr = np.asarray(img)
    return arr, RawWord("SITIANWAR", 0.9, left, top, right2 - left, height)


def test_a_word_with_a_space_wide_gap_inside_is_suspected_of_a_missed_space():
    img, word = _card_word(0.45)
    assert missed_space(img, word, [word])


def test_letters_at_their_normal_spacing_are_not_suspected():
    font = ImageFont.truetype(str(OPEN_SANS), 30)
    img = Image.new("L", (420, 60), 255)
    draw = ImageDraw.Draw(img)
    for text in ("SITIANWAR", "KALIMANTAN", "WIRASWASTA", "PEREMPUAN"):
        draw.rectangle((0, 0, 420, 60), fill=255)
        draw.text((10, 10), text, font=font, fill=0)
        left, top, right, bottom = draw.textbbox((10, 10), text, font=font)
        word = RawWord(text, 0.9, left, top, right - left, bottom - top)
        assert not missed_space(np.asarray(img).copy(), word, [word]), text


def _glued_pair(first: str, second: str, gap_share: float) -> tuple[np.ndarray, RawWord]:
    """Draw ``first`` then ``second`` ``gap_share`` of the text height apart, boxed as one word."""
    font = ImageFont.truetype(str(OPEN_SANS), 30)
    img = Image.new("L", (420, 60), 255)
    draw = ImageDraw.Draw(img)
    left, top, right, bottom = draw.textbbox((10, 10), first, font=font)
    draw.text((10, 10), first, font=font, fill=0)
    x = right + int(gap_share * (bottom - top))
    draw.text((x, 10), second, font=font, fill=0)
    _, _, right2, _ = draw.textbbox((x, 10), second, font=font)
    return np.asarray(img).copy(), RawWord(first + second, 0.95, left, top, right2 - left,
                                           bottom - top)  # fmt: skip


def test_an_abbreviation_glued_to_its_number_gets_its_space_back_and_is_flagged():
    img, word = _glued_pair("NO.", "115", 0.45)
    (out,) = recheck(img, [word], numbers_only=True)
    assert out.text == "NO. 115"
    assert out.confidence <= 0.5


def test_an_abbreviation_printed_without_a_space_stays_as_printed():
    img, word = _glued_pair("NO.", "115", 0.0)
    (out,) = recheck(img, [word], numbers_only=True)
    assert out.text == "NO.115"
    assert out.confidence == 0.95


def test_a_kbli_code_split_across_two_words_is_read_as_one_code():
    page = _words(
        [
            (100.0, [(60.0, "No"), (90.0, "KBLI"), (150.0, "Judul"), (200.0, "KBLI")]),
            (120.0, [(60.0, "1"), (90.0, "4711"), (125.0, "1PERDAGANGAN"), (240.0, "ECERAN")]),
        ]
    )
    fields = extract_fields(lines_of(page), "nib")
    assert fields["kbli"].value == ("47111",)
    assert fields["kbli_judul"].value == ("PERDAGANGAN ECERAN",)


def test_a_place_of_birth_whose_first_letters_stuck_to_the_label_is_joined_and_flagged():
    page = _words(
        [
            (
                100.0,
                [
                    (10.0, "Tempat/Tgl"),
                    (100.0, ":"),
                    (110.0, "LahirSA"),
                    (180.0, "MBAS,"),
                    (240.0, "04-05-1967"),
                ],
            ),  # fmt: skip
        ]
    )
    fields = extract_fields(lines_of(page), "ktp")
    assert fields["tempat_lahir"].value == "SAMBAS"
    assert fields["tempat_lahir"].low_confidence
    assert fields["tanggal_lahir"].value == "1967-05-04"
