"""The varied held-out splits: ``heldout4`` and ``heldout5``, each with its own fonts, card
designs, page styles and annex tables, disjoint from each other and from every earlier split.

``heldout4`` is measured once on the code before issue 10's changes and is then developed
against; ``heldout5`` is the final measure and is evaluated only once, at the very end.
Both carry the same kinds of variety (labels beside, above or in a left column of their
values; formatted and bare numbers; other headers, photo sides, proportions, colours; OSS-style
NIBs with annex tables; company documents; rotated, tilted, low-resolution, glared and shadowed
photos; photocopies), so the second measures what the first taught, not a new kind of problem.
"""

from __future__ import annotations

import datetime
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from tests.corpus import cards2, oss
from tests.corpus.camera import PhotoSpec, phone_photo2, photocopy, turn
from tests.corpus.cards2 import CardDesign
from tests.corpus.degrade import flat_scan, scanned_pdf
from tests.corpus.letters import LETTERS
from tests.corpus.oss import AnnexDesign, PageStyle
from tests.corpus.people import (
    Company,
    make_company,
    make_person,
    make_venture,
    npwp15,
    registered_on,
)

CHECK_DAY = datetime.date(2026, 12, 1)
"""The day the varied corpus and its applicants are checked on (dates are drawn before it)."""

NOTO = Path("/usr/share/fonts/truetype/noto")
OPENTYPE = Path("/usr/share/fonts/opentype")
TRUETYPE = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class Variety:
    """Everything a varied split draws from."""

    card_fonts: tuple[Path, ...]
    ktp_designs: tuple[CardDesign, ...]
    npwp_designs: tuple[CardDesign, ...]
    page_styles: tuple[PageStyle, ...]
    annexes: tuple[AnnexDesign, ...]


HELDOUT4 = Variety(
    card_fonts=(
        NOTO / "NotoSans-Regular.ttf",
        OPENTYPE / "inter" / "Inter-Regular.otf",
        Path("/usr/share/fonts/fonts-go/Go-Regular.ttf"),
        TRUETYPE / "oxygen" / "Oxygen-Sans.ttf",
        OPENTYPE / "cabin" / "Cabin-Regular.otf",
        TRUETYPE / "gentiumplus" / "GentiumPlus-Regular.ttf",
    ),
    ktp_designs=(
        CardDesign("h4-ktp-colon-left", "colon", "left", "right", (230, 238, 226), pattern="dots"),
        CardDesign(
            "h4-ktp-grid-band",
            "grid",
            "band",
            "left",
            (226, 234, 240),
            accent=(24, 88, 120),
            label_ink=(70, 80, 96),
            pattern="waves",
        ),
        CardDesign(
            "h4-ktp-leftcol", "leftcol", "center", "right", (238, 230, 242), label_ink=(52, 52, 84)
        ),
        CardDesign(
            "h4-ktp-colon-large",
            "colon",
            "right",
            "left",
            (222, 232, 246),
            width=1240,
            size=29,
            pitch=40,
            date_style="slash",
            upper_labels=True,
        ),
    ),  # fmt: skip
    npwp_designs=(
        CardDesign(
            "h4-npwp-below",
            "below",
            "left",
            "none",
            (242, 238, 222),
            accent=(92, 60, 20),
            label_ink=(96, 84, 70),
            name_label=False,
        ),
        CardDesign(
            "h4-npwp-leftcol",
            "leftcol",
            "band",
            "none",
            (230, 236, 246),
            number="bare",
            accent=(16, 52, 110),
        ),
        CardDesign(
            "h4-npwp-inline-wide",
            "inline",
            "center",
            "none",
            (234, 242, 236),
            aspect=1.75,
            number="spaced",
            pattern="diagonal",
        ),
        CardDesign(
            "h4-npwp-grid",
            "grid",
            "right",
            "none",
            (246, 234, 228),
            number="bare",
            label_ink=(110, 80, 80),
            name_label=True,
        ),
    ),  # fmt: skip
    page_styles=(
        PageStyle(
            "h4-noto-numbered",
            "Noto Sans",
            NOTO / "NotoSans-Regular.ttf",
            10.0,
            "numbered",
            print_date=True,
        ),
        PageStyle(
            "h4-inter-below",
            "Inter",
            OPENTYPE / "inter" / "Inter-Regular.otf",
            9.5,
            "below",
            header="left",
            nib_title="below",
        ),
        PageStyle(
            "h4-gentium-leftcol",
            "Gentium Plus",
            TRUETYPE / "gentiumplus" / "GentiumPlus-Regular.ttf",
            11.0,
            "leftcol",
            nib_title="short",
            header="kop",
        ),
        PageStyle(
            "h4-go-colon",
            "Go",
            Path("/usr/share/fonts/fonts-go/Go-Regular.ttf"),
            9.5,
            "colon",
            header="kop",
            label_mm=52,
        ),
        PageStyle(
            "h4-cabin-numbered",
            "Cabin",
            OPENTYPE / "cabin" / "Cabin-Regular.otf",
            10.5,
            "numbered",
            nib_title="below",
            print_date=True,
            accent="#0d5c4a",
        ),
        PageStyle(
            "h4-notoserif-colon",
            "Noto Serif",
            NOTO / "NotoSerif-Regular.ttf",
            10.0,
            "colon",
            header="left",
            label_mm=62,
        ),
    ),  # fmt: skip
    annexes=(
        AnnexDesign(
            "h4-annex-full",
            (
                ("no", "No."),
                ("kode", "Kode KBLI"),
                ("judul", "Judul KBLI"),
                ("lokasi", "Lokasi Usaha"),
                ("risiko", "Tingkat Risiko"),
                ("izin", "Perizinan Berusaha"),
            ),
            "all",
            "long",
        ),
        AnnexDesign(
            "h4-annex-codes",
            (
                ("no", "No"),
                ("kode", "KBLI"),
                ("judul", "Uraian KBLI"),
                ("risiko", "Risiko"),
                ("lokasi", "Alamat Lokasi Usaha"),
                ("izin", "Jenis Perizinan"),
            ),
            "rows",
            "code",
        ),
        AnnexDesign(
            "h4-annex-inline",
            (
                ("kode", "Kode"),
                ("judul", "Kegiatan Usaha"),
                ("izin", "Perizinan Berusaha Berbasis Risiko"),
                ("risiko", "Klasifikasi Risiko"),
                ("lokasi", "Lokasi"),
            ),
            "none",
            "long",
            title="DAFTAR KEGIATAN USAHA",
            new_page=False,
        ),
    ),  # fmt: skip
)

