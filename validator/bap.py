"""The content of the Berita Acara Pemeriksaan (BAP) and of the Pertimbangan Teknis.

Typed data built from the application, the documents and the report; ``to_render_data()`` gives
the plain dict that ``signer/`` renders with its ``bap`` and ``pertimbangan_teknis`` templates.
Numbers, dates and the team come in as arguments: numbering belongs to the workflow.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from validator._context import Context, FieldRead
from validator._rules_documents import required_items
from validator._rules_kbli import claims
from validator.ruleset import RuleSet
from validator.types import Declared, DocumentEvidence, Finding, Person, Report, Verdict

DEFAULT_DASAR_HUKUM: tuple[str, ...] = (
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang",
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko",
    "Standar Operasional Prosedur Pelayanan Sertifikat Standar DPMPTSP Kabupaten Mempawah "
    "(berlaku 1 April 2024)",
)
"""Editable default legal basis printed in the BAP (the office passes its own)."""

TABLE_ID: dict[str, str] = {
    "kbli": "Daftar KBLI",
    "authority": "Tabel kewenangan",
    "checklists": "Daftar persyaratan",
    "region": "Tabel wilayah",
    "validity": "Tabel masa berlaku",
}
"""How the BAP names each rule table whose version it records."""

KESIMPULAN: dict[str, str] = {
    "memenuhi": "Memenuhi",
    "perlu_perbaikan": "Perlu perbaikan",
    "tidak_memenuhi": "Tidak memenuhi",
}
_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal_indonesia(day: date) -> str:
    """Return a date as the office prints it: ``27 November 2026``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class TeamMember:
    """A member of the Tim Teknis."""

    nama: str
    nip: str


@dataclass(frozen=True, slots=True)
class BusinessLocation:
    """The business location as the BAP prints it (never the owner's KTP address)."""

    alamat: str = ""
    desa: str = ""
    kecamatan: str = ""

    @property
    def teks(self) -> str:
        """Return the location on one line."""
        return ", ".join(v for v in (self.alamat, self.desa, self.kecamatan) if v)

    def to_render_data(self) -> dict[str, str]:
        """Return ``{alamat, desa, kecamatan}``."""
        return {"alamat": self.alamat, "desa": self.desa, "kecamatan": self.kecamatan}


@dataclass(frozen=True, slots=True)
class ValueSource:
    """Where one value of the BAP's application data came from."""

    data: str
    """The value's label as the BAP prints it (``Nama Pelaku Usaha`` ...)."""
    source: Literal["declared", "confirmed", "read", "none"]
    """Declared by the applicant; read from a document and confirmed by the Tim Teknis; read
    from a document only; or found nowhere."""
    file_name: str = ""
    page: int | None = None

    @property
    def teks(self) -> str:
        """Return the source as the BAP prints it."""
        where = f"{self.file_name}, hlm. {self.page}" if self.page else self.file_name
        if self.source == "declared":
            return "Dinyatakan pemohon"
        if self.source == "confirmed":
            return f"Dibaca dari dokumen ({where}); dikonfirmasi Tim Teknis"
        if self.source == "read":
            return f"Dibaca mesin dari dokumen ({where}); belum dikonfirmasi"
        return "Tidak ada"


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One line of the BAP's requirement checklist."""

    persyaratan: str
    status: Literal["sesuai", "perlu diperiksa", "tidak sesuai", "tidak ada", "tidak wajib"]
    catatan: str = ""


