"""The varied corpus (issue 10): fonts and designs of their own, truth that is what is printed,
identifiers that are valid unless a defect is planted, and an honest applicant score."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.corpus import cards, letters, oss
from tests.corpus.applicants import DEFECTS, EXTRA_FOR_MT, extra_documents
from tests.corpus.evaluate_applicants import score
from tests.corpus.people import (
    KBLI_CHOICES,
    make_company,
    make_person,
    make_venture,
    npwp15,
    registered_on,
)
from tests.corpus.variety import CHECK_DAY, HELDOUT4, HELDOUT5, VARIETIES
from validator import load_rules
from validator._identifiers import check_nik, check_npwp

ROOT = Path(__file__).resolve().parents[2]
EARLIER_FONTS = {
    p.name
    for group in (cards.DEV_FONTS, cards.TEST_FONTS, cards.HELDOUT1_FONTS, cards.HELDOUT2_FONTS,
                  cards.HELDOUT3_FONTS)
    for p in group
}  # fmt: skip
EARLIER_FAMILIES = {
    s.font
    for group in (letters.DEV_STYLES, letters.TEST_STYLES, letters.HELDOUT1_STYLES,
                  letters.HELDOUT2_STYLES, letters.HELDOUT3_STYLES)
    for s in group
}  # fmt: skip


def _fonts(v: object) -> set[str]:
    return {p.name for p in v.card_fonts} | {s.font_file.name for s in v.page_styles}  # type: ignore[attr-defined]


def test_varied_splits_have_fonts_and_designs_of_their_own():
    h4, h5 = _fonts(HELDOUT4), _fonts(HELDOUT5)
    assert not h4 & h5
    assert not (h4 | h5) & EARLIER_FONTS
    families = {s.font for v in VARIETIES.values() for s in v.page_styles}
    assert not families & EARLIER_FAMILIES
    assert not {s.font for s in HELDOUT4.page_styles} & {s.font for s in HELDOUT5.page_styles}
    designs = [
        {d.name for d in (*v.ktp_designs, *v.npwp_designs, *v.page_styles, *v.annexes)}
        for v in (HELDOUT4, HELDOUT5)
    ]
    assert not designs[0] & designs[1]
    orders4 = {tuple(k for k, _ in a.columns) for a in HELDOUT4.annexes}
    orders5 = {tuple(k for k, _ in a.columns) for a in HELDOUT5.annexes}
    assert not orders4 & orders5
    # Each split has labels beside, above and left of their values on its cards.
    for v in (HELDOUT4, HELDOUT5):
        kinds = {d.fields for d in (*v.ktp_designs, *v.npwp_designs)}
        assert {"leftcol", "grid"} <= kinds and kinds & {"below", "grid"}


def test_varied_fonts_are_listed_for_a_clean_machine():
    listed = (ROOT / "scripts" / "system-packages.txt").read_text(encoding="utf-8")
    for pkg in ("fonts-noto-core", "fonts-inter", "fonts-sil-charis", "fonts-league-spartan"):
        assert f"\n{pkg}\n" in listed


def _words(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Per page, (x, text) of each line-ish chunk of the text layer."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in doc:
            text = page.get_textpage()
            chunks = []
            for i in range(text.count_rects()):
                box = text.get_rect(i)
                chunks.append((box[0], text.get_text_bounded(*box)))
            pages.append(chunks)
    finally:
        doc.close()
    return pages


@pytest.mark.parametrize("annex", [*HELDOUT4.annexes, *HELDOUT5.annexes], ids=lambda a: a.name)
def test_nib_annex_prints_its_truth_in_its_column_order(annex):
    rng = random.Random(annex.name)
    person = make_person(rng, today=CHECK_DAY)
    company = make_company(rng, person, "pt")
    venture = make_venture(rng, company, kbli=KBLI_CHOICES[:2])
    style = HELDOUT4.page_styles[0] if annex in HELDOUT4.annexes else HELDOUT5.page_styles[0]
    office = oss.full_place(company.alamat, company.desa, company.kecamatan)
    pdf, truth = oss.nib_pdf(venture, style, annex, rng, office=office, show_npwp=True)
    pages = _words(pdf)
    text = " ".join(" ".join(t for _, t in page) for page in pages)
    flat = " ".join(text.split())
    assert truth["nib"] in flat and truth["nama"] == company.nama and company.nama in flat
    for code in truth["kbli"]:
        assert code in flat
    risk_words = [oss.RISK_LONG[r] if annex.risk == "long" else r for r in truth["kbli_risiko"]]
    for word in risk_words:
        assert word in flat
    # Header cells appear left to right in the design's order.
    chunks = [c for page in pages for c in page]
    xs = []
    for _, header in annex.columns:
        first = header.split()[0]
        hits = [x for x, t in chunks if t.strip().startswith(first)]
        assert hits, header
        xs.append(min(hits) if not xs else min((x for x in hits if x > xs[-1]), default=-1))
    assert xs == sorted(xs) and -1 not in xs


def test_people_carry_valid_identifiers_and_the_planted_date_is_not_one():
    rng = random.Random(7)
    provinces = load_rules().region.province_codes()
    for _ in range(300):
        p = make_person(rng, today=CHECK_DAY)
        result = check_nik(p.nik, today=CHECK_DAY, provinces=provinces, min_age=17, max_age=110,
                           birth_year=p.tanggal_lahir.year)  # fmt: skip
        assert result.problem is None, (p.nik, result.problem)
        assert result.birth_date == p.tanggal_lahir
        assert result.female == (p.jenis_kelamin == "PEREMPUAN")
        number = npwp15(rng)
        assert check_npwp(number).kind == "npwp15"
        assert check_npwp("0" + number).kind == "npwp16_badan"
    impossible = "6102013102850012"  # 31 February
    result = check_nik(impossible, today=CHECK_DAY, provinces=provinces, min_age=17, max_age=110)
    assert result.problem_kind == "tanggal_lahir"


def test_ventures_are_issued_before_the_check_day_and_companies_by_adults():
    rng = random.Random(11)
    for _ in range(200):
        p = make_person(rng, today=CHECK_DAY)
        c = make_company(rng, p, "cv")
        assert c.akta_tanggal.year - p.tanggal_lahir.year >= 18
        v = make_venture(rng, c)
        assert c.akta_tanggal < v.tanggal_terbit < CHECK_DAY and len(v.nib) == 13
        assert c.akta_tanggal < registered_on(rng, c) < CHECK_DAY
        assert registered_on(rng, p).year >= p.tanggal_lahir.year + 18


def test_planted_defects_name_rules_the_validator_has():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "validator").glob("*.py"))
    literals = set(re.findall(r'"([a-z_]+\.[a-z_]+)"', source))
    families = set(re.findall(r'f"([a-z_]+)\.\{', source))
    for kind, d in DEFECTS.items():
        for rule in (d["rule_id"], *d.get("explains", ())):
            if rule.endswith(".*"):
                assert rule[:-2] in families, (kind, rule)
            else:
                assert rule in literals, (kind, rule)


def test_extra_documents_mirror_the_shipped_checklist():
    path = ROOT / "validator" / "data" / "persyaratan.csv"
    shipped: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["wajib"] == "ya" and row["risiko"] == "MT" and row["kbli"] != "*":
                shipped.setdefault(row["kbli"], set()).add(row["doc_type"])
    assert {k: set(v) for k, v in EXTRA_FOR_MT.items()} == shipped
    assert extra_documents((("56101", "RESTORAN", "MT"), ("56303", "KAFE", "MR"))) == ["sppl"]
    assert extra_documents((("56101", "RESTORAN", "MR"),)) == []


def test_score_counts_refusals_defects_and_unexplained_findings():
    manifest = {
        "split": "x",
        "check_day": "2026-12-01",
        "applicants": [
            {"folder": "A", "bentuk": "perorangan", "clean": True,
             "expected_verdict": "memenuhi"},
            {"folder": "B", "bentuk": "pt", "clean": False, "expected_verdict": "perlu_perbaikan",
             "defects": [{"kind": "k", "rule_id": "nik.*", "severity": "blocking",
                          "explains": ["npwp.tidak_sah"]}]},
            {"folder": "C", "bentuk": "cv", "clean": False, "expected_verdict": "memenuhi",
             "defects": [{"kind": "p", "rule_id": "dokumen.kedaluwarsa", "severity": "warning",
                          "explains": []}]},
        ],
    }  # fmt: skip

    def f(rule: str, severity: str) -> dict[str, str]:
        return {"rule_id": rule, "severity": severity, "message": rule}

    reports = {
        "A": {"verdict": "perlu_perbaikan",
              "findings": [f("dokumen.wajib_tidak_ada", "blocking"), f("ocr.keyakinan_rendah",
                                                                       "warning")]},
        "B": {"verdict": "perlu_perbaikan",
              "findings": [f("nik.tanggal_lahir", "blocking"), f("npwp.tidak_sah", "blocking")]},
        "C": {"verdict": "perlu_perbaikan", "findings": [f("dokumen.kedaluwarsa", "blocking")]},
    }  # fmt: skip
    s = score(manifest, reports)["summary"]
    assert s["clean_accepted"] == 0 and s["false_refusals"] == 1
    assert s["defects_found"] == 2 and s["defects_right_severity"] == 1
    assert s["unexplained_blocking"] == 1  # A's missing document; B's NPWP finding is explained
    assert s["warnings_per_clean_mean"] == 1.0
    assert s["verdict_as_expected"] == 1
