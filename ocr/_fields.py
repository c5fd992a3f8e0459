"""Typed fields from lines: label/value geometry first, structure checks always."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ocr._dates import parse_date
from ocr._ids import nib_is_valid, nik_is_valid, npwp_is_valid, repair_digits
from ocr._labels import Hit, find_hits, is_label_word, value_words
from ocr._layout import Line, box_of, norm
from ocr._tables import KbliRow, kbli_rows
from ocr.types import BoundingBox, Field, Reader, TableGrid, Word

# Below this word confidence a value is flagged for the Tim Teknis. Free text (names,
# addresses) has no structure check to catch a misread letter, so it needs more.
LOW_CONFIDENCE = 0.75
LOW_CONFIDENCE_TEXT = 0.85
_NAME_CHARS = re.compile(r"^[A-Z][A-Z .,'\-]*$")
_KBLI_CODE = re.compile(r"^\d{5}$")
_RISK = frozenset({"R", "MR", "MT", "T", "RENDAH", "MENENGAH", "TINGGI"})
# "Mempawah, 12 Maret 2024": the place and date over a signature.
_PLACE_DATE = re.compile(r"^\s*[A-Za-z][A-Za-z .]{2,30},\s*\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}\s*$")
_ISSUE_WORDS = frozenset({"DITERBITKAN", "DITETAPKAN", "DIKELUARKAN", "TANGGAL", "TGL"})
# Address abbreviations are written with a full stop ("JL.", "GG.", "NO. 12"); OCR drops that
# small dot or reads it as a comma. "NO" only counts as the abbreviation before a number.
_ADDRESS_ABBREV = re.compile(r"(?<![A-Z0-9])(JL|JLN|GG)[.,]?(?=\s)|(?<![A-Z0-9])(NO)[.,]?(?=\s*\d)")


def _until_gap(words: list[Word]) -> list[Word]:
    """Cut a run of words at the first gap wider than three word heights (a table column)."""
    for i in range(1, len(words)):
        height = max(words[i - 1].bbox.y1 - words[i - 1].bbox.y0, 1.0)
        if words[i].bbox.x0 - words[i - 1].bbox.x1 > 3.0 * height:
            return words[:i]
    return words


def _field(
    words: list[Word],
    value: str | tuple[str, ...],
    *,
    ok: bool,
    repaired: bool = False,
    page: int,
    free_text: bool = False,
) -> Field:
    conf = min((w.confidence for w in words), default=1.0)
    if repaired:
        conf *= 0.95
    if not ok:
        conf = min(conf, 0.5)
    return Field(
        value=value,
        confidence=conf,
        page=page,
        bbox=box_of(words) if words else None,
        low_confidence=(not ok) or conf < (LOW_CONFIDENCE_TEXT if free_text else LOW_CONFIDENCE),
        repaired=repaired,
        reader=reader_of(words),
    )


def reader_of(words: Sequence[Word]) -> Reader:
    """Return the least certain reader among ``words`` (a value is as sure as its weakest word)."""
    readers = {w.reader for w in words}
    for reader in ("second_reader", "tesseract", "two_readers"):
        if reader in readers:
            return reader
    return "text_layer" if readers else "tesseract"


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words).strip()


def _address(text: str) -> str:
    """Write the usual address abbreviations with their full stop."""
    return _ADDRESS_ABBREV.sub(lambda m: f"{m.group(1) or m.group(2)}.", _upper_clean(text))


def _upper_clean(text: str) -> str:
    return " ".join(text.replace("\uff1a", ":").upper().split()).strip(" :,;")


def _numeric(
    words: list[Word], page: int, length: tuple[int, ...], check: Callable[[str], bool]
) -> Field | None:
    # Take the leading words that look numeric (separators allowed), stop at the first word.
    taken: list[Word] = []
    for w in words:
        digits, _ = repair_digits(w.text)
        if not digits:
            continue
        if sum(c.isdigit() for c in digits) < len(digits) / 2:
            break
        taken.append(w)
        joined, _ = repair_digits("".join(x.text for x in taken))
        if len(joined) >= max(length):
            break
    if not taken:
        return None
    raw = "".join(w.text for w in taken)
    value, repaired = repair_digits(raw)
    if len(value) == max(length) + 1 and value[0] == "1" and check(value[1:]):
        # A colon or bar before the number read as "1": drop it, then the check must pass.
        value, repaired = value[1:], True
    ok = value.isdigit() and len(value) in length and check(value)
    found = _field(taken, value, ok=ok, repaired=repaired, page=page)
    if not ok and not repaired and value.isdigit() and found.reader == "text_layer":
        # A text layer's number is what the document prints, wrong form and all: no misreading
        # to flag; the rules judge the form.
        return replace(found, confidence=1.0, low_confidence=False)
    return found


def _continuation(
    hit: Hit,
    lines: list[Line],
    value: list[Word],
    all_hits: dict[int, list[Hit]],
    consumed: set[int],
    value_line: int,
) -> list[Word]:
    """Add the following lines that start under the value (multi-line addresses).

    A following line that starts under the value column, not the label column, continues the
    value even when it begins with a label-like word ("KECAMATAN ..." inside an address), as
    long as no colon makes that word a label.
    """
    if not value:
        return value
    line = hit.line
    out = list(value)
    x0 = value[0].bbox.x0
    label_x0 = line.words[hit.start].bbox.x0
    height = max(w.bbox.y1 - w.bbox.y0 for w in value)
    last = lines[value_line].bbox.y1
    for nxt in lines[value_line + 1 : value_line + 4]:
        if nxt.page != line.page:
            break
        if nxt.bbox.y0 - last > 1.2 * height or abs(nxt.words[0].bbox.x0 - x0) > 1.5 * height:
            break
        hits = all_hits.get(id(nxt), [])
        if hits and (any(h.colon for h in hits) or x0 - label_x0 < 3.0 * height):
            break
        out.extend(nxt.words)
        consumed.add(id(nxt))
        last = nxt.bbox.y1
    return out


_NUMERIC_FIELDS: dict[str, tuple[tuple[int, ...], Callable[[str], bool]]] = {
    "nik": ((16,), nik_is_valid),
    "npwp": ((15, 16), npwp_is_valid),
    "nib": ((13,), nib_is_valid),
}


def _below(
    hit: Hit,
    lines: list[Line],
    index: int,
    hits_by_line: dict[int, list[Hit]],
    x_max: float | None = None,
) -> list[Word]:
    """Return the value printed under a label (cards that put ``NPWP`` over the number).

    The first row below, within about two row heights, whose words start under the label (or
    overlap it); a row that starts with a label of its own holds no value for this one.
    """
    line = hit.line
    label = line.words[hit.start : hit.end]
    x0, x1 = label[0].bbox.x0, label[-1].bbox.x1
    height = max(max(w.bbox.y1 - w.bbox.y0 for w in label), 1.0)
    last = line.bbox.y1
    for nxt in lines[index + 1 : index + 3]:
        if nxt.page != line.page or nxt.bbox.y0 - last > 2.2 * height:
            return []
        aligned = [
            i
            for i, w in enumerate(nxt.words)
            if x0 - 2.0 * height <= w.bbox.x0 <= x1 + 0.5 * height
            or (w.bbox.x0 <= x0 and w.bbox.x1 >= x1)
        ]
        if not aligned:
            last = nxt.bbox.y1
            continue
        first = aligned[0]
        if any(h.start <= first < h.end for h in hits_by_line.get(id(nxt), [])):
            return []
        words = [w for w in nxt.words[first:] if w.text.strip(":|")]
        if x_max is not None:
            words = [w for w in words if w.bbox.x0 < x_max]
        return _until_gap(words)
    return []


def _column_end(hit: Hit, hits: list[Hit]) -> float | None:
    """Return where the column of a label on a row of labels ends: the next label's start."""
    if not hit.above:
        return None
    after = [h for h in hits if h.start >= hit.end]
    if not after:
        return None
    nxt = min(after, key=lambda h: h.start)
    label = hit.line.words[hit.start]
    height = max(label.bbox.y1 - label.bbox.y0, 1.0)
    return hit.line.words[nxt.start].bbox.x0 - 1.0 * height


