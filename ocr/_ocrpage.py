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
from ocr._tesseract import RawWord, read_words
from ocr.types import BoundingBox, Word

# A first pass at or above this mean word confidence is kept as it is.
_GOOD_ENOUGH = 0.80
# Below this, the page may be turned: the other orientations are read too.
_POOR = 0.6
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


def _card_like(img: pre.Gray) -> bool:
    return bool(img.shape[1] < 2.2 * img.shape[0] and img.shape[0] < 1.1 * img.shape[1])


def _psm(img: pre.Gray, photo: bool) -> int:
    """Return tesseract's page segmentation: one block for cards and photos, auto for pages."""
    return 6 if photo or _card_like(img) else 3


def _upright_score(words: list[RawWord]) -> float:
    """Score a reading for orientation: long words read with confidence.

    Text read sideways or upside down comes out as many short fragments (or a few doubtful
    words), which this score gives almost nothing.
    """
    total = 0.0
    for w in words:
        letters = sum(c.isalnum() for c in w.text)
        if w.confidence >= 0.6 and letters >= 3:
            total += w.confidence * min(letters, 8)
    return total


def _upright(
    img: pre.Gray,
    matrix: pre.Matrix,
    words: list[RawWord],
    tmp: Path,
    photo: bool,
    dpi: int,
    timeout_s: float,
) -> tuple[pre.Gray, pre.Matrix, list[RawWord]]:
    """Return the page turned by the quarter turn that reads best (unchanged if none does).

    A portrait image tries the quarter turns first (cards are landscape), a landscape one the
    half turn; the search stops at the first turn that reads well.
    """
    portrait = img.shape[0] > img.shape[1]
    turns = (90, 270, 180) if portrait else (180, 90, 270)
    best = (_upright_score(words), img, matrix, words)
    for turn in turns:
        turned, m_turn = pre.rotate_right_angle(img, turn)
        psm = _psm(turned, photo)
        found = _run(turned, tmp, f"turn{turn}", psm=psm, dpi=dpi, timeout_s=timeout_s)
        score = _upright_score(found)
        if score > 1.5 * best[0] + 5.0:
            best = (score, turned, matrix @ m_turn, found)
            if _mean(found) >= _GOOD_ENOUGH:
                break
    return best[1], best[2], best[3]


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
    flattened = False
    if photo:
        found = pre.find_card(gray)
        if found is not None:
            img, matrix = found
            work_dpi = 300
            flattened = True
    if work_dpi < _MIN_DPI:
        # A low-resolution scan is read at 300 dpi, as PDF pages are rendered: small print on a
        # 150 dpi card scan loses thin letters ("SITI" -> "ST") at its native size.
        img, m_up = pre.upscale(img, 300.0 / work_dpi)
        matrix = matrix @ m_up
        work_dpi = 300
    # A card found and warped flat is upright but for a residue; a photo without one may be
    # held at any angle.
    angle = pre.skew_angle(img, wide=photo, limit=4.0 if flattened else None)
    if abs(angle) >= 0.3:
        img, m_rot = pre.rotate(img, angle)
        matrix = matrix @ m_rot
    psm = _psm(img, photo)
    with tempfile.TemporaryDirectory(prefix="pintu-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        words = _run(img, tmp, "p1", psm=psm, dpi=work_dpi, timeout_s=timeout_s)
        if _mean(words) < _POOR or len(words) < 5:
            # Sideways or upside down (a card photographed turned): read it the other ways.
            img, matrix, words = _upright(img, matrix, words, tmp, photo, work_dpi, timeout_s)
            psm = _psm(img, photo)
        best_words, best_matrix, best_img = words, matrix, img
        if _mean(words) < _GOOD_ENOUGH or len(words) < 5:
            fixed = pre.binarize(img, uneven_light=photo)
            second = _run(fixed, tmp, "p2", psm=psm, dpi=work_dpi, timeout_s=timeout_s)
            if _score(second) > _score(words):
                best_words, best_matrix, best_img = second, matrix, fixed
    # Doubtful words get a second reader: every one on a card, only numbers on a full page
    # (where reading every doubtful word again would cost pages/min for little gain).
    best_words = recheck(best_img, best_words, numbers_only=not (_card_like(best_img) or photo))
    # Rows are found in the rectified image, then every box is mapped back onto the page.
    local = [
        Word(
            w.text,
            w.confidence,
            BoundingBox(w.left, w.top, w.left + w.width, w.top + w.height),
            reader=w.reader,
        )
        for w in best_words
    ]
    out: list[Word] = []
    for number, row in enumerate(group_rows(local), start=1):
        for w in row:
            x0, y0, x1, y1 = pre.map_box(best_matrix, w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1)
            box = BoundingBox(x0 * pt_per_px, y0 * pt_per_px, x1 * pt_per_px, y1 * pt_per_px)
            out.append(Word(w.text, w.confidence, box, number, w.reader))
    return OcrResult(tuple(out), _mean(best_words))


def to_gray(array: np.ndarray) -> pre.Gray:
    """Return a uint8 grayscale copy of an RGB(A)/L array."""
    if array.ndim == 3:
        code = cv2.COLOR_RGBA2GRAY if array.shape[2] == 4 else cv2.COLOR_RGB2GRAY
        return cv2.cvtColor(array, code).astype(np.uint8)
    return array.astype(np.uint8)
