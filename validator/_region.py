"""Placing a free-text business location inside or outside the office's regency."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from validator.tables import RegionTable

Placement = Literal["inside", "outside", "unknown"]

_ABBREVIATIONS = (
    (re.compile(r"\bKAB\b\.?"), "KABUPATEN"),
    (re.compile(r"\bKEC\b\.?"), "KECAMATAN"),
    (re.compile(r"\bKEL\b\.?"), "KELURAHAN"),
    (re.compile(r"\bKOTAMADYA\b"), "KOTA"),
)
_NOISE = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")


def normalize_place(text: str) -> str:
    """Upper-case, expand KAB./KEC./KEL., drop punctuation; padded with spaces for matching."""
    upper = text.upper().replace(".", ". ")
    for pattern, full in _ABBREVIATIONS:
        upper = pattern.sub(full, upper)
    return " " + _SPACES.sub(" ", _NOISE.sub(" ", upper)).strip() + " "


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a text puts the business, and the name that decided it."""

    placement: Placement
    matched: str | None = None


@dataclass(frozen=True, slots=True)
class RegionIndex:
    """Normalised names of the regency, its kecamatan and desa, and its neighbours."""

    regency_names: tuple[str, ...]
    kecamatan: dict[str, str]
    """Normalised name or former name -> kecamatan code."""
    desa: dict[str, tuple[str, ...]]
    """Normalised desa name -> codes (a name can repeat across kecamatan)."""
    outside: tuple[tuple[str, str], ...]
    """(normalised name, display name) of neighbouring regencies/cities and their parts."""

    @classmethod
    def build(cls, table: RegionTable) -> RegionIndex:
        """Index a region table."""
        regency = table.regency
        kecamatan: dict[str, str] = {}
        desa: dict[str, list[str]] = {}
        outside: list[tuple[str, str]] = []
        for region in table.regions:
            names = (region.nama, *region.nama_lain)
            if region.level == "kecamatan":
                for name in names:
                    kecamatan[normalize_place(name)] = region.kode
            elif region.level == "desa":
                desa.setdefault(normalize_place(region.nama), []).append(region.kode)
            elif region.level == "luar":
                outside.extend((normalize_place(n), region.nama) for n in names)
        return cls(
            regency_names=tuple(normalize_place(n) for n in (regency.nama, *regency.nama_lain)),
            kecamatan=kecamatan,
            desa={k: tuple(v) for k, v in desa.items()},
            outside=tuple(outside),
        )

    def place_text(self, text: str) -> Placed:
        """Place a free-text address: a neighbour named and the regency not → outside."""
        norm = normalize_place(text)
        outside = next((display for name, display in self.outside if name in norm), None)
        inside = next((name.strip() for name in self.regency_names if name in norm), None)
        if inside is None:
            inside = next((name.strip() for name in self.kecamatan if name in norm), None)
        if outside is not None and inside is None:
            return Placed("outside", outside)
        if inside is not None and outside is None:
            return Placed("inside", inside)
        return Placed("unknown", outside)

    def kecamatan_code(self, name: str) -> str | None:
        """Return the code of a kecamatan named exactly (current or former name)."""
        norm = normalize_place(name)
        norm = norm.replace(" KECAMATAN ", " ")
        return self.kecamatan.get(norm)

    def desa_codes(self, name: str) -> tuple[str, ...]:
        """Return the codes of the desa/kelurahan with this exact name."""
        norm = normalize_place(name)
        for prefix in (" DESA ", " KELURAHAN "):
            if norm.startswith(prefix):
                norm = " " + norm[len(prefix) :]
        return self.desa.get(norm, ())
