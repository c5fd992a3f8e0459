"""The rules judge like a careful officer: refuse only on what is certain, ask about the rest.

One test per class of failure seen on applicants' documents from outside the corpus (issue 10):
a document not recognised taken for a missing one, what the NIB prints ignored, a company
compared with a person, an unverified table row refusing, the individual NPWP16 = NIK rule,
severity that does not follow the evidence, and the same warning raised again and again.
"""

from __future__ import annotations

from dataclasses import replace

from tests.validator import factory as f
from validator import Declared, Report, check, load_rules

RULES = load_rules()


def run(declared: Declared, docs: list) -> Report:  # type: ignore[type-arg]
    return check(declared, docs, RULES, today=f.TODAY)


def by_rule(report: Report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for x in report.findings:
        out.setdefault(x.rule_id, []).append(x.severity)
    return out


def single_reader(value: object, confidence: float = 0.95) -> f.Field:
    """A confident read of one engine alone: it may still be a misreading."""
    return f.field(value, confidence, reader="tesseract")


# 2. A document not recognised is not a document missing.


def test_a_required_type_missing_beside_an_unrecognised_document_is_a_question() -> None:
    declared, docs = f.clean_perorangan()
    unknown = f.doc("ktp-foto", "other", {})
    unknown = replace(unknown, extraction=replace(unknown.extraction, doc_type_scores={"ktp": 2.5}))
    report = run(declared, [d for d in docs if d.document_id != "ktp-1"] + [unknown])
    assert report.verdict == "memenuhi"
    finding = next(x for x in report.findings if x.rule_id == "dokumen.wajib_tidak_ada")
    assert finding.severity == "warning"
    assert "ktp-foto" in finding.message and "mirip KTP" in finding.message
    assert {e.document_id for e in finding.evidence} == {None, "ktp-foto"}


def test_a_required_type_missing_with_nothing_unrecognised_is_still_refused() -> None:
    declared, docs = f.clean_perorangan()
    report = run(declared, [d for d in docs if d.document_id != "ktp-1"])
    assert by_rule(report)["dokumen.wajib_tidak_ada"] == ["blocking"]
    assert report.verdict == "perlu_perbaikan"


# 3. What the NIB prints decides risk and location.


def test_risk_and_location_printed_in_the_nib_table_are_used() -> None:
    declared = f.declared(
        kbli=[{"kode": "56303"}, {"kode": "55130"}], lokasi=None
    )  # no risk typed, no location declared
    nib = f.nib_doc(
        kbli=("56303", "55130"),
        kbli_risiko=("MR", "MT"),
        kbli_lokasi=(
            "JL. GAJAH MADA NO. 17, DESA TERUSAN, KECAMATAN MEMPAWAH HILIR, KABUPATEN MEMPAWAH",
            "JL. RAYA SUNGAI PINYUH KM 2, DESA GALANG, KECAMATAN SUNGAI PINYUH",
        ),
        lokasi_usaha=None,
    )
    report = run(declared, [f.ktp(), f.npwp(), nib])
    rules = by_rule(report)
    assert "risiko.tidak_diketahui" not in rules
    assert "lokasi.tidak_ada" not in rules and "lokasi.tidak_dikenali" not in rules
    assert rules["risiko.menengah_rendah"] == ["info"]


def test_a_location_printed_in_the_nib_table_outside_the_regency_refuses() -> None:
    nib = f.nib_doc(
        kbli=("56303",),
        kbli_risiko=("MR",),
        kbli_lokasi=("JL. TANJUNGPURA 3, KECAMATAN PONTIANAK SELATAN, KOTA PONTIANAK",),
        lokasi_usaha=None,
    )
    report = run(f.declared(lokasi=None), [f.ktp(), f.npwp(), nib])
    assert by_rule(report)["lokasi.di_luar_wilayah"] == ["blocking"]
    assert report.verdict == "tidak_memenuhi"


def test_risk_unknown_for_several_codes_is_one_warning() -> None:
    declared = f.declared(kbli=[{"kode": "56303"}, {"kode": "56101"}])
    report = run(declared, [f.ktp(), f.npwp(), f.nib_doc(kbli=("56303", "56101"))])
    assert by_rule(report)["risiko.tidak_diketahui"] == ["warning"]
    finding = next(x for x in report.findings if x.rule_id == "risiko.tidak_diketahui")
    assert "56303" in finding.message and "56101" in finding.message


# 4. A company is compared with a company, a person with a person.


def test_a_company_nib_and_npwp_name_the_company_and_the_ktp_the_director() -> None:
    declared, docs = f.clean_pt()
    docs = f.replace_doc(docs, f.nib_doc(
        nama="PT SINAR JONGKAT LESTARI",  # nama pelaku usaha of a PT is the PT
        nama_usaha="PT. SINAR JONGKAT LESTARI",
        kbli=("10710",),
        lokasi_usaha="JL. RAYA JONGKAT NO. 5, DESA JUNGKAT, KEC. SIANTAN, KABUPATEN PONTIANAK",
    ))  # fmt: skip
    report = run(declared, docs)
    assert "nama.tidak_sama" not in by_rule(report)
    assert "nama_usaha.tidak_sama" not in by_rule(report)
    assert report.verdict == "memenuhi"


def test_a_company_known_only_from_its_nib_holder_is_still_a_company() -> None:
    # Nothing declares the form and the business name is a brand; the NIB's holder is the PT.
    declared, docs = f.clean_pt()
    declared = replace(declared, bentuk=None, nama_usaha="Roti Jongkat")
    docs = f.replace_doc(docs, f.nib_doc(
        nama="PT SINAR JONGKAT LESTARI", nama_usaha="ROTI JONGKAT", kbli=("10710",),
        lokasi_usaha="JL. RAYA JONGKAT NO. 5, DESA JUNGKAT, KEC. SIANTAN, KABUPATEN PONTIANAK",
    ))  # fmt: skip
    docs = [
        f.doc(d.document_id, d.extraction.doc_type, {})
        if d.document_id in ("akta-1", "sk-1")
        else d
        for d in docs
    ]
    report = run(declared, docs)
    assert "nama.tidak_sama" not in by_rule(report), report.to_json()
    assert "npwp.bukan_npwp_badan" not in by_rule(report)
    assert report.verdict == "memenuhi"


def test_the_company_name_differing_between_nib_and_npwp_is_found() -> None:
    declared, docs = f.clean_pt()
    docs = f.replace_doc(docs, f.npwp(f.NPWP_BADAN, "PT SINAR MEMPAWAH ABADI"))
    assert by_rule(run(declared, docs))["nama_usaha.tidak_sama"] == ["blocking"]


# 5. An unverified table row can only warn.


def test_an_unverified_authority_row_warns_and_names_the_row() -> None:
    # 05100 (coal mining) is Pusat in the shipped table, but that row is an unverified example.
    declared = f.declared(kbli=[{"kode": "05100", "risiko": "MT"}])
    report = run(declared, [f.ktp(), f.npwp(), f.nib_doc(kbli=("05100",))])
    finding = next(x for x in report.findings if x.rule_id == "kbli.di_luar_kewenangan")
    assert finding.severity == "warning"
    assert finding.unverified and finding.unverified[0].startswith("kewenangan.csv baris ")
    assert report.verdict == "memenuhi"


def test_a_verified_authority_row_refuses() -> None:
    declared = f.declared(kbli=[{"kode": "06100", "risiko": "MT"}])
    report = run(declared, [f.ktp(), f.npwp(), f.nib_doc(kbli=("06100",))])
    finding = next(x for x in report.findings if x.rule_id == "kbli.di_luar_kewenangan")
    assert finding.severity == "blocking" and not finding.unverified
    assert report.verdict == "tidak_memenuhi"


def test_every_shipped_row_carries_its_status_as_data() -> None:
    assert all(isinstance(e.verified, bool) for e in RULES.authority.entries)
    assert any(e.verified for e in RULES.authority.entries)
    assert not RULES.validity.rules["pkkpr"].verified
    assert RULES.validity.rules["ktp"].verified
    base = [i for i in RULES.checklists.items if i.kbli == "*" and i.wajib]
    assert base and all(i.verified for i in base)
    assert "55201" in RULES.kbli.unverified


# 6. An individual's NPWP16 is the owner's NIK; a company's is 0 + its NPWP15.


def test_the_npwp_printed_on_the_nib_must_be_the_owners_nik_too() -> None:
    declared = f.declared(npwp=None)
    nib = f.nib_doc(npwp="6102081708850001")
    report = run(declared, [f.ktp(), f.npwp(), nib])
    assert "npwp.bukan_nik_pemilik" in by_rule(report)
    assert report.verdict == "perlu_perbaikan"


def test_a_company_npwp16_is_its_npwp15_with_a_leading_zero() -> None:
    declared, docs = f.clean_pt()
    declared = replace(declared, npwp="0" + f.NPWP_BADAN)
    report = run(declared, docs)
    assert "npwp.tidak_sama" not in by_rule(report)
    assert report.verdict == "memenuhi"


# 7. Severity follows the evidence.


def test_a_12_digit_nib_in_a_text_layer_is_certain() -> None:
    report = run(f.declared(nib=None), [f.ktp(), f.npwp(), f.nib_doc(nib="912030415001")])
    finding = next(x for x in report.findings if x.rule_id == "nib.format")
    assert finding.severity == "blocking"
    assert finding.basis.startswith("pasti: dibaca dari lapisan teks PDF")


def test_an_impossible_nik_date_that_the_printed_birth_date_repeats_is_certain() -> None:
    # 31 February: both the NIK (a woman: 71) and the printed date say it.
    nik = "6102087102880003"
    ktp = f.ktp(
        nik=single_reader(nik),
        tanggal_lahir=None,
        tanggal_lahir_tertulis=single_reader("31-02-1988"),
    )
    report = run(
        f.declared(pemilik={"nama": "Siti Aminah", "nik": None}), [ktp, f.npwp(nik), f.nib_doc()]
    )
    finding = next(x for x in report.findings if x.rule_id == "nik.tanggal_lahir")
    assert finding.severity == "blocking"
    assert "tercetak" in finding.basis


def test_an_impossible_nik_date_read_by_one_engine_alone_is_a_question() -> None:
    nik = "6102087102880003"
    ktp = f.ktp(nik=single_reader(nik), tanggal_lahir=None)
    report = run(f.declared(pemilik={"nama": "Siti Aminah", "nik": None}, npwp=None),
                 [ktp, f.npwp(f.NIK_SITI), f.nib_doc()])  # fmt: skip
    finding = next(x for x in report.findings if x.rule_id == "nik.tanggal_lahir")
    assert finding.severity == "warning"
    assert finding.basis.startswith("mungkin salah baca")


def test_one_digit_off_from_a_single_reader_is_a_question_many_digits_are_not() -> None:
    declared = f.declared()
    one_off = f.NIK_SITI[:-1] + "4"
    ktp = f.ktp(nik=single_reader(one_off))
    assert by_rule(run(declared, [ktp, f.npwp(), f.nib_doc()]))["nik.tidak_sama"] == ["warning"]
    other = "6102085203880917"
    ktp = f.ktp(nik=single_reader(other))
    assert by_rule(run(declared, [ktp, f.npwp(), f.nib_doc()]))["nik.tidak_sama"] == ["blocking"]


def test_a_name_a_letter_off_from_one_reader_is_a_question_another_name_is_not() -> None:
    declared = f.declared()
    close = f.ktp(nama=single_reader("SITI AMINAN"))
    report = run(declared, [close, f.npwp(), f.nib_doc()])
    assert by_rule(report)["nama.tidak_sama"] == ["warning"]
    other = f.ktp(nama=single_reader("BUDI SANTOSO"))
    report = run(declared, [other, f.npwp(), f.nib_doc()])
    assert by_rule(report)["nama.tidak_sama"] == ["blocking"]


def test_a_deed_naming_someone_else_is_a_question_not_a_refusal() -> None:
    # An akta names founders, commissioners and a notary: its "Nama" may be any of them.
    declared, docs = f.clean_pt()
    docs = f.replace_doc(docs, f.doc("akta-1", "akta_pendirian", {
        "nama_usaha": "PT SINAR JONGKAT LESTARI", "nama": "DAN TEMPAT KEDUDUKAN"}))  # fmt: skip
    report = run(declared, docs)
    assert by_rule(report)["nama.tidak_sama"] == ["warning"]
    assert report.verdict == "memenuhi"


def test_a_name_read_short_or_run_into_its_neighbour_is_a_question() -> None:
    declared = f.declared(pemilik={"nama": "Siti Aminah Rahmawati", "nik": f.NIK_SITI})
    short = f.ktp(nama="SITI AMINAH")
    assert by_rule(run(declared, [short, f.npwp(), f.nib_doc(nama="SITI AMINAH RAHMAWATI")]))[
        "nama.tidak_sama"
    ] == ["warning"]


# 8. Noise: one concern, one warning.


def test_doubtful_reads_on_several_documents_are_one_warning() -> None:
    declared, docs = f.clean_perorangan()
    docs = [
        f.with_fields(docs[0], nama=f.field("SITI AMINAH", 0.6)),
        f.with_fields(docs[1], nama=f.field("SITI AMINAH", 0.6)),
        docs[2],
    ]
    report = run(declared, docs)
    assert by_rule(report)["ocr.keyakinan_rendah"] == ["warning"]
    assert report.verdict == "memenuhi"


def test_a_doubtful_read_of_a_field_no_rule_uses_is_not_a_warning() -> None:
    declared, docs = f.clean_perorangan()
    docs = [f.with_fields(docs[0], alamat=f.field("JL. GAJAH MADA", 0.5)), *docs[1:]]
    assert "ocr.keyakinan_rendah" not in by_rule(run(declared, docs))


def test_an_intact_signature_from_an_unknown_certificate_is_recorded_not_warned() -> None:
    declared, docs = f.clean_perorangan()
    nib = docs[2]
    assert nib.signature is not None
    signed = replace(nib, signature=replace(nib.signature, trusted=False, status="INDETERMINATE"))
    report = run(declared, f.replace_doc(docs, signed))
    assert by_rule(report)["tte.tidak_terpercaya"] == ["info"]
