"""Which characters the documents' fonts can draw.

PDF/A forbids drawing the ``.notdef`` glyph, which is what a character no installed font covers
(a CJK or Thai name, a rare emoji) would become. Text is therefore mapped to U+FFFD for code points
outside the fonts the stylesheet names (looked up once per process through fontconfig).
"""

from __future__ import annotations

import functools
import logging
import subprocess

from fontTools.ttLib import TTFont, TTLibError

FONT_FAMILIES = ("DejaVu Sans", "DejaVu Serif")
"""The families ``dokumen.css`` uses; fontconfig falls back between them glyph by glyph."""
REPLACEMENT = "\ufffd"
_FC_TIMEOUT_S = 10

logger = logging.getLogger(__name__)


@functools.cache
def covered_codepoints() -> frozenset[int] | None:
    """Return the code points the document fonts cover, or None if fontconfig cannot say."""
    covered: set[int] = set()
    for family in FONT_FAMILIES:
        try:
            path = subprocess.run(
                ["fc-match", "--format=%{file}", family],
                capture_output=True,
                text=True,
                timeout=_FC_TIMEOUT_S,
                check=True,
            ).stdout.strip()
            cmap = TTFont(path, lazy=True)["cmap"].getBestCmap()
        except (OSError, subprocess.SubprocessError, TTLibError, KeyError) as exc:
            logger.warning("font coverage unknown for %s (%s): text is not filtered", family, exc)
            return None
        covered.update(cmap)
    return frozenset(covered)


def drawable(text: str) -> str:
    """Replace each character the document fonts cannot draw by U+FFFD."""
    covered = covered_codepoints()
    if covered is None or all(ord(ch) in covered for ch in text):
        return text
    return "".join(ch if ord(ch) in covered or ch == " " else REPLACEMENT for ch in text)