def _numeric_candidates(words: list[Word], page: int, name: str) -> Field | None:
    length, check = _NUMERIC_FIELDS[name]
    return _numeric(words, page, length, check)


def extract_fields(
    lines: list[Line], doc_type: str, grids: Mapping[int, Sequence[TableGrid]] | None = None
) -> dict[str, Field]:
    """Extract every field found on the document's lines (first confident occurrence wins).

    A label takes its value from its right on the same row or from directly below it, whichever
    gives a value of the expected form; identifiers are also found by their form anywhere on the
    page and tied to the label nearest to them; the KBLI table is read by its column headers.
    """
    fields: dict[str, Field] = {}
    hits_by_line = {id(line): find_hits(line) for line in lines}
    # The KBLI table first: its header and cells are no "label : value" rows.
    rows, consumed = kbli_rows(lines, grids or {})

    def offer(name: str, f: Field | None) -> None:
        if f is None or (isinstance(f.value, str) and not f.value):
            return
        old = fields.get(name)
        if old is None or (old.low_confidence and not f.low_confidence):
            fields[name] = f

    for index, line in enumerate(lines):
        if id(line) in consumed:
            continue
        hits = hits_by_line[id(line)]
        for hit in hits:
            words = [] if hit.above else value_words(hit, hits)
            x_max = _column_end(hit, hits)
            page = line.page
            if hit.name in _NUMERIC_FIELDS:
                right = _numeric_candidates(words, page, hit.name) if words else None
                if right is None or right.low_confidence:
                    under = _below(hit, lines, index, hits_by_line, x_max)
                    below = _numeric_candidates(under, page, hit.name) if under else None
                    if below is not None and (right is None or not below.low_confidence):
                        right = below
                offer(hit.name, right)
                continue
            value_line = index
            if not words and (hit.name in _BELOW_TEXT_FIELDS or hit.above):
                words = _below(hit, lines, index, hits_by_line, x_max)
                value_line = next(
                    (
                        j
                        for j in range(index + 1, index + 3)
                        if words and words[0] in lines[j].words
                    ),
                    index,
                )
            if not words:
                continue
            if hit.name in ("nama", "nama_usaha"):
                words = _name_words(words) if hit.name == "nama" else words
                if not words or not_a_value(words):
                    continue
                value = _upper_clean(_text(words)).rstrip(".,")
                ok = hit.name == "nama_usaha" or bool(_NAME_CHARS.match(value))
                offer(
                    hit.name, _field(words, value, ok=ok and bool(value), page=page, free_text=True)
                )
            elif hit.name == "ttl":
                _birth(words, page, offer)
            elif hit.name in ("tempat_lahir", "kecamatan"):
                offer(
                    hit.name,
                    _field(
                        words,
                        _upper_clean(_text(words)).rstrip("."),
                        ok=True,
                        page=page,
                        free_text=True,
                    ),
                )
            elif hit.name == "tanggal_lahir":
                _date_field("tanggal_lahir", words, page, offer)
            elif hit.name == "jenis_kelamin":
                offer("jenis_kelamin", _gender(words, page))
            elif hit.name in ("alamat", "lokasi_usaha"):
                full = _continuation(hit, lines, words, hits_by_line, consumed, value_line)
                offer(
                    hit.name,
                    _field(full, _address(_text(full)), ok=True, page=page, free_text=True),
                )
            elif hit.name == "nomor_dokumen":
                value = _upper_clean(_text(words))
                ok = any(c.isdigit() for c in value)
                offer("nomor_dokumen", _field(words, value, ok=ok, page=page) if ok else None)
            elif hit.name in ("tanggal_terbit",):
                _date_field(hit.name, words, page, offer)
            elif hit.name == "berlaku_hingga":
                _expiry(words, page, offer)
    if rows:
        _kbli_table(rows, fields)
    else:
        _kbli(lines, hits_by_line, fields)
    if "tanggal_terbit" not in fields:
        _issue_date(lines, offer)
    _identifiers_by_form(lines, hits_by_line, doc_type, fields, offer)
    if doc_type == "npwp" and "nama" not in fields:
        _unlabelled_npwp_name(lines, hits_by_line, offer)
    if doc_type == "ktp" and "nama" not in fields and "nik" in fields:
        _name_after_nik(lines, hits_by_line, fields["nik"], offer)
    return fields