HELDOUT5 = Variety(
    card_fonts=(
        TRUETYPE / "charis" / "CharisSIL-Regular.ttf",
        TRUETYPE / "andika" / "Andika-Regular.ttf",
        OPENTYPE / "ebgaramond" / "EBGaramond12-Regular.otf",
        TRUETYPE / "quicksand" / "Quicksand-Regular.ttf",
        TRUETYPE / "hack" / "Hack-Regular.ttf",
        OPENTYPE / "b612" / "B612-Regular.otf",
        OPENTYPE / "league-spartan" / "LeagueSpartan-Regular.otf",
    ),
    ktp_designs=(
        CardDesign(
            "h5-ktp-inline-band",
            "inline",
            "band",
            "right",
            (248, 244, 230),
            accent=(120, 40, 36),
            date_style="month",
        ),
        CardDesign(
            "h5-ktp-grid-upper",
            "grid",
            "center",
            "right",
            (228, 236, 228),
            upper_labels=True,
            pattern="diagonal",
            label_ink=(60, 90, 60),
        ),
        CardDesign(
            "h5-ktp-leftcol-tall",
            "leftcol",
            "left",
            "left",
            (232, 236, 246),
            aspect=1.45,
            label_ink=(80, 80, 80),
            size=23,
            pitch=32,
        ),
        CardDesign(
            "h5-ktp-colon-navy",
            "colon",
            "band",
            "left",
            (204, 216, 236),
            ink=(12, 14, 48),
            accent=(14, 30, 90),
            upper_labels=True,
            pattern="waves",
        ),
    ),  # fmt: skip
    npwp_designs=(
        CardDesign(
            "h5-npwp-below-center",
            "below",
            "center",
            "none",
            (236, 240, 248),
            number="spaced",
            label_ink=(90, 96, 110),
            name_label=True,
        ),
        CardDesign(
            "h5-npwp-colon-band",
            "colon",
            "band",
            "none",
            (244, 244, 238),
            accent=(60, 60, 64),
            upper_labels=True,
        ),
        CardDesign(
            "h5-npwp-grid-tall",
            "grid",
            "left",
            "none",
            (240, 232, 244),
            aspect=1.5,
            number="formatted",
            pattern="dots",
        ),
        CardDesign(
            "h5-npwp-below-bare",
            "below",
            "right",
            "none",
            (226, 240, 240),
            number="bare",
            name_label=False,
            date_style="slash",
        ),
    ),  # fmt: skip
    page_styles=(
        PageStyle(
            "h5-charis-colon",
            "Charis SIL",
            TRUETYPE / "charis" / "CharisSIL-Regular.ttf",
            10.5,
            "colon",
            header="kop",
            label_mm=56,
        ),
        PageStyle(
            "h5-andika-below",
            "Andika",
            TRUETYPE / "andika" / "Andika-Regular.ttf",
            10.0,
            "below",
            nib_title="short",
        ),
        PageStyle(
            "h5-garamond-numbered",
            "EB Garamond",
            OPENTYPE / "ebgaramond" / "EBGaramond12-Regular.otf",
            12.0,
            "numbered",
            print_date=True,
            header="left",
        ),
        PageStyle(
            "h5-quicksand-leftcol",
            "Quicksand",
            TRUETYPE / "quicksand" / "Quicksand-Regular.ttf",
            10.0,
            "leftcol",
            nib_title="below",
            accent="#5a2d82",
        ),
        PageStyle(
            "h5-b612-below",
            "B612",
            OPENTYPE / "b612" / "B612-Regular.otf",
            9.0,
            "below",
            header="kop",
            print_date=True,
        ),
        PageStyle(
            "h5-spartan-numbered",
            "League Spartan",
            OPENTYPE / "league-spartan" / "LeagueSpartan-Regular.otf",
            10.0,
            "numbered",
            nib_title="short",
            label_mm=50,
        ),
        PageStyle(
            "h5-hack-colon",
            "Hack",
            TRUETYPE / "hack" / "Hack-Regular.ttf",
            8.5,
            "colon",
            label_mm=60,
        ),
    ),  # fmt: skip
    annexes=(
        AnnexDesign(
            "h5-annex-title-first",
            (
                ("no", "No"),
                ("judul", "Nama KBLI"),
                ("kode", "Kode KBLI"),
                ("lokasi", "Lokasi Usaha"),
                ("izin", "Perizinan"),
                ("risiko", "Tingkat Risiko"),
            ),
            "all",
            "code",
        ),
        AnnexDesign(
            "h5-annex-location-second",
            (
                ("kode", "KBLI 2020"),
                ("lokasi", "Lokasi Kegiatan Usaha"),
                ("judul", "Judul"),
                ("risiko", "Risiko"),
                ("izin", "Jenis Izin"),
            ),
            "rows",
            "long",
            title="LAMPIRAN I",
        ),
        AnnexDesign(
            "h5-annex-risk-first",
            (
                ("no", "No."),
                ("risiko", "Tingkat Risiko"),
                ("kode", "Kode KBLI"),
                ("judul", "Bidang Usaha"),
                ("lokasi", "Alamat Usaha"),
                ("izin", "Perizinan Berusaha"),
            ),
            "none",
            "long",
            new_page=False,
        ),
    ),  # fmt: skip
)

