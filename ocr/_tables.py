"""Tables read by their column headers, in any column order: the NIB's list of KBLI lines.

A header row names its columns (code, title, business location, risk level, permit); every word
below it belongs to the column whose span holds its centre, and a row starts where the code column
holds a five-digit code (a cell may wrap onto several lines). Born-digital pages with ruled tables
bring their grid from pdfplumber (``PageText.tables``): its cells decide columns and rows exactly.
Scans have only the words' boxes: the columns come from the header words' positions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ocr._ids import repair_digits
from ocr._labels import word_matches
from ocr._layout import Line, norm
from ocr.types import TableGrid, Word

Kind = str
# Header phrases per column kind, normalised; longer phrases are tried first. Single words that
# open a two-line header ("Kode" over "KBLI", "Tingkat" over "Risiko") are listed too.
HEADERS: dict[Kind, tuple[str, ...]] = {
    "code": ("KODE KBLI", "KBLI", "KODE"),
    "title": (
        "JUDUL KBLI",
        "URAIAN KBLI",
        "NAMA KBLI",
        "URAIAN KEGIATAN",
        "KEGIATAN USAHA",
        "BIDANG USAHA",
        "NAMA KEGIATAN",
        "JUDUL",
        "URAIAN",
    ),
    "location": (
        "LOKASI USAHA",
        "ALAMAT USAHA",
        "LOKASI KEGIATAN",
        "ALAMAT LOKASI",
        "LOKASI PROYEK",
        "LOKASI",
    ),
    "risk": ("TINGKAT RISIKO", "KLASIFIKASI RISIKO", "RISIKO", "TINGKAT"),
    "permit": (
        "PERIZINAN BERUSAHA",
        "JENIS PERIZINAN",
        "PERIZINAN",
        "KETERANGAN",
        "PERSYARATAN",
        "STATUS",
    ),
    "no": ("NO URUT", "NOMOR", "NO"),
}
_PHRASES: list[tuple[Kind, tuple[str, ...]]] = sorted(
    ((kind, tuple(p.split())) for kind, phrases in HEADERS.items() for p in phrases),
    key=lambda item: -len(item[1]),
)
# Words that may continue a header cell on the line below ("Kode" / "KBLI").
_HEADER_TAIL = frozenset({"KBLI", "USAHA", "RISIKO", "BERUSAHA", "PERIZINAN", "KEGIATAN", "URUT"})
_RISK_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("MENENGAH", "TINGGI"), "MT"),
    (("MENENGAH", "RENDAH"), "MR"),
    (("MT",), "MT"),
    (("MR",), "MR"),
    (("TINGGI",), "T"),
    (("RENDAH",), "R"),
    (("T",), "T"),
    (("R",), "R"),
)
# A paragraph after the table (the NIB's closing sentences) ends it.
_END_WORDS = frozenset({"DEMIKIAN", "DITERBITKAN", "DITETAPKAN", "CATATAN", "KETENTUAN"})
_FIVE = re.compile(r"^\d{5}$")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its kind and horizontal span (points)."""

    kind: Kind
    x0: float
    x1: float


@dataclass(frozen=True, slots=True)
class KbliRow:
    """One KBLI line of the table, each cell with the words it was read from."""

    page: int
    code: str
    code_words: tuple[Word, ...]
    title: str
    title_words: tuple[Word, ...]
    location: str
    location_words: tuple[Word, ...]
    risk: str
    """``R``, ``MR``, ``MT``, ``T`` or empty."""
    risk_words: tuple[Word, ...]
    repaired: bool = False