@dataclass(frozen=True, slots=True)
class BapContent:
    """What a Berita Acara Pemeriksaan says."""

    nomor: str
    tanggal: date
    dasar_hukum: tuple[str, ...]
    tim: tuple[TeamMember, ...]
    nama_usaha: str
    nib: str
    pemilik: Person
    kbli: tuple[tuple[str, str], ...]
    """(kode, judul) per KBLI line."""
    lokasi: BusinessLocation
    checklist: tuple[ChecklistRow, ...]
    temuan: tuple[Finding, ...]
    verdict: Verdict
    aturan_belum_diverifikasi: tuple[str, ...] = ()
    """The unverified rule-table rows the findings rest on (they could only warn)."""
    sumber: tuple[ValueSource, ...] = ()
    """Where each value of the application data came from."""
    versi_aturan: tuple[tuple[str, str], ...] = ()
    """(table, version) of each rule table the check used."""

    @property
    def kesimpulan(self) -> str:
        """The conclusion as printed."""
        return KESIMPULAN[self.verdict]

    def to_render_data(self) -> dict[str, Any]:
        """Return plain data for the ``bap`` template (dates ISO, ``kesimpulan`` a verdict code)."""
        return {
            "nomor": self.nomor,
            "tanggal": self.tanggal.isoformat(),
            "dasar_hukum": list(self.dasar_hukum),
            "tim": [{"nama": m.nama, "nip": m.nip} for m in self.tim],
            "nama_usaha": self.nama_usaha,
            "nib": self.nib,
            "pemilik": {"nama": self.pemilik.nama or "", "nik": self.pemilik.nik or ""},
            "kbli": [{"kode": k, "judul": j} for k, j in self.kbli],
            "lokasi": self.lokasi.to_render_data(),
            "checklist": [
                {"persyaratan": r.persyaratan, "status": r.status, "catatan": r.catatan}
                for r in self.checklist
            ],
            "temuan": [
                {"rule_id": f.rule_id, "severity": f.severity, "message": f.message}
                for f in self.temuan
            ],
            "kesimpulan": self.verdict,
            "aturan_belum_diverifikasi": list(self.aturan_belum_diverifikasi),
            "sumber_data": [{"data": s.data, "sumber": s.teks} for s in self.sumber],
            "versi_aturan": [
                {"tabel": TABLE_ID.get(table, table), "versi": version}
                for table, version in self.versi_aturan
            ],
        }


def _first(ctx: Context, declared: str | None, field: str, doc_types: tuple[str, ...]) -> str:
    if declared:
        return declared
    return next((r.value for r in ctx.reads(field, doc_types)), "")


def _source(
    label: str,
    declared: object,
    read: FieldRead | None,
    path: str,
    confirmed: Collection[str],
) -> ValueSource:
    if declared:
        return ValueSource(label, "declared")
    if read is None or read.document is None:
        return ValueSource(label, "none")
    page = read.field.page if read.field is not None else None
    kind: Literal["confirmed", "read"] = "confirmed" if path in confirmed else "read"
    return ValueSource(label, kind, read.document.file_name, page)


def _sources(ctx: Context, confirmed: Collection[str]) -> tuple[ValueSource, ...]:
    declared = ctx.declared

    def first(field: str, doc_types: tuple[str, ...]) -> FieldRead | None:
        return next(iter(ctx.reads(field, doc_types)), None)

    lokasi = declared.lokasi
    return (
        _source(
            "Nama Pelaku Usaha",
            declared.nama_usaha,
            first("nama_usaha", ("nib",)),
            "nama_usaha",
            confirmed,
        ),
        _source("NIB", declared.nib, first("nib", ("nib",)), "nib", confirmed),
        _source(
            "Nama Pemilik/Penanggung Jawab",
            declared.pemilik.nama,
            first("nama", ("ktp",)),
            "pemilik.nama",
            confirmed,
        ),
        _source(
            "NIK Pemilik/Penanggung Jawab",
            declared.pemilik.nik,
            first("nik", ("ktp",)),
            "pemilik.nik",
            confirmed,
        ),
        _source("Kode dan Judul KBLI", declared.kbli, first("kbli", ("nib",)), "kbli", confirmed),
        _source(
            "Lokasi Usaha",
            lokasi.alamat or lokasi.desa or lokasi.kecamatan,
            first("lokasi_usaha", ("nib",)),
            "lokasi",
            confirmed,
        ),
    )


def _row_status(findings: Sequence[Finding]) -> tuple[str, str]:
    if any(f.severity == "blocking" for f in findings):
        status = "tidak sesuai"
    elif any(f.severity == "warning" for f in findings):
        status = "perlu diperiksa"
    else:
        status = "sesuai"
    return status, " ".join(f.message for f in findings if f.severity != "info")


