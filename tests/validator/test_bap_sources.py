"""The BAP says where each value came from and which rule tables the check used, and prints
its severities in Bahasa Indonesia."""

from __future__ import annotations

import pypdfium2 as pdfium

import signer
from tests.validator import factory as f
from validator import TeamMember, build_bap, check, load_rules

RULES = load_rules()
TIM = (TeamMember("Rina Marlina, S.T.", "198703122010012003"),)


def test_the_bap_names_each_values_source_and_the_table_versions() -> None:
    declared, docs = f.clean_pondok_wisata_mt()
    report = check(declared, docs, RULES, today=f.TODAY)
    bap = build_bap(declared, report, docs, rules=RULES, nomor="BAP/1", tanggal=f.TODAY, tim=TIM)
    data = bap.to_render_data()
    sources = {row["data"]: row["sumber"] for row in data["sumber_data"]}
    assert sources["Nama Pelaku Usaha"] == "Dinyatakan pemohon"
    assert set(sources) >= {"NIB", "Kode dan Judul KBLI", "NIK Pemilik/Penanggung Jawab"}
    tables = {row["tabel"]: row["versi"] for row in data["versi_aturan"]}
    assert tables["Daftar KBLI"] == report.rule_versions["kbli"]
    assert len(tables) == len(report.rule_versions) == 5


def test_a_value_read_from_a_document_is_marked_read_until_it_is_confirmed() -> None:
    declared, docs = f.clean_pondok_wisata_mt()
    declared = type(declared)(**{**_fields(declared), "nib": None})
    report = check(declared, docs, RULES, today=f.TODAY)
    kwargs = {"rules": RULES, "nomor": "BAP/2", "tanggal": f.TODAY, "tim": TIM}
    read = build_bap(declared, report, docs, **kwargs).to_render_data()
    confirmed = build_bap(declared, report, docs, confirmed=("nib",), **kwargs).to_render_data()
    nib_read = next(r["sumber"] for r in read["sumber_data"] if r["data"] == "NIB")
    nib_confirmed = next(r["sumber"] for r in confirmed["sumber_data"] if r["data"] == "NIB")
    assert nib_read.startswith("Dibaca mesin dari dokumen") and "belum dikonfirmasi" in nib_read
    assert nib_confirmed.endswith("dikonfirmasi Tim Teknis") and "belum" not in nib_confirmed


def test_the_rendered_bap_prints_severities_in_bahasa_indonesia() -> None:
    declared, docs = f.clean_pondok_wisata_mt()
    without_ktp = [d for d in docs if d.extraction.doc_type != "ktp"]
    report = check(declared, without_ktp, RULES, today=f.TODAY)
    assert report.blocking  # the owner's KTP is missing
    bap = build_bap(declared, report, docs, rules=RULES, nomor="BAP/3", tanggal=f.TODAY, tim=TIM)
    pdf = pdfium.PdfDocument(signer.render_pdf("bap", bap.to_render_data()))
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()
    words = text.replace("\ufffe", "-").split()  # pdfium marks a hyphen at a line break so
    assert "Berat" in words and "blocking" not in words
    assert f"Daftar KBLI versi {report.rule_versions['kbli']}" in " ".join(words)


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}  # type: ignore[attr-defined]
