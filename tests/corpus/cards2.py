"""Card designs of the varied splits: KTP and NPWP cards whose labels sit beside, above or in a
left column of their values, with other headers, photo sides, proportions, colours and number
formats. Only ``variety`` (heldout4, heldout5) uses them; ``cards`` keeps the earlier splits.

Each design is data (:class:`CardDesign`); one renderer draws every design so that a split is a
choice of designs and fonts, never a code path of its own.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.corpus.people import Company
from tests.corpus.persona import Person

BULAN_KAPITAL = ("JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI", "JULI", "AGUSTUS",
                 "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER")  # fmt: skip
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class CardDesign:
    """How one card family prints: where labels go relative to values, and the card's look."""

    name: str
    fields: str
    """``colon`` (label, colon column, value on one line), ``inline`` ("Label : value" as one
    run), ``below`` (a small label with its value on the next line), ``leftcol`` (labels in a
    shaded left column, values to their right, no colon) or ``grid`` (two columns of
    label-above-value blocks)."""
    header: str
    """``center``, ``left``, ``right`` or ``band`` (light text on a coloured band)."""
    photo: str = "right"
    """``right``, ``left`` or ``none`` (NPWP cards have no photo)."""
    background: RGB = (220, 232, 242)
    ink: RGB = (22, 22, 28)
    accent: RGB = (30, 70, 140)
    label_ink: RGB | None = None
    """Colour of labels when it differs from the values' (grey labels on some designs)."""
    size: int = 24
    pitch: int = 33
    width: int = 1011
    aspect: float = 1.585
    upper_labels: bool = False
    pattern: str = ""
    """``waves``, ``dots``, ``diagonal`` or empty."""
    number: str = "formatted"
    """NPWP print: ``formatted`` (01.234.567.8-704.000), ``bare`` (15 digits), ``spaced``
    (groups of four for a 16-digit number) or ``nik`` (the 16-digit NIK as it is)."""
    date_style: str = "dash"
    """``dash`` 12-05-1988, ``slash`` 12/05/1988 or ``month`` 12 MEI 1988."""
    name_label: bool = True
    """NPWP: whether the holder's name has a label (real cards often print it bare)."""
    top: float = 0.19
    """Where the fields start, as a share of the card's height."""
    left: float = 0.03


@dataclass(frozen=True)
class Card:
    img: Image.Image
    truth: dict[str, object]


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def fmt_date(d: datetime.date, style: str) -> str:
    if style == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "month":
        return f"{d.day:02d} {BULAN_KAPITAL[d.month - 1]} {d.year}"
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def fmt_npwp(npwp: str, style: str) -> str:
    if len(npwp) == 15 and style == "formatted":
        return f"{npwp[0:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:15]}"
    if len(npwp) == 16 and style == "spaced":
        return " ".join(npwp[i : i + 4] for i in range(0, 16, 4))
    return npwp