def _name_after_nik(
    lines: list[Line],
    hits_by_line: dict[int, list[Hit]],
    nik: Field,
    offer: Callable[[str, Field | None], None],
) -> None:
    """Offer the name a KTP prints on the row under its NIK, whatever its label reads as.

    Where the small print of the label was not read, the first words of that row (up to a
    column gap) are the name, if they are a name's letters.
    """
    if nik.bbox is None:
        return
    box = nik.bbox
    height = max(box.y1 - box.y0, 1.0)
    for index, line in enumerate(lines):
        if line.page != nik.page or not (line.bbox.y0 <= (box.y0 + box.y1) / 2 <= line.bbox.y1):
            continue
        for nxt in lines[index + 1 : index + 3]:
            if nxt.page != line.page or nxt.bbox.y0 - line.bbox.y1 > 2.5 * height:
                return
            hits = hits_by_line.get(id(nxt), [])
            words = [w for w in nxt.words if any(c.isalnum() for c in w.text)]
            if hits and hits[0].name != "nama":
                return
            if hits:
                continue
            run = []
            for w in _until_gap(words):
                if any(c.isdigit() for c in w.text) or w.text.endswith(","):
                    break  # the place and date of birth of the column beside it
                run.append(w)
            value = _upper_clean(_text(run)).rstrip(".,")
            if len(value) >= 3 and _NAME_CHARS.match(value) and len(run) <= 6:
                offer("nama", _field(run, value, ok=True, page=nxt.page, free_text=True))
            return
        return


