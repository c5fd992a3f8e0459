"""OCR of one raster page: one tesseract pass, a second only when the first reads badly."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

import ocr._preprocess as pre
from ocr._layout import group_rows
from ocr._second import recheck
from ocr._tesseract import RawWord, orientation, read_words
from ocr.types import BoundingBox, Word

# A first pass at or above this mean word confidence is kept as it is.
_GOOD_ENOUGH = 0.80
# Flat scans below this resolution are upscaled to 300 dpi before reading.
_MIN_DPI = 250


@dataclass(frozen=True, slots=True)
class OcrResult:
    """Words in the coordinates of the image given to ``ocr_gray``, scaled to points."""

    words: tuple[Word, ...]
    mean_confidence: float


def _score(words: list[RawWord]) -> float:
    return sum(
        w.confidence for w in words if w.confidence >= 0.5 and any(c.isalnum() for c in w.text)
    )


def _mean(words: list[RawWord]) -> float:
    real = [w.confidence for w in words if any(c.isalnum() for c in w.text)]
    return sum(real) / len(real) if real else 0.0


def _run(
    img: pre.Gray, tmp: Path, name: str, *, psm: int, dpi: int, timeout_s: float
) -> list[RawWord]:
    path = tmp / f"{name}.pgm"
    cv2.imwrite(str(path), img)
    return read_words(path, psm=psm, dpi=dpi, timeout_s=timeout_s)


def ocr_gray(
    gray: pre.Gray, *, dpi: int, pt_per_px: float, photo: bool, timeout_s: float
) -> OcrResult:
    """Read a grayscale page; boxes come back in points of that page.

    ``photo`` asks for the card/sheet finder first (phone photos); ``dpi`` is what tesseract is
    told about the pixels it reads.
    """
    matrix = pre.IDENTITY
    img = gray
    work_dpi = dpi
    if photo:
        found = pre.find_card(gray)
        if found is not None:
            img, matrix = found
            work_dpi = 300
    if work_dpi < _MIN_DPI:
        # A low-resolution scan is read at 300 dpi, as PDF pages are rendered: small print on a
        # 150 dpi card scan loses thin letters ("SITI" -> "ST") at its native size.
        img, m_up = pre.upscale(img, 300.0 / work_dpi)
        matrix = matrix @ m_up
        work_dpi = 300
    angle = pre.skew_angle(img, wide=photo)
    if abs(angle) >= 0.3:
        img, m_rot = pre.rotate(img, angle)
        matrix = matrix @ m_rot
    card_like = img.shape[1] < 2.2 * img.shape[0] and img.shape[0] < 1.1 * img.shape[1]
    psm = 6 if card_like or photo else 3
    with tempfile.TemporaryDirectory(prefix="pintu-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        words = _run(img, tmp, "p1", psm=psm, dpi=work_dpi, timeout_s=timeout_s)
        best_words, best_matrix, best_img = words, matrix, img
        if _mean(words) < _GOOD_ENOUGH or len(words) < 5:
            fixed, m2 = img, matrix
            if _mean(words) < 0.5 or len(words) < 5:
                turn = orientation(tmp / "p1.pgm", timeout_s=timeout_s)
                if turn:
                    fixed, m_turn = pre.rotate_right_angle(fixed, turn)
                    m2 = m2 @ m_turn
            fixed = pre.binarize(fixed, uneven_light=photo)
            second = _run(fixed, tmp, "p2", psm=psm, dpi=work_dpi, timeout_s=timeout_s)
            if _score(second) > _score(words):
                best_words, best_matrix, best_img = second, m2, fixed
    # Doubtful words get a second reader: every one on a card, only numbers on a full page
    # (where reading every doubtful word again would cost pages/min for little gain).
    best_words = recheck(best_img, best_words, numbers_only=not (card_like or photo))
    # Rows are found in the rectified image, then every box is mapped back onto the page.
    local = [
        Word(w.text, w.confidence, BoundingBox(w.left, w.top, w.left + w.width, w.top + w.height))
        for w in best_words
    ]
    out: list[Word] = []
    for number, row in enumerate(group_rows(local), start=1):
        for w in row:
            x0, y0, x1, y1 = pre.map_box(best_matrix, w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1)
            box = BoundingBox(x0 * pt_per_px, y0 * pt_per_px, x1 * pt_per_px, y1 * pt_per_px)
            out.append(Word(w.text, w.confidence, box, number))
    return OcrResult(tuple(out), _mean(best_words))


def to_gray(array: np.ndarray) -> pre.Gray:
    """Return a uint8 grayscale copy of an RGB(A)/L array."""
    if array.ndim == 3:
        code = cv2.COLOR_RGBA2GRAY if array.shape[2] == 4 else cv2.COLOR_RGB2GRAY
        return cv2.cvtColor(array, code).astype(np.uint8)
    return array.astype(np.uint8)