def _pattern(img: Image.Image, design: CardDesign, rng: random.Random) -> None:
    if not design.pattern:
        return
    draw = ImageDraw.Draw(img)
    w, h = img.size
    tint = tuple(max(0, c - rng.randint(18, 34)) for c in design.background)
    if design.pattern == "waves":
        phase = rng.uniform(0, 6.28)
        for row in range(0, h, 17):
            pts = [(x, row + 7 * math.sin(phase + x / 41.0 + row / 29.0)) for x in range(0, w, 5)]
            draw.line(pts, fill=tint, width=1)
    elif design.pattern == "dots":
        for y in range(6, h, 16):
            for x in range(6 + (y // 16 % 2) * 8, w, 16):
                draw.ellipse((x - 1, y - 1, x + 1, y + 1), fill=tint)
    elif design.pattern == "diagonal":
        for k in range(-h, w, 22):
            draw.line([(k, 0), (k + h, h)], fill=tint, width=1)


def _canvas(design: CardDesign, rng: random.Random) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    w = design.width
    h = round(w / design.aspect)
    img = Image.new("RGB", (w, h), design.background)
    # A soft vertical gradient, as printed cards have.
    draw = ImageDraw.Draw(img)
    for y in range(h):
        k = y / h
        c = tuple(max(0, min(255, round(v * (1.02 - 0.06 * k)))) for v in design.background)
        draw.line([(0, y), (w, y)], fill=c)
    _pattern(img, design, rng)
    return img, ImageDraw.Draw(img)


def _header(
    draw: ImageDraw.ImageDraw, design: CardDesign, font: Path, lines: list[str], w: int
) -> int:
    """Draw the header; return the y where it ends."""
    size = design.size + 3
    head = _font(font, size)
    top = round(0.03 * w)
    ink: RGB = design.accent
    if design.header == "band":
        band_h = top + len(lines) * (size + 10) + 8
        draw.rectangle((0, 0, w, band_h), fill=design.accent)
        ink = (250, 250, 250)
    y = top
    for line in lines:
        if design.header in ("center", "band"):
            draw.text((w // 2, y), line, fill=ink, font=head, anchor="mt")
        elif design.header == "left":
            draw.text((round(design.left * w) + 6, y), line, fill=ink, font=head)
        else:
            draw.text((w - round(design.left * w) - 6, y), line, fill=ink, font=head, anchor="rt")
        y += size + 10
    return y + 8


def _photo(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random) -> None:
    x0, y0, x1, y1 = box
    base = rng.choice(((200, 60, 60), (40, 90, 190), (210, 210, 215)))
    draw.rectangle(box, fill=base)
    cx, w = (x0 + x1) // 2, x1 - x0
    skin = rng.choice(((224, 186, 150), (196, 150, 110), (240, 205, 175)))
    head_r = w // 4
    hy = y0 + (y1 - y0) * 2 // 5
    draw.rectangle((x0 + w // 8, hy + head_r, x1 - w // 8, y1), fill=(50, 50, 60))
    draw.ellipse((cx - head_r, hy - head_r, cx + head_r, hy + head_r), fill=skin)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, room: float
) -> ImageFont.FreeTypeFont:
    while draw.textlength(text, font=font) > room and font.size > 13:
        font = font.font_variant(size=font.size - 1)
    return font


def _fields(
    draw: ImageDraw.ImageDraw,
    design: CardDesign,
    font_path: Path,
    rows: list[tuple[str, str]],
    x0: int,
    x1: int,
    y: int,
    first_big: bool,
) -> int:
    """Draw label/value rows between x0 and x1 from y; return the y after them."""
    font = _font(font_path, design.size)
    small = _font(font_path, max(14, round(design.size * 0.68)))
    big = _font(font_path, design.size + 6)
    label_ink = design.label_ink or design.ink
    label_w = max(draw.textlength(lbl, font=font) for lbl, _ in rows) + 12
    if design.fields == "grid":
        col_w = (x1 - x0) // 2
        for i, (label, value) in enumerate(rows):
            if i == 0 and first_big:
                draw.text((x0, y), label, fill=label_ink, font=small)
                draw.text((x0, y + small.size + 3), value, fill=design.ink, font=big)
                y += small.size + big.size + 14
                continue
            k = i - (1 if first_big else 0)
            cx = x0 + (k % 2) * col_w
            if k % 2 == 0 and k:
                y += small.size + font.size + 12
            draw.text((cx, y), label, fill=label_ink, font=small)
            fitted = _fit(draw, value, font, col_w - 14)
            draw.text((cx, y + small.size + 3), value, fill=design.ink, font=fitted)
        return y + small.size + font.size + 12
    for i, (label, full) in enumerate(rows):
        vfont = big if i == 0 and first_big else font
        value, _, right = full.partition("\t")
        if right:
            draw.text((x1, y), right, fill=design.ink, font=small, anchor="rt")
            x1_row = x1 - round(draw.textlength(right, font=small)) - 24
        else:
            x1_row = x1
        if design.fields == "below":
            draw.text((x0, y), label, fill=label_ink, font=small)
            fitted = _fit(draw, value, vfont, x1_row - x0)
            draw.text((x0, y + small.size + 2), value, fill=design.ink, font=fitted)
            y += small.size + vfont.size + round(design.pitch * 0.45)
        elif design.fields == "leftcol":
            band = round(label_w) + 10
            draw.rectangle(
                (x0 - 6, y - 4, x0 + band - 8, y + vfont.size + 6),
                fill=tuple(max(0, c - 28) for c in design.background),
            )
            draw.text((x0, y + (vfont.size - font.size)), label, fill=label_ink, font=font)
            fitted = _fit(draw, value, vfont, x1_row - x0 - band - 8)
            draw.text((x0 + band + 4, y), value, fill=design.ink, font=fitted)
            y += vfont.size + design.pitch - design.size + 4
        elif design.fields == "inline":
            text = f"{label} : {value}"
            fitted = _fit(draw, text, vfont, x1_row - x0)
            draw.text((x0, y), text, fill=design.ink, font=fitted)
            y += vfont.size + design.pitch - design.size
        else:  # colon
            colon_x = x0 + round(label_w)
            draw.text((x0, y + (vfont.size - font.size)), label, fill=label_ink, font=font)
            draw.text((colon_x, y), ":", fill=design.ink, font=vfont)
            fitted = _fit(draw, value, vfont, x1_row - colon_x - 18)
            draw.text((colon_x + 16, y), value, fill=design.ink, font=fitted)
            y += vfont.size + design.pitch - design.size
    return y


def _label(design: CardDesign, text: str) -> str:
    return text.upper() if design.upper_labels else text


def ktp_card(
    p: Person,
    design: CardDesign,
    font_path: Path,
    rng: random.Random,
    *,
    lifetime: bool = True,
    birth_text: str | None = None,
) -> Card:
    """A KTP-el style card in ``design``; ``lifetime`` False prints an old expiry date;
    ``birth_text`` prints that date of birth instead of the person's (a planted defect)."""
    img, draw = _canvas(design, rng)
    w, h = img.size
    head_end = _header(draw, design, font_path, ["PROVINSI KALIMANTAN BARAT", _kabupaten(p)], w)
    photo_w = round(0.2 * w)
    photo_h = round(photo_w * 1.3)
    margin = round(design.left * w)
    top = max(head_end + 10, round(design.top * h))
    if design.photo == "left":
        photo_box = (margin + 4, top + 10, margin + 4 + photo_w, top + 10 + photo_h)
        x0, x1 = photo_box[2] + 28, w - margin
    else:
        photo_box = (w - margin - photo_w - 10, top + 10, w - margin - 10, top + 10 + photo_h)
        x0, x1 = margin + 6, photo_box[0] - 20
    _photo(draw, photo_box, rng)
    issue = datetime.date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
    small = _font(font_path, max(15, design.size - 6))
    cap_y = photo_box[3] + 10
    cx = (photo_box[0] + photo_box[2]) // 2
    draw.text((cx, cap_y), _kabupaten(p).replace("KABUPATEN ", ""), fill=design.ink, font=small,
              anchor="mt")  # fmt: skip
    draw.text((cx, cap_y + small.size + 4), fmt_date(issue, "dash"), fill=design.ink, font=small,
              anchor="mt")  # fmt: skip
    if lifetime:
        until = "SEUMUR HIDUP"
        until_truth = "SEUMUR HIDUP"
    else:
        old = p.tanggal_lahir.replace(year=min(issue.year + 5, 2017))
        until, until_truth = fmt_date(old, design.date_style), old.isoformat()
    born = birth_text or fmt_date(p.tanggal_lahir, design.date_style)
    lahir = f"{p.tempat_lahir}, {born}"
    gol = rng.choice(("A", "B", "O", "AB", "-"))
    sex = p.jenis_kelamin
    if design.fields in ("colon", "inline", "leftcol"):
        sex = f"{sex}\tGol. Darah : {gol}"
    rows = [
        ("NIK", p.nik),
        (_label(design, "Nama"), p.nama),
        (_label(design, "Tempat/Tgl Lahir"), lahir),
        (_label(design, "Jenis Kelamin"), sex),
        (_label(design, "Alamat"), p.alamat),
        (_label(design, "RT/RW"), p.rt_rw),
        (_label(design, "Kel/Desa"), p.desa),
        (_label(design, "Kecamatan"), p.kecamatan),
        (_label(design, "Agama"), p.agama),
        (_label(design, "Status Perkawinan"), p.status),
        (_label(design, "Pekerjaan"), p.pekerjaan),
        (_label(design, "Kewarganegaraan"), "WNI"),
        (_label(design, "Berlaku Hingga"), until),
    ]
    if design.fields == "grid":
        rows = rows[:4] + [(_label(design, "Gol. Darah"), gol)] + rows[4:]
    elif design.fields == "below":
        # Label-above-value rows need more height: the less important ones share a line.
        rows = (
            rows[:4]
            + [(_label(design, "Gol. Darah"), gol)]
            + rows[4:8]
            + [
                (_label(design, "Agama / Status"), f"{p.agama} / {p.status}"),
                (_label(design, "Pekerjaan"), p.pekerjaan),
                (_label(design, "Berlaku Hingga"), until),
            ]
        )
    _fit_rows(draw, design, font_path, rows, x0, x1, top, h)
    truth: dict[str, object] = {
        "doc_type": "ktp",
        "nik": p.nik,
        "nama": p.nama,
        "tempat_lahir": p.tempat_lahir,
        "tanggal_lahir": p.tanggal_lahir.isoformat() if birth_text is None else birth_text,
        "jenis_kelamin": p.jenis_kelamin,
        "alamat": p.alamat,
        "kecamatan": p.kecamatan,
        "berlaku_hingga": until_truth,
    }
    return Card(img, truth)


def _kabupaten(p: Person) -> str:
    """The issuing regency: where the holder lives now (a NIK keeps the region it began in)."""
    del p
    return "KABUPATEN MEMPAWAH"


def _fit_rows(
    draw: ImageDraw.ImageDraw,
    design: CardDesign,
    font_path: Path,
    rows: list[tuple[str, str]],
    x0: int,
    x1: int,
    top: int,
    h: int,
) -> None:
    """Draw the rows, shrinking the design's type until they end above the card's edge."""
    size, pitch = design.size, design.pitch
    while True:
        trial = Image.new("RGB", (8, 8))
        probe = ImageDraw.Draw(trial)
        scaled = _scaled(design, size, pitch)
        end = _fields(probe, scaled, font_path, rows, x0, x1, top, True)
        if end <= h - 14 or size <= 14:
            _fields(draw, scaled, font_path, rows, x0, x1, top, True)
            return
        size, pitch = size - 1, pitch - 1


def _scaled(design: CardDesign, size: int, pitch: int) -> CardDesign:
    from dataclasses import replace

    return replace(design, size=size, pitch=pitch)


def npwp_card(
    holder: Person | Company,
    npwp: str,
    registered: datetime.date,
    design: CardDesign,
    font_path: Path,
    rng: random.Random,
) -> Card:
    """An NPWP card of a person (name, NIK, address) or of a company (name and address)."""
    img, draw = _canvas(design, rng)
    w, h = img.size
    lines = ["KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", "DIREKTORAT JENDERAL PAJAK"]
    head_end = _header(draw, design, font_path, lines, w)
    margin = round(design.left * w)
    x0, x1 = margin + 8, w - margin - 8
    top = max(head_end + 16, round(design.top * h))
    company = isinstance(holder, Company)
    number = fmt_npwp(npwp, design.number)
    rows: list[tuple[str, str]] = [("NPWP", number)]
    if design.name_label:
        rows.append((_label(design, "Nama Wajib Pajak" if company else "Nama"), holder.nama))
    if isinstance(holder, Company):
        address = f"{holder.alamat}, {holder.desa}"
        place = f"{holder.kecamatan}, MEMPAWAH, KALIMANTAN BARAT"
    else:
        if not (len(npwp) == 16 and npwp == holder.nik):
            rows.append(("NIK", holder.nik))
        address = f"{holder.alamat} RT/RW {holder.rt_rw}"
        place = f"{holder.desa}, {holder.kecamatan}, MEMPAWAH"
    font = _font(font_path, design.size)
    big = _font(font_path, design.size + 8)
    if design.name_label:
        end = _npwp_rows(draw, design, font_path, rows, x0, x1, top)
    else:
        # The number under its label, then the holder's name bare, as most cards print it.
        end = _npwp_rows(draw, design, font_path, rows[:1], x0, x1, top)
        name_font = _fit(draw, holder.nama, big, x1 - x0)
        draw.text((x0, end), holder.nama, fill=design.ink, font=name_font)
        end += big.size + 12
        if len(rows) > 1:
            end = _npwp_rows(draw, design, font_path, rows[1:], x0, x1, end)
    draw.text((x0, end + 4), address, fill=design.ink, font=_fit(draw, address, font, x1 - x0))
    draw.text((x0, end + design.size + 12), place, fill=design.ink,
              font=_fit(draw, place, font, x1 - x0))  # fmt: skip
    foot = _font(font_path, max(15, design.size - 4))
    draw.text((x0, h - foot.size - 22), "KPP PRATAMA MEMPAWAH", fill=design.ink, font=foot)
    reg = f"Terdaftar : {fmt_date(registered, design.date_style)}"
    if design.fields in ("below", "grid"):
        draw.text((x1, h - 2 * foot.size - 30), _label(design, "Tanggal Terdaftar"),
                  fill=design.label_ink or design.ink, font=foot, anchor="rt")  # fmt: skip
        reg = fmt_date(registered, design.date_style)
    else:
        reg = f"Tanggal Terdaftar : {fmt_date(registered, design.date_style)}"
    draw.text((x1, h - foot.size - 22), reg, fill=design.ink, font=foot, anchor="rt")
    truth: dict[str, object] = {
        "doc_type": "npwp",
        "npwp": npwp,
        "nama": holder.nama,
        "tanggal_terbit": registered.isoformat(),
    }
    if not company and any(label == "NIK" for label, _ in rows):
        assert isinstance(holder, Person)
        truth["nik"] = holder.nik
    return Card(img, truth)


def _npwp_rows(
    draw: ImageDraw.ImageDraw,
    design: CardDesign,
    font_path: Path,
    rows: list[tuple[str, str]],
    x0: int,
    x1: int,
    y: int,
) -> int:
    return _fields(draw, design, font_path, rows, x0, x1, y, rows[0][0] == "NPWP")
