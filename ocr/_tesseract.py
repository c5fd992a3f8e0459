"""The one seam to tesseract (through pytesseract): a file path in, words with boxes out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from ocr.errors import OcrEngineFailure
from ocr.types import Reader

LANG = "ind"


class PageTimeout(Exception):
    """Tesseract did not finish within the page's time budget."""


class PageEngineError(Exception):
    """Tesseract refused this particular image."""


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word as tesseract reports it, in pixels of the image it read."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    reader: Reader = "tesseract"
    """``tesseract``; ``two_readers`` once the second reader agreed; ``second_reader`` when the
    second reading replaced tesseract's."""


def read_words(path: Path, *, psm: int, dpi: int, timeout_s: float) -> list[RawWord]:
    """Run one ``image_to_data`` pass over the image file at ``path``."""
    # One thread per tesseract process: OpenMP's default made pages 3-6x slower on this
    # machine (RECIPES.md); pytesseract passes os.environ to the child process.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        data = pytesseract.image_to_data(
            str(path),
            lang=LANG,
            config=f"--psm {psm} --dpi {dpi}",
            timeout=timeout_s,
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrEngineFailure("tesseract binary not found") from exc
    except pytesseract.TesseractError as exc:
        raise PageEngineError(f"tesseract refused the page (status {exc.status})") from exc
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise PageTimeout(f"tesseract exceeded {timeout_s:.0f} s") from exc
        raise OcrEngineFailure("tesseract failed") from exc
    words: list[RawWord] = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(
            RawWord(
                text,
                conf / 100.0,
                int(data["left"][i]),
                int(data["top"][i]),
                int(data["width"][i]),
                int(data["height"][i]),
            )
        )
    return words
