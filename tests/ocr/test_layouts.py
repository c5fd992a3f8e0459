"""Layouts outside the generated corpus's family: values under their labels, numbers far from
their labels, cards turned sideways or upside down, the NIB's KBLI table in any column order.

Each document is drawn here (PIL for cards, WeasyPrint for the NIB) so that the test says what
it is about; the readers never saw these designs while they were written.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import weasyprint
from PIL import Image, ImageDraw, ImageFont

import ocr

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NPWP = "01.234.567.4-704.000"  # a valid check digit
NIK = "6102085203880003"
NIB = "1203240012345"


def _png(img: Image.Image, dpi: int = 300) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def npwp_card_label_above(turn: int = 0) -> bytes:
    """An NPWP card that prints the label ``NPWP`` on one row and the number on the next."""
    img = Image.new("RGB", (1011, 638), (236, 241, 250))
    draw = ImageDraw.Draw(img)
    small, big = ImageFont.truetype(str(FONT), 28), ImageFont.truetype(str(FONT), 40)
    draw.text((40, 30), "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", font=small, fill=(0, 0, 60))
    draw.text((40, 70), "DIREKTORAT JENDERAL PAJAK", font=small, fill=(0, 0, 60))
    draw.text((40, 170), "NPWP", font=small, fill=(0, 0, 0))
    draw.text((40, 215), NPWP, font=big, fill=(0, 0, 0))
    draw.text((40, 300), "BUDI SANTOSO", font=small, fill=(0, 0, 0))
    draw.text((40, 540), "KPP PRATAMA MEMPAWAH", font=small, fill=(0, 0, 0))
    if turn:
        img = img.rotate(turn, expand=True)
    return _png(img)


def ktp_number_far_from_label() -> bytes:
    """A card whose NIK stands in a box at the top right, its label at the left edge."""
    img = Image.new("RGB", (1011, 638), (214, 232, 246))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 26)
    draw.text((300, 20), "PROVINSI KALIMANTAN BARAT", font=font, fill=(0, 0, 0))
    draw.text((300, 55), "KABUPATEN MEMPAWAH", font=font, fill=(0, 0, 0))
    draw.text((30, 130), "Nama", font=font, fill=(0, 0, 0))
    draw.text((250, 130), "SITI AMINAH", font=font, fill=(0, 0, 0))
    draw.text((30, 175), "Agama", font=font, fill=(0, 0, 0))
    draw.text((250, 175), "ISLAM", font=font, fill=(0, 0, 0))
    draw.rectangle((480, 420, 990, 480), outline=(0, 0, 0), width=2)
    draw.text((500, 432), NIK, font=ImageFont.truetype(str(FONT), 32), fill=(0, 0, 0))
    draw.text((30, 560), "Kartu Tanda Penduduk", font=font, fill=(0, 0, 0))
    return _png(img)


ROWS = (
    {
        "no": "1",
        "kode": "56303",
        "judul": "Rumah Minum/Kafe",
        "lokasi": "Jl. Gajah Mada No. 17, Desa Terusan, Kecamatan Mempawah Hilir, "
        "Kabupaten Mempawah",
        "risiko": "Menengah Rendah",
        "izin": "Sertifikat Standar",
    },
    {
        "no": "2",
        "kode": "55130",
        "judul": "Pondok Wisata",
        "lokasi": "Jl. Raya Sungai Pinyuh Km 2, Desa Galang, Kecamatan Sungai Pinyuh, "
        "Kabupaten Mempawah",
        "risiko": "Menengah Tinggi",
        "izin": "Sertifikat Standar",
    },
)
HEADS = {
    "no": "No",
    "kode": "Kode KBLI",
    "judul": "Judul KBLI",
    "lokasi": "Lokasi Usaha",
    "risiko": "Tingkat Risiko",
    "izin": "Perizinan Berusaha",
}


def nib_with_annex(order: tuple[str, ...], *, ruled: bool) -> bytes:
    """An OSS-style NIB: the NIB and the holder on page 1, the KBLI table on the annex page."""
    head = "".join(f"<th>{HEADS[k]}</th>" for k in order)
    body = "".join("<tr>" + "".join(f"<td>{r[k]}</td>" for k in order) + "</tr>" for r in ROWS)
    border = "border: 0.6pt solid #333;" if ruled else ""
    html = f"""<html><head><style>
