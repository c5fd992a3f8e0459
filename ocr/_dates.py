"""Indonesian dates as printed on documents, to ISO ``YYYY-MM-DD``."""

from __future__ import annotations

import datetime
import re

from ocr._ids import repair_digits
from ocr._layout import norm

MONTHS: dict[str, int] = {
    "JANUARI": 1, "JAN": 1, "FEBRUARI": 2, "PEBRUARI": 2, "FEB": 2, "PEB": 2, "MARET": 3,
    "MAR": 3, "APRIL": 4, "APR": 4, "MEI": 5, "JUNI": 6, "JUN": 6, "JULI": 7, "JUL": 7,
    "AGUSTUS": 8, "AGU": 8, "AGT": 8, "AGS": 8, "AGUS": 8, "SEPTEMBER": 9, "SEP": 9, "SEPT": 9,
    "OKTOBER": 10, "OKT": 10, "NOVEMBER": 11, "NOV": 11, "NOPEMBER": 11, "NOP": 11,
    "DESEMBER": 12, "DES": 12,
}  # fmt: skip

# DD-MM-YYYY with any of - / . , as separators; the second may be lost ("11-082000").
_NUMERIC = re.compile(
    r"([0-9OoIlSBZ]{1,2})\s*[-/.,]\s*([0-9OoIlSBZ]{2})\s*[-/.,]?\s*([0-9OoIlSBZ]{4})"
    r"|([0-9OoIlSBZ]{1,2})\s*[-/.,]\s*([0-9OoIlSBZ])\s*[-/.,]\s*([0-9OoIlSBZ]{4})"
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORDY = re.compile(r"\b([0-9OoIlSBZ]{1,2})\s+([A-Za-z]{3,9})\s+([0-9OoIlSBZ]{4})\b")


def _make(year: str, month: int, day: str) -> tuple[str, bool] | None:
    y, fixed_y = repair_digits(year)
    d, fixed_d = repair_digits(day)
    if not (y.isdigit() and d.isdigit()):
        return None
    try:
        value = datetime.date(int(y), month, int(d))
    except ValueError:
        return None
    if not 1900 <= value.year <= 2100:
        return None
    return value.isoformat(), fixed_y or fixed_d


def parse_date(text: str) -> tuple[str, bool] | None:
    """Find the first date in ``text``; return (ISO date, whether digits had to be repaired)."""
    iso = _ISO.search(text)
    if iso:
        return _make(iso.group(1), int(iso.group(2)), iso.group(3))
    m = _NUMERIC.search(text)
    if m:
        day_s, month_s, year_s = (
            (m.group(1), m.group(2), m.group(3))
            if m.group(1)
            else (m.group(4), m.group(5), m.group(6))
        )
        month, fixed = repair_digits(month_s)
        if month.isdigit() and 1 <= int(month) <= 12:
            made = _make(year_s, int(month), day_s)
            if made:
                return made[0], made[1] or fixed
    for m in _WORDY.finditer(text):
        month_name = norm(m.group(2))
        month_no = MONTHS.get(month_name)
        if month_no is None:
            close = [k for k in MONTHS if len(k) >= 5 and _near(k, month_name)]
            month_no = MONTHS[close[0]] if close else None
        if month_no is not None:
            made = _make(m.group(3), month_no, m.group(1))
            if made:
                return made
    return None


def _near(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    diff = sum(1 for x, y in zip(a, b, strict=False) if x != y) + abs(len(a) - len(b))
    return diff <= 1