# Words that open a heading or a sentence, never a name ("Nama dan Tempat Kedudukan").
_NOT_A_VALUE_START = frozenset({"DAN", "ATAU", "YANG", "SERTA", "DARI", "UNTUK", "TERSEBUT"})


def not_a_value(words: Sequence[Word]) -> bool:
    """Tell whether the words after a label are no value: a heading's words or labels only."""
    tokens = norm(_text(list(words))).split()
    if not tokens:
        return True
    if tokens[0] in _NOT_A_VALUE_START:
        return True
    return all(is_label_word(t) for t in tokens)


def _name_words(words: list[Word]) -> list[Word]:
    """Return a name's words: up to the place and date of birth a grid prints beside it."""
    out: list[Word] = []
    gaps: list[float] = []
    for w in words:
        if sum(c.isdigit() for c in w.text) >= 2:
            if out and out[-1].text.endswith(","):
                out.pop()
            break
        if out:
            gap = w.bbox.x0 - out[-1].bbox.x1
            height = max(w.bbox.y1 - w.bbox.y0, 1.0)
            usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.35 * height
            if gap > max(1.0 * height, 2.5 * usual):
                break  # the next column of a grid
            gaps.append(gap)
        out.append(w)
    if len(out) > 1 and out[-1].text.endswith(","):
        out.pop()  # a place of birth ("SURABAYA,") whose date the column edge cut off
    return out


# Text fields whose value may stand under the label instead of beside it.
_BELOW_TEXT_FIELDS = frozenset({"nama", "nama_usaha", "alamat", "lokasi_usaha", "tanggal_terbit"})


