"""Rule tables as versioned data, and the parsers that turn an admin's CSV file into them.

Every table is a frozen value with a ``version`` label and the date it takes effect
(``effective_from``). Formats (CSV, UTF-8, one header row, other columns ignored unless named):

- KBLI list: ``code``/``kode``, ``title``/``judul``. Rows whose code is a category letter (A-U)
  or an upper level (1-4 digits) are skipped and counted; any other code that is not 5 digits,
  a 5-digit code without a title, or a code listed twice with two titles refuses the file.
- Authority: ``kbli`` (a 5-digit code, or a prefix of 1-4 digits covering a whole sector),
  ``skala`` (empty = any), ``risiko`` (empty = any), ``kewenangan`` (``pusat``, ``provinsi``,
  ``kabkota``), ``dasar_hukum`` (required). The longest matching code wins; among rows of that
  code one that names the scale and risk wins over a row that leaves them empty.
- Checklists: ``kbli`` (``*`` = every KBLI, or a code or prefix), ``risiko`` and ``bentuk``
  (empty = any, else values separated by ``|``; ``bentuk`` accepts ``badan_usaha`` for every
  company form), ``doc_type`` (an ``ocr`` document type), ``persyaratan`` (the label printed in
  the BAP), ``wajib`` (``ya``: missing is blocking; ``tidak``: missing is an info finding).
- Region: ``kode`` (Kemendagri, dotted), ``level`` (``provinsi``, ``kabupaten`` = the office's
  regency, ``kecamatan``, ``desa``, ``luar`` = a neighbouring regency or city), ``nama``,
  ``nama_lain`` (former or alternative names separated by ``|``).
- Validity: ``doc_type``, ``berlaku`` (``seumur_hidup``: valid for life, a printed past date is
  a warning; ``tertera``: valid until the printed ``berlaku_hingga``; ``tahun``: ``tahun`` years
  from ``tanggal_terbit`` unless a date is printed), ``tahun``, ``keterangan``.

Every table but the region table may have a ``status`` column: ``terverifikasi`` (the row's legal
basis is confirmed: it may refuse an application) or ``belum_diverifikasi`` (an example or a
secondary source: it can only warn, and the BAP names it). An empty or absent status is
``belum_diverifikasi`` when the row's text says "belum diverifikasi" or "contoh", else
``terverifikasi`` (a table the office wrote and imported is its own word).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from ocr import DOC_TYPES
from validator._csv import read_rows
from validator.errors import RuleTableError
from validator.types import BENTUK_VALUES, COMPANY_FORMS, RISIKO_VALUES, SKALA_VALUES

Level = Literal["pusat", "provinsi", "kabkota"]
LEVELS: tuple[str, ...] = ("pusat", "provinsi", "kabkota")
_UPPER_LEVEL = re.compile(r"[A-Ua-u]|\d{1,4}")
_FIVE = re.compile(r"\d{5}")
_PREFIX = re.compile(r"\d{1,5}")
_VERIFIED = {"terverifikasi": True, "verified": True, "ya": True}
_UNVERIFIED = {"belum_diverifikasi": False, "belum diverifikasi": False, "unverified": False,
               "contoh": False, "tidak": False}  # fmt: skip


def row_verified(status: str, *texts: str, source: str, line: int) -> bool:
    """Return whether a row is verified: its ``status`` cell, else what its text says."""
    value = status.strip().lower()
    if value in _VERIFIED:
        return True
    if value in _UNVERIFIED:
        return False
    if value:
        raise RuleTableError(
            f"status {status!r} is not one of terverifikasi, belum_diverifikasi",
            source=source,
            line=line,
        )
    lowered = " ".join(texts).lower()
    return not ("belum diverifikasi" in lowered or "contoh" in lowered)


@dataclass(frozen=True, slots=True)
class RowRef:
    """Where a rule-table row comes from, for the BAP's list of unverified rows."""

    table: str
    line: int
    label: str
    """What the row says, in a few words (Bahasa Indonesia)."""

    def describe(self) -> str:
        """Return ``kewenangan.csv baris 3 (06: pusat)``."""
        return f"{self.table} baris {self.line} ({self.label})"


@dataclass(frozen=True, slots=True)
class KbliTable:
    """A KBLI list: 5-digit code -> title."""

    version: str
    effective_from: date
    titles: Mapping[str, str]
    skipped: int = 0
    """Rows skipped on import (categories and upper levels)."""
    unverified: frozenset[str] = frozenset()
    """Codes whose row is marked unverified (an example, e.g. a KBLI 2025 code)."""

    def title(self, code: str) -> str | None:
        """Return the title of a 5-digit code, or None when the list does not hold it."""
        return self.titles.get(code)


