"""NIK, NPWP and NIB checks: python-stdnum where it is right, wrapped where it is not.

Three gaps of stdnum are wrapped here (DOMAIN.md): ``nik.get_birth_date`` always answers 19xx,
so the century is inferred from a plausible adult age; its region check uses an old BPS table, so
the region is checked against the Kemendagri province list of the region table and by form; and
a 16-digit NPWP that does not start with 0 is a NIK, checked as such.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

_DIGITS = re.compile(r"\d+")


def compact(number: str) -> str:
    """Strip the usual separators (spaces, dots, dashes)."""
    return str(stdnum_nik.compact(number))


@dataclass(frozen=True, slots=True)
class NikCheck:
    """What a NIK says, or why it is not a valid NIK (``problem``, Bahasa Indonesia)."""

    nik: str
    problem: str | None = None
    problem_kind: str | None = None
    """``format``, ``wilayah`` or ``tanggal_lahir`` when ``problem`` is set."""
    birth_date: date | None = None
    female: bool | None = None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check_nik(
    raw: str,
    *,
    today: date,
    provinces: Collection[str],
    min_age: int,
    max_age: int,
    birth_year: int | None = None,
) -> NikCheck:
    """Check a NIK's form, region and birth date; infer the birth century.

    ``birth_year`` (e.g. from the KTP's printed date of birth) decides the century when it agrees
    with the NIK's two digits; otherwise the century giving an age in ``min_age..max_age`` wins
    (the more recent one when both do).
    """
    number = compact(raw)
    if not _DIGITS.fullmatch(number) or len(number) != 16:
        return NikCheck(number, "NIK harus terdiri atas 16 angka", "format")
    province, regency, district = number[:2], number[2:4], number[4:6]
    if province not in provinces or regency == "00" or district == "00":
        return NikCheck(
            number,
            f"kode wilayah {province}.{regency}.{district} pada NIK tidak dikenal "
            "(kode provinsi Kemendagri, kabupaten/kota dan kecamatan bukan 00)",
            "wilayah",
        )
    if number[12:] == "0000":
        return NikCheck(number, "nomor urut NIK tidak boleh 0000", "format")
    try:
        # stdnum validates day/month (day + 40 for women); its century is ignored below.
        stdnum_nik.get_birth_date(number)
    except ValidationError:
        return NikCheck(number, "tanggal lahir pada NIK bukan tanggal yang sah", "tanggal_lahir")
    raw_day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    female = raw_day > 40
    day = raw_day - 40 if female else raw_day
    candidates: list[date] = []
    for century in (2000, 1900):
        try:
            candidates.append(date(century + yy, month, day))
        except ValueError:
            continue
    if not candidates:
        return NikCheck(number, "tanggal lahir pada NIK bukan tanggal yang sah", "tanggal_lahir")
    if birth_year is not None:
        for born in candidates:
            if born.year == birth_year:
                return NikCheck(number, birth_date=born, female=female)
    plausible = [b for b in candidates if min_age <= _age(b, today) <= max_age]
    if not plausible:
        return NikCheck(
            number,
            f"tanggal lahir pada NIK ({day:02d}-{month:02d}-{yy:02d}) tidak menunjukkan usia "
            f"dewasa yang wajar ({min_age}-{max_age} tahun)",
            "tanggal_lahir",
        )
    return NikCheck(number, birth_date=plausible[0], female=female)


@dataclass(frozen=True, slots=True)
class NpwpCheck:
    """An NPWP's form: ``kind`` is ``npwp15``, ``npwp16_badan`` (0 + old 15) or ``nik``."""

    npwp: str
    kind: str | None
    problem: str | None = None


def check_npwp(raw: str) -> NpwpCheck:
    """Check an NPWP's length and check digit; a 16-digit one not starting with 0 is a NIK."""
    number = compact(raw)
    if not _DIGITS.fullmatch(number):
        return NpwpCheck(number, None, "NPWP hanya boleh berisi angka")
    if len(number) == 16 and not number.startswith("0"):
        # The caller checks it as a NIK (and against the owner's NIK).
        return NpwpCheck(number, "nik")
    if len(number) not in (15, 16):
        return NpwpCheck(number, None, "NPWP harus 15 angka (format lama) atau 16 angka")
    try:
        stdnum_npwp.validate(number)
    except ValidationError:
        return NpwpCheck(number, None, "angka pemeriksa (check digit) NPWP tidak cocok")
    return NpwpCheck(number, "npwp15" if len(number) == 15 else "npwp16_badan")


def check_nib(raw: str) -> str | None:
    """Return a problem (Bahasa Indonesia) when ``raw`` is not 13 digits, else None."""
    number = compact(raw)
    if not _DIGITS.fullmatch(number) or len(number) != 13:
        return f"NIB harus terdiri atas 13 angka (tertulis {len(number)} karakter)"
    return None
