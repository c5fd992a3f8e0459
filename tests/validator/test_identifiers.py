"""NIK, NPWP and NIB checks: stdnum where right, wrapped where its gaps are."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum import luhn

from validator import load_rules
from validator._identifiers import check_nib, check_nik, check_npwp

TODAY = date(2026, 11, 27)
PROVINCES = load_rules().region.province_codes()


def nik(raw: str, birth_year: int | None = None):  # type: ignore[no-untyped-def]
    return check_nik(
        raw, today=TODAY, provinces=PROVINCES, min_age=17, max_age=110, birth_year=birth_year
    )


@pytest.mark.parametrize(
    ("number", "born", "female"),
    [
        ("6102081708850001", date(1985, 8, 17), False),  # Mempawah, Jongkat
        ("6171011708850001", date(1985, 8, 17), False),  # Pontianak city NIK: still valid
        ("6102085203880003", date(1988, 3, 12), True),  # woman: day + 40
        ("6501011203010001", date(2001, 3, 12), False),  # Kalimantan Utara (65), born 2001
        ("9201015503070002", date(2007, 3, 15), True),  # Papua Barat, 19 years old
        ("9301010101500001", date(1950, 1, 1), False),  # Papua Selatan (2022)
        ("3171 0117 0845 0001", date(1945, 8, 17), False),  # separators allowed
    ],
)
def test_valid_niks_and_inferred_birth_date(number: str, born: date, female: bool) -> None:
    result = nik(number)
    assert result.problem is None, result.problem
    assert result.birth_date == born
    assert result.female is female


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("610208170885000", "format"),
        ("61020817088500012", "format"),
        ("61020817O8850001", "format"),
        ("9902081708850001", "wilayah"),  # no province 99
        ("6100081708850001", "wilayah"),  # regency 00
        ("6102001708850001", "wilayah"),  # district 00
        ("6102081708850000", "format"),  # serial 0000
        ("6102081713850001", "tanggal_lahir"),  # month 13
        ("6102083502850001", "tanggal_lahir"),  # day 35
        ("6102087502850001", "tanggal_lahir"),  # day 75 - 40 = 35
        ("6102082902850001", "tanggal_lahir"),  # 29 Feb 1985 / 2085
        ("6102081708150001", "tanggal_lahir"),  # 2015: a child; 1915: 111 years old
    ],
)
def test_invalid_niks(number: str, kind: str) -> None:
    result = nik(number)
    assert result.problem_kind == kind, result.problem


def test_century_follows_the_printed_birth_year_when_it_fits() -> None:
    assert nik("6102081708250001").birth_date == date(1925, 8, 17)  # 2025 would be a baby
    assert nik("6102081708050001").birth_date == date(2005, 8, 17)
    assert nik("6102081708050001", birth_year=1905).birth_date == date(1905, 8, 17)
    assert nik("6102081708050001", birth_year=1999).birth_date == date(2005, 8, 17)


def test_stdnum_gap_is_wrapped_not_inherited() -> None:
    from stdnum.id import nik as stdnum_nik

    # stdnum answers 19xx and rejects new provinces; our wrapper does neither.
    assert stdnum_nik.get_birth_date("6102081708050001").year == 1905
    assert not stdnum_nik.is_valid("9301010101500001")
    assert nik("9301010101500001").problem is None


def _npwp15(first_eight: str, tail: str = "091000") -> str:
    head = first_eight + luhn.calc_check_digit(first_eight)
    return head + tail


@pytest.mark.parametrize(
    ("number", "kind", "ok"),
    [
        ("01.312.166.0-091.000", "npwp15", True),
        (_npwp15("09254294"), "npwp15", True),
        ("0" + _npwp15("09254294"), "npwp16_badan", True),
        ("013121661091000", None, False),  # check digit off by one
        ("0013121661091000", None, False),
        ("6102081708850001", "nik", True),  # 16 digits not starting with 0: a NIK
        ("01312166009100", None, False),  # 14 digits
        ("01.312.166.0-091.00A", None, False),
    ],
)
def test_npwp_forms(number: str, kind: str | None, ok: bool) -> None:
    result = check_npwp(number)
    assert (result.problem is None) is ok, result.problem
    assert result.kind == kind


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("9120304150017", True),
        ("912030415001", False),
        ("91203041500170", False),
        ("912030415001X", False),
    ],
)
def test_nib_is_13_digits(number: str, ok: bool) -> None:
    assert (check_nib(number) is None) is ok
