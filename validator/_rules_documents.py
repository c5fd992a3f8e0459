"""Rules on the documents as a set: present, in force, signatures intact, legible."""

from __future__ import annotations

from datetime import date

from validator._context import Context
from validator._rules_kbli import claims
from validator.tables import ChecklistItem
from validator.types import DocumentEvidence, Evidence

_LIFETIME_WORDS = ("SEUMUR HIDUP", "SEUMUR-HIDUP")


def required_items(ctx: Context) -> tuple[ChecklistItem, ...]:
    """Return the checklist items that apply to this application, one per document type."""
    lines = claims(ctx)
    codes = tuple(c.kode for c, _ in lines)
    risks = tuple(c.risiko for c, _ in lines)
    chosen: dict[str, ChecklistItem] = {}
    for item in ctx.rules.checklists.items:
        if not item.applies(codes, risks, ctx.bentuk):
            continue
        known = chosen.get(item.doc_type)
        if known is None or (item.wajib and not known.wajib):
            chosen[item.doc_type] = item
    return tuple(chosen.values())


def _resembles(doc: DocumentEvidence) -> str:
    scores = doc.extraction.doc_type_scores
    if not scores:
        return ""
    best = max(scores, key=lambda k: scores[k])
    return f", mirip {best.upper()}"


def check_required_documents(ctx: Context) -> None:
    """Check the base checklist plus the office's checklist for these KBLI and risk levels.

    A required type that is missing while a document of unknown type is present is never a
    refusal: that document may be it, and a person looks. A checklist row marked unverified can
    only warn.
    """
    unknown_docs = list(ctx.by_type.get("other", ()))
    for item in required_items(ctx):
        if item.doc_type in ctx.by_type:
            continue
        evidence = [Evidence(None, None, "doc_type", item.doc_type)]
        if not item.wajib:
            ctx.add(
                "dokumen.tambahan_tidak_ada",
                "info",
                f"Dokumen tidak dilampirkan (tidak wajib untuk KBLI dan risiko ini): "
                f"{item.persyaratan}.",
                evidence,
            )
        elif unknown_docs:
            names = ", ".join(f"{d.file_name}{_resembles(d)}" for d in unknown_docs)
            ctx.add(
                "dokumen.wajib_tidak_ada",
                "warning",
                f"Persyaratan wajib tidak ditemukan di antara dokumen yang dikenali: "
                f"{item.persyaratan}. Ada dokumen yang jenisnya belum dikenali ({names}); "
                "petugas memeriksa apakah persyaratan ini ada di antaranya.",
                [
                    *evidence,
                    *(Evidence(d.document_id, None, "doc_type", "other") for d in unknown_docs),
                ],
                basis="tidak pasti: ada dokumen yang jenisnya belum dikenali mesin",
            )
        elif not item.verified:
            ctx.add(
                "dokumen.wajib_tidak_ada",
                "warning",
                f"Persyaratan belum dilampirkan: {item.persyaratan} (daftar persyaratan kantor "
                "yang belum diverifikasi untuk KBLI dan risiko ini); petugas memastikan.",
                evidence,
                basis="aturan belum diverifikasi: hanya peringatan",
                unverified=[item.ref.describe()],
            )
        else:
            ctx.add(
                "dokumen.wajib_tidak_ada",
                "blocking",
                f"Persyaratan wajib belum dilampirkan: {item.persyaratan}.",
                evidence,
                basis="pasti: tidak ada dokumen yang mungkin merupakan persyaratan ini",
            )
    missing_covered = any(
        f.rule_id == "dokumen.wajib_tidak_ada" and f.severity == "warning" and len(f.evidence) > 1
        for f in ctx.findings
    )
    if missing_covered:
        return
    for doc in unknown_docs:
        ctx.add(
            "dokumen.jenis_tidak_dikenali",
            "info",
            f"Jenis dokumen {doc.file_name} tidak dikenali{_resembles(doc)}; petugas memeriksanya "
            "secara manual.",
            [Evidence(doc.document_id, None, "doc_type", "other")],
        )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_validity(ctx: Context) -> None:
    """Documents in force on the day of the check, per the validity table."""
    _check_issue_dates(ctx)
    for doc in ctx.documents:
        rule = ctx.rules.validity.rules.get(doc.extraction.doc_type)
        if rule is None:
            continue
        fields = doc.extraction.fields
        until_field = fields.get("berlaku_hingga")
        until_text = until_field.value if until_field and isinstance(until_field.value, str) else ""
        if until_text.upper() in _LIFETIME_WORDS:
            continue
        until = _date(until_text) if until_text else None
        issued_field = fields.get("tanggal_terbit")
        if rule.berlaku == "tahun" and until is None and issued_field is not None:
            issued = _date(issued_field.value) if isinstance(issued_field.value, str) else None
            if issued is not None and rule.tahun is not None:
                expiry = _add_years(issued, rule.tahun)
                if expiry < ctx.today:
                    unsure = rule.verified is False
                    ctx.add(
                        "dokumen.kedaluwarsa",
                        "warning" if unsure else "blocking",
                        f"{doc.extraction.doc_type.upper()} ({doc.file_name}) terbit "
                        f"{issued.isoformat()} dan berlaku {rule.tahun} tahun: masa berlakunya "
                        f"habis {expiry.isoformat()}"
                        + (
                            " menurut tabel masa berlaku yang belum diverifikasi; petugas "
                            "memastikan masa berlakunya."
                            if unsure
                            else "."
                        ),
                        [
                            Evidence(
                                doc.document_id,
                                issued_field.page,
                                "tanggal_terbit",
                                issued.isoformat(),
                            )
                        ],
                        basis="aturan belum diverifikasi: hanya peringatan" if unsure else "",
                        unverified=[rule.ref.describe()] if unsure else [],
                    )
            continue
        if until is None or until >= ctx.today or until_field is None:
            continue
        evidence = [
            Evidence(doc.document_id, until_field.page, "berlaku_hingga", until.isoformat())
        ]
        if rule.berlaku == "seumur_hidup":
            ctx.add(
                "dokumen.tanggal_berlaku_tercetak_lewat",
                "warning",
                f"{doc.extraction.doc_type.upper()} ({doc.file_name}) mencantumkan tanggal "
                f"berlaku {until.isoformat()} yang sudah lewat, tetapi dokumen ini berlaku "
                f"seumur hidup ({rule.keterangan or 'tabel masa berlaku'}); cukup dicatat.",
                evidence,
            )
        else:
            ctx.add(
                "dokumen.kedaluwarsa",
                "blocking",
                f"{doc.extraction.doc_type.upper()} ({doc.file_name}) sudah tidak berlaku sejak "
                f"{until.isoformat()}.",
                evidence,
            )