VARIETIES = {"heldout4": HELDOUT4, "heldout5": HELDOUT5}


def check_installed(v: Variety) -> None:
    """Fail loudly when a split's font is missing (renderers would substitute silently)."""
    missing = [str(p) for p in v.card_fonts if not p.exists()]
    missing += [str(s.font_file) for s in v.page_styles if not s.font_file.exists()]
    if missing:
        raise FileNotFoundError(
            "fonts of the varied split are missing (install scripts/system-packages.txt): "
            + ", ".join(missing)
        )


def render_pages(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil() for i in range(len(doc))]
    finally:
        doc.close()


def save_image(img: Image.Image, rng: random.Random) -> tuple[bytes, str]:
    buf = io.BytesIO()
    dpi = img.info.get("dpi", (300, 300))
    if rng.random() < 0.45:
        img.save(buf, format="PNG", dpi=dpi)
        return buf.getvalue(), "png"
    img.save(buf, format="JPEG", quality=rng.randint(80, 92), dpi=dpi)
    return buf.getvalue(), "jpg"


def photo_spec(rng: random.Random) -> PhotoSpec:
    """What a phone photo suffers: about one in seven turned, a third low-resolution, ..."""
    quarter = rng.choice((1, 2, 3)) if rng.random() < 0.15 else 0
    return PhotoSpec(
        quarter=quarter,
        low_res=rng.random() < 0.3,
        glare=rng.random() < 0.3,
        shadow=rng.random() < 0.25,
        tilt=rng.choice((0.04, 0.06, 0.1, 0.12)),
    )