def _kbli_table(rows: list[KbliRow], fields: dict[str, Field]) -> None:
    """Set the KBLI fields from a table read by its headers (code, title, location, risk)."""
    page = rows[0].page
    code_words = [w for r in rows for w in r.code_words]
    fields["kbli"] = _field(
        code_words, tuple(r.code for r in rows), ok=True, page=page,
        repaired=any(r.repaired for r in rows),
    )  # fmt: skip
    title_words = [w for r in rows for w in r.title_words]
    fields["kbli_judul"] = _field(
        title_words or code_words,
        tuple(_upper_clean(r.title).strip(" -") for r in rows),
        ok=True,
        page=page,
        free_text=True,
    )
    if any(r.risk for r in rows):
        risk_words = [w for r in rows for w in r.risk_words]
        fields["kbli_risiko"] = _field(
            risk_words or code_words, tuple(r.risk for r in rows), ok=True, page=page
        )
    if any(r.location for r in rows) and "lokasi_usaha" not in fields:
        # The business location, where the NIB prints it only per KBLI line: the first one.
        first = next(r for r in rows if r.location)
        fields["lokasi_usaha"] = _field(
            list(first.location_words), _address(first.location), ok=True, page=first.page,
            free_text=True,
        )  # fmt: skip
    if any(r.location for r in rows):
        location_words = [w for r in rows for w in r.location_words]
        fields["kbli_lokasi"] = _field(
            location_words,
            tuple(_address(r.location) for r in rows),
            ok=True,
            page=page,
            free_text=True,
        )


_IMPOSSIBLE_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_LEFTOVER_LABEL = ("TGL", "TANGGAL", "LAHIR", "DAN")
_GLUED_LAHIR = re.compile(r"^LAH[IR1LT]{0,3}")


def _birth(words: list[Word], page: int, offer: Callable[[str, Field | None], None]) -> None:
    # Drop what is left of a mangled "Tempat/Tgl Lahir" label ("Igi", "Lah") before the place.
    while len(words) > 1 and not any(c.isdigit() for c in words[0].text):
        token = norm(words[0].text)
        if not token or any(
            token == lbl or (len(token) >= 2 and lbl.startswith(token)) or _one_off(token, lbl)
            for lbl in _LEFTOVER_LABEL
        ):
            words = words[1:]
            continue
        break
    # ... or glued to it ("LAHIRKETAPANG", "LAHISINTANG").
    if words:
        glued = _GLUED_LAHIR.match(words[0].text.upper())
        w = words[0]
        if glued and len(w.text) - glued.end() >= 3:
            words = [Word(w.text[glued.end() :], w.confidence, w.bbox, w.line), *words[1:]]
        elif glued and glued.end() < len(w.text) and len(words) > 1 and words[1].text[0].isalpha():
            # "LahirSA" "MBAS,": the engine moved the space into the place; joined, not sure.
            nxt = words[1]
            joined = w.text[glued.end() :] + nxt.text
            words = [Word(joined, min(w.confidence, nxt.confidence, 0.5), nxt.bbox, nxt.line),
                     *words[2:]]  # fmt: skip
    place: list[Word] = []
    rest: list[Word] = []
    for i, w in enumerate(words):
        if w.text.endswith(","):
            place = [*words[:i], Word(w.text.rstrip(","), w.confidence, w.bbox)]
            rest = words[i + 1 :]
            break
        if sum(c.isdigit() for c in w.text) >= 2:
            place, rest = words[:i], words[i:]
            break
    else:
        place = words
    place = [w for w in place if w.text.strip(",")]
    # What is left of the label itself is never the place of birth.
    if place and norm(_text(place)) not in _LEFTOVER_LABEL:
        offer(
            "tempat_lahir",
            _field(
                place, _upper_clean(_text(place)).rstrip(",."), ok=True, page=page, free_text=True
            ),
        )
    if rest:
        _date_field("tanggal_lahir", rest, page, offer)