def _check_issue_dates(ctx: Context) -> None:
    """Flag issue dates after the day of the check (a misread, or a forged date)."""
    for read in ctx.reads("tanggal_terbit"):
        issued = _date(read.value)
        if issued is not None and issued > ctx.today and read.document is not None:
            ctx.add(
                "dokumen.tanggal_terbit_akan_datang",
                "warning",
                f"Tanggal terbit {read.document.extraction.doc_type.upper()} "
                f"({read.document.file_name}) adalah {issued.isoformat()}, sesudah hari "
                "pemeriksaan; petugas memeriksanya.",
                [read.evidence],
            )


def check_signatures(ctx: Context) -> None:
    """Turn what the signature verifier found on incoming PDFs into findings."""
    for doc in ctx.documents:
        sig = doc.signature
        if sig is None:
            continue
        evidence = [
            Evidence(doc.document_id, None, "tanda_tangan", sig.signer or sig.status or None)
        ]
        name = f"{doc.extraction.doc_type.upper()} ({doc.file_name})"
        if not sig.intact:
            ctx.add(
                "tte.tidak_utuh",
                "blocking",
                f"Tanda tangan elektronik pada {name} tidak utuh: isi dokumen tidak sesuai "
                "dengan yang ditandatangani. Mohon unggah dokumen asli dari penerbitnya.",
                evidence,
            )
        elif sig.modified_after_signing:
            ctx.add(
                "tte.diubah_setelah_ditandatangani",
                "blocking",
                f"{name} diubah setelah ditandatangani secara elektronik. Mohon unggah dokumen "
                "asli dari penerbitnya.",
                evidence,
            )
        elif not sig.trusted:
            # Intact and unchanged: no worse than an unsigned copy; recorded for the BAP.
            ctx.add(
                "tte.tidak_terpercaya",
                "info",
                f"Tanda tangan elektronik pada {name} utuh, tetapi sertifikat penandatangan "
                f"({sig.signer or 'tidak diketahui'}) tidak dapat dipastikan terpercaya"
                f"{f' ({sig.status})' if sig.status else ''}; petugas memeriksanya.",
                evidence,
            )


def check_legibility(ctx: Context) -> None:
    """Unreadable pages and low-confidence fields go to the Tim Teknis."""
    for doc in ctx.documents:
        for page in doc.extraction.pages:
            if page.unreadable:
                ctx.add(
                    "ocr.halaman_tidak_terbaca",
                    "warning",
                    f"Halaman {page.number} dari {doc.file_name} tidak terbaca oleh mesin; "
                    "petugas memeriksanya secara manual.",
                    [Evidence(doc.document_id, page.number, None, page.reason)],
                )
    threshold = ctx.rules.parameters.ocr_confidence_min
    low = [
        (doc, name, found)
        for doc in ctx.documents
        for name, found in sorted(doc.extraction.fields.items())
        if name in CHECKED_FIELDS and (found.low_confidence or found.confidence < threshold)
    ]
    if low:
        by_doc: dict[str, list[str]] = {}
        for doc, name, _ in low:
            by_doc.setdefault(doc.file_name, []).append(name)
        listing = "; ".join(f"{file}: {', '.join(names)}" for file, names in by_doc.items())
        ctx.add(
            "ocr.keyakinan_rendah",
            "warning",
            f"Bacaan mesin kurang yakin untuk ({listing}); petugas mencocokkannya dengan dokumen.",
            [
                Evidence(
                    doc.document_id,
                    found.page,
                    name,
                    found.value if isinstance(found.value, str) else " ".join(found.value),
                )
                for doc, name, found in low
            ],
        )


CHECKED_FIELDS = frozenset(
    {
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "npwp",
        "nib",
        "kbli",
        "kbli_risiko",
        "kbli_lokasi",
        "nama_usaha",
        "tanggal_terbit",
        "berlaku_hingga",
        "lokasi_usaha",
    }
)
"""The fields some rule reads: a doubtful read of any other field changes nothing."""
