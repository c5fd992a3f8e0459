"""Opening uploads and reading one page at a time (text layer first, OCR where needed).

These run inside a reader process (``_child``), never in the caller's: ``open_here`` and
``read_here`` are what ``ocr.open_document`` and ``ocr.read_page`` ask a reader to do. Before
pdfium sees a PDF, the structural scan (``_pdfscan``, cached per document) has checked what
would hurt the reader (inflating streams, nesting, page-tree loops); every raster is capped in
pixels before it is allocated.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
import math
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from ocr._layout import group_rows
from ocr._ocrpage import ocr_gray, to_gray
from ocr._pdfscan import PdfScan, scan_pdf
from ocr._sniff import sniff
from ocr._tesseract import PageEngineError, PageTimeout
from ocr.errors import (
    CorruptDocument,
    EncryptedDocument,
    FileTooLarge,
    ImageTooLarge,
    error_for,
)
from ocr.types import (
    DEFAULT_LIMITS,
    BoundingBox,
    DocumentInfo,
    ExtractionLimits,
    Finding,
    PageText,
    TableGrid,
    Word,
)

logger = logging.getLogger(__name__)

register_heif_opener()

_PDFIUM_PASSWORD_ERROR = 4
# A text layer with fewer letters/digits than this is a stamp or a scanner's watermark.
_MIN_TEXT_CHARS = 20
# ... and a page mostly covered by an image needs this many to count as born-digital.
_MIN_TEXT_CHARS_OVER_IMAGE = 200


@contextmanager
def _pdf(data: bytes) -> Iterator[pdfium.PdfDocument]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            raise EncryptedDocument("PDF needs a password") from exc
        raise CorruptDocument(f"PDF cannot be opened: {exc}") from exc
    try:
        yield doc
    finally:
        doc.close()


@contextmanager
def _image(data: bytes, limits: ExtractionLimits) -> Iterator[Image.Image]:
    """Open an image lazily and check its pixel count before anything is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise ImageTooLarge("image over Pillow's bomb limit") from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise CorruptDocument(f"image cannot be opened: {type(exc).__name__}") from exc
    try:
        w, h = img.size
        if w * h > limits.max_pixels or w <= 0 or h <= 0:
            raise ImageTooLarge(f"image is {w}x{h} px, cap {limits.max_pixels}")
        yield img
    finally:
        img.close()


def _check_complete(data: bytes, mime: str) -> None:
    """Refuse a truncated JPEG or PNG from its bytes.

    Pillow's own check depends on the process-wide ``ImageFile.LOAD_TRUNCATED_IMAGES``, which
    other libraries switch on; a missing end marker does not.
    """
    tail = data[-4096:]
    if mime == "image/jpeg" and b"\xff\xd9" not in tail:
        raise CorruptDocument("JPEG has no end-of-image marker (truncated)")
    if mime == "image/png" and b"IEND" not in tail:
        raise CorruptDocument("PNG has no IEND chunk (truncated)")


def _frame_count(img: Image.Image) -> int:
    return int(getattr(img, "n_frames", 1))


def open_here(data: bytes, limits: ExtractionLimits = DEFAULT_LIMITS) -> DocumentInfo:
    """Open an upload in this process; return its MIME type and page count, or raise."""
    if len(data) > limits.max_bytes:
        raise FileTooLarge(f"upload is {len(data)} bytes, cap {limits.max_bytes}")
    mime = sniff(data)
    if mime == "application/pdf":
        _, hazards = _hazards(data, limits)
        error = error_for(hazards)
        if error is not None:
            raise error
        with _pdf(data) as doc:
            count = len(doc)
    else:
        _check_complete(data, mime)
        with _image(data, limits) as img:
            count = _frame_count(img)
            if count > limits.max_pages:
                raise FileTooLarge(f"{count} frames, cap {limits.max_pages}")
            _decode_frame(img, 1, limits).close()
    if count <= 0:
        raise CorruptDocument("document has no pages")
    if count > limits.max_pages:
        raise FileTooLarge(f"{count} pages, cap {limits.max_pages}")
    return DocumentInfo(mime=mime, page_count=count)


