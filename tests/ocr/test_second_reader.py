"""The second reader (RapidOCR) on words tesseract doubts: agreement, dispute, and cost."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr._second import AGREED, DISPUTED, recheck
from ocr._tesseract import RawWord

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module")
def printed() -> tuple[np.ndarray, RawWord, RawWord]:
    """A grey image with a word and a number printed on it, and their true boxes."""
    img = Image.new("L", (900, 160), 235)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 36)
    boxes = []
    for text, x in (("MEMPAWAH", 20), ("6102152012953781", 320)):
        draw.text((x, 50), text, font=font, fill=20)
        x0, y0, x1, y1 = draw.textbbox((x, 50), text, font=font)
        boxes.append(RawWord(text, 0.99, x0, y0, x1 - x0, y1 - y0))
    return np.asarray(img, dtype=np.uint8), boxes[0], boxes[1]


def _as_read(word: RawWord, text: str, confidence: float) -> RawWord:
    return RawWord(text, confidence, word.left, word.top, word.width, word.height)


def test_a_doubtful_word_both_readers_agree_on_becomes_confident(printed):
    img, word, _ = printed
    [out] = recheck(img, [_as_read(word, "MEMPAWAH", 0.6)])
    assert out.text == "MEMPAWAH"
    assert out.confidence == AGREED


def test_a_disputed_word_takes_the_sure_reading_and_stays_flagged(printed):
    img, word, number = printed
    out = recheck(img, [_as_read(word, "MEMPAWAK", 0.7), _as_read(number, "6102152012953761", 0.8)])
    assert [w.text for w in out] == ["MEMPAWAH", "6102152012953781"]
    assert all(w.confidence <= DISPUTED for w in out)


def test_confident_words_and_words_outside_the_scope_are_not_read_again(printed):
    img, word, number = printed
    confident = _as_read(word, "MEMPAWAK", 0.95)  # above the doubt threshold: left alone
    no_digit = _as_read(word, "MEMPAWAK", 0.6)  # a full page re-reads numbers only
    out = recheck(img, [confident, no_digit, _as_read(number, "61021520129537B1", 0.6)],
                  numbers_only=True)  # fmt: skip
    assert out[:2] == [confident, no_digit]
    assert out[2].text == "6102152012953781"