def scan_card(img: Image.Image, rng: random.Random) -> tuple[bytes, str, list[str]]:
    """A card scanned flat (some as a photocopy on A4, some turned, some as a PDF)."""
    dpi = rng.choice((150, 200, 300))
    tags: list[str] = [f"{dpi}dpi"]
    if rng.random() < 0.2:
        dpi = max(dpi, 200)  # copies are scanned at office settings
        tags[0] = f"{dpi}dpi"
        page = photocopy(img, rng, dpi=dpi)
        tags.append("photocopy")
    else:
        page = flat_scan(img, rng, dpi=dpi, on_page=True)
    if rng.random() < 0.1:
        quarter = rng.choice((1, 2, 3))
        page = turn(page, quarter)
        tags.append(f"rot{90 * quarter}")
    if rng.random() < 0.15:
        return scanned_pdf([page], dpi), "pdf", [*tags, "pdf"]
    data, ext = save_image(page, rng)
    return data, ext, tags


def scan_document(pdf: bytes, rng: random.Random) -> tuple[bytes, list[str]]:
    """An image-only PDF of a printed document, some fed upside down or sideways."""
    dpi = rng.choice((150, 200, 300))
    pages = [flat_scan(p, rng, dpi=dpi, on_page=False) for p in render_pages(pdf)]
    tags = [f"{dpi}dpi"]
    if rng.random() < 0.12:
        quarter = rng.choice((2, 2, 1, 3))
        pages = [turn(p, quarter) for p in pages]
        tags.append(f"rot{90 * quarter}")
    return scanned_pdf(pages, dpi), tags


def holder_for(rng: random.Random, today: datetime.date) -> tuple[Any, Company | None]:
    """A person, and for about half of the businesses the CV/PT they direct."""
    person = make_person(rng, today=today)
    r = rng.random()
    if r < 0.5:
        return person, None
    return person, make_company(rng, person, "cv" if r < 0.75 else "pt")


def office_of(person: Any, company: Company | None) -> str:
    if company is not None:
        return oss.full_place(company.alamat, company.desa, company.kecamatan)
    return oss.full_place(person.alamat, person.desa, person.kecamatan)