def _height(words: Sequence[Word]) -> float:
    heights = sorted(w.bbox.y1 - w.bbox.y0 for w in words)
    return max(heights[len(heights) // 2], 1.0) if heights else 1.0


def _phrases(tokens: list[str]) -> list[tuple[Kind, int, int]]:
    """Return the header phrases on a row of tokens: (kind, first token, end index)."""
    out: list[tuple[Kind, int, int]] = []
    i = 0
    while i < len(tokens):
        for kind, words in _PHRASES:
            end = i + len(words)
            if end <= len(tokens) and all(
                word_matches(t, w, in_phrase=len(words) > 1)
                for t, w in zip(tokens[i:end], words, strict=True)
            ):
                out.append((kind, i, end))
                i = end
                break
        else:
            i += 1
    return out


def _split_tokens(line: Line) -> tuple[list[str], list[Word]]:
    """Return normalised tokens and their words (a word holding two, "Kode/KBLI", twice)."""
    tokens: list[str] = []
    owners: list[Word] = []
    for w in line.words:
        parts = norm(w.text).split()
        for part in parts or [""]:
            tokens.append(part)
            owners.append(w)
    return tokens, owners


def _header_columns(line: Line) -> list[Column] | None:
    """Return the columns a header row names, or None when it is no KBLI table header."""
    tokens, owners = _split_tokens(line)
    found = _phrases(tokens)
    kinds = {k for k, _, _ in found}
    if "code" not in kinds and not ("title" in kinds and "KBLI" in tokens):
        return None
    if len(kinds - {"no"}) < 2:
        return None
    # A header is short labels, not a sentence: most of its words belong to a phrase.
    covered = sum(end - start for _, start, end in found)
    if covered < 0.6 * len([t for t in tokens if t]):
        return None
    columns: list[Column] = []
    for kind, start, end in found:
        words = owners[start:end]
        columns.append(Column(kind, min(w.bbox.x0 for w in words), max(w.bbox.x1 for w in words)))
    return columns


@dataclass(frozen=True, slots=True)
class _Segment:
    """A header phrase (or a lone header word) and its horizontal span."""

    kind: Kind | None
    x0: float
    x1: float
    tokens: tuple[str, ...]


def _segments(line: Line) -> list[_Segment]:
    tokens, owners = _split_tokens(line)
    found = _phrases(tokens)
    segments: list[_Segment] = []
    covered: set[int] = set()
    for kind, start, end in found:
        words = owners[start:end]
        segments.append(
            _Segment(kind, min(w.bbox.x0 for w in words), max(w.bbox.x1 for w in words),
                     tuple(tokens[start:end]))
        )  # fmt: skip
        covered.update(range(start, end))
    for i, token in enumerate(tokens):
        if i not in covered and token:
            w = owners[i]
            segments.append(_Segment(None, w.bbox.x0, w.bbox.x1, (token,)))
    return sorted(segments, key=lambda seg: seg.x0)


def _header_like(line: Line) -> bool:
    """Tell whether a row is made of header words (a part of a header over two rows)."""
    tokens, _ = _split_tokens(line)
    real = [t for t in tokens if t]
    if not real:
        return False
    covered = sum(end - start for _, start, end in _phrases(tokens))
    tail = sum(t in _HEADER_TAIL for t in real)
    return covered + tail >= 0.6 * len(real) and covered + tail >= 1


def _merged_header(lines: Sequence[Line]) -> list[Column] | None:
    """Return the columns a header over one or more rows names ("Kode" over "KBLI")."""
    merged = _segments(lines[0])
    for line in lines[1:]:
        for seg in _segments(line):
            centre = (seg.x0 + seg.x1) / 2
            for i, top in enumerate(merged):
                top_centre = (top.x0 + top.x1) / 2
                if top.x0 - 2 <= centre <= top.x1 + 2 or seg.x0 - 2 <= top_centre <= seg.x1 + 2:
                    merged[i] = _Segment(None, min(top.x0, seg.x0), max(top.x1, seg.x1),
                                         top.tokens + seg.tokens)  # fmt: skip
                    break
            else:
                merged.append(seg)
    columns: list[Column] = []
    for seg in merged:
        found = _phrases(list(seg.tokens))
        kind = found[0][0] if found else seg.kind
        if kind is not None:
            columns.append(Column(kind, seg.x0, seg.x1))
    kinds = {c.kind for c in columns}
    tokens = {t for seg in merged for t in seg.tokens}
    if "code" not in kinds and not ("title" in kinds and "KBLI" in tokens):
        return None
    if len(kinds - {"no"}) < 2:
        return None
    return sorted(columns, key=lambda c: c.x0)


def _dedupe(columns: list[Column]) -> list[Column]:
    """Keep one column per kind: the leftmost."""
    seen: set[Kind] = set()
    out: list[Column] = []
    for col in sorted(columns, key=lambda c: c.x0):
        if col.kind in seen:
            continue
        seen.add(col.kind)
        out.append(col)
    return out


def _edges(ordered: Sequence[Column]) -> list[float]:
    """Return the x of each edge between neighbouring columns (midway between their spans)."""
    return [(a.x1 + b.x0) / 2 for a, b in zip(ordered, ordered[1:], strict=False)]


def _assign(words: Sequence[Word], columns: Sequence[Column]) -> dict[Kind, list[Word]]:
    """Put each word in the column whose span (to the midpoints between columns) holds it."""
    ordered = sorted(columns, key=lambda c: c.x0)
    edges = _edges(ordered)
    cells: dict[Kind, list[Word]] = {}
    for w in words:
        centre = (w.bbox.x0 + w.bbox.x1) / 2
        index = sum(centre > e for e in edges)
        cells.setdefault(ordered[index].kind, []).append(w)
    return cells


def _flows_across(words: Sequence[Word], columns: Sequence[Column], height: float) -> bool:
    """Tell whether a row's text runs across column edges (a paragraph after the table).

    Inside a table each cell's words stay in their column: a run of words spaced as in a
    sentence (gaps under one row height) does not cross two column edges (one, in a table of
    two columns). The edges here are the headers' midpoints, so one crossing is forgiven.
    """
    edges = _edges(sorted(columns, key=lambda c: c.x0))
    need = min(2, len(edges))
    run_start = 0
    for i in range(1, len(words) + 1):
        if i < len(words) and words[i].bbox.x0 - words[i - 1].bbox.x1 <= 1.0 * height:
            continue
        run = words[run_start:i]
        run_start = i
        if len(run) < 2:
            continue
        x0 = (run[0].bbox.x0 + run[0].bbox.x1) / 2
        x1 = (run[-1].bbox.x0 + run[-1].bbox.x1) / 2
        if sum(x0 < e < x1 for e in edges) >= need:
            return True
    return False


def _grid_columns(grid: TableGrid, header: Sequence[Line]) -> list[Column] | None:
    """Return columns from a pdfplumber grid: each header cell's span, kind from its words."""
    if not grid.columns:
        return None
    columns: list[Column] = []
    for x0, x1 in grid.columns:
        inside = [
            w
            for line in header
            for w in line.words
            if x0 - 1 <= (w.bbox.x0 + w.bbox.x1) / 2 <= x1 + 1
        ]
        tokens = [t for w in inside for t in norm(w.text).split()]
        found = _phrases(tokens)
        if found:
            columns.append(Column(found[0][0], x0, x1))
    return columns or None


def risk_code(text: str, *, whole: bool = False) -> str:
    """Return ``R``, ``MR``, ``MT`` or ``T`` for a printed risk level, or ``""``.

    ``whole``: the text must be the risk level and nothing else (a table cell); a cell that
    holds other words too (a neighbouring column's) says nothing certain.
    """
    tokens = norm(text).split()
    for i in range(len(tokens)):
        for words, code in _RISK_WORDS:
            end = i + len(words)
            if end <= len(tokens) and all(
                word_matches(t, w, in_phrase=len(words) > 1) if len(w) > 2 else t == w
                for t, w in zip(tokens[i:end], words, strict=True)
            ):
                if whole and (i > 0 or end < len(tokens)):
                    return ""
                return code
    return ""


def _code_of(words: Sequence[Word]) -> tuple[str, list[Word], list[Word], bool] | None:
    """Return the five-digit code opening a code cell and the words after it (glued titles)."""
    digits = ""
    used: list[Word] = []
    repaired = False
    for i, w in enumerate(words[:3]):
        raw = w.text.strip(".:-)")
        head = re.match(r"^([0-9OoIlSBZ]{1,5})(.*)$", raw)
        if head is None:
            if digits:
                break
            continue
        value, fixed = repair_digits(head.group(1))
        if not value.isdigit():
            break
        if not digits and len(value) <= 2 and i + 1 < len(words):
            following = repair_digits(words[i + 1].text)[0]
            if len(value) + len(following[:5]) != 5 or not following[:1].isdigit():
                continue  # a row number before the code
        digits += value
        repaired = repaired or fixed
        used.append(w)
        if len(digits) >= 5:
            rest_text = head.group(2).strip(" -:")
            rest = [Word(rest_text, w.confidence, w.bbox, w.line, w.reader)] if rest_text else []
            if not _FIVE.match(digits[:5]) or len(digits) > 5:
                return None
            return digits, used, rest + list(words[i + 1 :]), repaired
    return None


def _clean(words: Sequence[Word]) -> str:
    text = " ".join(" ".join(w.text for w in words).replace("\uff1a", ":").split())
    return re.sub(r"(?<=\w[/-]) (?=\w)", "", text).strip(" -:;")


def _refine(columns: list[Column], lines: Sequence[Sequence[Word]]) -> list[Column]:
    """Move each column edge into the emptiest gap of the data between two headers.

    Headers are narrower than their columns (and often centred over them): the edge between
    two columns is where no cell's words stand, somewhere between the end of one header and the
    start of the next; of several empty runs, the one nearest the next header wins.
    """
    ordered = sorted(columns, key=lambda c: c.x0)
    words = [w for line in lines for w in line]
    if len(ordered) < 2 or not words:
        return ordered
    refined = list(ordered)
    for k in range(len(ordered) - 1):
        a, b = ordered[k].x1, ordered[k + 1].x0
        if b - a < 2:
            continue
        xs = [a + i for i in range(int(b - a) + 1)]
        cover = [sum(w.bbox.x0 <= x <= w.bbox.x1 for w in words) for x in xs]
        least = min(cover)
        runs: list[tuple[float, float]] = []
        for x, c in zip(xs, cover, strict=True):
            if c != least:
                continue
            if runs and x - runs[-1][1] <= 1.0:
                runs[-1] = (runs[-1][0], x)
            else:
                runs.append((x, x))
        lo, hi = min(runs, key=lambda r: b - r[1])
        edge = (lo + hi) / 2
        refined[k] = Column(refined[k].kind, refined[k].x0, edge)
        refined[k + 1] = Column(refined[k + 1].kind, edge, refined[k + 1].x1)
    return refined


def _rows(
    lines: Sequence[Line], start: int, columns: list[Column], grid: TableGrid | None
) -> tuple[list[KbliRow], set[int]]:
    header = lines[start]
    height = _height(header.words)
    # The last column runs to the table's right edge, however narrow its header.
    table_x0 = min(c.x0 for c in columns) - 3 * height
    body: list[list[Word]] = []
    body_ids: set[int] = set()
    last_y = header.bbox.y1
    for line in lines[start + 1 :]:
        if line.page != header.page:
            break
        if grid is not None and line.bbox.y0 > grid.bbox.y1 + 1:
            break
        if grid is None and line.bbox.y0 - last_y > 3.5 * height:
            break
        tokens = norm(line.text).split()
        if tokens and tokens[0] in _END_WORDS:
            break
        if _header_columns(line) is not None:
            break
        # Ruling lines read as "|" or "[" are no words of the table.
        words = [
            w for w in line.words if table_x0 <= w.bbox.x0 and any(c.isalnum() for c in w.text)
        ]
        if not words:
            break
        if body and _flows_across(words, columns, height):
            break
        body.append(words)
        body_ids.add(id(line))
        last_y = line.bbox.y1
    if grid is None:
        columns = _refine(columns, body)
    rows: list[dict[Kind, list[Word]]] = []
    for words in body:
        cells = _assign(words, columns)
        code_cell = cells.get("code") or []
        found = _code_of(code_cell) if code_cell else None
        if found is None and "code" not in {c.kind for c in columns}:
            found = _code_of(cells.get("title") or [])
        if found is not None:
            rows.append(cells)
        elif rows:
            for kind, cell in cells.items():
                rows[-1].setdefault(kind, []).extend(cell)
    out: list[KbliRow] = []
    for cells in rows:
        kind = "code" if "code" in {c.kind for c in columns} else "title"
        found = _code_of(cells.get(kind) or [])
        if found is None:
            continue
        code, code_words, rest, repaired = found
        title_words = (cells.get("title") or []) if kind == "code" else rest
        if kind == "code" and rest:
            title_words = rest + title_words
        location_words = cells.get("location") or []
        risk_words = cells.get("risk") or []
        risk = risk_code(_clean(risk_words), whole=True)
        if not risk and not risk_words:
            # A table without a risk column may print the level after the title.
            tail = [w for w in title_words[-2:] if risk_code(w.text)]
            if tail and len(title_words) > len(tail):
                risk, risk_words = risk_code(_clean(tail)), tail
                title_words = title_words[: len(title_words) - len(tail)]
        out.append(
            KbliRow(
                page=header.page,
                code=code,
                code_words=tuple(code_words),
                title=_clean(title_words),
                title_words=tuple(title_words),
                location=_clean(location_words),
                location_words=tuple(location_words),
                risk=risk,
                risk_words=tuple(risk_words),
                repaired=repaired,
            )
        )
    return out, body_ids


def _grid_for(line: Line, grids: Sequence[TableGrid]) -> TableGrid | None:
    box = line.bbox
    for grid in grids:
        g = grid.bbox
        if g.x0 - 2 <= box.x0 and box.x1 <= g.x1 + 2 and g.y0 - 2 <= box.y0 <= g.y1:
            return grid
    return None


def kbli_rows(
    lines: Sequence[Line], grids: Mapping[int, Sequence[TableGrid]]
) -> tuple[list[KbliRow], set[int]]:
    """Return every KBLI row of every KBLI table (pages in order) and the table's lines' ids."""
    out: list[KbliRow] = []
    used: set[int] = set()
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _header_like(line):
            i += 1
            continue
        header = [line]
        for nxt in lines[i + 1 : i + 3]:
            last = header[-1]
            close = nxt.bbox.y0 - last.bbox.y1 < 1.2 * _height(last.words)
            if nxt.page != line.page or not close or not _header_like(nxt):
                break
            header.append(nxt)
        columns = _merged_header(header)
        while columns is None and len(header) > 1:
            header.pop()
            columns = _merged_header(header)
        if columns is None:
            i += 1
            continue
        grid = _grid_for(line, grids.get(line.page, ()))
        if grid is not None:
            columns = _grid_columns(grid, header) or columns
        columns = _dedupe(columns)
        header_index = i + len(header) - 1
        rows, body = _rows(lines, header_index, columns, grid)
        for row in rows:
            if row.code not in seen:
                seen.add(row.code)
                out.append(row)
        if rows:
            used.update(id(h) for h in header)
            used.update(body)
        i = header_index + 1
    return out, used