# What in a structural scan would hurt a reader (the rest, active content included, is policy
# for open_document and inspect, not a danger to pdfium).
_HAZARDS = (
    "decompression_bomb",
    "nesting_too_deep",
    "page_tree_cycle",
    "page_tree_too_deep",
    "too_many_objects",
)
_scans: OrderedDict[bytes, PdfScan] = OrderedDict()
_SCANS_KEPT = 32  # a few documents' scans: page tasks of several documents interleave
_last: tuple[bytes, ExtractionLimits, PdfScan] | None = None


def _hazards(data: bytes, limits: ExtractionLimits) -> tuple[PdfScan, list[Finding]]:
    """Scan a PDF and return the scan with the findings that make it unsafe for pdfium.

    Once per document and limits: a reader reads many pages of one document.
    """
    global _last
    if _last is not None and _last[0] is data and _last[1] == limits:
        scan = _last[2]  # the next page of the same document: no need to hash it again
        return scan, [f for f in scan.findings if f.code in _HAZARDS]
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(repr(limits).encode())
    key = digest.digest()
    if key not in _scans:
        _scans[key] = scan_pdf(data, limits)
        while len(_scans) > _SCANS_KEPT:
            _scans.popitem(last=False)
    _scans.move_to_end(key)
    scan = _scans[key]
    _last = (data, limits, scan)
    return scan, [f for f in scan.findings if f.code in _HAZARDS]


def _decode_frame(img: Image.Image, number: int, limits: ExtractionLimits) -> Image.Image:
    try:
        img.seek(number - 1)
        w, h = img.size
        if w * h > limits.max_pixels:
            raise ImageTooLarge(f"frame {number} is {w}x{h} px, cap {limits.max_pixels}")
        frame = img.copy() if number > 1 else ImageOps.exif_transpose(img)
        frame.load()
    except EOFError as exc:
        raise CorruptDocument(f"frame {number} missing") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptDocument(f"image data damaged: {type(exc).__name__}") from exc
    return frame


def _unreadable(number: int, source: str, w: float, h: float, reason: str) -> PageText:
    logger.warning("page %d unreadable: %s", number, reason)
    return PageText(
        number=number,
        source="ocr" if source == "ocr" else "text",
        width=w,
        height=h,
        unreadable=True,
        reason=reason,
    )


def read_here(data: bytes, number: int, limits: ExtractionLimits = DEFAULT_LIMITS) -> PageText:
    """Read page ``number`` (1-based) in this process.

    A page that cannot be read comes back ``unreadable`` with the reason.
    """
    mime = sniff(data)
    if mime == "application/pdf":
        return _read_pdf_page(data, number, limits)
    return _read_image_page(data, number, mime, limits)


def _glued(textpage: pdfium.PdfTextPage, i: int, count: int) -> bool:
    """Tell whether pdfium's generated space at ``i`` splits a word (a kerned pair, no gap).

    pdfium guesses spaces from glyph positions; a kerned or shifted letter (Open Sans "AJ")
    can make it insert one inside a word. A guessed space is kept only where the advance boxes
    of its neighbours on the same line are at least 0.12 of their height apart.
    """
    if i == 0 or i + 1 >= count or not pdfium_raw.FPDFText_IsGenerated(textpage.raw, i):
        return False
    left0, bottom0, right0, top0 = textpage.get_charbox(i - 1, loose=True)
    left1, bottom1, _, top1 = textpage.get_charbox(i + 1, loose=True)
    height = max(top0 - bottom0, 1e-3)
    same_line = abs(bottom1 - bottom0) < 0.5 * height and left1 >= left0
    return bool(same_line and left1 - right0 < 0.12 * height)


