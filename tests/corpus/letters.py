"""Born-digital documents (NIB and other letters) rendered with WeasyPrint."""

from __future__ import annotations

import datetime
import html
from dataclasses import dataclass

import weasyprint

from tests.corpus.persona import Business, Person

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")  # fmt: skip


def tanggal(d: datetime.date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class LetterStyle:
    name: str
    font: str
    size_pt: float
    label_width_mm: int


DEV_STYLES = (
    LetterStyle("sans", "DejaVu Sans", 10.5, 55),
    LetterStyle("serif", "DejaVu Serif", 11.0, 60),
)
TEST_STYLES = (
    LetterStyle("nimbus", "Nimbus Sans", 11.0, 50),
    LetterStyle("roman", "Nimbus Roman", 12.0, 65),
    LetterStyle("bookman", "URW Bookman", 10.0, 58),
)
HELDOUT1_STYLES = (
    LetterStyle("liberation", "Liberation Serif", 11.5, 62),
    LetterStyle("free", "FreeSans", 10.0, 48),
    LetterStyle("carlito", "Carlito", 11.0, 56),
    LetterStyle("opensans", "Open Sans", 9.5, 52),
)
HELDOUT2_STYLES = (
    LetterStyle("roboto", "Roboto", 10.5, 54),
    LetterStyle("lato", "Lato", 11.0, 60),
    LetterStyle("caladea", "Caladea", 12.0, 64),
    LetterStyle("heros", "TeX Gyre Heros", 10.0, 50),
)
HELDOUT3_STYLES = (
    LetterStyle("libertine", "Linux Libertine O", 11.5, 58),
    LetterStyle("biolinum", "Linux Biolinum O", 10.5, 52),
    LetterStyle("cantarell", "Cantarell", 10.0, 56),
    LetterStyle("freeserif", "FreeSerif", 12.0, 62),
)


def _rows(rows: list[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><td class='l'>{html.escape(k)}</td><td class='c'>:</td><td>{html.escape(v)}</td></tr>"
        for k, v in rows
    )


def _page(style: LetterStyle, body: str) -> str:
    return f"""<html><head><style>
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: '{style.font}'; font-size: {style.size_pt}pt; }}
h1 {{ font-size: {style.size_pt + 4}pt; text-align: center; margin: 2mm 0; }}
h2 {{ font-size: {style.size_pt + 1}pt; text-align: center; margin: 1mm 0; font-weight: normal; }}
table {{ border-collapse: collapse; margin-top: 6mm; width: 100%; }}
td {{ vertical-align: top; padding: 1.2mm 0; }}
td.l {{ width: {style.label_width_mm}mm; }} td.c {{ width: 5mm; }}
.sign {{ margin-top: 18mm; margin-left: 95mm; }}
</style></head><body>{body}</body></html>"""


def lokasi(b: Business) -> str:
    return (
        f"{b.alamat}, DESA {b.desa}, KECAMATAN {b.kecamatan}, KABUPATEN MEMPAWAH, KALIMANTAN BARAT"
    )


def nib_html(p: Person, b: Business, style: LetterStyle) -> str:
    kbli_rows = "".join(
        f"<tr><td>{i + 1}</td><td>{code}</td><td>{html.escape(title)}</td><td>MT</td></tr>"
        for i, (code, title) in enumerate(b.kbli)
    )
    body = f"""
<h2>PEMERINTAH REPUBLIK INDONESIA</h2>
<h1>PERIZINAN BERUSAHA BERBASIS RISIKO</h1>
<h1>NOMOR INDUK BERUSAHA: {b.nib}</h1>
<p>Berdasarkan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah
Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja, Pemerintah Republik Indonesia
menerbitkan Nomor Induk Berusaha (NIB) kepada:</p>
<table>{
        _rows(
            [
                ("Nama Pelaku Usaha", p.nama),
                ("Nama Usaha", b.nama_usaha),
                ("Alamat Kantor", f"{p.alamat}, {p.desa}, {p.kecamatan}"),
                (
                    "NPWP",
                    f"{b.npwp[0:2]}.{b.npwp[2:5]}.{b.npwp[5:8]}.{b.npwp[8]}-{b.npwp[9:12]}.{b.npwp[12:15]}",
                ),
                ("Status Penanaman Modal", "PMDN"),
                ("Skala Usaha", "Usaha Mikro"),
                ("Lokasi Usaha", lokasi(b)),
                ("Kecamatan", b.kecamatan),
            ]
        )
    }</table>
<p>Kode Klasifikasi Baku Lapangan Usaha Indonesia (KBLI):</p>
<table><tr><td>No</td><td>KBLI</td><td>Judul KBLI</td><td>Risiko</td></tr>{kbli_rows}</table>
<p>NIB ini berlaku di seluruh wilayah Republik Indonesia selama menjalankan kegiatan usaha.</p>
<div class='sign'>Diterbitkan di Jakarta, tanggal {tanggal(b.tanggal_terbit)}<br/>
Menteri Investasi/Kepala Badan Koordinasi Penanaman Modal</div>"""
    return _page(style, body)


def nib_pdf(p: Person, b: Business, style: LetterStyle) -> tuple[bytes, dict[str, object]]:
    """Render a born-digital NIB PDF and its ground truth."""
    pdf = weasyprint.HTML(string=nib_html(p, b, style)).write_pdf()
    assert pdf is not None
    truth: dict[str, object] = {
        "doc_type": "nib",
        "nib": b.nib,
        "nama": p.nama,
        "nama_usaha": b.nama_usaha,
        "npwp": b.npwp,
        "kbli": [code for code, _ in b.kbli],
        "kbli_judul": [title for _, title in b.kbli],
        "kecamatan": b.kecamatan,
        "lokasi_usaha": lokasi(b),
        "tanggal_terbit": b.tanggal_terbit.isoformat(),
    }
    return pdf, truth


# doc_type -> (title lines, number format, body sentence)
LETTERS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "akta_pendirian": (
        ("AKTA PENDIRIAN", "PERSEROAN KOMANDITER"),
        "{n}",
        "Pada hari ini telah menghadap kepada saya, Notaris di Kabupaten Mempawah, dengan "
        "dihadiri saksi-saksi yang saya kenal, para penghadap untuk mendirikan persekutuan "
        "dengan anggaran dasar sebagai berikut.",
    ),
    "sk_kemenkumham": (
        ("KEPUTUSAN MENTERI HUKUM DAN HAK ASASI MANUSIA", "REPUBLIK INDONESIA",
         "TENTANG PENGESAHAN PENDIRIAN BADAN HUKUM"),
        "AHU-{n}.AH.01.01.TAHUN {y}",
        "Memberikan pengesahan pendirian badan hukum sesuai dengan data yang tercantum dalam "
        "Sistem Administrasi Badan Hukum.",
    ),
    "pkkpr": (
        ("PERSETUJUAN KESESUAIAN KEGIATAN PEMANFAATAN RUANG", "(PKKPR)"),
        "{n}/PKKPR/DPMPTSP/{y}",
        "Kegiatan pemanfaatan ruang yang dimohonkan sesuai dengan rencana tata ruang yang "
        "berlaku di Kabupaten Mempawah.",
    ),
    "sppl": (
        ("SURAT PERNYATAAN KESANGGUPAN PENGELOLAAN DAN PEMANTAUAN LINGKUNGAN HIDUP", "(SPPL)"),
        "{n}/SPPL/DLH/{y}",
        "Dengan ini menyatakan sanggup melakukan pengelolaan dan pemantauan lingkungan hidup "
        "atas kegiatan usaha yang kami lakukan.",
    ),
    "ukl_upl": (
        ("REKOMENDASI UKL-UPL", "UPAYA PENGELOLAAN LINGKUNGAN HIDUP DAN",
         "UPAYA PEMANTAUAN LINGKUNGAN HIDUP"),
        "{n}/UKL-UPL/DLH/{y}",
        "Formulir UKL-UPL yang diajukan telah diperiksa dan dinyatakan lengkap.",
    ),
    "pbg": (
        ("PERSETUJUAN BANGUNAN GEDUNG", "(PBG)"),
        "SK-PBG-{n}-{y}",
        "Bangunan gedung yang dimohonkan telah memenuhi standar teknis bangunan gedung.",
    ),
    "slf": (
        ("SERTIFIKAT LAIK FUNGSI", "(SLF)"),
        "SK-SLF-{n}-{y}",
        "Bangunan gedung dinyatakan laik fungsi sesuai dengan hasil pemeriksaan kelaikan fungsi.",
    ),
    "surat_pernyataan": (
        ("SURAT PERNYATAAN",),
        "{n}/SP/{y}",
        "Dengan ini menyatakan dengan sebenarnya bahwa data yang kami sampaikan adalah benar.",
    ),
    "surat_kuasa": (
        ("SURAT KUASA",),
        "{n}/SK/{y}",
        "Pemberi kuasa dengan ini memberikan kuasa kepada penerima kuasa untuk mengurus "
        "perizinan berusaha atas nama pemberi kuasa.",
    ),
}  # fmt: skip


def letter_pdf(
    kind: str, p: Person, b: Business, style: LetterStyle, number: int
) -> tuple[bytes, dict[str, object]]:
    """Render one of the other requirement letters and its ground truth."""
    titles, number_fmt, sentence = LETTERS[kind]
    nomor = number_fmt.format(n=number, y=b.tanggal_terbit.year)
    heads = "".join(f"<h1>{html.escape(t)}</h1>" for t in titles)
    body = f"""{heads}<h2>Nomor : {html.escape(nomor)}</h2>
<p>Yang bertanda tangan di bawah ini:</p>
<table>{
        _rows(
            [
                ("Nama", p.nama),
                ("NIK", p.nik),
                ("Nama Usaha", b.nama_usaha),
                ("Alamat", f"{p.alamat}, {p.desa}, {p.kecamatan}"),
            ]
        )
    }</table>
<p>{html.escape(sentence)}</p>
<p>Demikian untuk dapat dipergunakan sebagaimana mestinya.</p>
<div class='sign'>Mempawah, {tanggal(b.tanggal_terbit)}<br/><br/><br/>{html.escape(p.nama)}</div>"""
    pdf = weasyprint.HTML(string=_page(style, body)).write_pdf()
    assert pdf is not None
    truth: dict[str, object] = {
        "doc_type": kind,
        "nomor_dokumen": nomor,
        "nama": p.nama,
        "nik": p.nik,
        "nama_usaha": b.nama_usaha,
        "tanggal_terbit": b.tanggal_terbit.isoformat(),
    }
    return pdf, truth