@page {{ size: A4; margin: 18mm; }} body {{ font-family: 'DejaVu Sans'; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ {border} padding: 1.5mm; vertical-align: top; text-align: left; }}
</style></head><body>
<h2 style='text-align:center'>PERIZINAN BERUSAHA BERBASIS RISIKO</h2>
<h2 style='text-align:center'>NOMOR INDUK BERUSAHA: {NIB}</h2>
<p>1. Nama Pelaku Usaha : BUDI SANTOSO</p>
<p>2. Alamat Kantor : Jl. Gajah Mada No. 17, Terusan, Mempawah Hilir</p>
<p style='page-break-before: always'>LAMPIRAN: DAFTAR KBLI</p>
<table><tr>{head}</tr>{body}</table>
<p>Dokumen ini diterbitkan sistem OSS berdasarkan data dari Pelaku Usaha.</p>
</body></html>"""
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    return pdf


def scanned(pdf: bytes, dpi: int = 200) -> bytes:
    """The same PDF as a scanner writes it: image pages, no text layer."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return buf.getvalue()


def _value(extraction: ocr.Extraction, name: str) -> object:
    found = extraction.fields.get(name)
    return None if found is None else found.value


@pytest.mark.parametrize("turn", [0, 90, 180], ids=["upright", "sideways", "upside-down"])
def test_npwp_printed_under_its_label_is_read_in_any_orientation(turn: int) -> None:
    extraction = ocr.extract(npwp_card_label_above(turn))
    assert extraction.doc_type == "npwp", extraction.doc_type_cues
    assert _value(extraction, "npwp") == NPWP.replace(".", "").replace("-", "")
    assert not extraction.fields["npwp"].low_confidence
    assert _value(extraction, "nama") == "BUDI SANTOSO"


def test_a_number_far_from_its_label_is_found_by_its_form() -> None:
    extraction = ocr.extract(ktp_number_far_from_label())
    assert extraction.doc_type == "ktp"
    assert _value(extraction, "nik") == NIK
    # Two readers agreed on every digit: the value cannot be a misreading.
    assert extraction.fields["nik"].reader == "two_readers"


ORDERS = {
    "oss": ("no", "kode", "judul", "lokasi", "risiko", "izin"),
    "risk-first": ("no", "risiko", "kode", "lokasi", "judul"),
    "location-last": ("kode", "judul", "risiko", "izin", "lokasi"),
}


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
@pytest.mark.parametrize("order", list(ORDERS), ids=list(ORDERS))
def test_the_nib_kbli_table_is_read_by_its_headers(order: str, ruled: bool) -> None:
    extraction = ocr.extract(nib_with_annex(ORDERS[order], ruled=ruled))
    assert extraction.doc_type == "nib"
    assert _value(extraction, "nib") == NIB
    assert _value(extraction, "kbli") == ("56303", "55130")
    assert _value(extraction, "kbli_judul") == ("RUMAH MINUM/KAFE", "PONDOK WISATA")
    assert _value(extraction, "kbli_risiko") == ("MR", "MT")
    lokasi = _value(extraction, "kbli_lokasi")
    assert isinstance(lokasi, tuple) and len(lokasi) == 2
    assert "KECAMATAN MEMPAWAH HILIR, KABUPATEN MEMPAWAH" in lokasi[0]
    assert "KECAMATAN SUNGAI PINYUH, KABUPATEN MEMPAWAH" in lokasi[1]
    # Read from the text layer: certain.
    assert all(extraction.fields[n].reader == "text_layer" for n in ("nib", "kbli", "kbli_risiko"))


@pytest.mark.parametrize("order", ["oss", "risk-first"])
def test_the_scanned_nib_kbli_table_is_read_by_its_headers(order: str) -> None:
    extraction = ocr.extract(scanned(nib_with_annex(ORDERS[order], ruled=True)))
    assert extraction.doc_type == "nib"
    assert _value(extraction, "kbli") == ("56303", "55130")
    assert _value(extraction, "kbli_risiko") == ("MR", "MT")
    assert _value(extraction, "kbli_judul") == ("RUMAH MINUM/KAFE", "PONDOK WISATA")
    lokasi = _value(extraction, "kbli_lokasi")
    assert isinstance(lokasi, tuple)
    assert lokasi[1].startswith("JL. RAYA SUNGAI PINYUH KM 2, DESA GALANG")


def test_extraction_round_trips_through_json() -> None:
    extraction = ocr.extract(nib_with_annex(ORDERS["oss"], ruled=True))
    again = ocr.Extraction.from_json(extraction.to_json())

    def evidence(e: ocr.Extraction) -> dict[str, tuple[object, ...]]:
        return {n: (f.value, f.page, f.reader, f.low_confidence) for n, f in e.fields.items()}

    assert evidence(again) == evidence(extraction)
    assert again.doc_type == extraction.doc_type
    assert again.doc_type_scores == pytest.approx(extraction.doc_type_scores, abs=0.01)
