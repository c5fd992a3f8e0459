"""Plain data -> sanitised, frozen view models for the document templates.

Everything a template shows passes through here: strings are normalised (NFC), stripped of control
characters and of Unicode bidi overrides/isolates (an U+202E in a business name must not reverse
what the Kadis reads), and capped in length; dates become Indonesian long dates. HTML escaping is
left to Jinja2's autoescape, so ``<script>`` stays visible text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from signer._render_errors import InvalidRenderDataError
from signer._render_fonts import drawable

MAX_FIELD_CHARS = 2000
"""Longest text accepted in one field (a business name of 100k characters is refused)."""
MAX_LIST_ITEMS = 200
"""Most items accepted in one list (KBLI, checklist rows, findings, team members)."""
MAX_TOTAL_CHARS = 60_000
"""Most text in one document, all fields together (about 25 pages): caps the time a render takes."""
_MAX_DEPTH = 12
_MAX_NODES = 20_000
MAX_URL_CHARS = 512
"""Longest verification URL (it must still fit a QR code a phone can read from paper)."""

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EMPTY = "\u2014"
"""Shown for a value that is missing (only drafts may miss required values)."""


def _refuse(field: str, reason_en: str, reason_id: str) -> InvalidRenderDataError:
    return InvalidRenderDataError(
        f"render data field {field!r}: {reason_en}", detail_id=f"Isian '{field}' {reason_id}."
    )


def check_budget(data: Mapping[str, Any]) -> None:
    """Refuse data with more than ``MAX_TOTAL_CHARS`` of text in all, or nested too deep."""
    total = 0
    nodes = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if isinstance(value, str):
            total += len(value)
        elif isinstance(value, Mapping | list | tuple):
            if depth >= _MAX_DEPTH or nodes + len(value) > _MAX_NODES:
                raise InvalidRenderDataError(
                    f"render data nested deeper than {_MAX_DEPTH} levels or over {_MAX_NODES} "
                    "values",
                    detail_id="Struktur data dokumen terlalu dalam atau terlalu besar.",
                )
            children = value.values() if isinstance(value, Mapping) else value
            stack.extend((child, depth + 1) for child in children)
        if total > MAX_TOTAL_CHARS:
            raise InvalidRenderDataError(
                f"render data too long: over {MAX_TOTAL_CHARS} characters in all",
                detail_id=f"Isi dokumen terlalu panjang (lebih dari {MAX_TOTAL_CHARS} karakter).",
            )


def clean_text(value: object, field: str) -> str:
    """Return ``value`` as safe display text, or raise if it is not text-like or too long."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _refuse(field, f"expected text, got {type(value).__name__}", "harus berupa teks")
    text = str(value)
    if len(text) > MAX_FIELD_CHARS:
        raise _refuse(
            field,
            f"too long ({len(text)} characters, at most {MAX_FIELD_CHARS})",
            f"terlalu panjang ({len(text)} karakter, maksimum {MAX_FIELD_CHARS})",
        )
    text = unicodedata.normalize("NFC", text)
    kept = [
        " " if ch in "\t\r\n" else ch
        for ch in text
        if ch in "\t\r\n"
        or (ch not in _BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
    ]
    return drawable(" ".join("".join(kept).split()))


def mapping_of(value: object, field: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _refuse(field, "expected an object", "harus berupa objek")
    return value


def items_of(value: object, field: str) -> Sequence[Any]:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _refuse(field, "expected a list", "harus berupa daftar")
    if len(value) > MAX_LIST_ITEMS:
        raise _refuse(
            field,
            f"too many items ({len(value)}, at most {MAX_LIST_ITEMS})",
            f"berisi terlalu banyak butir ({len(value)}, maksimum {MAX_LIST_ITEMS})",
        )
    return value


def text_of(data: Mapping[str, Any], key: str, prefix: str = "") -> str:
    return clean_text(data.get(key), prefix + key)


def texts_of(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    texts = (clean_text(item, f"{key}[{i}]") for i, item in enumerate(items_of(data.get(key), key)))
    return tuple(text for text in texts if text)


def parse_date(value: object, field: str) -> date | None:
    """Accept a date, a datetime or an ISO 8601 string; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) <= 40:
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise _refuse(field, "expected a date (YYYY-MM-DD)", "harus berupa tanggal (TTTT-BB-HH)")


def tanggal_indonesia(day: date | None) -> str:
    """Format a date the Indonesian way: ``27 November 2026``."""
    return EMPTY if day is None else f"{day.day} {_BULAN[day.month - 1]} {day.year}"


def nama_hari(day: date | None) -> str:
    """Indonesian weekday name (``Jumat``) or the empty marker."""
    return EMPTY if day is None else _HARI[day.weekday()]


def verification_url(value: object, field: str = "verification_url") -> str:
    """Validate the URL the QR code carries: absolute http(s), no spaces, short enough."""
    url = "" if value is None else value
    if not isinstance(url, str):
        raise _refuse(field, "expected a URL", "harus berupa URL")
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        len(url) > MAX_URL_CHARS
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url)
    ):
        raise _refuse(
            field,
            f"must be an absolute http(s) URL of at most {MAX_URL_CHARS} characters",
            f"harus berupa URL http(s) lengkap, maksimum {MAX_URL_CHARS} karakter",
        )
    return url


@dataclass(frozen=True, slots=True)
class Instansi:
    """The regional header (kop surat)."""

    pemerintah: str
    nama: str
    alamat: str
    kontak: str
    kota: str


_INSTANSI_DEFAULT = Instansi(
    pemerintah="PEMERINTAH KABUPATEN MEMPAWAH",
    nama="DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU",
    alamat="Mempawah, Kalimantan Barat",
    kontak="",
    kota="Mempawah",
)


def instansi(data: Mapping[str, Any]) -> Instansi:
    """Header data from ``data['instansi']``, each missing key taken from the Mempawah default."""
    raw = mapping_of(data.get("instansi"), "instansi")
    values = {
        key: clean_text(raw.get(key), f"instansi.{key}") or getattr(_INSTANSI_DEFAULT, key)
        for key in ("pemerintah", "nama", "alamat", "kota")
    }
    return Instansi(kontak=clean_text(raw.get("kontak"), "instansi.kontak"), **values)


@dataclass(frozen=True, slots=True)
class Orang:
    """A person on a document: an official (with position) or a team member."""

    nama: str
    nip: str = ""
    jabatan: str = ""
    nik: str = ""


def orang(value: object, field: str) -> Orang:
    """Read ``{nama, nip, jabatan, nik}`` (all optional)."""
    raw = mapping_of(value, field)
    return Orang(
        *(clean_text(raw.get(k), f"{field}.{k}") for k in ("nama", "nip", "jabatan", "nik"))
    )


def orang_list(data: Mapping[str, Any], key: str) -> tuple[Orang, ...]:
    """Read a list of people."""
    return tuple(orang(item, f"{key}[{i}]") for i, item in enumerate(items_of(data.get(key), key)))


@dataclass(frozen=True, slots=True)
class Kbli:
    """One KBLI line: 5-digit code (leading zeros kept) and its title."""

    kode: str
    judul: str


def kbli_list(data: Mapping[str, Any]) -> tuple[Kbli, ...]:
    """Read ``kbli: [{kode, judul}]`` (a single mapping is accepted as a one-item list)."""
    raw = data.get("kbli")
    items = [raw] if isinstance(raw, Mapping) else items_of(raw, "kbli")
    result = []
    for i, item in enumerate(items):
        entry = mapping_of(item, f"kbli[{i}]")
        result.append(
            Kbli(text_of(entry, "kode", f"kbli[{i}]."), text_of(entry, "judul", f"kbli[{i}]."))
        )
    return tuple(result)


@dataclass(frozen=True, slots=True)
class Lokasi:
    """Business location."""

    alamat: str
    desa: str
    kecamatan: str

    @property
    def teks(self) -> str:
        """One line: street, Desa/Kelurahan, Kecamatan (missing parts skipped)."""
        parts = [self.alamat]
        parts += [f"Desa/Kelurahan {self.desa}"] if self.desa else []
        parts += [f"Kecamatan {self.kecamatan}"] if self.kecamatan else []
        return ", ".join(p for p in parts if p)


def lokasi(data: Mapping[str, Any]) -> Lokasi:
    """Read ``lokasi {alamat, desa, kecamatan}``; a plain string is taken as the street address."""
    raw = data.get("lokasi")
    if isinstance(raw, str):
        return Lokasi(clean_text(raw, "lokasi"), "", "")
    entry = mapping_of(raw, "lokasi")
    return Lokasi(*(text_of(entry, k, "lokasi.") for k in ("alamat", "desa", "kecamatan")))


def choice(
    data: Mapping[str, Any], key: str, labels: Mapping[str, str], *, required: bool
) -> tuple[str, str]:
    """Read a coded value (spaces/dashes/case tolerated); return ``(code, label)``."""
    text = clean_text(data.get(key), key)
    code = "_".join(text.lower().replace("-", " ").split())
    if code in labels:
        return code, labels[code]
    if not code and not required:
        return "", EMPTY
    allowed = ", ".join(labels)
    raise _refuse(key, f"must be one of: {allowed}", f"harus salah satu dari: {allowed}")


@dataclass(frozen=True, slots=True)
class Field:
    """A required field and where it lives, for the completeness check of final documents."""

    path: str
    getter: Callable[[Any], object]


def require(view: object, fields: Sequence[Field], template: str) -> None:
    """Refuse a final (non-draft) document that misses any required field."""
    missing = [f.path for f in fields if f.getter(view) in ("", None, ())]
    if missing:
        names = ", ".join(missing)
        raise InvalidRenderDataError(
            f"{template}: required fields missing for a final document: {names}",
            detail_id=f"Dokumen final belum lengkap; isian wajib kosong: {names}.",
        )
