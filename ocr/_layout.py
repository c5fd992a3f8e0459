"""Words to lines by geometry, not by the engine's block order.

A label and its value on the same row stay together whatever layout or page segmentation
produced them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ocr.types import BoundingBox, PageText, Word


@dataclass(frozen=True, slots=True)
class Line:
    """Words of one visual row, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """Return the words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BoundingBox:
        """Return the box around all words."""
        return box_of(self.words)


def box_of(words: tuple[Word, ...] | list[Word]) -> BoundingBox:
    """Return the box around ``words`` (which must not be empty)."""
    box = words[0].bbox
    for w in words[1:]:
        box = box.union(w.bbox)
    return box


def _clean(text: str) -> str:
    # Full-width colons and similar come out of some engines; NFKC folds them.
    return unicodedata.normalize("NFKC", text)


def group_rows(words: list[Word]) -> list[list[Word]]:
    """Group words into visual rows by vertical overlap, each row left to right, top to bottom."""
    words = sorted(words, key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2.0)
    rows: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in words:
        cy = (w.bbox.y0 + w.bbox.y1) / 2.0
        height = max(w.bbox.y1 - w.bbox.y0, 1.0)
        best = -1
        best_dist = 0.0
        for i in range(len(rows) - 1, max(-1, len(rows) - 6), -1):
            y0, y1 = bands[i]
            dist = abs(cy - (y0 + y1) / 2.0)
            if dist <= 0.5 * min(height, y1 - y0) + 0.5 and (best < 0 or dist < best_dist):
                best, best_dist = i, dist
        if best < 0:
            rows.append([w])
            bands.append((w.bbox.y0, w.bbox.y1))
        else:
            rows[best].append(w)
            y0, y1 = bands[best]
            n = len(rows[best])
            bands[best] = (y0 + (w.bbox.y0 - y0) / n, y1 + (w.bbox.y1 - y1) / n)
    out = [sorted(r, key=lambda w: w.bbox.x0) for r in rows]
    out.sort(key=lambda r: min(w.bbox.y0 for w in r))
    return out


def lines_of(page: PageText) -> list[Line]:
    """Return a page's rows: the OCR stage's row numbers when it set them, else by geometry."""
    words = [replace(w, text=_clean(w.text)) for w in page.words if w.text.strip()]
    if words and all(w.line > 0 for w in words):
        by_line: dict[int, list[Word]] = {}
        for w in words:
            by_line.setdefault(w.line, []).append(w)
        # Row numbers are assigned top to bottom, words left to right, in the rectified image.
        return [Line(page.number, tuple(by_line[k])) for k in sorted(by_line)]
    return [Line(page.number, tuple(r)) for r in group_rows(words)]


_NON_WORD = re.compile(r"[^0-9A-Z]+")


def norm(text: str) -> str:
    """Upper-case, fold accents, keep letters and digits separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", folded.upper()).strip()