def build_bap(
    declared: Declared,
    report: Report,
    documents: Sequence[DocumentEvidence],
    *,
    rules: RuleSet,
    nomor: str,
    tanggal: date,
    tim: Sequence[TeamMember],
    dasar_hukum: Sequence[str] = DEFAULT_DASAR_HUKUM,
    confirmed: Collection[str] = (),
) -> BapContent:
    """Build the BAP content from the application, its documents and the check's report.

    ``rules`` should be the tables at the versions the report records (what the check used);
    ``confirmed`` names the values read from documents that the Tim Teknis confirmed
    (``nama_usaha``, ``nib``, ``kbli``, ``pemilik.nama``, ``pemilik.nik``, ``lokasi``): the BAP
    says of each value whether it was declared, confirmed, or only read.
    """
    ctx = Context(declared, documents, rules, tanggal)
    rows: list[ChecklistRow] = []
    listed: set[str] = set()
    for item in required_items(ctx):
        listed.add(item.doc_type)
        docs = ctx.by_type.get(item.doc_type, [])
        if not docs:
            if item.wajib and not item.verified:
                rows.append(
                    ChecklistRow(
                        item.persyaratan,
                        "perlu diperiksa",
                        "Tidak dilampirkan; persyaratan ini berasal dari daftar kantor yang "
                        "belum diverifikasi.",
                    )
                )
                continue
            rows.append(
                ChecklistRow(
                    item.persyaratan,
                    "tidak ada" if item.wajib else "tidak wajib",
                    "Wajib dilampirkan." if item.wajib else "Tidak dilampirkan.",
                )
            )
            continue
        ids = {d.document_id for d in docs}
        on_doc = [f for f in report.findings if any(e.document_id in ids for e in f.evidence)]
        status, note = _row_status(on_doc)
        rows.append(ChecklistRow(item.persyaratan, status, note))  # type: ignore[arg-type]
    for doc in documents:
        if doc.extraction.doc_type in listed:
            continue
        listed.add(doc.extraction.doc_type)
        on_doc = [
            f for f in report.findings if any(e.document_id == doc.document_id for e in f.evidence)
        ]
        status, note = _row_status(on_doc)
        label = f"Dokumen tambahan: {doc.extraction.doc_type.replace('_', ' ').upper()}"
        rows.append(ChecklistRow(label, status, note))  # type: ignore[arg-type]
    for label, prefixes in (
        ("Kode KBLI sah dan dalam kewenangan kantor", ("kbli.",)),
        ("Tingkat risiko sesuai layanan Sertifikat Standar", ("risiko.",)),
        ("Lokasi usaha di wilayah kabupaten", ("lokasi.",)),
    ):
        related = [f for f in report.findings if f.rule_id.startswith(prefixes)]
        status, note = _row_status(related)
        rows.append(ChecklistRow(label, status, note))  # type: ignore[arg-type]

    kbli_rows: list[tuple[str, str]] = []
    table = rules.kbli_in_force(tanggal)
    for claim, _ in claims(ctx):
        kbli_rows.append((claim.kode, claim.judul or table.title(claim.kode) or ""))
    lokasi = declared.lokasi
    if lokasi.alamat or lokasi.desa or lokasi.kecamatan:
        alamat = ", ".join(v for v in (lokasi.alamat, lokasi.kabupaten) if v)
        place = BusinessLocation(alamat, lokasi.desa or "", lokasi.kecamatan or "")
    else:
        place = BusinessLocation(next((r.value for r in ctx.reads("lokasi_usaha", ("nib",))), ""))
    return BapContent(
        nomor=nomor,
        tanggal=tanggal,
        dasar_hukum=tuple(dasar_hukum),
        tim=tuple(tim),
        nama_usaha=_first(ctx, declared.nama_usaha, "nama_usaha", ("nib",)),
        nib=_first(ctx, declared.nib, "nib", ("nib",)),
        pemilik=Person(
            nama=_first(ctx, declared.pemilik.nama, "nama", ("ktp",)) or None,
            nik=_first(ctx, declared.pemilik.nik, "nik", ("ktp",)) or None,
        ),
        kbli=tuple(kbli_rows),
        lokasi=place,
        checklist=tuple(rows),
        temuan=report.findings,
        verdict=report.verdict,
        aturan_belum_diverifikasi=tuple(
            dict.fromkeys(row for f in report.findings for row in f.unverified)
        ),
        sumber=_sources(ctx, confirmed),
        versi_aturan=tuple(sorted(report.rule_versions.items())),
    )


