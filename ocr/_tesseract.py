"""The one seam to tesseract: a file path in, words with boxes out.

Tesseract runs under ``prlimit`` (util-linux) with the limits of the reader process that starts
it: the same address-space cap (``RLIMIT_AS``), a CPU limit of the page's time budget, no core
file, and a wall-clock timeout after which it is killed. Its TSV and OSD outputs are parsed
here (the format pytesseract parsed before).
"""

from __future__ import annotations

import functools
import math
import os
import resource
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import OcrEngineFailure
from ocr.types import Reader

LANG = "ind"
# One thread per tesseract process: OpenMP's default made pages 3-6x slower on this machine
# (RECIPES.md); workers parallelise by process.
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
_MISSING = 127  # what prlimit exits with when it cannot find the program


class PageTimeout(Exception):
    """Tesseract did not finish within the page's time budget."""


class PageEngineError(Exception):
    """Tesseract refused this particular image (or died of its limits on it)."""


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


@functools.cache
def _programs() -> tuple[str, str]:
    tesseract, prlimit = shutil.which("tesseract"), shutil.which("prlimit")
    if tesseract is None:
        raise OcrEngineFailure("tesseract binary not found")
    if prlimit is None:
        raise OcrEngineFailure("prlimit (util-linux) not found; tesseract is not run unlimited")
    return tesseract, prlimit


def _command(args: list[str], timeout_s: float) -> list[str]:
    tesseract, prlimit = _programs()
    cpu = max(1, math.ceil(timeout_s))
    limits = [f"--cpu={cpu}:{cpu + 2}", "--core=0"]
    address_space, _ = resource.getrlimit(resource.RLIMIT_AS)
    if address_space != resource.RLIM_INFINITY:
        limits.append(f"--as={address_space}")
    return [prlimit, *limits, "--", tesseract, *args]


def _run(image: Path, extension: str, options: list[str], timeout_s: float) -> str:
    """Run tesseract on ``image``; return the text of its ``extension`` output file."""
    base = image.with_name(f"{image.stem}-{extension}")
    cmd = _command([str(image), str(base), *options, extension], timeout_s)
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, env=_ENV, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PageTimeout(f"tesseract exceeded {timeout_s:.0f} s") from exc
    except OSError as exc:
        raise OcrEngineFailure(f"tesseract cannot be started: {exc}") from exc
    if proc.returncode == _MISSING:
        raise OcrEngineFailure("tesseract binary not found")
    if proc.returncode == -signal.SIGXCPU:
        raise PageTimeout(f"tesseract exceeded {timeout_s:.0f} s of CPU time")
    if proc.returncode < 0:
        err = proc.stderr.lower()
        if b"alloc" in err or b"memory" in err:
            raise PageEngineError("tesseract ran out of memory on the page")
        raise PageEngineError(f"tesseract died of signal {-proc.returncode} on the page")
    if proc.returncode:
        raise PageEngineError(f"tesseract refused the page (status {proc.returncode})")
    try:
        return base.with_suffix(f".{extension}").read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise PageEngineError(f"tesseract wrote no {extension} output") from exc


def read_words(path: Path, *, psm: int, dpi: int, timeout_s: float) -> list[RawWord]:
    """Run one TSV pass over the image file at ``path``."""
    options = ["-l", LANG, "--psm", str(psm), "--dpi", str(dpi)]
    rows = _run(path, "tsv", options, timeout_s).strip().split("\n")
    if len(rows) < 2:
        return []
    header = rows[0].split("\t")
    at = {name: i for i, name in enumerate(header)}
    words: list[RawWord] = []
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        text = cells[at["text"]].strip()
        try:
            conf = float(cells[at["conf"]])
            box = [int(float(cells[at[k]])) for k in ("left", "top", "width", "height")]
        except ValueError:
            continue
        if not text or conf < 0:
            continue
        words.append(RawWord(text, conf / 100.0, box[0], box[1], box[2], box[3]))
    return words
