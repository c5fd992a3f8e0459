"""Image headers read from the bytes, without an image library.

The declared size, the frame count and whether the file is complete: what ``inspect`` needs to
refuse a pixel bomb, a 500-frame TIFF or a truncated upload in microseconds, before anything is
decoded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

import numpy as np

from ocr.types import ExtractionLimits, Finding

_MAX_SEGMENTS = 10_000
_MAX_IFDS = 10_000
_MAX_BOXES = 10_000
# TIFF field types: bytes per value and the numpy type to read them
_TIFF_TYPES = {1: (1, "u1"), 3: (2, "u2"), 4: (4, "u4"), 16: (8, "u8")}


@dataclass(slots=True)
class ImageScan:
    """Declared size (the largest frame), frames counted (one past the cap at most), findings."""

    width: int = 0
    height: int = 0
    frames: int = 0
    findings: list[Finding] = field(default_factory=list)

    def frame(self, width: int, height: int) -> None:
        """Count one frame of ``width`` x ``height`` px."""
        self.frames += 1
        if width * height > self.width * self.height:
            self.width, self.height = width, height

    def corrupt(self, message: str, code: str = "corrupt") -> None:
        """Refuse the image as damaged."""
        self.findings.append(Finding(code, message, True))


def scan_image(data: bytes, mime: str, limits: ExtractionLimits) -> ImageScan:
    """Read the header of a JPEG, PNG, TIFF or HEIC upload (``mime`` as sniffed)."""
    scan = ImageScan()
    try:
        if mime == "image/png":
            _png(data, scan)
        elif mime == "image/jpeg":
            _jpeg(data, scan)
        elif mime == "image/tiff":
            _tiff(data, scan, limits.max_pages + 1)
        else:
            _heif(data, scan)
    except (struct.error, ValueError, IndexError):
        scan.corrupt(f"{mime} header cannot be read")
    if not scan.findings and (scan.frames == 0 or scan.width <= 0 or scan.height <= 0):
        scan.corrupt(f"{mime} declares no image")
    return scan


def _png(data: bytes, scan: ImageScan) -> None:
    if data[12:16] != b"IHDR":
        scan.corrupt("PNG does not start with its IHDR chunk")
        return
    width, height = struct.unpack(">II", data[16:24])
    frames = 1
    pos = 8
    for _ in range(_MAX_SEGMENTS):  # an animated PNG says its frame count before the image data
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"acTL":
            frames = max(1, struct.unpack(">I", data[pos + 8 : pos + 12])[0])
        if kind in (b"IDAT", b"IEND"):
            break
        pos += 12 + length
    scan.frame(width, height)
    scan.frames = frames
    if b"IEND" not in data[-4096:]:
        scan.corrupt("PNG has no IEND chunk (truncated)", "truncated")


_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes, scan: ImageScan) -> None:
    pos = 2
    for _ in range(_MAX_SEGMENTS):
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            break
        marker = data[pos]
        pos += 1
        if marker in (0x01, *range(0xD0, 0xD9)):
            continue
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            scan.frame(width, height)
            break
        if marker == 0xDA or length < 2:
            break
        pos += length
    if scan.frames == 0:
        scan.corrupt("JPEG has no frame header before its image data")
    elif b"\xff\xd9" not in data[-4096:]:
        scan.corrupt("JPEG has no end-of-image marker (truncated)", "truncated")


def _tiff(data: bytes, scan: ImageScan, most: int) -> None:
    order = "<" if data[:2] == b"II" else ">"
    (magic,) = struct.unpack(order + "H", data[2:4])
    big = magic == 43
    offset = struct.unpack(order + ("Q" if big else "I"), data[8:16] if big else data[4:8])[0]
    seen: set[int] = set()
    end = 0
    while offset and offset not in seen and len(seen) < _MAX_IFDS and scan.frames < most:
        seen.add(offset)
        count_fmt, entry = ("Q", 20) if big else ("H", 12)
        count_size = 8 if big else 2
        (count,) = struct.unpack(order + count_fmt, data[offset : offset + count_size])
        tags: dict[int, tuple[int, int, int]] = {}
        pos = offset + count_size
        for _ in range(min(count, 4096)):
            if big:
                tag, kind, n = struct.unpack(order + "HHQ", data[pos : pos + 12])
                value_at = pos + 12
            else:
                tag, kind, n = struct.unpack(order + "HHI", data[pos : pos + 8])
                value_at = pos + 8
            tags[tag] = (kind, n, value_at)
            pos += entry
        width, height = (
            _tiff_scalar(data, order, big, tags.get(256)),
            _tiff_scalar(data, order, big, tags.get(257)),
        )
        scan.frame(width, height)
        starts = _tiff_array(data, order, big, tags.get(273) or tags.get(324))
        sizes = _tiff_array(data, order, big, tags.get(279) or tags.get(325))
        if len(starts) and len(starts) == len(sizes):
            end = max(end, int((starts + sizes).max()))
        link = data[pos : pos + (8 if big else 4)]
        offset = struct.unpack(order + ("Q" if big else "I"), link)[0] if len(link) else 0
    if end > len(data):
        scan.corrupt(f"TIFF image data runs {end - len(data)} bytes past the end", "truncated")


def _tiff_array(data: bytes, order: str, big: bool, tag: tuple[int, int, int] | None) -> np.ndarray:
    if tag is None or tag[0] not in _TIFF_TYPES or tag[1] > 1_000_000:
        return np.zeros(0, dtype=np.uint64)
    kind, n, value_at = tag
    size, code = _TIFF_TYPES[kind]
    inline = 8 if big else 4
    at = value_at
    if size * n > inline:
        at = struct.unpack(order + ("Q" if big else "I"), data[value_at : value_at + inline])[0]
    raw = data[at : at + size * n]
    if len(raw) < size * n:
        raise ValueError("TIFF array outside the file")
    return np.frombuffer(raw, dtype=np.dtype(order + code)).astype(np.uint64)


def _tiff_scalar(data: bytes, order: str, big: bool, tag: tuple[int, int, int] | None) -> int:
    values = _tiff_array(data, order, big, tag)
    return int(values[0]) if len(values) else 0


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """ISO base media boxes between ``start`` and ``end``: (type, payload start, box end)."""
    out: list[tuple[bytes, int, int]] = []
    pos = start
    while pos + 8 <= end and len(out) < _MAX_BOXES:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        head = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            head = 16
        elif size == 0:
            size = end - pos
        if size < head:
            break
        out.append((kind, pos + head, min(pos + size, end)))
        pos += size
    return out


def _heif(data: bytes, scan: ImageScan) -> None:
    """Take the largest ``ispe`` (image spatial extent) in meta/iprp/ipco as the size."""
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"meta":
            continue
        for kind2, start2, end2 in _boxes(data, start + 4, end):
            if kind2 != b"iprp":
                continue
            for kind3, start3, end3 in _boxes(data, start2, end2):
                if kind3 != b"ipco":
                    continue
                sizes = [
                    struct.unpack(">II", data[s + 4 : s + 12])
                    for k, s, _ in _boxes(data, start3, end3)
                    if k == b"ispe"
                ]
                if sizes:
                    width, height = max(sizes, key=lambda wh: wh[0] * wh[1])
                    scan.frame(int(width), int(height))
                    return
    scan.corrupt("HEIC has no image size (meta/iprp/ipco/ispe)")
