"""Born-digital documents of the varied splits, rendered with WeasyPrint: an OSS-style NIB with
its annex (*Lampiran*) table, the akta pendirian of a CV/PT, a PKKPR, and the other requirement
letters, each in page designs and fonts that the earlier splits (``letters``) never used.

A design is data: how labels sit against values (:class:`PageStyle`), which columns the annex
prints in which order under which wording (:class:`AnnexDesign`). The split picks designs.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import random
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from PIL import Image

from tests.corpus.letters import LETTERS, tanggal
from tests.corpus.people import Company, Venture
from tests.corpus.persona import Person

RISK_LONG = {"R": "Rendah", "MR": "Menengah Rendah", "MT": "Menengah Tinggi", "T": "Tinggi"}
PERMIT = {
    "R": "NIB",
    "MR": "Sertifikat Standar (Pernyataan Mandiri)",
    "MT": "Sertifikat Standar (Terverifikasi)",
    "T": "Izin",
}
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True)
class PageStyle:
    """A page design: font, how labels sit against values, header and colours."""

    name: str
    font: str
    """Fontconfig family; ``font_file`` must exist (WeasyPrint would silently substitute)."""
    font_file: Path
    size_pt: float
    labels: str
    """``colon`` (label | : | value), ``numbered`` (1. label : value), ``below`` (a small label
    above its value) or ``leftcol`` (shaded label cells, no colon)."""
    header: str = "center"
    """``center``, ``left`` (title block left-aligned) or ``kop`` (letterhead with a rule)."""
    accent: str = "#1d3f73"
    label_mm: int = 58
    margin_mm: int = 20
    nib_title: str = "inline"
    """NIB number: ``inline`` (NOMOR INDUK BERUSAHA: X), ``below`` (the number on its own line
    under the title) or ``short`` (NIB : X)."""
    print_date: bool = False
    """Print a "Dicetak tanggal" line (the day of printing, not the issue date)."""


@dataclass(frozen=True)
class AnnexDesign:
    """The NIB annex table: columns in order, their header wording, borders, risk wording."""

    name: str
    columns: tuple[tuple[str, str], ...]
    """(column key, header text); keys: no, kode, judul, lokasi, risiko, izin."""
    borders: str = "all"
    """``all`` (ruled grid), ``rows`` (horizontal rules only) or ``none``."""
    risk: str = "long"
    """``long`` (Menengah Tinggi) or ``code`` (MT)."""
    title: str = "LAMPIRAN"
    new_page: bool = True


def _check_font(style: PageStyle) -> None:
    if not style.font_file.exists():
        raise FileNotFoundError(
            f"{style.font_file} is missing: install the split's fonts (scripts/system-packages.txt)"
        )


def qr_data_uri(rng: random.Random, modules: int = 25) -> str:
    """A QR-looking square (finder patterns and random modules), as an inline PNG."""
    img = Image.new("L", (modules, modules), 255)
    px = img.load()
    assert px is not None
    for y in range(modules):
        for x in range(modules):
            if rng.random() < 0.5:
                px[x, y] = 0
    for ox, oy in ((0, 0), (modules - 7, 0), (0, modules - 7)):
        for y in range(7):
            for x in range(7):
                ring = max(abs(x - 3), abs(y - 3))
                px[ox + x, oy + y] = 0 if ring in (0, 1, 3) else 255
    buf = io.BytesIO()
    img.resize((modules * 6, modules * 6), Image.NEAREST).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _css(style: PageStyle, annex: AnnexDesign | None = None) -> str:
    border = {
        "all": "table.a td, table.a th { border: 0.6pt solid #333; padding: 1.4mm 1.6mm; }",
        "rows": "table.a td, table.a th { border-bottom: 0.5pt solid #555; padding: 1.4mm; }",
        "none": "table.a td, table.a th { padding: 1.2mm 1.2mm; }",
    }[annex.borders if annex else "none"]
    return f"""
