"""Names agree across documents the way the office reads them."""

from __future__ import annotations

import pytest

from validator._names import business_key, names_agree, person_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH"),
        ("siti  aminah", "SITI AMINAH"),
        ("H. Muhammad Syahrial, S.E., M.M.", "MUHAMMAD SYAHRIAL"),
        ("MUHAMMADSYAHRIAL", "Muhammad Syahrial"),  # OCR ran the words together
        ("Dr. Ir. Budi Santoso", "BUDI SANTOSO"),
        ("Drs. Abdul Rahman M.Si", "ABDUL RAHMAN"),
        ("Stéphanie Putri", "STEPHANIE PUTRI"),
    ],
)
def test_same_person_despite_case_spacing_and_titles(a: str, b: str) -> None:
    assert names_agree(person_key(a), person_key(b), tolerant=False)


@pytest.mark.parametrize(
    ("confident", "ocr", "tolerant", "agree"),
    [
        ("SUPARMAN", "SUPARMIN", False, False),  # a confident read: a real difference
        ("SUPARMAN", "SUPARMIN", True, True),  # a low-confidence read: one character tolerated
        ("SUPARMAN", "SUPAMAN", True, True),
        ("MARYAM", "RNARYAM", True, True),  # rn read for m
        ("SITI AMINAH", "S1TI AM1NAH", True, True),
        ("SITI AMINAH", "BUDI SANTOSO", True, False),  # not a misread
        ("SUPARMAN", "SUPARDI", True, False),
        ("AGUS", "AGUNG", False, False),
    ],
)
def test_ocr_tolerance_only_for_unsure_reads(
    confident: str, ocr: str, tolerant: bool, agree: bool
) -> None:
    assert names_agree(person_key(confident), person_key(ocr), tolerant=tolerant) is agree


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("PT. Sinar Jongkat Lestari", "SINAR JONGKAT LESTARI, PT", True),
        ("CV Maju Jaya", "cv. maju  jaya", True),
        ("Kafe Senja", "KAFE SENJA", True),
        ("Kafe Senja", "Warung Kopi Pagi", False),
    ],
)
def test_business_names(a: str, b: str, agree: bool) -> None:
    assert names_agree(business_key(a), business_key(b), tolerant=False) is agree