Rekomendasi = Literal["setuju", "tolak", "perbaiki"]
_REKOMENDASI: dict[str, Rekomendasi] = {
    "memenuhi": "setuju",
    "perlu_perbaikan": "perbaiki",
    "tidak_memenuhi": "tolak",
}


@dataclass(frozen=True, slots=True)
class PertimbanganTeknisContent:
    """What the Tim Teknis's Pertimbangan Teknis to the Kadis says."""

    nomor: str
    tanggal: date
    kepada: str
    nomor_bap: str
    tanggal_bap: date
    nama_usaha: str
    nib: str
    kbli: tuple[tuple[str, str], ...]
    analisis: tuple[str, ...]
    rekomendasi: Rekomendasi
    syarat: tuple[str, ...]
    penandatangan: TeamMember | None = None

    def to_render_data(self) -> dict[str, Any]:
        """Return plain data for the ``pertimbangan_teknis`` template (dates ISO)."""
        return {
            "nomor": self.nomor,
            "tanggal": self.tanggal.isoformat(),
            "kepada": self.kepada,
            "nomor_bap": self.nomor_bap,
            "tanggal_bap": self.tanggal_bap.isoformat(),
            "nama_usaha": self.nama_usaha,
            "nib": self.nib,
            "kbli": [{"kode": k, "judul": j} for k, j in self.kbli],
            "analisis": list(self.analisis),
            "rekomendasi": self.rekomendasi,
            "syarat": list(self.syarat),
            "penandatangan": (
                {"nama": self.penandatangan.nama, "nip": self.penandatangan.nip}
                if self.penandatangan is not None
                else None
            ),
        }


def build_pertimbangan_teknis(
    bap: BapContent,
    *,
    nomor: str,
    tanggal: date,
    kepada: str = "",
    penandatangan: TeamMember | None = None,
) -> PertimbanganTeknisContent:
    """Build the Pertimbangan Teknis from the BAP it cites.

    ``kepada`` empty leaves the addressee to the template's default (the office's Kadis);
    ``penandatangan`` is the Tim Teknis member who signs the letter.
    """
    kbli = ", ".join(f"{k} ({j})" if j else k for k, j in bap.kbli) or "-"
    analisis = [
        f"Tim Teknis telah memeriksa permohonan Sertifikat Standar {bap.nama_usaha or '-'} "
        f"(NIB {bap.nib or '-'}) untuk KBLI {kbli} sebagaimana Berita Acara Pemeriksaan "
        f"Nomor {bap.nomor} tanggal {tanggal_indonesia(bap.tanggal)}.",
    ]
    blocking = [f for f in bap.temuan if f.severity == "blocking"]
    warnings = [f for f in bap.temuan if f.severity == "warning"]
    analisis.extend(f.message for f in blocking)
    analisis.extend(f"Catatan pemeriksaan: {f.message}" for f in warnings)
    analisis.append(f"Kesimpulan pemeriksaan: {bap.kesimpulan.lower()}.")
    rekomendasi = _REKOMENDASI[bap.verdict]
    if rekomendasi == "setuju":
        syarat = [
            "Pelaku usaha wajib memenuhi dan menjaga standar kegiatan usaha sesuai KBLI yang "
            "dimohonkan selama menjalankan usaha.",
        ]
    elif rekomendasi == "perbaiki":
        syarat = [f"Perbaiki: {f.message}" for f in blocking]
    else:
        syarat = [f.message for f in blocking if not f.correctable]
        syarat.append(
            "Permohonan dapat diajukan kembali setelah persyaratan terpenuhi atau kepada "
            "instansi yang berwenang."
        )
    return PertimbanganTeknisContent(
        nomor=nomor,
        tanggal=tanggal,
        kepada=kepada,
        nomor_bap=bap.nomor,
        tanggal_bap=bap.tanggal,
        nama_usaha=bap.nama_usaha,
        nib=bap.nib,
        kbli=bap.kbli,
        analisis=tuple(analisis),
        rekomendasi=rekomendasi,
        syarat=tuple(syarat),
        penandatangan=penandatangan,
    )