@dataclass(frozen=True, slots=True)
class AuthorityEntry:
    """One row of the office's authority table."""

    kbli: str
    skala: str | None
    risiko: str | None
    kewenangan: Level
    dasar_hukum: str
    line: int = 0
    verified: bool = True
    source: str = "kewenangan.csv"

    @property
    def ref(self) -> RowRef:
        """Return the row as the BAP names it."""
        return RowRef(self.source, self.line, f"{self.kbli}: {self.kewenangan}")


@dataclass(frozen=True, slots=True)
class AuthorityTable:
    """KBLI code or prefix (with optional scale/risk) -> level of government, with legal basis."""

    version: str
    effective_from: date
    entries: tuple[AuthorityEntry, ...]
    _by_code: Mapping[str, tuple[AuthorityEntry, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[str, list[AuthorityEntry]] = {}
        for entry in self.entries:
            index.setdefault(entry.kbli, []).append(entry)
        object.__setattr__(
            self, "_by_code", MappingProxyType({k: tuple(v) for k, v in index.items()})
        )

    def lookup(
        self, code: str, *, skala: str | None = None, risiko: str | None = None
    ) -> AuthorityEntry | None:
        """Return the deciding row: longest prefix first, then the most specific row."""
        for length in range(len(code), 0, -1):
            rows = self._by_code.get(code[:length])
            if not rows:
                continue
            best: AuthorityEntry | None = None
            best_score = -1
            for row in rows:
                if row.skala is not None and row.skala != skala:
                    continue
                if row.risiko is not None and row.risiko != risiko:
                    continue
                score = (row.skala is not None) + (row.risiko is not None)
                if score > best_score:
                    best, best_score = row, score
            if best is not None:
                return best
        return None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One requirement: which document applies to which KBLI, risk and business form."""

    kbli: str
    """``*`` for every KBLI, else a code or prefix."""
    risiko: frozenset[str]
    """Empty = any risk level."""
    bentuk: frozenset[str]
    """Empty = any business form."""
    doc_type: str
    persyaratan: str
    wajib: bool
    line: int = 0
    verified: bool = True
    source: str = "persyaratan.csv"

    @property
    def ref(self) -> RowRef:
        """Return the row as the BAP names it."""
        return RowRef(self.source, self.line, f"{self.kbli}/{self.doc_type}")

    def applies(
        self, codes: tuple[str, ...], risks: tuple[str | None, ...], bentuk: str | None
    ) -> bool:
        """Whether this item applies to an application with these KBLI lines and form."""
        if self.bentuk and (bentuk is None or bentuk not in self.bentuk):
            return False
        for code, risk in zip(codes, risks, strict=True):
            if self.kbli != "*" and not code.startswith(self.kbli):
                continue
            if self.risiko and (risk is None or risk not in self.risiko):
                continue
            return True
        return self.kbli == "*" and not self.risiko


@dataclass(frozen=True, slots=True)
class ChecklistTable:
    """The base checklist and the office's checklists per KBLI and risk level."""

    version: str
    effective_from: date
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """One row of the region table."""

    kode: str
    level: Literal["provinsi", "kabupaten", "kecamatan", "desa", "luar"]
    nama: str
    nama_lain: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class RegionTable:
    """The office's regency (its kecamatan and desa), its neighbours, and the provinces."""

    version: str
    effective_from: date
    regions: tuple[Region, ...]

    @property
    def regency(self) -> Region:
        """The office's own regency (the single ``kabupaten`` row)."""
        return next(r for r in self.regions if r.level == "kabupaten")

    @property
    def regency_digits(self) -> str:
        """The regency's Kemendagri code without dots, e.g. ``6102``."""
        return self.regency.kode.replace(".", "")

    def province_codes(self) -> frozenset[str]:
        """Two-digit Kemendagri province codes."""
        return frozenset(r.kode for r in self.regions if r.level == "provinsi")


Berlaku = Literal["seumur_hidup", "tertera", "tahun"]


@dataclass(frozen=True, slots=True)
class ValidityRule:
    """How long a document type stays in force."""

    doc_type: str
    berlaku: Berlaku
    tahun: int | None
    keterangan: str = ""
    line: int = 0
    verified: bool = True
    source: str = "masa_berlaku.csv"

    @property
    def ref(self) -> RowRef:
        """Return the row as the BAP names it."""
        years = f" {self.tahun} tahun" if self.tahun else ""
        return RowRef(self.source, self.line, f"{self.doc_type}: {self.berlaku}{years}")


@dataclass(frozen=True, slots=True)
class ValidityTable:
    """Validity per document type."""

    version: str
    effective_from: date
    rules: Mapping[str, ValidityRule]


# --- parsers ---------------------------------------------------------------------------------


def parse_kbli_csv(
    data: bytes, *, version: str, effective_from: date, source: str = "kbli.csv"
) -> KbliTable:
    """Parse a KBLI list (see the module docstring); raise RuleTableError naming the line."""
    _, rows = read_rows(data, source=source, required=(("code", "kode"), ("title", "judul")))
    titles: dict[str, str] = {}
    unverified: set[str] = set()
    skipped = 0
    for row in rows:
        code, title = row.get("code"), " ".join(row.get("title").split())
        if not code:
            raise RuleTableError("the code is empty", source=source, line=row.line)
        if _UPPER_LEVEL.fullmatch(code):
            skipped += 1
            continue
        if not _FIVE.fullmatch(code):
            raise RuleTableError(
                f"code {code!r} is neither 5 digits nor a category/upper-level code "
                "(codes are text: keep leading zeros)",
                source=source,
                line=row.line,
            )
        if not title:
            raise RuleTableError(f"code {code} has no title", source=source, line=row.line)
        if code in titles and titles[code] != title:
            raise RuleTableError(
                f"code {code} is listed twice with different titles", source=source, line=row.line
            )
        titles[code] = title
        if not row_verified(row.get("status"), row.get("catatan"), source=source, line=row.line):
            unverified.add(code)
    if not titles:
        raise RuleTableError("the file holds no 5-digit KBLI code", source=source)
    return KbliTable(
        version, effective_from, MappingProxyType(titles), skipped, frozenset(unverified)
    )


def _choice(value: str, allowed: tuple[str, ...], what: str, source: str, line: int) -> str:
    if value not in allowed:
        raise RuleTableError(
            f"{what} {value!r} is not one of {', '.join(allowed)}", source=source, line=line
        )
    return value


def _kbli_key(value: str, source: str, line: int, *, star: bool = False) -> str:
    if star and value == "*":
        return value
    if not _PREFIX.fullmatch(value):
        raise RuleTableError(
            f"kbli {value!r} must be a code or prefix of 1-5 digits" + (" or *" if star else ""),
            source=source,
            line=line,
        )
    return value


def parse_authority_table(
    data: bytes, *, version: str, effective_from: date, source: str = "kewenangan.csv"
) -> AuthorityTable:
    """Parse the office's authority table; raise RuleTableError naming the line."""
    _, rows = read_rows(
        data,
        source=source,
        required=(("kbli",), ("skala",), ("risiko",), ("kewenangan",), ("dasar_hukum",)),
    )
    entries: list[AuthorityEntry] = []
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for row in rows:
        kbli = _kbli_key(row.get("kbli"), source, row.line)
        skala = row.get("skala").lower() or None
        risiko = row.get("risiko").upper() or None
        if skala is not None:
            _choice(skala, SKALA_VALUES, "skala", source, row.line)
        if risiko is not None:
            _choice(risiko, RISIKO_VALUES, "risiko", source, row.line)
        level = _choice(row.get("kewenangan").lower(), LEVELS, "kewenangan", source, row.line)
        basis = row.get("dasar_hukum")
        if not basis:
            raise RuleTableError("dasar_hukum is empty", source=source, line=row.line)
        key = (kbli, skala, risiko)
        if key in seen:
            raise RuleTableError(
                f"the same kbli/skala/risiko is already on line {seen[key]}",
                source=source,
                line=row.line,
            )
        seen[key] = row.line
        verified = row_verified(row.get("status"), basis, source=source, line=row.line)
        entries.append(
            AuthorityEntry(kbli, skala, risiko, level, basis, row.line, verified, source)  # type: ignore[arg-type]
        )
    if not entries:
        raise RuleTableError("the table is empty", source=source)
    return AuthorityTable(version, effective_from, tuple(entries))


def _multi(
    value: str, allowed: tuple[str, ...], what: str, source: str, line: int
) -> frozenset[str]:
    out: set[str] = set()
    for part in (p.strip() for p in value.split("|")):
        if not part:
            continue
        if what == "bentuk" and part.lower() == "badan_usaha":
            out |= COMPANY_FORMS
            continue
        normal = part.upper() if what == "risiko" else part.lower()
        out.add(_choice(normal, allowed, what, source, line))
    return frozenset(out)


def parse_checklists(
    data: bytes, *, version: str, effective_from: date, source: str = "persyaratan.csv"
) -> ChecklistTable:
    """Parse the requirement checklists; raise RuleTableError naming the line."""
    _, rows = read_rows(
        data,
        source=source,
        required=(
            ("kbli",),
            ("risiko",),
            ("bentuk",),
            ("doc_type",),
            ("persyaratan",),
            ("wajib",),
        ),
    )
    items: list[ChecklistItem] = []
    for row in rows:
        kbli = _kbli_key(row.get("kbli"), source, row.line, star=True)
        doc_type = _choice(row.get("doc_type").lower(), DOC_TYPES, "doc_type", source, row.line)
        label = row.get("persyaratan")
        if not label:
            raise RuleTableError("persyaratan is empty", source=source, line=row.line)
        wajib = _choice(row.get("wajib").lower(), ("ya", "tidak"), "wajib", source, row.line)
        items.append(
            ChecklistItem(
                kbli=kbli,
                risiko=_multi(row.get("risiko"), RISIKO_VALUES, "risiko", source, row.line),
                bentuk=_multi(row.get("bentuk"), BENTUK_VALUES, "bentuk", source, row.line),
                doc_type=doc_type,
                persyaratan=label,
                wajib=wajib == "ya",
                line=row.line,
                verified=row_verified(row.get("status"), label, source=source, line=row.line),
                source=source,
            )
        )
    if not items:
        raise RuleTableError("the table is empty", source=source)
    return ChecklistTable(version, effective_from, tuple(items))


_REGION_LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa", "luar")
_KODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


def parse_region_table(
    data: bytes, *, version: str, effective_from: date, source: str = "wilayah.csv"
) -> RegionTable:
    """Parse the region table; raise RuleTableError naming the line."""
    _, rows = read_rows(
        data, source=source, required=(("kode",), ("level",), ("nama",), ("nama_lain",))
    )
    regions: list[Region] = []
    for row in rows:
        kode = row.get("kode")
        if not _KODE.fullmatch(kode):
            raise RuleTableError(
                f"kode {kode!r} is not a dotted Kemendagri code (e.g. 61.02.08)",
                source=source,
                line=row.line,
            )
        level = _choice(row.get("level").lower(), _REGION_LEVELS, "level", source, row.line)
        nama = row.get("nama")
        if not nama:
            raise RuleTableError("nama is empty", source=source, line=row.line)
        aliases = tuple(a.strip() for a in row.get("nama_lain").split("|") if a.strip())
        regions.append(Region(kode, level, nama, aliases, row.line))  # type: ignore[arg-type]
    regencies = [r for r in regions if r.level == "kabupaten"]
    if len(regencies) != 1:
        raise RuleTableError(
            f"exactly one row of level kabupaten (the office's regency) is needed, "
            f"found {len(regencies)}",
            source=source,
        )
    prefix = regencies[0].kode + "."
    for region in regions:
        if region.level in ("kecamatan", "desa") and not region.kode.startswith(prefix):
            raise RuleTableError(
                f"{region.level} {region.kode} is not inside {regencies[0].kode}",
                source=source,
                line=region.line,
            )
    return RegionTable(version, effective_from, tuple(regions))


def parse_validity_table(
    data: bytes, *, version: str, effective_from: date, source: str = "masa_berlaku.csv"
) -> ValidityTable:
    """Parse the validity-per-document-type table; raise RuleTableError naming the line."""
    _, rows = read_rows(
        data, source=source, required=(("doc_type",), ("berlaku",), ("tahun",), ("keterangan",))
    )
    rules: dict[str, ValidityRule] = {}
    for row in rows:
        doc_type = _choice(row.get("doc_type").lower(), DOC_TYPES, "doc_type", source, row.line)
        berlaku = _choice(
            row.get("berlaku").lower(),
            ("seumur_hidup", "tertera", "tahun"),
            "berlaku",
            source,
            row.line,
        )
        years_text = row.get("tahun")
        years: int | None = None
        if berlaku == "tahun":
            if not years_text.isdigit() or int(years_text) < 1:
                raise RuleTableError(
                    "berlaku=tahun needs a whole number of years in 'tahun'",
                    source=source,
                    line=row.line,
                )
            years = int(years_text)
        if doc_type in rules:
            raise RuleTableError(
                f"doc_type {doc_type} is listed twice", source=source, line=row.line
            )
        note = row.get("keterangan")
        verified = row_verified(row.get("status"), note, source=source, line=row.line)
        rules[doc_type] = ValidityRule(
            doc_type,
            berlaku,  # type: ignore[arg-type]
            years,
            note,
            row.line,
            verified,
            source,
        )
    return ValidityTable(version, effective_from, MappingProxyType(rules))