def _date_field(
    name: str, words: list[Word], page: int, offer: Callable[[str, Field | None], None]
) -> None:
    parsed = parse_date(_text(words))
    if parsed is None:
        impossible = _IMPOSSIBLE_DATE.search(_text(words)) if name == "tanggal_lahir" else None
        if impossible:
            # What the card prints, kept: a NIK that says the same impossible date is no misread.
            day, month, year = (int(g) for g in impossible.groups())
            value = f"{day:02d}-{month:02d}-{year:04d}"
            offer("tanggal_lahir_tertulis", _field(words, value, ok=True, page=page))
        return
    value, repaired = parsed
    offer(name, _field(words, value, ok=True, repaired=repaired, page=page))


def _expiry(words: list[Word], page: int, offer: Callable[[str, Field | None], None]) -> None:
    text = norm(_text(words))
    if "SEUMUR" in text or "HIDUP" in text:
        offer("berlaku_hingga", _field(words, "SEUMUR HIDUP", ok=True, page=page))
        return
    _date_field("berlaku_hingga", words, page, offer)


def _gender(words: list[Word], page: int) -> Field | None:
    text = norm(_text(words)).replace(" ", "")
    if text.startswith(("LAKI", "LAK1", "IAKI")) or "LAKI" in text:
        value = "LAKI-LAKI"
    elif "PEREMPUAN" in text or text.startswith(("PEREM", "PRP", "WANITA")):
        value = "PEREMPUAN"
    else:
        return None
    first = words[:1]
    return _field(first, value, ok=True, page=page)


_CODE_PREFIX = re.compile(r"^(\d{5})(\D.*)$")
_SPLIT_CODE = re.compile(r"^(\d{1,4})$")
_CODE_TAIL = re.compile(r"^(\d{1,4})([A-Za-z].*)$")


def _kbli(lines: list[Line], hits_by_line: dict[int, list[Hit]], fields: dict[str, Field]) -> None:
    """KBLI codes in rows after a "KBLI" label or table header, each with the title beside it."""
    seen_label = False
    codes: list[str] = []
    titles: list[str] = []
    used: list[Word] = []
    title_words: list[Word] = []
    page = 0
    title_x0: float | None = None
    for line in lines:
        hits = hits_by_line[id(line)]
        if any(h.name == "kbli" for h in hits) or "KBLI" in norm(line.text).split():
            seen_label = True
            title_x0 = None
            continue
        if not seen_label or "POS" in norm(line.text).split():
            continue
        found = False
        for i, w in enumerate(line.words[:4]):
            head = w.text
            extra: list[Word] = []
            skip = 0
            split = _SPLIT_CODE.match(w.text)
            after = line.words[i + 1] if i + 1 < len(line.words) else None
            tail = _CODE_TAIL.match(after.text) if split and after else None
            if after and split and tail and len(split.group(1) + tail.group(1)) == 5:
                # "4711" "1PERDAGANGAN": the engine put the space inside the code.
                head = split.group(1) + tail.group(1)
                extra = [Word(tail.group(2), min(w.confidence, 0.5), after.bbox, after.line)]
                skip = 1
            glued = _CODE_PREFIX.match(head)
            if glued:  # "47111PERDAGANGAN": the engine missed the space
                head = glued.group(1)
                extra = [Word(glued.group(2), w.confidence, w.bbox, w.line)]
            digits, _ = repair_digits(head)
            if not _KBLI_CODE.match(digits) or digits in codes:
                continue
            # Only a row number (or its misreading) may stand before the code.
            if any(len(x.text) > 3 for x in line.words[:i]):
                continue
            rest = extra + [x for x in line.words[i + 1 + skip :] if x.text.strip("-:\uff1a")]
            rest = _until_gap(rest)
            while rest and norm(rest[-1].text) in _RISK and len(rest) > 1:
                rest = rest[:-1]
            codes.append(digits)
            titles.append(_text(rest))
            used.append(w)
            title_words.extend(rest)
            if extra:  # the title starts after the code's five characters inside the word
                title_x0 = w.bbox.x0 + (w.bbox.x1 - w.bbox.x0) * 5 / max(len(w.text), 6)
            else:
                title_x0 = rest[0].bbox.x0 if rest else None
            page = page or line.page
            found = True
            break
        if found or title_x0 is None or not codes:
            if not found:
                title_x0 = None
            continue
        # A wrapped title continues on a row that starts under it.
        first = line.words[0]
        height = max(first.bbox.y1 - first.bbox.y0, 1.0)
        if abs(first.bbox.x0 - title_x0) <= 1.5 * height:
            more = _until_gap(list(line.words))
            glue = "" if titles[-1].rstrip().endswith(("/", "-")) else " "
            titles[-1] = titles[-1].rstrip() + glue + _text(more).strip()
            title_words.extend(more)
        else:
            title_x0 = None
    if codes:
        fields["kbli"] = _field(used, tuple(codes), ok=True, page=page)
        # Cleaned once whole: a comma ending a wrapped line belongs to the title.
        fields["kbli_judul"] = _field(
            title_words or used,
            tuple(_upper_clean(t).strip(" -") for t in titles),
            ok=True,
            page=page,
            free_text=True,
        )


