"""Is a KBLI code within the office's authority? (``pintu kbli CODE --json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from validator.ruleset import RuleSet

Authority = Literal["within", "outside", "unknown"]
_FIVE = re.compile(r"\d{5}")
OFFICE_LEVEL = "kabkota"
"""The level of government of the office (a regency DPMPTSP)."""
LEVEL_NAMES = {
    "pusat": "Pemerintah Pusat",
    "provinsi": "Pemerintah Provinsi",
    "kabkota": "Pemerintah Kabupaten/Kota",
}
OSS_LEVELS = {"00": "pusat", "01": "provinsi", "02": "kabkota"}


@dataclass(frozen=True, slots=True)
class KbliAnswer:
    """What the rule set says about one KBLI code."""

    code: str
    exists: bool
    """The code is 5 digits and in the KBLI list in force."""
    title: str | None
    authority: Authority
    basis: str
    """The legal basis of the authority row that decided, or why it is unknown (Indonesian)."""
    level: str | None = None
    """``pusat``, ``provinsi`` or ``kabkota`` when the table decided."""
    kbli_version: str = ""
    authority_version: str = ""
    verified: bool = True
    """Whether the deciding row is verified (an unverified row can only warn)."""
    row: str = ""
    """The deciding row, as the BAP names it (``kewenangan.csv baris 3 (06: pusat)``)."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "exists": self.exists,
            "title": self.title,
            "authority": self.authority,
            "level": self.level,
            "basis": self.basis,
            "kbli_version": self.kbli_version,
            "authority_version": self.authority_version,
            "verified": self.verified,
            "row": self.row,
        }


def kbli_authority(
    code: str,
    rules: RuleSet,
    *,
    skala: str | None = None,
    risiko: str | None = None,
    today: date | None = None,
) -> KbliAnswer:
    """Look a KBLI code up in the KBLI list in force and the office's authority table."""
    code = code.strip()
    table = rules.kbli_in_force(today)
    if not _FIVE.fullmatch(code):
        return KbliAnswer(
            code,
            False,
            None,
            "unknown",
            "kode KBLI untuk perizinan harus tepat 5 angka",
            kbli_version=table.version,
            authority_version=rules.authority.version,
        )
    title = table.title(code)
    row = rules.authority.lookup(code, skala=skala, risiko=risiko)
    if row is None:
        return KbliAnswer(
            code,
            title is not None,
            title,
            "unknown",
            "kode ini tidak ada dalam tabel kewenangan kantor; diputuskan oleh petugas",
            kbli_version=table.version,
            authority_version=rules.authority.version,
        )
    return KbliAnswer(
        code,
        title is not None,
        title,
        "within" if row.kewenangan == OFFICE_LEVEL else "outside",
        row.dasar_hukum,
        row.kewenangan,
        kbli_version=table.version,
        authority_version=rules.authority.version,
        verified=row.verified,
        row=row.ref.describe(),
    )