def build_split(folder: Path, split: str, counts: Any) -> list[dict[str, object]]:
    """Generate the varied ``split`` into ``folder``; return its manifest."""
    v = VARIETIES[split]
    check_installed(v)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"pintu-corpus-{split}")
    today = CHECK_DAY
    manifest: list[dict[str, object]] = []

    def add(name: str, data: bytes, category: str, truth: dict[str, object]) -> None:
        (folder / name).write_bytes(data)
        manifest.append({"file": name, "split": split, "category": category, "truth": truth})

    for i in range(counts.ktp_scan + counts.ktp_photo):
        person = make_person(rng, today=today)
        design, font = rng.choice(v.ktp_designs), rng.choice(v.card_fonts)
        card = cards2.ktp_card(person, design, font, rng, lifetime=rng.random() > 0.15)
        truth = {**card.truth, "font": font.name, "layout": design.name}
        if i < counts.ktp_scan:
            data, ext, tags = scan_card(card.img, rng)
            add(f"ktp-scan-{i:03d}.{ext}", data, "clean_scan", {**truth, "degradation": tags})
        else:
            spec = photo_spec(rng)
            add(f"ktp-photo-{i:03d}.jpg", phone_photo2(card.img, rng, spec), "degraded_photo",
                {**truth, "degradation": spec.tags()})  # fmt: skip

    for i in range(counts.npwp_scan + counts.npwp_photo):
        person, company = holder_for(rng, today)
        design, font = rng.choice(v.npwp_designs), rng.choice(v.card_fonts)
        registered = registered_on(rng, company or person)
        if company is not None:
            number = company.npwp if rng.random() < 0.7 else "0" + company.npwp
            card = cards2.npwp_card(company, number, registered, design, font, rng)
        else:
            number = person.nik if rng.random() < 0.4 else npwp15(rng)
            card = cards2.npwp_card(person, number, registered, design, font, rng)
        truth = {**card.truth, "font": font.name, "layout": design.name}
        if i < counts.npwp_scan:
            data, ext, tags = scan_card(card.img, rng)
            add(f"npwp-scan-{i:03d}.{ext}", data, "clean_scan", {**truth, "degradation": tags})
        else:
            spec = photo_spec(rng)
            add(f"npwp-photo-{i:03d}.jpg", phone_photo2(card.img, rng, spec), "degraded_photo",
                {**truth, "degradation": spec.tags()})  # fmt: skip

    for i in range(counts.nib_digital + counts.nib_scan):
        person, company = holder_for(rng, today)
        venture = make_venture(rng, company or person)
        style, annex = rng.choice(v.page_styles), rng.choice(v.annexes)
        printed_on = min(venture.tanggal_terbit + datetime.timedelta(days=rng.randint(0, 900)),
                         today - datetime.timedelta(days=3))  # fmt: skip
        pdf, truth = oss.nib_pdf(
            venture,
            style,
            annex,
            rng,
            office=office_of(person, company),
            show_npwp=rng.random() < 0.4,
            show_nama_usaha=company is None and rng.random() < 0.5,
            printed_on=printed_on,
        )
        truth = {**truth, "font": style.font, "layout": f"{style.name}+{annex.name}"}
        if i < counts.nib_digital:
            add(f"nib-digital-{i:03d}.pdf", pdf, "born_digital", truth)
        else:
            data, tags = scan_document(pdf, rng)
            add(f"nib-scan-{i:03d}.pdf", data, "clean_scan", {**truth, "degradation": tags})

    for kind in LETTERS:
        for i in range(counts.letter_digital + counts.letter_scan):
            pdf, truth = letter_for(kind, rng, v, today)
            if i < counts.letter_digital:
                add(f"{kind}-digital-{i:03d}.pdf", pdf, "born_digital", truth)
            else:
                data, tags = scan_document(pdf, rng)
                add(f"{kind}-scan-{i:03d}.pdf", data, "clean_scan", {**truth, "degradation": tags})

    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return manifest


def letter_for(
    kind: str, rng: random.Random, v: Variety, today: datetime.date
) -> tuple[bytes, dict[str, object]]:
    """One requirement letter of ``kind`` for a fresh applicant, in one of the split's styles."""
    style = rng.choice(v.page_styles)
    person = make_person(rng, today=today)
    issued = datetime.date(rng.randint(2020, 2026), rng.randint(1, 12), rng.randint(1, 28))
    issued = min(issued, today - datetime.timedelta(days=5))
    meta = {"font": style.font, "layout": style.name}
    if kind == "akta_pendirian":
        company = make_company(rng, person, rng.choice(("cv", "pt")))
        pdf, truth = oss.akta_pdf(company, style, rng)
        return pdf, {**truth, **meta}
    if kind == "pkkpr":
        venture = make_venture(rng, person)
        if issued <= venture.tanggal_terbit:  # the NIB comes first
            later = venture.tanggal_terbit + datetime.timedelta(days=rng.randint(14, 300))
            issued = min(later, today - datetime.timedelta(days=5))
        pdf, truth = oss.pkkpr_pdf(venture, person.nama, issued, style, rng.randint(1, 400))
        return pdf, {**truth, **meta}
    venture = make_venture(rng, person)
    alamat = f"{venture.alamat}, {venture.desa}, {venture.kecamatan}"
    pdf, truth = oss.letter_pdf(
        kind, person, venture.nama_usaha, alamat, issued, style, rng.randint(1, 999)
    )
    return pdf, {**truth, **meta}
