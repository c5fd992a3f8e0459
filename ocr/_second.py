"""A second reader for the words tesseract doubts: RapidOCR, whose models ship in its wheel.

Only the recogniser runs (no detection), on the box tesseract found, so a word costs ~10-20 ms.
A word both readers agree on is confident; a disputed word keeps the reading the recogniser is
sure of but drops below every confidence threshold, so its field is flagged for the Tim Teknis.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

import ocr._preprocess as pre
from ocr._tesseract import RawWord

# Words tesseract reads below this confidence get a second reading.
DOUBT = 0.85
# Confidence of a word both readers agree on, and the ceiling of a disputed one.
AGREED = 0.90
DISPUTED = 0.50
# A disputed word takes the second reading only when the recogniser is at least this sure.
_SURE = 0.90
# At most this many words per page are read again (the least confident first).
_MAX_WORDS = 40
_MIN_DIGITS = 4
# Words with this many digits are identifiers or dates: always read twice (at most this many).
_ID_DIGITS = 8
_MAX_IDENTIFIERS = 16
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


@functools.cache
def _engine() -> Any:
    """Load the recogniser once per process (about a second); detection is never loaded."""
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.use_det": False,
            "Global.use_cls": False,
            "Global.log_level": "critical",
            # One thread per process, as for tesseract: workers parallelise by process.
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.upper())


def _span(word: RawWord, neighbours: list[RawWord]) -> tuple[int, int]:
    """Return the columns to read for ``word``: its box, less any overlap with words beside it.

    Tesseract's box of a word can reach into the next one ("Tempat/" over "Tgl"); the second
    reader would then read both and disagree with a right first reading.
    """
    left, right = word.left, word.left + word.width
    centre = word.left + word.width / 2
    for other in neighbours:
        if other is word:
            continue
        overlap_y = min(word.top + word.height, other.top + other.height) - max(word.top, other.top)
        if overlap_y < 0.5 * min(word.height, other.height):
            continue
        o_left, o_right = other.left, other.left + other.width
        if o_right <= left or o_left >= right:
            continue
        if o_left + other.width / 2 > centre:
            right = min(right, o_left)
        else:
            left = max(left, o_right)
    if right - left < 0.5 * word.width:
        return word.left, word.left + word.width
    return left, right


def _rows_near(words: list[RawWord]) -> list[list[RawWord]]:
    """For each word, the words whose vertical extent meets its own (its row's candidates).

    A sweep over the words sorted by top edge, so that a full page (hundreds of words) does not
    compare every word with every other one.
    """
    order = sorted(range(len(words)), key=lambda i: words[i].top)
    tops = [words[i].top for i in order]
    tallest = max((w.height for w in words), default=0)
    near: list[list[RawWord]] = []
    for w in words:
        lo = bisect.bisect_left(tops, w.top - tallest)
        hi = bisect.bisect_left(tops, w.top + w.height)
        near.append([words[j] for j in order[lo:hi] if words[j].top + words[j].height > w.top])
    return near


# "NO.115", "JL.12": an abbreviation glued to the number after it.
_ABBREVIATION_NUMBER = re.compile(r"^([A-Za-z]{1,4}\.)(\d[\d/-]*[.,]?)$")


# The gap after an abbreviation's period that is a space (a period's own margin is ~0.25).
_ABBREVIATION_GAP = 0.35
# A gap inside a word at least this share of its height is a space the readers missed.
_SPACE_GAP = 0.3
_SPACE_RATIO = 2.5


def missed_space(img: pre.Gray, word: RawWord, neighbours: list[RawWord]) -> bool:
    """Tell whether ``word`` (letters only, or "NO.115") hides a space-wide gap between glyphs.

    Both readers can glue two names whose space a narrow font or blur shrank ("SITIANWAR"), or
    an abbreviation and its number ("NO.115"); such a word must not count as confident,
    whatever the readers agree on.
    """
    if len(word.text) < 4 or word.height < 8:
        return False
    abbreviation = _ABBREVIATION_NUMBER.match(word.text)
    if not (word.text.isalpha() or abbreviation):
        return False
    left, right = _span(word, neighbours)
    crop = img[word.top : word.top + word.height, left:right]
    if crop.size == 0:
        return False
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = np.flatnonzero((ink > 0).any(axis=0))
    steps = np.diff(inked) - 1
    if abbreviation:
        # The glyphs of "NO." are the first runs of ink; the gap after the period decides.
        breaks = np.flatnonzero(steps > 0)
        period = len(abbreviation.group(1)) - 1
        return len(breaks) > period and steps[breaks[period]] >= _ABBREVIATION_GAP * word.height
    gaps = steps[steps > 0]
    if len(gaps) < 2:
        return False
    widest = int(gaps.max())
    # A space is wide for the word's height and wide next to its letters' usual spacing.
    return widest >= _SPACE_GAP * word.height and widest >= _SPACE_RATIO * float(np.median(gaps))


def read_again(
    img: pre.Gray, word: RawWord, neighbours: list[RawWord] | None = None
) -> tuple[str, float]:
    """Return the second reader's text for ``word``'s box in ``img`` and its lowest score."""
    left, right = _span(word, neighbours or [])
    pad_y = max(2, int(0.25 * word.height))
    pad_x = max(2, int(0.15 * word.height))
    crop = img[
        max(0, word.top - pad_y) : word.top + word.height + pad_y,
        max(0, left - pad_x) : right + pad_x,
    ]
    if crop.size == 0:
        return "", 0.0
    result = _engine()(crop, use_det=False, use_cls=False, use_rec=True)
    texts = [t.strip() for t in (result.txts or ()) if t.strip()]
    if not texts:
        return "", 0.0
    return " ".join(texts).replace("\uff1a", ":"), float(min(result.scores))


def _unglued(word: RawWord) -> RawWord:
    """Lower a glued word's confidence; put back the space after an abbreviation ("NO. 115").

    Where a glued word is a name, the place of the space is not known, so only its confidence
    drops. The space after an abbreviation's period is the only place it can be.
    """
    abbreviation = _ABBREVIATION_NUMBER.match(word.text)
    text = f"{abbreviation.group(1)} {abbreviation.group(2)}" if abbreviation else word.text
    return replace(word, text=text, confidence=min(word.confidence, DISPUTED))


def recheck(img: pre.Gray, words: list[RawWord], *, numbers_only: bool = False) -> list[RawWord]:
    """Read the doubtful words again; agreement raises, disagreement lowers their confidence.

    ``numbers_only`` limits the second reading of doubtful words to words with four digits or
    more (NIK, NPWP, NIB, KBLI, dates), not row numbers or a colon read as "1". Words that look
    like identifiers (eight digits or more) are always read again, however sure tesseract is:
    only two readers agreeing make such a number certain.
    """
    doubtful = sorted(
        (
            i
            for i, w in enumerate(words)
            if w.confidence < DOUBT
            and _key(w.text)
            and (not numbers_only or sum(c.isdigit() for c in w.text) >= _MIN_DIGITS)
        ),
        key=lambda i: words[i].confidence,
    )[:_MAX_WORDS]
    chosen = set(doubtful)
    identifiers = [
        i
        for i, w in enumerate(words)
        if i not in chosen and sum(c.isdigit() for c in w.text) >= _ID_DIGITS
    ][:_MAX_IDENTIFIERS]
    near = _rows_near(words)
    glued = {i for i, w in enumerate(words) if missed_space(img, w, near[i])}
    out = [_unglued(w) if i in glued else w for i, w in enumerate(words)]
    for i in (*doubtful, *identifiers):
        word = words[i]
        text, score = read_again(img, word, near[i])
        if _key(text) == _key(word.text):
            if i not in glued:
                out[i] = replace(
                    word, confidence=max(word.confidence, AGREED), reader="two_readers"
                )
        elif _key(text) and score >= _SURE and word.confidence < DOUBT:
            out[i] = replace(
                word, text=text, confidence=min(word.confidence, DISPUTED), reader="second_reader"
            )
        else:
            out[i] = replace(out[i], confidence=min(word.confidence, DISPUTED))
    return out


def warm_up() -> None:
    """Load the second reader's models and run it once (once per process), not in a first task.

    The first inference of an ONNX session also allocates and tunes its buffers (~0.3 s).
    """
    blank = np.full((32, 96), 255, dtype=np.uint8)
    cv2.putText(blank, "1234", (4, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    _engine()(blank, use_det=False, use_cls=False, use_rec=True)
