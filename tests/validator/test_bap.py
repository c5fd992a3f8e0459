"""BAP and Pertimbangan Teknis content built from the findings."""

from __future__ import annotations

from datetime import date

from tests.validator import factory as f
from validator import (
    TeamMember,
    build_bap,
    build_pertimbangan_teknis,
    check,
    load_rules,
)

RULES = load_rules()
TIM = (
    TeamMember("Rina Marlina, S.T.", "198703122010012003"),
    TeamMember("Dedi Kurniawan", "199001012015031002"),
)

BAP_KEYS = {
    "nomor",
    "tanggal",
    "dasar_hukum",
    "tim",
    "nama_usaha",
    "nib",
    "pemilik",
    "kbli",
    "lokasi",
    "checklist",
    "temuan",
    "kesimpulan",
}
PT_KEYS = {
    "nomor",
    "tanggal",
    "kepada",
    "nomor_bap",
    "tanggal_bap",
    "nama_usaha",
    "nib",
    "kbli",
    "analisis",
    "rekomendasi",
    "syarat",
    "penandatangan",
}


def _bap(declared, docs):  # type: ignore[no-untyped-def]
    report = check(declared, docs, RULES, today=f.TODAY)
    return build_bap(
        declared, report, docs, rules=RULES, nomor="BAP/012/DPMPTSP/2026", tanggal=f.TODAY, tim=TIM
    )


def test_clean_application_gives_memenuhi_and_setuju() -> None:
    bap = _bap(*f.clean_pondok_wisata_mt())
    data = bap.to_render_data()
    assert set(data) >= BAP_KEYS
    assert data["tanggal"] == "2026-11-27"
    assert data["kesimpulan"] == "memenuhi"
    assert bap.kesimpulan == "Memenuhi"
    assert data["lokasi"] == {
        "alamat": "Jl. Raya Sungai Pinyuh Km 2",
        "desa": "Galang",
        "kecamatan": "Sungai Pinyuh",
    }
    assert data["tim"][0] == {"nama": "Rina Marlina, S.T.", "nip": "198703122010012003"}
    assert data["kbli"] == [{"kode": "55130", "judul": "Pondok wisata"}]
    assert data["pemilik"] == {"nama": "Hj. Siti Aminah, S.Pd.", "nik": f.NIK_SITI}
    rows = {r["persyaratan"]: r for r in data["checklist"]}
    assert rows["Sertifikat Laik Fungsi (SLF)"]["status"] == "sesuai"
    assert all(r["status"] == "sesuai" for r in data["checklist"])
    pt = build_pertimbangan_teknis(
        bap, nomor="PT/012/2026", tanggal=date(2026, 11, 28), penandatangan=TIM[0]
    )
    pt_data = pt.to_render_data()
    assert set(pt_data) == PT_KEYS
    assert pt_data["rekomendasi"] == "setuju"
    assert pt_data["penandatangan"] == {"nama": "Rina Marlina, S.T.", "nip": "198703122010012003"}
    assert pt_data["nomor_bap"] == "BAP/012/DPMPTSP/2026"
    assert pt_data["tanggal_bap"] == "2026-11-27"
    assert pt_data["kbli"] == [{"kode": "55130", "judul": "Pondok wisata"}]
    assert "BAP/012/DPMPTSP/2026" in pt_data["analisis"][0]


def test_missing_document_shows_in_checklist_and_asks_for_a_fix() -> None:
    declared, docs = f.clean_pondok_wisata_mt()
    bap = _bap(declared, f.without(docs, "npwp-1"))
    rows = {r.persyaratan: r for r in bap.checklist}
    assert rows["NPWP (NPWP badan usaha untuk perusahaan)"].status == "tidak ada"
    assert bap.kesimpulan == "Perlu perbaikan"
    pt = build_pertimbangan_teknis(bap, nomor="PT/013/2026", tanggal=f.TODAY)
    assert pt.rekomendasi == "perbaiki"
    assert any("NPWP" in s for s in pt.syarat)


def test_a_document_only_an_unverified_checklist_row_requires_is_checked_not_refused() -> None:
    declared, docs = f.clean_pondok_wisata_mt()
    bap = _bap(declared, f.without(docs, "slf-1"))
    rows = {r.persyaratan: r for r in bap.checklist}
    assert rows["Sertifikat Laik Fungsi (SLF)"].status == "perlu diperiksa"
    assert bap.kesimpulan == "Memenuhi"
    # The BAP names the unverified row the warning rests on.
    assert any(a.startswith("persyaratan.csv baris ") for a in bap.aturan_belum_diverifikasi)
    assert bap.to_render_data()["aturan_belum_diverifikasi"] == list(bap.aturan_belum_diverifikasi)


def test_documents_with_findings_are_marked_in_the_checklist() -> None:
    declared = f.declared()
    docs = [f.ktp(tanggal_lahir="1988-03-21"), f.npwp(), f.nib_doc()]
    bap = _bap(declared, docs)
    rows = {r.persyaratan: r for r in bap.checklist}
    assert rows["KTP pemilik atau direktur"].status == "tidak sesuai"
    assert "Tanggal lahir" in rows["KTP pemilik atau direktur"].catatan
    assert rows["Nomor Induk Berusaha (NIB)"].status == "sesuai"


def test_outside_authority_is_refused_with_the_reason() -> None:
    declared = f.declared(kbli=[{"kode": "06100", "risiko": "MT"}])
    bap = _bap(declared, [f.ktp(), f.npwp(), f.nib_doc(kbli=("06100",))])
    assert bap.verdict == "tidak_memenuhi"
    rows = {r.persyaratan: r for r in bap.checklist}
    assert rows["Kode KBLI sah dan dalam kewenangan kantor"].status == "tidak sesuai"
    pt = build_pertimbangan_teknis(bap, nomor="PT/014/2026", tanggal=f.TODAY)
    assert pt.rekomendasi == "tolak"
    assert any("Pemerintah Pusat" in s for s in pt.syarat)
    temuan = bap.to_render_data()["temuan"]
    assert temuan[0] == {
        "rule_id": "kbli.di_luar_kewenangan",
        "severity": "blocking",
        "message": bap.temuan[0].message,
    }


def test_values_absent_from_the_application_come_from_the_documents() -> None:
    from validator import Declared

    docs = [f.ktp(), f.npwp(), f.nib_doc()]
    bap = _bap(Declared(), docs)
    assert bap.nib == f.NIB
    assert bap.nama_usaha == "KAFE SENJA"
    assert bap.pemilik.nik == f.NIK_SITI
    assert bap.kbli == (("56303", "Rumah minum / kafe"),)
    assert "SUNGAI PINYUH" in bap.lokasi.teks
