"""Builders for realistic applicants: the extraction values ocr/ produces, built directly."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from ocr import BoundingBox, Extraction, Field, PageInfo
from validator import Declared, DocumentEvidence, SignatureEvidence

TODAY = date(2026, 11, 27)
BOX = BoundingBox(72.0, 100.0, 300.0, 114.0)

# Siti Aminah, born 12 March 1988 in Mempawah (Jongkat: 61.02.08), woman: day + 40 = 52.
NIK_SITI = "6102085203880003"
# Suparman, born 17 August 1985, with a Pontianak-city NIK (61.71.01) kept after moving.
NIK_SUPARMAN = "6171011708850001"
NIB = "9120304150017"
NPWP_BADAN = "013121660091000"  # valid Luhn check digit (01.312.166.0-091.000)


def field(
    value: Any,
    confidence: float = 0.97,
    *,
    page: int = 1,
    low: bool | None = None,
    reader: str = "two_readers",
) -> Field:
    """A field as ocr/ reports it; by default two readers agreed on it (a certain read)."""
    if isinstance(value, list):
        value = tuple(value)
    return Field(
        value=value,
        confidence=confidence,
        page=page,
        bbox=BOX,
        low_confidence=confidence < 0.8 if low is None else low,
        reader=reader,  # type: ignore[arg-type]
    )


def extraction(
    doc_type: str,
    fields: dict[str, Any],
    *,
    source: str = "ocr",
    pages: int = 1,
    unreadable_pages: tuple[int, ...] = (),
) -> Extraction:
    confidence = 1.0 if source == "text" else 0.93
    reader = "text_layer" if source == "text" else "two_readers"
    built = {
        name: value if isinstance(value, Field) else field(value, confidence, reader=reader)
        for name, value in fields.items()
    }
    return Extraction(
        sha256=hashlib.sha256(repr((doc_type, sorted(fields.items()))).encode()).hexdigest(),
        mime="application/pdf" if source == "text" else "image/jpeg",
        doc_type=doc_type,
        doc_type_cues=(f"title:{doc_type.upper()}",),
        pages=tuple(
            PageInfo(
                n,
                source,  # type: ignore[arg-type]
                0.0 if n in unreadable_pages else confidence,
                unreadable=n in unreadable_pages,
                reason="page timed out in OCR" if n in unreadable_pages else None,
            )
            for n in range(1, pages + 1)
        ),
        fields=built,
        text="",
    )


def doc(
    document_id: str,
    doc_type: str,
    fields: dict[str, Any],
    *,
    source: str = "ocr",
    signature: SignatureEvidence | None = None,
    **kwargs: Any,
) -> DocumentEvidence:
    return DocumentEvidence(
        document_id=document_id,
        file_name=f"{document_id}.{'pdf' if source == 'text' else 'jpg'}",
        extraction=extraction(doc_type, fields, source=source, **kwargs),
        signature=signature,
    )


def oss_signature() -> SignatureEvidence:
    return SignatureEvidence(
        intact=True,
        trusted=True,
        signer="Lembaga OSS",
        signing_time=None,
        modified_after_signing=False,
        status="VALID",
    )


def ktp(nik: str = NIK_SITI, nama: str = "SITI AMINAH", **over: Any) -> DocumentEvidence:
    fields: dict[str, Any] = {
        "nik": nik,
        "nama": nama,
        "tempat_lahir": "MEMPAWAH",
        "tanggal_lahir": "1988-03-12",
        "jenis_kelamin": "PEREMPUAN",
        "alamat": "JL. GUSTI M. TAUFIK NO. 12, KEL. TERUSAN, KEC. MEMPAWAH HILIR",
        "berlaku_hingga": "SEUMUR HIDUP",
    }
    fields.update(over)
    return doc("ktp-1", "ktp", {k: v for k, v in fields.items() if v is not None})


def npwp(number: str = NIK_SITI, nama: str = "SITI AMINAH") -> DocumentEvidence:
    return doc("npwp-1", "npwp", {"npwp": number, "nama": nama})


def nib_doc(**over: Any) -> DocumentEvidence:
    fields: dict[str, Any] = {
        "nib": NIB,
        "nama": "SITI AMINAH",
        "nama_usaha": "KAFE SENJA",
        "kbli": ("56303",),
        "tanggal_terbit": "2025-09-15",
        "lokasi_usaha": "JL. RAYA SUNGAI PINYUH KM 2, DESA GALANG, KEC. SUNGAI PINYUH, "
        "KAB. MEMPAWAH, KALIMANTAN BARAT",
    }
    fields.update(over)
    return doc(
        "nib-1",
        "nib",
        {k: v for k, v in fields.items() if v is not None},
        source="text",
        signature=oss_signature(),
    )


def declared(**over: Any) -> Declared:
    data: dict[str, Any] = {
        "nama_usaha": "Kafe Senja",
        "bentuk": "perorangan",
        "skala": "mikro",
        "status_penanaman_modal": "PMDN",
        "nib": NIB,
        "npwp": NIK_SITI,
        "pemilik": {"nama": "Hj. Siti Aminah, S.Pd.", "nik": NIK_SITI},
        "lokasi": {
            "alamat": "Jl. Raya Sungai Pinyuh Km 2",
            "desa": "Galang",
            "kecamatan": "Sungai Pinyuh",
        },
        "kbli": [{"kode": "56303", "judul": "Rumah minum/kafe", "risiko": "MR"}],
    }
    data.update(over)
    return Declared.from_json({k: v for k, v in data.items() if v is not None})


def clean_perorangan() -> tuple[Declared, list[DocumentEvidence]]:
    return declared(), [ktp(), npwp(), nib_doc()]


def clean_pondok_wisata_mt() -> tuple[Declared, list[DocumentEvidence]]:
    """A homestay at MT risk: the office's checklist adds PKKPR, SPPL, PBG, SLF."""
    d = declared(
        nama_usaha="Pondok Wisata Pantai Kijing",
        kbli=[{"kode": "55130", "judul": "Pondok wisata", "risiko": "MT"}],
    )
    docs = [
        ktp(),
        npwp(),
        nib_doc(nama_usaha="PONDOK WISATA PANTAI KIJING", kbli=("55130",)),
        doc(
            "pkkpr-1",
            "pkkpr",
            {"nomor_dokumen": "PKKPR/61.02/2025/0113", "tanggal_terbit": "2025-02-10"},
        ),
        doc("sppl-1", "sppl", {"tanggal_terbit": "2025-03-01"}),
        doc("pbg-1", "pbg", {"tanggal_terbit": "2024-11-20"}),
        doc("slf-1", "slf", {"tanggal_terbit": "2025-01-05"}),
    ]
    return d, docs