def _unlabelled_npwp_name(
    lines: list[Line],
    hits_by_line: dict[int, list[Hit]],
    offer: Callable[[str, Field | None], None],
) -> None:
    """NPWP cards print the holder's name without a label on the row under the number."""
    after = False
    for line in lines:
        hits = hits_by_line[id(line)]
        if any(h.name == "npwp" for h in hits):
            after = True
            continue
        if not after:
            continue
        if hits:
            break
        if sum(c.isdigit() for c in line.text) >= 8:
            continue  # the number itself, printed under its label
        value = _upper_clean(line.text)
        if _NAME_CHARS.match(value) and len(value) >= 3:
            offer("nama", _field(list(line.words), value, ok=True, page=line.page, free_text=True))
        break


def _issue_date(lines: list[Line], offer: Callable[[str, Field | None], None]) -> None:
    """Find "Diterbitkan di X, tanggal 12 Maret 2024" (possibly wrapped onto the next line)."""
    for i, line in enumerate(lines):
        tokens = norm(line.text).split()
        if not _ISSUE_WORDS.intersection(tokens) and not _PLACE_DATE.match(line.text):
            continue
        if "LAHIR" in tokens or "TERDAFTAR" in tokens:
            continue
        start = next((j for j, w in enumerate(line.words) if norm(w.text) in _ISSUE_WORDS), 0)
        words = list(line.words[start:])
        if i + 1 < len(lines) and lines[i + 1].page == line.page:
            nxt = lines[i + 1]
            if nxt.bbox.y0 - line.bbox.y1 < 1.5 * (line.bbox.y1 - line.bbox.y0):
                words += list(nxt.words)
        parsed = parse_date(_text(words))
        if parsed is None:
            continue
        value, repaired = parsed
        offer("tanggal_terbit", _field(words, value, ok=True, repaired=repaired, page=line.page))
        return


def _one_off(token: str, label: str) -> bool:
    """Tell whether ``token`` is ``label`` with one wrong letter (two for a final L)."""
    if len(token) != len(label):
        return False
    diff = sum(a != b for a, b in zip(token, label, strict=True))
    return diff <= 1 or (len(label) == 3 and diff <= 2 and token[-1] in "IL1" and label[-1] == "L")


_DIGITISH = re.compile(r"^[0-9OoIlSBZ.\-/:|]+$")
_ID_LENGTHS = frozenset({13, 15, 16})
# How far (in row heights) a number may stand from the label it is tied to.
_LABEL_REACH = 12.0


def _forms(value: str) -> frozenset[str]:
    """Return the identifier fields a digit string has the form of."""
    kinds: set[str] = set()
    if len(value) == 16 and nik_is_valid(value):
        kinds.add("nik")
    if len(value) in (15, 16) and npwp_is_valid(value):
        kinds.add("npwp")
    if len(value) == 13 and nib_is_valid(value):
        kinds.add("nib")
    return frozenset(kinds)