def _displayed(page: pdfium.PdfPage, words: list[Word], top: float) -> list[Word]:
    """Map text-layer boxes from the page's own space onto the page as displayed.

    ``words`` have PDF x and ``top - y``. A page with /Rotate (scanners write it for landscape
    sheets) or a crop box away from the origin shows its content turned or shifted: rows are
    numbered first, in the page's own space where the text runs left to right, then each box is
    mapped with pdfium's display transform (to a tenth of a point).
    """
    width, height = page.get_size()
    x, y = ctypes.c_int(), ctypes.c_int()

    def device(px: float, py: float) -> tuple[float, float]:
        pdfium_raw.FPDF_PageToDevice(page.raw, 0, 0, round(width * 10), round(height * 10), 0,
                                     px, top - py, ctypes.byref(x), ctypes.byref(y))  # fmt: skip
        return x.value / 10, y.value / 10

    out: list[Word] = []
    for number, row in enumerate(group_rows(words), start=1):
        for w in row:
            ax, ay = device(w.bbox.x0, w.bbox.y0)
            bx, by = device(w.bbox.x1, w.bbox.y1)
            box = BoundingBox(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            out.append(Word(w.text, w.confidence, box, number, "text_layer"))
    return out


def _text_layer(page: pdfium.PdfPage, height: float) -> tuple[list[Word], int]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return [], 0
        text = textpage.get_text_range()
        if len(text) != count:
            text = "".join(textpage.get_text_range(i, 1) for i in range(count))
        words: list[Word] = []
        alnum = 0
        start = -1
        chars: list[str] = []
        for i in range(count + 1):
            ch = text[i] if i < count else " "
            if ch.isspace() or ch == "\x00" or ch == "\ufffe":
                if start >= 0 and ch == " " and _glued(textpage, i, count):
                    continue
                if start >= 0:
                    left, bottom, _, top = textpage.get_charbox(start)
                    _, bottom2, right, top2 = textpage.get_charbox(i - 1)
                    words.append(
                        Word(
                            "".join(chars),
                            1.0,
                            BoundingBox(
                                left, height - max(top, top2), right, height - min(bottom, bottom2)
                            ),
                            reader="text_layer",
                        )
                    )
                    start = -1
                    chars = []
                continue
            if ch.isalnum():
                alnum += 1
            if start < 0:
                start = i
            chars.append(ch)
        return words, alnum
    finally:
        textpage.close()


def _image_coverage(page: pdfium.PdfPage, limits: ExtractionLimits) -> tuple[float, int]:
    """Return the share of the page covered by images and the largest image's pixel count."""
    w, h = page.get_size()
    covered = 0.0
    largest = 0
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        covered = max(covered, (right - left) * (top - bottom) / max(w * h, 1.0))
        try:
            pw, ph = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        largest = max(largest, int(pw) * int(ph))
    return covered, largest


def _user_unit(scan: PdfScan, number: int, count: int) -> float:
    """Return the ``/UserUnit`` of page ``number`` (pdfium ignores it).

    The largest one of the document when the scan's page tree and pdfium disagree.
    """
    if len(scan.pages) == count:
        return scan.pages[number - 1].user_unit
    return max((p.user_unit for p in scan.pages), default=1.0)


def _read_pdf_page(data: bytes, number: int, limits: ExtractionLimits) -> PageText:
    scan, hazards = _hazards(data, limits)
    if hazards:
        return _unreadable(number, "text", 0.0, 0.0, "; ".join(f.message for f in hazards))
    with _pdf(data) as doc:
        count = len(doc)
        if not 1 <= number <= count:
            raise CorruptDocument(f"page {number} does not exist")
        try:
            page = doc[number - 1]
        except pdfium.PdfiumError as exc:
            return _unreadable(number, "text", 0.0, 0.0, f"page cannot be loaded: {exc}")
        try:
            w, h = page.get_size()
            left, bottom, _, top = page.get_cropbox()
            if page.get_rotation() == 0 and left == 0 and bottom == 0 and top == h:
                words, alnum = _text_layer(page, h)
            else:
                words, alnum = _text_layer(page, top)
                words = _displayed(page, words, top)
            covered, largest = _image_coverage(page, limits)
            if alnum >= _MIN_TEXT_CHARS and (covered < 0.5 or alnum >= _MIN_TEXT_CHARS_OVER_IMAGE):
                upright = page.get_rotation() == 0 and left == 0 and bottom == 0 and top == h
                tables = _ruled_tables(data, number) if upright and _has_table(words) else ()
                return PageText(number, "text", w, h, tuple(words), 1.0, tables=tables)
            if largest > limits.max_pixels:
                return _unreadable(
                    number, "ocr", w, h, f"embedded image of {largest} px over the cap"
                )
            unit = _user_unit(scan, number, count)
            if max(w, h) * unit > limits.max_page_pt:
                return _unreadable(
                    number,
                    "ocr",
                    w,
                    h,
                    f"page is {w * unit:.0f} x {h * unit:.0f} pt (/UserUnit {unit:g}), "
                    f"over the cap of {limits.max_page_pt:.0f} pt",
                )
            # Scaled down to the pixel cap, never up: the bitmap is allocated at this size.
            cap = min(limits.max_pixels, limits.max_render_pixels)
            dpi = float(limits.dpi)
            if (w * dpi / 72.0) * (h * dpi / 72.0) > cap:
                dpi = 72.0 * (cap / max(w * h, 1.0)) ** 0.5
            try:
                rendered = _render_gray(page, dpi / 72.0, limits.render_timeout_s)
            except (pdfium.PdfiumError, MemoryError, ValueError) as exc:
                return _unreadable(number, "ocr", w, h, f"page cannot be rendered: {exc}")
            if rendered is None:
                return _unreadable(
                    number, "ocr", w, h, f"rendering took over {limits.render_timeout_s:g} s"
                )
            gray = to_gray(rendered)
            del rendered
        finally:
            page.close()
    return _ocr(gray, number, w, h, dpi, 72.0 / dpi, photo=False, limits=limits)


_TABLE_CUES = frozenset({"KBLI", "RISIKO", "LOKASI", "JUDUL"})


def _has_table(words: list[Word]) -> bool:
    """Tell whether a text page may hold a KBLI table (worth pdfplumber's ~30 ms)."""
    seen = {w.text.strip(":").upper() for w in words}
    return "KBLI" in seen and len(seen & _TABLE_CUES) >= 2


def _ruled_tables(data: bytes, number: int) -> tuple[TableGrid, ...]:
    """Ruled tables of page ``number`` as pdfplumber's table finder sees them (lines strategy).

    pdfplumber (pdfminer) parses the file on its own; a file it cannot parse simply has no
    grid, and the table is then read from the words' positions as on a scan.
    """
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[number]) as pdf:
            if not pdf.pages:
                return ()
            found = pdf.pages[0].find_tables()
            grids: list[TableGrid] = []
            for table in found:
                rows = list(table.rows)
                if len(rows) < 2:
                    continue
                columns = tuple((float(c[0]), float(c[2])) for c in rows[0].cells if c is not None)
                spans = tuple((float(r.bbox[1]), float(r.bbox[3])) for r in rows)
                x0, top, x1, bottom = (float(v) for v in table.bbox)
                grids.append(TableGrid(BoundingBox(x0, top, x1, bottom), columns, spans))
            return tuple(grids)
    except (PdfminerException, MalformedPDFException, PDFSyntaxError, ValueError, KeyError,
            TypeError) as exc:  # fmt: skip
        logger.info("pdfplumber found no table on page %d: %s", number, type(exc).__name__)
        return ()


