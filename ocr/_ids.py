"""Structure checks for NIK, NPWP and NIB, and repair of OCR confusions in numeric values.

python-stdnum does the checks; this module wraps its three known gaps (DOMAIN.md): the century
of a NIK birth date, its outdated region table, and 16-digit NPWPs that are NIKs.
"""

from __future__ import annotations

import datetime
import re

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

# Characters OCR engines put where a digit was printed (issue 3: O->0, I/l->1, S->5, B->8 ...).
_CONFUSIONS = str.maketrans(
    {
        "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0",
        "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "L": "1", "J": "1", "T": "7",
        "Z": "2", "z": "2",
        "S": "5", "s": "5", "$": "5",
        "G": "6", "b": "6",
        "B": "8",
        "g": "9", "q": "9",
        "A": "4",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s.\-,/_:;'`\"\u2018\u2019\u201c\u201d\u00ab\u00bb]+")


def repair_digits(raw: str) -> tuple[str, bool]:
    """Return ``raw`` without separators and with confusable letters turned into digits.

    The flag says whether any letter had to be turned. Characters that cannot be a digit are
    kept (and then fail the structure checks).
    """
    compact = _SEPARATORS.sub("", raw)
    repaired = compact.translate(_CONFUSIONS)
    return repaired, repaired != compact


def nik_is_valid(value: str) -> bool:
    """Check a NIK's form: 16 digits, a region of plausible form, a real DDMMYY birth date."""
    number = stdnum_nik.compact(value)
    if len(number) != 16 or not number.isdigit():
        return False
    province, regency, district = int(number[0:2]), int(number[2:4]), int(number[4:6])
    # Region by form only: stdnum's BPS table rejects newer provinces (65.., 92.., Papua 2022).
    if not (11 <= province <= 99 and regency >= 1 and district >= 1):
        return False
    if number[12:16] == "0000":
        return False
    try:
        stdnum_nik.get_birth_date(number)
    except (ValidationError, ValueError):
        return False
    return True


def nik_birth_date(value: str, *, today: datetime.date | None = None) -> datetime.date | None:
    """Return the birth date a NIK encodes, choosing the century that gives a plausible age."""
    number = stdnum_nik.compact(value)
    if not nik_is_valid(number):
        return None
    today = today or datetime.date.today()
    day, month, yy = int(number[6:8]) % 40, int(number[8:10]), int(number[10:12])
    # stdnum always answers 19xx; a holder is at least 0 and below ~100 years old.
    for century in (2000, 1900):
        try:
            born = datetime.date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def npwp_is_valid(value: str) -> bool:
    """Check an NPWP: 15 digits with its Luhn digit, or 16 (``0`` + 15, or a NIK)."""
    number = stdnum_npwp.compact(value)
    if not number.isdigit():
        return False
    if len(number) == 16 and not number.startswith("0"):
        # stdnum checks these as NIKs with its outdated region table: use our NIK form check.
        return nik_is_valid(number)
    return bool(stdnum_npwp.is_valid(number))


def nib_is_valid(value: str) -> bool:
    """Check an NIB: exactly 13 digits (it has no public check digit)."""
    return len(value) == 13 and value.isdigit()


def format_npwp(value: str) -> str:
    """Return an old-style 15-digit NPWP as ``TT.SSS.SSS.C-KKK.BBB`` (others unchanged)."""
    if len(value) != 15:
        return value
    return f"{value[0:2]}.{value[2:5]}.{value[5:8]}.{value[8]}-{value[9:12]}.{value[12:15]}"
