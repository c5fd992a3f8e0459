"""The three documents render as PDF/A-3b: embedded fonts, Indonesian text, QR, signature box."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signer.render import (
    TEMPLATE_DIR,
    TEMPLATES,
    DocumentRenderer,
    InvalidRenderDataError,
    RenderFailedError,
    SignatureBox,
    UnknownTemplateError,
    render_pdf,
    signature_box,
)

BSRE_FOOTER = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
    "diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara."
)
KADIS = {
    "nama": "Dra. Siti Aminah, M.Si.",
    "nip": "197503152000032004",
    "jabatan": "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Mempawah",
}
KBLI_KAFE = {"kode": "56303", "judul": "Rumah Minum/Kafe"}
LOKASI = {
    "alamat": "Jl. Raya Sungai Pinyuh No. 12",
    "desa": "Sungai Pinyuh",
    "kecamatan": "Sungai Pinyuh",
}
SERTIFIKAT = {
    "nomor": "2711260012345-0001",
    "nama_usaha": "Kafe Sungai Pinyuh Jaya",
    "nib": "2711260012345",
    "alamat_kantor": "Jl. Raya Sungai Pinyuh No. 12, Mempawah",
    "status_penanaman_modal": "PMDN",
    "kbli": [KBLI_KAFE],
    "lokasi": LOKASI,
    "status_standar": "Terverifikasi",
    "tanggal_terbit": date(2026, 11, 27),
    "penandatangan": KADIS,
    "verification_url": "https://pintu.mempawahkab.go.id/verifikasi/01JD7Q2K",
}
TIM = [
    {"nama": "Budi Santoso, S.T.", "nip": "198001012005011001", "jabatan": "Ketua"},
    {"nama": "Rina Wati, S.E.", "nip": "198505052010012002", "jabatan": "Anggota"},
]
BAP = {
    "nomor": "BAP/SS/2026/0042",
    "tanggal": "2026-11-27",
    "dasar_hukum": [
        "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
        "Berbasis Risiko"
    ],
    "tim": TIM,
    "nama_usaha": "Kafe Sungai Pinyuh Jaya",
    "nib": "2711260012345",
    "pemilik": {"nama": "Ahmad Fauzi", "nik": "6102011203850001"},
    "kbli": [KBLI_KAFE],
    "lokasi": LOKASI,
    "checklist": [
        {"persyaratan": "KTP pemilik", "status": "ada", "catatan": ""},
        {"dokumen": "NPWP", "status": "tidak_sesuai", "catatan": "Nama berbeda dengan KTP"},
        {"persyaratan": "NIB", "status": True},
    ],
    "temuan": [
        {"rule_id": "npwp.nama_cocok", "severity": "warning", "message": "Nama NPWP tidak sama."}
    ],
    "kesimpulan": "perlu_perbaikan",
    "mengetahui": {"nama": "Ir. Hendra", "nip": "197001012000031001", "jabatan": "Koordinator"},
}
PERTEK = {
    "nomor": "PT/SS/2026/0042",
    "tanggal": "2026-11-27",
    "nomor_bap": "BAP/SS/2026/0042",
    "tanggal_bap": "2026-11-27",
    "nama_usaha": "Kafe Sungai Pinyuh Jaya",
    "nib": "2711260012345",
    "kbli": [KBLI_KAFE],
    "analisis": ["Persyaratan dasar lengkap.", "KBLI 56303 termasuk kewenangan Kabupaten."],
    "rekomendasi": "setuju",
    "syarat": ["Menyampaikan NPWP yang sesuai dalam 14 hari kerja."],
    "penandatangan": {
        "nama": "Budi Santoso, S.T.",
        "nip": "198001012005011001",
        "jabatan": "Ketua",
    },
    "verification_url": "https://pintu.mempawahkab.go.id/verifikasi/pt-42",
}
SAMPLES = {"sertifikat_standar": SERTIFIKAT, "bap": BAP, "pertimbangan_teknis": PERTEK}


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, bool], bytes]:
    """Each template rendered once as final and once as draft."""
    return {
        (name, draft): render_pdf(name, SAMPLES[name], draft=draft)
        for name in TEMPLATES
        for draft in (False, True)
    }


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


def _write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


@pytest.mark.parametrize("draft", [False, True])
@pytest.mark.parametrize("template", TEMPLATES)
def test_output_declares_pdfa_3b_with_an_output_intent(rendered, template, draft):
    reader = PdfFileReader(io.BytesIO(rendered[(template, draft)]))
    xmp = ET.fromstring(reader.root["/Metadata"].get_object().data)
    ns = {"pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
    part = xmp.find(".//pdfaid:part", ns)
    conformance = xmp.find(".//pdfaid:conformance", ns)
    values = {
        "part": part.text
        if part is not None
        else xmp.find(".//*[@pdfaid:part]", ns).get("{http://www.aiim.org/pdfa/ns/id/}part"),
        "conformance": conformance.text
        if conformance is not None
        else xmp.find(".//*[@pdfaid:conformance]", ns).get(
            "{http://www.aiim.org/pdfa/ns/id/}conformance"
        ),
    }
    assert values == {"part": "3", "conformance": "B"}
    intents = reader.root["/OutputIntents"]
    assert len(intents) >= 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert len(intent["/DestOutputProfile"].get_object().data) > 1000  # an ICC profile


@pytest.mark.parametrize("template", TEMPLATES)
def test_info_dictionary_and_xmp_metadata_agree(rendered, template):
    reader = PdfFileReader(io.BytesIO(rendered[(template, False)]))
    info = reader.trailer["/Info"]
    xmp = reader.root["/Metadata"].get_object().data.decode()
    assert str(info["/Title"]) in xmp and str(info["/Title"]).startswith(
        {"sertifikat_standar": "Sertifikat Standar", "bap": "Berita Acara Pemeriksaan"}.get(
            template, "Pertimbangan Teknis"
        )
    )
    assert f'pdf:Producer="{info["/Producer"]}"' in xmp
    assert f"<rdf:li>{info['/Author']}</rdf:li>" in xmp
    assert f"<xmp:CreatorTool>{info['/Creator']}</xmp:CreatorTool>" in xmp
    assert reader.root["/Lang"] == "id"


@pytest.mark.parametrize("template", TEMPLATES)
def test_qpdf_finds_no_error_and_every_font_is_embedded(rendered, template, tmp_path):
    path = _write(tmp_path, rendered[(template, False)])
    check = subprocess.run(
        ["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "WARNING" not in check.stdout + check.stderr
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "a document with text must list its fonts"
    for row in fonts:
        emb = (
            re.split(r"\s+", row.split("Identity-H")[-1].strip())[0] if "Identity-H" in row else ""
        )
        assert emb == "yes", f"font not embedded: {row}"


def test_sertifikat_standar_reads_in_bahasa_indonesia_with_the_bsre_footer(rendered):
    text = _text(rendered[("sertifikat_standar", False)])
    for expected in (
        "PEMERINTAH KABUPATEN MEMPAWAH",
        "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
        "SERTIFIKAT STANDAR",
        "Nomor: 2711260012345-0001",
        "Kafe Sungai Pinyuh Jaya",
        "Nomor Induk Berusaha (NIB) : 2711260012345",
        "Status Penanaman Modal : PMDN",
        "56303 – Rumah Minum/Kafe",
        "Desa/Kelurahan Sungai Pinyuh, Kecamatan Sungai Pinyuh",
        "Status Sertifikat Standar : Terverifikasi",
        "Diterbitkan di Mempawah, 27 November 2026",
        "Ditandatangani secara elektronik",
        "Dra. Siti Aminah, M.Si.",
        "NIP. 197503152000032004",
        "Halaman 1 dari 1",
        BSRE_FOOTER,
    ):
        assert expected in text, expected


def test_bap_names_the_day_the_team_the_findings_and_the_conclusion(rendered):
    text = _text(rendered[("bap", False)])
    for expected in (
        "BERITA ACARA PEMERIKSAAN",
        "Nomor: BAP/SS/2026/0042",
        "Pada hari ini, Jumat, tanggal 27 November 2026",
        "Budi Santoso, S.T.",
        "198505052010012002",
        "6102011203850001",
        "KTP pemilik Ada",
        "NPWP Tidak Sesuai Nama berbeda dengan KTP",
        "NIB Sesuai",
        "npwp.nama_cocok Peringatan Nama NPWP tidak sama.",
        "dinyatakan PERLU PERBAIKAN",
        "Mengetahui,",
    ):
        assert expected in text, expected
    assert "Balai Sertifikasi Elektronik" not in text  # the BSrE sentence is the permit's only


def test_pertimbangan_teknis_is_addressed_to_the_kadis_and_cites_the_bap(rendered):
    text = _text(rendered[("pertimbangan_teknis", False)])
    for expected in (
        "PERTIMBANGAN TEKNIS",
        "Kepada Yth. Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten "
        "Mempawah",
        "Berita Acara Pemeriksaan Nomor BAP/SS/2026/0042 tanggal 27 November 2026",
        "1. Persyaratan dasar lengkap.",
        "direkomendasikan untuk DISETUJUI dengan syarat",
        "Menyampaikan NPWP yang sesuai dalam 14 hari kerja.",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("template", ["sertifikat_standar", "pertimbangan_teknis"])
def test_qr_code_decodes_to_the_verification_url(rendered, template, tmp_path):
    zbarimg = shutil.which("zbarimg")
    assert zbarimg is not None, "zbarimg missing: `make test` installs Debian zbar-tools"
    path = _write(tmp_path, rendered[(template, False)])
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    (image,) = tmp_path.glob("page*.png")
    decoded = subprocess.run(
        [zbarimg, "--raw", "-q", str(image)], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert decoded == [SAMPLES[template]["verification_url"]]


def test_qr_code_is_a_link_to_the_verification_url(rendered):
    with pdfplumber.open(io.BytesIO(rendered[("sertifikat_standar", False)])) as doc:
        uris = [link["uri"] for page in doc.pages for link in page.hyperlinks]
        assert doc.pages[-1].images, "the QR image is missing"
    assert uris and set(uris) == {SERTIFIKAT["verification_url"]}


def _watermark_pages(pdf: bytes) -> list[bool]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [
            "DRAF" in "".join(ch["text"] for ch in page.chars if ch["size"] > 60)
            for page in doc.pages
        ]


@pytest.mark.parametrize("template", TEMPLATES)
def test_draft_watermark_is_on_every_page_of_a_draft_and_nowhere_on_a_final(rendered, template):
    draft_pages = _watermark_pages(rendered[(template, True)])
    assert draft_pages and all(draft_pages)
    assert not any(_watermark_pages(rendered[(template, False)]))
    assert "DRAF" not in _text(rendered[(template, False)])


def test_bap_watermark_covers_a_multi_page_draft(rendered):
    assert len(_watermark_pages(rendered[("bap", True)])) >= 2


def _white_rects_on_last_page(pdf: bytes) -> tuple[int, list[dict], list[dict], float]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[-1]
        rects = [
            r
            for r in page.rects
            if r["fill"] and tuple(r["non_stroking_color"] or ()) in ((1,), (1, 1, 1))
        ]
        return len(doc.pages), rects, list(page.chars), float(page.height)


@pytest.mark.parametrize("kbli_count", [1, 40])
@pytest.mark.parametrize("template", ["sertifikat_standar", "pertimbangan_teknis"])
def test_signature_box_is_measured_where_the_template_leaves_it_empty(template, kbli_count):
    box = signature_box(template)
    assert isinstance(box, SignatureBox)
    assert box.page == -1
    assert box.width > 150 and box.height > 60  # room for name, NIP, date and a QR
    data = {**SAMPLES[template], "kbli": [KBLI_KAFE] * kbli_count}
    pages, rects, chars, height = _white_rects_on_last_page(render_pdf(template, data))
    if kbli_count == 40:
        assert pages >= 2
    matches = [
        r
        for r in rects
        if abs(r["x0"] - box.x0) < 1
        and abs(r["x1"] - box.x1) < 1
        and abs((height - r["bottom"]) - box.y0) < 1
        and abs((height - r["top"]) - box.y1) < 1
    ]
    assert matches, f"no empty box at {box} on the last page"
    inside = [
        ch["text"]
        for ch in chars
        if ch["x1"] > box.x0
        and ch["x0"] < box.x1
        and (height - ch["top"]) > box.y0
        and (height - ch["bottom"]) < box.y1
    ]
    assert inside == [], "text runs into the signature box"


def test_bap_has_no_signature_box():
    with pytest.raises(UnknownTemplateError):
        signature_box("bap")


def test_unknown_template_is_refused():
    with pytest.raises(UnknownTemplateError) as caught:
        render_pdf("izin_usaha", {})
    assert caught.value.code == "render_unknown_template"
    assert caught.value.http_status == 404


def test_final_sertifikat_must_be_complete_but_a_draft_may_not_be():
    incomplete = {k: v for k, v in SERTIFIKAT.items() if k not in ("nomor", "verification_url")}
    with pytest.raises(InvalidRenderDataError) as caught:
        render_pdf("sertifikat_standar", incomplete)
    assert "nomor" in caught.value.detail_id and "verification_url" in caught.value.detail_id
    text = _text(render_pdf("sertifikat_standar", {}, draft=True))
    assert "SERTIFIKAT STANDAR" in text and "Nomor: —" in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kesimpulan", "barangkali"),
        ("tanggal", "kemarin"),
        ("tim", "Budi"),
        ("checklist", [["bukan", "objek"]]),
        ("nib", 1.5),
    ],
)
def test_malformed_bap_data_is_refused_naming_the_field(field, value):
    with pytest.raises(InvalidRenderDataError) as caught:
        render_pdf("bap", {**BAP, field: value})
    assert field in caught.value.message
    assert caught.value.code == "render_invalid_data"


def test_kesimpulan_and_rekomendasi_accept_the_office_spellings():
    for spelling in ("Tidak Memenuhi", "tidak-memenuhi", "TIDAK_MEMENUHI"):
        assert "dinyatakan TIDAK MEMENUHI" in _text(
            render_pdf("bap", {**BAP, "kesimpulan": spelling})
        )
    assert "untuk DITOLAK" in _text(
        render_pdf("pertimbangan_teknis", {**PERTEK, "rekomendasi": "tolak"})
    )


def test_regional_header_comes_from_the_data_when_given():
    data = {
        **SERTIFIKAT,
        "instansi": {"pemerintah": "PEMERINTAH KABUPATEN KETAPANG", "kota": "Ketapang"},
    }
    text = _text(render_pdf("sertifikat_standar", data))
    assert "PEMERINTAH KABUPATEN KETAPANG" in text
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU" in text  # default kept
    assert "Diterbitkan di Ketapang, 27 November 2026" in text


def test_an_edited_template_that_moves_the_signature_box_with_the_data_is_refused(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, folder)
    css = folder / "dokumen.css"
    # An office edit that puts the signer block back into the flow: its place then depends on
    # how long the document is, which a signer placing its appearance cannot know.
    css.write_text(
        css.read_text().replace(
            ".blok-ttd { position: absolute;", ".blok-ttd { position: relative;"
        )
    )
    renderer = DocumentRenderer(folder)
    renderer.signature_box("sertifikat_standar")
    with pytest.raises(RenderFailedError):
        renderer.render_pdf("sertifikat_standar", {**SERTIFIKAT, "kbli": [KBLI_KAFE] * 30})


def test_renders_from_several_threads_at_once_all_complete_intact():
    # FastAPI runs sync endpoints in a threadpool: two permits may render at the same moment.
    results: list[tuple[str, bytes]] = []
    errors: list[BaseException] = []

    def work(template: str) -> None:
        try:
            for _ in range(2):
                results.append((template, render_pdf(template, SAMPLES[template])))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,), daemon=True) for name in TEMPLATES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "rendering deadlocked"
    assert errors == []
    assert len(results) == 2 * len(TEMPLATES)
    titles = {"sertifikat_standar": "SERTIFIKAT STANDAR", "bap": "BERITA ACARA PEMERIKSAAN"}
    for template, pdf in results:
        assert titles.get(template, "PERTIMBANGAN TEKNIS") in _text(pdf)


def test_signature_box_gives_what_pyhanko_and_bsre_take():
    box = signature_box("sertifikat_standar")
    assert box.rect == (box.x0, box.y0, box.x1, box.y1)
    assert box.page_number(3) == 3  # BSrE's page is a number; pyHanko takes on_page=-1 as is
    assert box.x0 < box.x1 and box.y0 < box.y1
    assert box.x0 >= 0 and box.x1 <= 595.3 and box.y0 >= 0 and box.y1 <= 841.9  # inside A4


def test_public_surface_is_what_all_lists():
    import signer.render as module

    assert sorted(module.__all__) == sorted(set(module.__all__))
    for name in module.__all__:
        assert getattr(module, name) is not None
    public = {n for n in vars(module) if not n.startswith("_")} - {"annotations"}
    imported_helpers = {"Any", "Mapping", "Path", "threading", "SPECS"}
    assert public - imported_helpers == set(module.__all__)