def _number_runs(line: Line) -> list[tuple[str, list[Word], bool]]:
    """Return digit strings of identifier length on a row: one word or a few adjacent ones."""
    out: list[tuple[str, list[Word], bool]] = []
    words = list(line.words)
    for i in range(len(words)):
        taken: list[Word] = []
        for w in words[i : i + 6]:
            text = w.text.strip(":|")
            if (
                not text
                or not _DIGITISH.match(text)
                or sum(c.isdigit() for c in text)
                < 0.7 * len(text.replace(".", "").replace("-", "") or "x")
            ):
                break
            if taken:
                gap = w.bbox.x0 - taken[-1].bbox.x1
                if gap > 1.5 * max(w.bbox.y1 - w.bbox.y0, 1.0):
                    break
            taken.append(w)
            value, repaired = repair_digits("".join(x.text.strip(":|") for x in taken))
            if len(value) > 16:
                break
            if len(value) in _ID_LENGTHS and value.isdigit():
                out.append((value, list(taken), repaired))
    return out


def _distance(label: BoundingBox, box: BoundingBox) -> float:
    """Return how far a number stands from a label (points); beside or under counts less."""
    height = max(label.y1 - label.y0, 1.0)
    same_row = min(label.y1, box.y1) - max(label.y0, box.y0) > 0.3 * height
    if same_row and box.x0 >= label.x0:
        return max(box.x0 - label.x1, 0.0)
    below = box.y0 >= label.y1 - 0.3 * height
    if below and box.x0 <= label.x1 + 2 * height and box.x1 >= label.x0 - 2 * height:
        return 1.5 * (box.y0 - label.y1)
    cx, cy = (
        (box.x0 + box.x1) / 2 - (label.x0 + label.x1) / 2,
        (box.y0 + box.y1) / 2 - (label.y0 + label.y1) / 2,
    )
    return 2.0 * float((cx * cx + cy * cy) ** 0.5)


_DEFAULT_ID: dict[str, tuple[str, ...]] = {"ktp": ("nik",), "npwp": ("npwp",), "nib": ("nib",)}


def _identifiers_by_form(
    lines: list[Line],
    hits_by_line: dict[int, list[Hit]],
    doc_type: str,
    fields: dict[str, Field],
    offer: Callable[[str, Field | None], None],
) -> None:
    """Find NIK, NPWP and NIB by their form anywhere on the page, tied to the nearest label.

    A number is offered only where its label gave no value of the right form (a value printed
    far from its label, under it, or a label the engine did not read); with no label near, the
    document's type says what a lone number is (a KTP's NIK, an NPWP card's NPWP).
    """
    wanted = [n for n in _NUMERIC_FIELDS if n not in fields or fields[n].low_confidence]
    if not wanted:
        return
    labels: list[tuple[str, int, BoundingBox]] = []
    for line in lines:
        for hit in hits_by_line[id(line)]:
            if hit.name in _NUMERIC_FIELDS:
                labels.append((hit.name, line.page, box_of(line.words[hit.start : hit.end])))
    for line in lines:
        for value, words, repaired in _number_runs(line):
            forms = _forms(value)
            if not forms:
                continue
            box = box_of(words)
            height = max(box.y1 - box.y0, 1.0)
            near = sorted(
                (_distance(lbl, box), name)
                for name, page, lbl in labels
                if page == line.page and _distance(lbl, box) <= _LABEL_REACH * height
            )
            # The nearest label names the number; a number nearest another label is not ours.
            name = near[0][1] if near and near[0][1] in forms else None
            if name is None and not near:
                name = next((n for n in _DEFAULT_ID.get(doc_type, ()) if n in forms), None)
            if name is None or name not in wanted:
                continue
            found = _field(words, value, ok=True, repaired=repaired, page=line.page)
            offer(name, found)