@page {{ size: A4; margin: {style.margin_mm}mm {style.margin_mm - 2}mm; }}
body {{ font-family: '{style.font}'; font-size: {style.size_pt}pt; color: #111; }}
h1 {{ font-size: {style.size_pt + 4}pt; margin: 1.5mm 0; color: {style.accent}; }}
h2 {{ font-size: {style.size_pt + 1}pt; margin: 1mm 0; font-weight: normal; }}
.hd {{ text-align: {"left" if style.header == "left" else "center"}; }}
.kop {{ border-bottom: 2pt solid #222; padding-bottom: 2mm; margin-bottom: 4mm;
        text-align: center; }}
.kop b {{ font-size: {style.size_pt + 3}pt; }}
table.f {{ border-collapse: collapse; margin-top: 5mm; width: 100%; }}
table.f td {{ vertical-align: top; padding: 1.2mm 0; }}
td.n {{ width: 7mm; }} td.l {{ width: {style.label_mm}mm; }} td.c {{ width: 5mm; }}
td.sh {{ background: #e4e8ef; padding: 1.4mm 2mm; width: {style.label_mm}mm; }}
td.v {{ padding-left: 3mm; }}
div.b {{ margin: 2.2mm 0; }}
div.b .k {{ font-size: {style.size_pt - 2}pt; color: #555; }}
div.b .x {{ font-size: {style.size_pt + 0.5}pt; }}
table.a {{ border-collapse: collapse; margin-top: 4mm; width: 100%;
           font-size: {style.size_pt - 1}pt; }}
table.a th {{ text-align: left; background: #eef0f4; vertical-align: bottom; }}
table.a td {{ vertical-align: top; }}
{border}
.sign {{ margin-top: 14mm; margin-left: 92mm; }}
.small {{ font-size: {style.size_pt - 2}pt; }}
"""


def fields_html(style: PageStyle, rows: list[tuple[str, str]]) -> str:
    """Label/value rows in the style's way of placing labels."""
    e = html.escape
    if style.labels == "below":
        return "".join(
            f"<div class='b'><div class='k'>{e(k)}</div><div class='x'>{e(v)}</div></div>"
            for k, v in rows
        )
    if style.labels == "leftcol":
        cells = "".join(
            f"<tr><td class='sh'>{e(k)}</td><td class='v'>{e(v)}</td></tr>" for k, v in rows
        )
        spaced = "border-spacing: 0 1.2mm; border-collapse: separate"
        return f"<table class='f' style='{spaced}'>{cells}</table>"
    if style.labels == "numbered":
        cells = "".join(
            f"<tr><td class='n'>{i + 1}.</td><td class='l'>{e(k)}</td><td class='c'>:</td>"
            f"<td>{e(v)}</td></tr>"
            for i, (k, v) in enumerate(rows)
        )
        return f"<table class='f'>{cells}</table>"
    cells = "".join(
        f"<tr><td class='l'>{e(k)}</td><td class='c'>:</td><td>{e(v)}</td></tr>" for k, v in rows
    )
    return f"<table class='f'>{cells}</table>"


def _pdf(style: PageStyle, body: str, annex: AnnexDesign | None = None) -> bytes:
    _check_font(style)
    doc = f"<html><head><style>{_css(style, annex)}</style></head><body>{body}</body></html>"
    pdf = weasyprint.HTML(string=doc).write_pdf()
    assert pdf is not None
    return pdf


def full_place(alamat: str, desa: str, kecamatan: str, kabupaten: str = "MEMPAWAH") -> str:
    return (
        f"{alamat}, Desa {desa.title()}, Kecamatan {kecamatan.title()}, "
        f"Kabupaten {kabupaten.title()}, Provinsi Kalimantan Barat"
    )


def _fmt_npwp(npwp: str) -> str:
    if len(npwp) == 15:
        return f"{npwp[0:2]}.{npwp[2:5]}.{npwp[5:8]}.{npwp[8]}-{npwp[9:12]}.{npwp[12:15]}"
    return npwp


SKALA = {"mikro": "Usaha Mikro", "kecil": "Usaha Kecil", "menengah": "Usaha Menengah",
         "besar": "Usaha Besar"}  # fmt: skip


def nib_pdf(
    v: Venture,
    style: PageStyle,
    annex: AnnexDesign,
    rng: random.Random,
    *,
    office: str,
    printed_nib: str | None = None,
    show_npwp: bool = False,
    show_nama_usaha: bool = False,
    printed_on: datetime.date | None = None,
) -> tuple[bytes, dict[str, object]]:
    """An OSS-style NIB: page 1 with the holder, the annex listing every KBLI line.

    ``office`` is the printed *Alamat Kantor*; ``printed_nib`` replaces the number printed (a
    planted defect) while the truth keeps what is printed.
    """
    e = html.escape
    nib = printed_nib or v.nib
    law = (
        "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
        "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja Menjadi Undang-Undang"
        if v.tanggal_terbit >= datetime.date(2023, 3, 31)
        else "Undang-Undang Nomor 11 Tahun 2020 tentang Cipta Kerja"
    )
    if style.nib_title == "below":
        title = f"<h1>NOMOR INDUK BERUSAHA (NIB)</h1><h1>{nib}</h1>"
    elif style.nib_title == "short":
        title = f"<h1>NIB : {nib}</h1>"
    else:
        title = f"<h1>NOMOR INDUK BERUSAHA: {nib}</h1>"
    rows = [("Nama Pelaku Usaha", v.pelaku)]
    if show_nama_usaha:
        rows.append(("Nama Usaha", v.nama_usaha))
    rows += [("Alamat Kantor", office), ("Nomor Telepon", v.telepon), ("Email", v.email)]
    if show_npwp:
        rows.append(("NPWP", _fmt_npwp(v.npwp)))
    rows += [
        ("Status Penanaman Modal", "PMDN"),
        ("Skala Usaha", SKALA[v.skala]),
        ("Kode KBLI", "Lihat Lampiran" if annex.new_page else "Sebagaimana tercantum di bawah"),
    ]
    lokasi = full_place(v.alamat, v.desa, v.kecamatan, v.kabupaten)
    header_row = "".join(f"<th>{e(h)}</th>" for _, h in annex.columns)
    body_rows = []
    for i, (code, title_kbli, risk) in enumerate(v.kbli):
        cell = {
            "no": str(i + 1),
            "kode": code,
            "judul": title_kbli,
            "lokasi": lokasi,
            "risiko": RISK_LONG[risk] if annex.risk == "long" else risk,
            "izin": PERMIT[risk],
        }
        body_rows.append("<tr>" + "".join(f"<td>{e(cell[k])}</td>" for k, _ in annex.columns))
    widths = {"no": "6%", "kode": "10%", "judul": "27%", "lokasi": "30%", "risiko": "12%",
              "izin": "15%"}  # fmt: skip
    cols = "".join(f"<col style='width:{widths[k]}'/>" for k, _ in annex.columns)
    table = f"<table class='a'>{cols}<tr>{header_row}</tr>{''.join(body_rows)}</table>"
    printed = ""
    if style.print_date and printed_on is not None:
        printed = f"<p class='small'>Dicetak tanggal: {tanggal(printed_on)}</p>"
    qr = qr_data_uri(rng)
    issued = tanggal(v.tanggal_terbit)
    sign = f"""<div class='sign'>Diterbitkan di Jakarta<br/>pada tanggal {issued}<br/>
Menteri Investasi dan Hilirisasi/<br/>Kepala Badan Koordinasi Penanaman Modal<br/>
<img src='{qr}' style='width:22mm; margin:2mm 0'/><br/>
<span class='small'>Ditandatangani secara elektronik</span></div>"""
    annex_head = (
        f"<div style='page-break-before: always'><h2 class='hd'><b>{e(annex.title)}</b></h2>"
        f"<h2 class='hd'>NOMOR INDUK BERUSAHA: {nib}</h2>"
        if annex.new_page
        else f"<div><h2><b>{e(annex.title)}</b></h2>"
    )
    body = f"""<div class='hd'><h2>PEMERINTAH REPUBLIK INDONESIA</h2>
<h1>PERIZINAN BERUSAHA BERBASIS RISIKO</h1>{title}</div>
<p>Berdasarkan {law}, Pemerintah Republik Indonesia menerbitkan Nomor Induk Berusaha (NIB)
kepada:</p>{fields_html(style, rows)}
<p>NIB ini berlaku di seluruh wilayah Republik Indonesia selama menjalankan kegiatan usaha dan
berlaku sebagai identitas berusaha, angka pengenal impor (API), hak akses kepabeanan,
pendaftaran kepesertaan jaminan sosial kesehatan dan jaminan sosial ketenagakerjaan, serta
bukti pemenuhan laporan pertama wajib lapor ketenagakerjaan di perusahaan, sesuai ketentuan
peraturan perundang-undangan.</p>{sign if annex.new_page else ""}{printed}
{annex_head}{table}
<p class='small'>Keterangan: lokasi usaha dan tingkat risiko sesuai data yang disampaikan
pelaku usaha melalui sistem OSS.</p>{"" if annex.new_page else sign}</div>"""
    truth: dict[str, object] = {
        "doc_type": "nib",
        "nib": nib,
        "nama": v.pelaku,
        "alamat": office,
        "kbli": [c for c, _, _ in v.kbli],
        "kbli_judul": [t for _, t, _ in v.kbli],
        "kbli_risiko": [r for _, _, r in v.kbli],
        "lokasi_usaha": lokasi,
        "tanggal_terbit": v.tanggal_terbit.isoformat(),
    }
    if show_npwp:
        truth["npwp"] = v.npwp
    if show_nama_usaha:
        truth["nama_usaha"] = v.nama_usaha
    return _pdf(style, body, annex), truth


def _terbilang_date(d: datetime.date) -> str:
    return f"{HARI[d.weekday()]}, tanggal {d.day:02d}-{d.month:02d}-{d.year}"


def akta_pdf(c: Company, style: PageStyle, rng: random.Random) -> tuple[bytes, dict[str, object]]:
    """The akta pendirian of a CV or PT naming its director, as a notary's salinan prints it."""
    e = html.escape
    d = c.director
    kind = "PERSEROAN TERBATAS" if c.bentuk == "pt" else "PERSEKUTUAN KOMANDITER"
    role = "Direktur" if c.bentuk == "pt" else "Persero Pengurus (Direktur)"
    tuan = "Nyonya" if d.jenis_kelamin == "PEREMPUAN" else "Tuan"
    cover = fields_html(
        style,
        [
            ("Nama Badan Usaha", c.nama),
            ("Nomor Akta", str(c.akta_nomor)),
            ("Tanggal Akta", tanggal(c.akta_tanggal)),
            ("Notaris", c.notaris),
        ],
    )
    body = f"""<div class='hd'><h2>SALINAN</h2><h1>AKTA PENDIRIAN</h1><h1>{kind}</h1>
<h1>{e(c.nama)}</h1><h2>Nomor : {c.akta_nomor}</h2></div>{cover}
<p>Pada hari ini, {_terbilang_date(c.akta_tanggal)}, pukul {rng.randint(8, 15):02d}.00 WIB
(Waktu Indonesia Barat).</p>
<p>Berhadapan dengan saya, {e(c.notaris)}, Notaris di Kabupaten Mempawah, dengan dihadiri oleh
saksi-saksi yang saya, Notaris, kenal dan akan disebutkan pada bagian akhir akta ini:</p>
<p>{tuan} {e(d.nama)}, lahir di {e(d.tempat_lahir.title())}, pada tanggal
{tanggal(d.tanggal_lahir)}, Warga Negara Indonesia, {e(d.pekerjaan.title())}, bertempat tinggal
di {e(d.alamat.title())}, Rukun Tetangga/Rukun Warga {d.rt_rw}, Desa {e(d.desa.title())},
Kecamatan {e(d.kecamatan.title())}, pemegang Kartu Tanda Penduduk dengan Nomor Induk
Kependudukan {d.nik}.</p>
<p>Penghadap dengan ini menerangkan telah sepakat untuk mendirikan {kind.lower()} dengan anggaran
dasar sebagai berikut:</p>
<p style='text-align:center'><b>NAMA DAN TEMPAT KEDUDUKAN<br/>Pasal 1</b></p>
<p>Badan usaha ini bernama {e(c.nama)}, berkedudukan di Kabupaten Mempawah.</p>
<p style='text-align:center'><b>PENGURUSAN<br/>Pasal 9</b></p>
<p>Menyimpang dari ketentuan dalam anggaran dasar ini, untuk pertama kalinya telah diangkat
sebagai {role}: {tuan} {e(d.nama)} tersebut di atas.</p>
<p>Demikianlah akta ini dibuat sebagai minuta dan dilangsungkan di Kabupaten Mempawah pada hari
dan tanggal tersebut di atas.</p>
<div class='sign'>Diberikan sebagai SALINAN<br/>yang sama bunyinya.<br/>Notaris di Kabupaten
Mempawah,<br/><br/><br/>{e(c.notaris)}</div>"""
    truth: dict[str, object] = {
        "doc_type": "akta_pendirian",
        "nomor_dokumen": str(c.akta_nomor),
        "nama": d.nama,
        "nik": d.nik,
        "nama_usaha": c.nama,
        "tanggal_terbit": c.akta_tanggal.isoformat(),
    }
    return _pdf(style, body), truth


def pkkpr_pdf(
    v: Venture, holder_nama: str, issued: datetime.date, style: PageStyle, number: int
) -> tuple[bytes, dict[str, object]]:
    """A PKKPR for a business activity issued by the regency's DPMPTSP, with its issue date."""
    e = html.escape
    nomor = f"{number:03d}/PKKPR/DPMPTSP/{issued.year}"
    code, judul, _ = v.kbli[0]
    rows = [
        ("Nomor", nomor),
        ("Nama Pelaku Usaha", holder_nama),
        ("NIB", v.nib),
        ("Kode KBLI", code),
        ("Judul KBLI", judul),
        ("Lokasi Kegiatan", full_place(v.alamat, v.desa, v.kecamatan, v.kabupaten)),
        ("Luas Tanah yang Disetujui", f"{(number * 37) % 900 + 120} m²"),
        ("Tanggal Terbit", tanggal(issued)),
    ]
    kop = (
        "<div class='kop'><b>PEMERINTAH KABUPATEN MEMPAWAH</b><br/>DINAS PENANAMAN MODAL DAN "
        "PELAYANAN TERPADU SATU PINTU<br/><span class='small'>Jl. Gusti Muhammad Taufik, "
        "Mempawah, Kalimantan Barat</span></div>"
        if style.header == "kop"
        else ""
    )
    body = f"""{kop}<div class='hd'><h1>PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN RUANG</h1>
<h2>(PKKPR) UNTUK KEGIATAN BERUSAHA</h2></div>
<p>Berdasarkan permohonan yang diajukan melalui sistem OSS, dengan ini diberikan Persetujuan
Kesesuaian Kegiatan Pemanfaatan Ruang kepada:</p>{fields_html(style, rows)}
<p>Kegiatan pemanfaatan ruang yang dimohonkan sesuai dengan Rencana Detail Tata Ruang
Kabupaten Mempawah. PKKPR ini menjadi dasar bagi pelaku usaha untuk mengajukan persetujuan
lingkungan dan persetujuan bangunan gedung.</p>
<div class='sign'>Ditetapkan di Mempawah<br/>Kepala Dinas Penanaman Modal dan PTSP<br/>
Kabupaten Mempawah<br/><br/><span class='small'>Ditandatangani secara elektronik</span></div>"""
    truth: dict[str, object] = {
        "doc_type": "pkkpr",
        "nomor_dokumen": nomor,
        "nama": holder_nama,
        "nib": v.nib,
        "kbli": [code],
        "tanggal_terbit": issued.isoformat(),
    }
    del e
    return _pdf(style, body), truth


def letter_pdf(
    kind: str,
    p: Person,
    nama_usaha: str,
    alamat: str,
    issued: datetime.date,
    style: PageStyle,
    number: int,
) -> tuple[bytes, dict[str, object]]:
    """One of the other requirement letters (titles and wording as in ``letters``) in ``style``."""
    e = html.escape
    titles, number_fmt, sentence = LETTERS[kind]
    nomor = number_fmt.format(n=number, y=issued.year)
    heads = "".join(f"<h1>{e(t)}</h1>" for t in titles)
    government = kind in ("sk_kemenkumham", "ukl_upl", "pbg", "slf", "sppl")
    kop = (
        "<div class='kop'><b>PEMERINTAH KABUPATEN MEMPAWAH</b><br/>DINAS LINGKUNGAN HIDUP DAN "
        "PERUMAHAN RAKYAT</div>"
        if style.header == "kop" and government and kind != "sk_kemenkumham"
        else ""
    )
    rows = [("Nama", p.nama), ("NIK", p.nik), ("Nama Usaha", nama_usaha), ("Alamat", alamat)]
    body = f"""{kop}<div class='hd'>{heads}<h2>Nomor : {e(nomor)}</h2></div>
<p>Yang bertanda tangan di bawah ini / data pemohon:</p>{fields_html(style, rows)}
<p>{e(sentence)}</p>
<p>Demikian untuk dapat dipergunakan sebagaimana mestinya.</p>
<div class='sign'>Mempawah, {tanggal(issued)}<br/><br/><br/>{e(p.nama)}</div>"""
    truth: dict[str, object] = {
        "doc_type": kind,
        "nomor_dokumen": nomor,
        "nama": p.nama,
        "nik": p.nik,
        "nama_usaha": nama_usaha,
        "tanggal_terbit": issued.isoformat(),
    }
    return _pdf(style, body), truth