_PAUSE_CALLBACK = dict(pdfium_raw.IFSDK_PAUSE._fields_)["NeedToPauseNow"]


def _render_gray(page: pdfium.PdfPage, scale: float, timeout_s: float) -> np.ndarray | None:
    """Rasterise ``page`` in grey, giving up (None) once ``timeout_s`` has passed.

    pdfium's progressive renderer asks the pause callback between batches of page objects; a
    page built to take minutes (hostile or merely absurd vector art) is abandoned there instead
    of holding the worker until the task's hard time limit kills it.
    """
    width, height = page.get_size()
    px_w, px_h = max(1, round(width * scale)), max(1, round(height * scale))
    deadline = time.monotonic() + timeout_s
    pause = pdfium_raw.IFSDK_PAUSE(version=1)
    pause.NeedToPauseNow = _PAUSE_CALLBACK(lambda _: int(time.monotonic() > deadline))
    bitmap = pdfium.PdfBitmap.new_native(px_w, px_h, format=pdfium_raw.FPDFBitmap_Gray)
    try:
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, px_w, px_h)
        flags = pdfium_raw.FPDF_GRAYSCALE | pdfium_raw.FPDF_ANNOT
        status = pdfium_raw.FPDF_RenderPageBitmap_Start(
            bitmap, page, 0, 0, px_w, px_h, 0, flags, pause
        )
        while status == pdfium_raw.FPDF_RENDER_TOBECONTINUED and time.monotonic() <= deadline:
            status = pdfium_raw.FPDF_RenderPage_Continue(page, pause)
        pdfium_raw.FPDF_RenderPage_Close(page)
        if status == pdfium_raw.FPDF_RENDER_FAILED:
            raise pdfium.PdfiumError("the renderer failed")
        if status != pdfium_raw.FPDF_RENDER_DONE:
            return None
        return np.array(bitmap.to_numpy(), copy=True)
    finally:
        bitmap.close()


