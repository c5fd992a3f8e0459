"""Clean applicants get `memenuhi`; each planted defect gets exactly its rule and document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.validator import factory as f
from validator import Declared, DocumentEvidence, Report, SignatureEvidence, check, load_rules

RULES = load_rules()
Applicant = tuple[Declared, list[DocumentEvidence]]


def run(applicant: Applicant) -> Report:
    declared, documents = applicant
    return check(declared, documents, RULES, today=f.TODAY)


def non_info(report: Report) -> set[str]:
    return {x.rule_id for x in report.findings if x.severity != "info"}


@pytest.mark.parametrize(
    "make", [f.clean_perorangan, f.clean_pondok_wisata_mt, f.clean_pt], ids=lambda m: m.__name__
)
def test_clean_applicant_meets_the_requirements(make: Callable[[], Applicant]) -> None:
    report = run(make())
    assert report.verdict == "memenuhi"
    assert report.blocking == ()
    assert non_info(report) == set()


def test_the_traps_do_not_fire_on_a_clean_company() -> None:
    # 6171... NIK of a Mempawah business owner, kecamatan Siantan (now Jongkat), "Kabupaten
    # Pontianak" in the NIB's lokasi usaha, and a KTP address in Kota Pontianak.
    declared, docs = f.clean_pt()
    assert declared.pemilik.nik is not None and declared.pemilik.nik.startswith("6171")
    assert declared.lokasi.kecamatan == "Siantan"
    report = run((declared, docs))
    assert report.verdict == "memenuhi"
    assert non_info(report) == set()


def _perorangan(**over: object) -> Applicant:
    return f.declared(**over), [f.ktp(), f.npwp(), f.nib_doc()]


def _suparman(ktp_name: f.Field) -> Applicant:
    declared = f.declared(npwp=f.NIK_SUPARMAN, pemilik={"nama": "Suparman", "nik": f.NIK_SUPARMAN})
    ktp = f.ktp(
        f.NIK_SUPARMAN,
        "SUPARMAN",
        tanggal_lahir="1985-08-17",
        jenis_kelamin="LAKI-LAKI",
    )
    ktp = f.with_fields(ktp, nama=ktp_name)
    return declared, [ktp, f.npwp(f.NIK_SUPARMAN, "SUPARMAN"), f.nib_doc(nama="SUPARMAN")]


def _signed_nib(**sig: object) -> Applicant:
    declared, docs = f.clean_perorangan()
    nib = docs[2]
    assert nib.signature is not None
    return declared, f.replace_doc(docs, replace(nib, signature=replace(nib.signature, **sig)))


def _mt(docs_change: Callable[[list[DocumentEvidence]], list[DocumentEvidence]]) -> Applicant:
    declared, docs = f.clean_pondok_wisata_mt()
    return declared, docs_change(docs)


# (case id, applicant, {rule_id: document ids the evidence must name (None = declared data)},
#  verdict)
CASES: list[tuple[str, Callable[[], Applicant], dict[str, set[str | None]], str]] = [
    (
        "missing NPWP",
        lambda: (f.declared(), [f.ktp(), f.nib_doc()]),
        {"dokumen.wajib_tidak_ada": {None}},
        "perlu_perbaikan",
    ),
    (
        "company without its akta pendirian",
        lambda: (f.clean_pt()[0], f.without(f.clean_pt()[1], "akta-1")),
        {"dokumen.wajib_tidak_ada": {None}},
        "perlu_perbaikan",
    ),
    (
        "company known only from the PT on its NIB, without its akta",
        lambda: (
            Declared(),
            [
                f.ktp(f.NIK_SUPARMAN, "SUPARMAN", tanggal_lahir="1985-08-17", jenis_kelamin="L"),
                f.npwp(f.NPWP_BADAN, "PT SINAR JONGKAT LESTARI"),
                f.nib_doc(nama="SUPARMAN", nama_usaha="PT SINAR JONGKAT LESTARI", kbli=("10710",)),
            ],
        ),
        {
            "dokumen.wajib_tidak_ada": {None},
            "risiko.tidak_diketahui": {"nib-1"},  # no risk level declared
            "kbli.kewenangan_tidak_diketahui": {"nib-1"},  # 10710 depends on the scale
        },
        "perlu_perbaikan",
    ),
    (
        "PT without its Kemenkumham decree: noted, not required by the base checklist",
        lambda: (f.clean_pt()[0], f.without(f.clean_pt()[1], "sk-1")),
        {"dokumen.tambahan_tidak_ada": {None}},
        "memenuhi",
    ),
    (
        "a document of unknown type is noted for a person",
        lambda: (
            f.declared(),
            [*f.clean_perorangan()[1], f.doc("lain-1", "other", {"nama": "SITI AMINAH"})],
        ),
        {"dokumen.jenis_tidak_dikenali": {"lain-1"}},
        "memenuhi",
    ),
    (
        "MT homestay without its SLF: the row asking for it is unverified, so it only warns",
        lambda: _mt(lambda d: f.without(d, "slf-1")),
        {"dokumen.wajib_tidak_ada": {None}},
        "memenuhi",
    ),
    (
        "NIB of 12 digits on the NIB document",
        lambda: (
            f.declared(nib=None),
            [f.ktp(), f.npwp(), f.nib_doc(nib="912030415001")],
        ),
        {"nib.format": {"nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "declared NIB differs from the NIB document",
        lambda: _perorangan(nib="9120304150099"),
        {"nib.tidak_sama": {None, "nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "no KBLI on the application nor on the NIB",
        lambda: (f.declared(kbli=None), [f.ktp(), f.npwp(), f.nib_doc(kbli=None)]),
        {"kbli.tidak_ada": set()},
        "perlu_perbaikan",
    ),
    (
        "KBLI of 4 digits",
        lambda: _perorangan(kbli=[{"kode": "5630", "risiko": "MR"}]),
        {"kbli.format": {None}},
        "perlu_perbaikan",
    ),
    (
        "KBLI not in the list in force",
        lambda: (
            f.declared(kbli=[{"kode": "56399", "risiko": "MR"}]),
            [f.ktp(), f.npwp(), f.nib_doc(kbli=("56399",))],
        ),
        {"kbli.tidak_terdaftar": {None}},
        "perlu_perbaikan",
    ),
    (
        "crude-oil extraction is Pusat",
        lambda: (
            f.declared(kbli=[{"kode": "06100", "risiko": "MT"}]),
            [f.ktp(), f.npwp(), f.nib_doc(kbli=("06100",))],
        ),
        {"kbli.di_luar_kewenangan": {None}},
        "tidak_memenuhi",
    ),
    (
        "KBLI the authority table does not know goes to a person",
        lambda: (
            f.declared(kbli=[{"kode": "86103", "risiko": "MR"}]),
            [f.ktp(), f.npwp(), f.nib_doc(kbli=("86103",))],
        ),
        {"kbli.kewenangan_tidak_diketahui": {None}},
        "memenuhi",
    ),
    (
        "KBLI on the application but not on the NIB",
        lambda: _perorangan(
            kbli=[{"kode": "56303", "risiko": "MR"}, {"kode": "56101", "risiko": "MR"}]
        ),
        {"kbli.tidak_ada_di_nib": {None, "nib-1"}},
        "memenuhi",
    ),
    (
        "risk Rendah needs no SS",
        lambda: _perorangan(kbli=[{"kode": "56303", "risiko": "R"}]),
        {"risiko.bukan_sertifikat_standar": {None}},
        "tidak_memenuhi",
    ),
    (
        "risk Tinggi needs an Izin",
        lambda: _perorangan(kbli=[{"kode": "56303", "risiko": "T"}]),
        {"risiko.bukan_sertifikat_standar": {None}},
        "tidak_memenuhi",
    ),
    (
        "KTP NIK of 15 digits",
        lambda: (f.declared(), [f.ktp(nik=f.NIK_SITI[:15]), f.npwp(), f.nib_doc()]),
        {"nik.format": {"ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "KTP NIK with an unknown province",
        lambda: (f.declared(), [f.ktp(nik="99" + f.NIK_SITI[2:]), f.npwp(), f.nib_doc()]),
        {"nik.wilayah": {"ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "KTP NIK with month 13",
        lambda: (
            f.declared(),
            [f.ktp(nik=f.NIK_SITI[:8] + "13" + f.NIK_SITI[10:]), f.npwp(), f.nib_doc()],
        ),
        {"nik.tanggal_lahir": {"ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "KTP birth date disagrees with the NIK",
        lambda: (f.declared(), [f.ktp(tanggal_lahir="1988-03-21"), f.npwp(), f.nib_doc()]),
        {"nik.tanggal_lahir_tidak_sama": {"ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "KTP says male on a woman's NIK",
        lambda: (f.declared(), [f.ktp(jenis_kelamin="LAKI-LAKI"), f.npwp(), f.nib_doc()]),
        {"nik.jenis_kelamin_tidak_sama": {"ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "declared NIK is another person's",
        lambda: _perorangan(pemilik={"nama": "Siti Aminah", "nik": "6102085203880004"}),
        {"nik.tidak_sama": {None, "ktp-1"}},
        "perlu_perbaikan",
    ),
    (
        "NPWP with a wrong check digit",
        lambda: (
            f.declared(npwp="013121661091000"),
            [f.ktp(), f.npwp("013121661091000"), f.nib_doc()],
        ),
        {"npwp.tidak_sah": {None, "npwp-1"}},
        "perlu_perbaikan",
    ),
    (
        "an individual's old NPWP15 declared beside the NPWP16 (NIK) card: a person confirms",
        lambda: (f.declared(npwp=f.NPWP_BADAN), [f.ktp(), f.npwp(), f.nib_doc()]),
        {"npwp.tidak_sama": {None, "npwp-1"}},
        "memenuhi",
    ),
    (
        "declared NPWP differs from the NPWP card",
        lambda: (
            f.declared(npwp="013121660091000"),
            [f.ktp(), f.npwp("021234562091000"), f.nib_doc()],
        ),
        {"npwp.tidak_sama": {None, "npwp-1"}},
        "perlu_perbaikan",
    ),
    (
        "NPWP16 of an individual is not the owner's NIK",
        lambda: (
            f.declared(npwp="6102081708850001"),
            [f.ktp(), f.npwp("6102081708850001"), f.nib_doc()],
        ),
        {"npwp.bukan_nik_pemilik": {None, "npwp-1"}},
        "perlu_perbaikan",
    ),
    (
        "company NPWP written as a NIK",
        lambda: (
            replace(f.clean_pt()[0], npwp=f.NIK_SUPARMAN),
            f.replace_doc(f.clean_pt()[1], f.npwp(f.NIK_SUPARMAN, "PT SINAR JONGKAT LESTARI")),
        ),
        {"npwp.bukan_npwp_badan": {None, "npwp-1"}},
        "memenuhi",
    ),
    (
        "SUPARMIN read confidently from the KTP vs SUPARMAN on the born-digital NIB",
        lambda: _suparman(f.field("SUPARMIN", 0.96)),
        {"nama.tidak_sama": {None, "ktp-1", "npwp-1", "nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "SUPARMIN read with low confidence is tolerated (and flagged for a person)",
        lambda: _suparman(f.field("SUPARMIN", 0.55)),
        {"ocr.keyakinan_rendah": {"ktp-1"}},
        "memenuhi",
    ),
    (
        "business name on the NIB differs",
        lambda: (f.declared(), [f.ktp(), f.npwp(), f.nib_doc(nama_usaha="WARUNG KOPI PAGI")]),
        {"nama_usaha.tidak_sama": {None, "nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "NIB lokasi usaha in Kota Pontianak",
        lambda: (
            f.declared(lokasi=None),
            [
                f.ktp(),
                f.npwp(),
                f.nib_doc(
                    lokasi_usaha="JL. GAJAH MADA NO. 7, KEC. PONTIANAK SELATAN, KOTA PONTIANAK"
                ),
            ],
        ),
        {"lokasi.di_luar_wilayah": {"nib-1"}},
        "tidak_memenuhi",
    ),
    (
        "declared kecamatan in Kota Pontianak",
        lambda: (
            f.declared(lokasi={"alamat": "Jl. Tanjungpura 3", "kecamatan": "Pontianak Barat"}),
            [f.ktp(), f.npwp(), f.nib_doc(lokasi_usaha=None)],
        ),
        {"lokasi.di_luar_wilayah": {None}},
        "tidak_memenuhi",
    ),
    (
        "declared kecamatan unknown in the regency goes to a person",
        lambda: (
            f.declared(lokasi={"alamat": "Jl. Adisucipto", "kecamatan": "Sungai Ambawang"}),
            [f.ktp(), f.npwp(), f.nib_doc()],
        ),
        {"lokasi.tidak_dikenali": {None}},
        "memenuhi",
    ),
    (
        "declared desa lies in another kecamatan",
        lambda: _perorangan(lokasi={"alamat": "Jl. Raya", "desa": "Jungkat", "kecamatan": "Toho"}),
        {"lokasi.desa_kecamatan_tidak_cocok": {None}},
        "memenuhi",
    ),
    (
        "no business location anywhere",
        lambda: (f.declared(lokasi=None), [f.ktp(), f.npwp(), f.nib_doc(lokasi_usaha=None)]),
        {"lokasi.tidak_ada": set()},
        "memenuhi",
    ),
    (
        "PKKPR issued more than 3 years ago: the 3-year row is unverified, so it only warns",
        lambda: _mt(
            lambda d: f.replace_doc(d, f.doc("pkkpr-1", "pkkpr", {"tanggal_terbit": "2022-01-10"}))
        ),
        {"dokumen.kedaluwarsa": {"pkkpr-1"}},
        "memenuhi",
    ),
    (
        "power of attorney past its printed end date",
        lambda: (
            f.declared(),
            [
                *f.clean_perorangan()[1],
                f.doc("kuasa-1", "surat_kuasa", {"berlaku_hingga": "2026-10-31"}),
            ],
        ),
        {"dokumen.kedaluwarsa": {"kuasa-1"}},
        "perlu_perbaikan",
    ),
    (
        "NIB issued after the day of the check",
        lambda: (f.declared(), [f.ktp(), f.npwp(), f.nib_doc(tanggal_terbit="2027-01-15")]),
        {"dokumen.tanggal_terbit_akan_datang": {"nib-1"}},
        "memenuhi",
    ),
    (
        "old KTP-el with a past printed expiry date is only a warning",
        lambda: (f.declared(), [f.ktp(berlaku_hingga="2017-03-12"), f.npwp(), f.nib_doc()]),
        {"dokumen.tanggal_berlaku_tercetak_lewat": {"ktp-1"}},
        "memenuhi",
    ),
    (
        "NIB whose signed bytes were altered",
        lambda: _signed_nib(intact=False, status="INVALID"),
        {"tte.tidak_utuh": {"nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "NIB modified after signing",
        lambda: _signed_nib(modified_after_signing=True),
        {"tte.diubah_setelah_ditandatangani": {"nib-1"}},
        "perlu_perbaikan",
    ),
    (
        "NIB signed by an untrusted certificate",
        lambda: _signed_nib(trusted=False, status="INDETERMINATE"),
        {"tte.tidak_terpercaya": {"nib-1"}},
        "memenuhi",
    ),
    (
        "KTP page OCR could not read",
        lambda: (
            f.declared(),
            [
                f.doc("ktp-1", "ktp", {}, unreadable_pages=(1,)),
                f.npwp(),
                f.nib_doc(),
            ],
        ),
        {"ocr.halaman_tidak_terbaca": {"ktp-1"}},
        "memenuhi",
    ),
]


@pytest.mark.parametrize(("case", "make", "expected", "verdict"), CASES, ids=[c[0] for c in CASES])
def test_planted_defect_gets_exactly_its_rule(
    case: str,
    make: Callable[[], Applicant],
    expected: dict[str, set[str | None]],
    verdict: str,
) -> None:
    report = run(make())
    found = {x.rule_id for x in report.findings if x.severity != "info" or x.rule_id in expected}
    assert found == set(expected), report.to_json()
    for rule_id, document_ids in expected.items():
        assert sum(x.rule_id == rule_id for x in report.findings) == 1, rule_id
        named = {e.document_id for x in report.findings if x.rule_id == rule_id for e in x.evidence}
        assert document_ids <= named, (rule_id, named)
        assert named <= document_ids | {None}, (rule_id, named)
    assert report.verdict == verdict


def test_findings_are_in_bahasa_indonesia_with_stable_ids() -> None:
    report = run(_perorangan(kbli=[{"kode": "06100", "risiko": "MT"}]))
    finding = next(x for x in report.findings if x.rule_id == "kbli.di_luar_kewenangan")
    assert "kewenangan" in finding.message and "Pemerintah Pusat" in finding.message
    assert finding.correctable is False


def test_report_serialises_to_json() -> None:
    import json

    report = run(_perorangan(kbli=[{"kode": "5630", "risiko": "MR"}]))
    data = json.loads(json.dumps(report.to_json()))
    assert data["verdict"] == "perlu_perbaikan"
    assert data["findings"][0]["rule_id"] == "kbli.format"
    assert data["findings"][0]["evidence"][0] == {
        "document_id": None,
        "page": None,
        "field": "kbli[0].kode",
        "value": "5630",
    }
    located = run(
        f.clean_perorangan()[:1] + ([f.ktp(nik="99" + f.NIK_SITI[2:]), f.npwp(), f.nib_doc()],)
    )
    evidence = next(x for x in located.findings if x.rule_id == "nik.wilayah").evidence
    assert [(e.document_id, e.page, e.field) for e in evidence] == [("ktp-1", 1, "nik")]
    assert data["rule_versions"]["kbli"] == RULES.kbli.version


def test_signature_evidence_is_reported_never_required() -> None:
    declared, docs = f.clean_perorangan()
    unsigned = [replace(d, signature=None) for d in docs]
    assert run((declared, unsigned)).verdict == "memenuhi"
    sig = SignatureEvidence(intact=True, trusted=True, signer="Lembaga OSS")
    assert run((declared, [replace(d, signature=sig) for d in docs])).verdict == "memenuhi"
