from __future__ import annotations

import datetime

import pytest

from ocr._dates import parse_date
from ocr._ids import nib_is_valid, nik_birth_date, nik_is_valid, npwp_is_valid, repair_digits


def test_ocr_confusions_in_numbers_are_repaired_and_reported():
    assert repair_digits("61O2Ol52O588OOO3") == ("6102015205880003", True)
    assert repair_digits("71.234.567.7-704.000") == ("712345677704000", False)
    assert repair_digits("S1B") == ("518", True)


def test_nik_structure_uses_form_not_stdnums_outdated_region_table():
    assert nik_is_valid("6102015205880003")
    assert nik_is_valid("6501011203900001")  # Kalimantan Utara (2012): stdnum rejects it
    assert not nik_is_valid("6102013205880003")  # day 32
    assert not nik_is_valid("6102011213880003")  # month 13
    assert not nik_is_valid("610201520588000")  # 15 digits
    assert not nik_is_valid("6102015205880000")  # serial 0000


def test_nik_birth_century_is_inferred_from_a_plausible_age():
    today = datetime.date(2026, 11, 27)
    assert nik_birth_date("6102015205880003", today=today) == datetime.date(1988, 5, 12)
    assert nik_birth_date("6102010101050001", today=today) == datetime.date(2005, 1, 1)


def test_npwp_check_digit_and_sixteen_digit_forms():
    assert npwp_is_valid("712345677704000")
    assert not npwp_is_valid("712345678704000")  # wrong Luhn digit
    assert npwp_is_valid("0712345677704000")
    assert npwp_is_valid("6501011203900001")  # a NIK as NPWP, newer province


def test_nib_is_thirteen_digits():
    assert nib_is_valid("1203240012345")
    assert not nib_is_valid("120324001234")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12-05-1988", "1988-05-12"),
        ("12/05/1988", "1988-05-12"),
        ("tanggal 12 Maret 2024", "2024-03-12"),
        ("3 Agustus 2019", "2019-08-03"),
        ("17 AGT 1945", "1945-08-17"),
        ("1 Nopember 2020", "2020-11-01"),
        ("12-O5-1988", "1988-05-12"),
    ],
)
def test_indonesian_dates_become_iso(text, iso):
    parsed = parse_date(text)
    assert parsed is not None and parsed[0] == iso


def test_impossible_dates_are_not_invented():
    assert parse_date("31-02-2020") is None
    assert parse_date("Mempawah") is None