def clean_pt() -> tuple[Declared, list[DocumentEvidence]]:
    """A PT: the director's KTP, the business NPWP, NIB, akta and Kemenkumham decree."""
    d = declared(
        nama_usaha="PT Sinar Jongkat Lestari",
        bentuk="pt",
        skala="kecil",
        npwp=NPWP_BADAN,
        pemilik={"nama": "Suparman", "nik": NIK_SUPARMAN},
        lokasi={"alamat": "Jl. Raya Jongkat No. 5", "desa": "Jungkat", "kecamatan": "Siantan"},
        kbli=[{"kode": "10710", "judul": "Industri produk roti dan kue", "risiko": "MR"}],
    )
    docs = [
        ktp(
            NIK_SUPARMAN,
            "SUPARMAN",
            tanggal_lahir="1985-08-17",
            jenis_kelamin="LAKI-LAKI",
            alamat="JL. GAJAH MADA NO. 7, KOTA PONTIANAK",
        ),
        npwp(NPWP_BADAN, "PT SINAR JONGKAT LESTARI"),
        nib_doc(
            nama="SUPARMAN",
            nama_usaha="PT. SINAR JONGKAT LESTARI",
            kbli=("10710",),
            lokasi_usaha="JL. RAYA JONGKAT NO. 5, DESA JUNGKAT, KEC. SIANTAN, KABUPATEN PONTIANAK",
        ),
        doc("akta-1", "akta_pendirian", {"nama_usaha": "PT SINAR JONGKAT LESTARI"}),
        doc("sk-1", "sk_kemenkumham", {"nama_usaha": "PT SINAR JONGKAT LESTARI"}),
    ]
    return d, docs


def replace_doc(docs: list[DocumentEvidence], new: DocumentEvidence) -> list[DocumentEvidence]:
    return [new if d.document_id == new.document_id else d for d in docs]


def without(docs: list[DocumentEvidence], document_id: str) -> list[DocumentEvidence]:
    return [d for d in docs if d.document_id != document_id]


def with_fields(d: DocumentEvidence, **fields: Any) -> DocumentEvidence:
    merged = dict(d.extraction.fields)
    for name, value in fields.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value if isinstance(value, Field) else field(value, 0.97)
    return replace(d, extraction=replace(d.extraction, fields=merged))