# ``ocr_gray`` reads a raster below this dpi at 300 dpi (upscaled): see ``_ocr_dpi``.
_UPSCALED_BELOW_DPI = 250
_UPSCALED_TO_DPI = 300


def _ocr_dpi(dpi: float, pixels: int, cap: int) -> int:
    """Return the dpi to tell ``ocr_gray``: the raster's own, raised where needed.

    ``ocr_gray`` upscales a raster under 250 dpi to 300 dpi; where that would take it past the
    pixel cap the dpi it is told is raised instead (a page rendered small because it is huge
    must not be enlarged back to the size the cap refused).
    """
    floor = math.ceil(_UPSCALED_TO_DPI * math.sqrt(pixels / cap)) if cap > 0 else _UPSCALED_TO_DPI
    if dpi >= _UPSCALED_BELOW_DPI:
        return int(round(dpi))
    return max(1, int(round(dpi)), min(floor, _UPSCALED_TO_DPI))


def _ocr(
    gray: np.ndarray,
    number: int,
    w: float,
    h: float,
    dpi: float,
    pt_per_px: float,
    *,
    photo: bool,
    limits: ExtractionLimits,
) -> PageText:
    cap = min(limits.max_pixels, limits.max_render_pixels)
    tess_dpi = _ocr_dpi(dpi, int(gray.shape[0]) * int(gray.shape[1]), cap)
    try:
        result = ocr_gray(
            gray, dpi=tess_dpi, pt_per_px=pt_per_px, photo=photo, timeout_s=limits.page_timeout_s
        )
    except PageTimeout as exc:
        return _unreadable(number, "ocr", w, h, str(exc))
    except PageEngineError as exc:
        return _unreadable(number, "ocr", w, h, str(exc))
    return PageText(number, "ocr", w, h, result.words, result.mean_confidence)


def _image_dpi(img: Image.Image) -> float:
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi or 0)
    except (TypeError, ValueError):
        value = 0.0
    return value if 50.0 <= value <= 2400.0 else 72.0


def _read_image_page(data: bytes, number: int, mime: str, limits: ExtractionLimits) -> PageText:
    cap = min(limits.max_pixels, limits.max_render_pixels)
    with _image(data, limits) as img:
        if not 1 <= number <= _frame_count(img):
            raise CorruptDocument(f"frame {number} does not exist")
        dpi = _image_dpi(img)
        full = max(img.size)
        if number == 1 and mime == "image/jpeg" and img.size[0] * img.size[1] > cap:
            # decoded straight at 1/2, 1/4 or 1/8 of its size (the smallest not under the cap)
            shrink = math.sqrt(cap / (img.size[0] * img.size[1]))
            img.draft("L", (math.ceil(img.size[0] * shrink), math.ceil(img.size[1] * shrink)))
        try:
            frame = _decode_frame(img, number, limits)
        except CorruptDocument as exc:
            return _unreadable(number, "ocr", 0.0, 0.0, exc.message)
        if number > 1:
            full = max(frame.size)
        gray = to_gray(np.asarray(frame.convert("L")))
        frame.close()
    if gray.shape[0] * gray.shape[1] > cap:
        shrink = math.sqrt(cap / (gray.shape[0] * gray.shape[1]))
        size = (max(1, int(gray.shape[1] * shrink)), max(1, int(gray.shape[0] * shrink)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA).astype(np.uint8)
    scale = max(gray.shape) / max(full, 1)  # 1 unless drafted or scaled down to the cap
    pt_per_px = 72.0 / dpi / scale
    photo = mime in ("image/jpeg", "image/heic")
    tess_dpi = (int(dpi) if dpi != 72.0 else 300) * scale
    return _ocr(
        gray,
        number,
        gray.shape[1] * pt_per_px,
        gray.shape[0] * pt_per_px,
        tess_dpi,
        pt_per_px,
        photo=photo,
        limits=limits,
    )
