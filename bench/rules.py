"""Rules over a 20-document application (OCR and signature checks excluded); goal <= 50 ms.

Run: .venv/bin/python -m bench.rules
Baseline, measured in the same run: the same rules over the smallest complete application
(KTP, NPWP, NIB). The ratio shows how the cost grows with the number of documents.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date

from bench._results import Result, record
from ocr import BoundingBox, Extraction, Field, PageInfo
from validator import Declared, DocumentEvidence, SignatureEvidence, check, load_rules

TODAY = date(2026, 11, 27)
GOAL_MS = 50.0
BOX = BoundingBox(72, 100, 300, 114)
NIK = "6102085203880003"


def _doc(i: int, doc_type: str, fields: dict[str, object], pages: int = 2) -> DocumentEvidence:
    built = {
        k: Field(
            v if isinstance(v, str) else tuple(v),  # type: ignore[arg-type]
            0.74 if k == "alamat" else 0.95,
            1,
            BOX,
            k == "alamat",
        )
        for k, v in fields.items()
    }
    extraction = Extraction(
        sha256=f"{i:064x}",
        mime="application/pdf",
        doc_type=doc_type,
        doc_type_cues=(doc_type,),
        pages=tuple(
            PageInfo(n, "ocr", 0.9, n == 2 and i % 7 == 0, None) for n in range(1, pages + 1)
        ),
        fields=built,
    )
    signature = SignatureEvidence(True, i % 2 == 0, "Lembaga OSS") if doc_type == "nib" else None
    return DocumentEvidence(f"doc-{i}", f"doc-{i}.pdf", extraction, signature)


def application(size: int) -> tuple[Declared, list[DocumentEvidence]]:
    declared = Declared.from_json(
        {
            "nama_usaha": "Pondok Wisata Pantai Kijing",
            "bentuk": "perorangan",
            "skala": "mikro",
            "nib": "9120304150017",
            "npwp": NIK,
            "pemilik": {"nama": "Hj. Siti Aminah, S.Pd.", "nik": NIK},
            "lokasi": {
                "alamat": "Jl. Raya Sungai Pinyuh Km 2",
                "desa": "Galang",
                "kecamatan": "Sungai Pinyuh",
            },
            "kbli": [
                {"kode": "55130", "risiko": "MT"},
                {"kode": "56303", "risiko": "MR"},
                {"kode": "86103", "risiko": "MT"},
            ],
        }
    )
    person = {"nama": "SITI AMINAH", "nik": NIK}
    docs = [
        _doc(
            0,
            "ktp",
            {
                **person,
                "tanggal_lahir": "1988-03-12",
                "jenis_kelamin": "PEREMPUAN",
                "alamat": "JL. GUSTI M. TAUFIK 12, KOTA PONTIANAK",
                "berlaku_hingga": "2017-03-12",
            },
        ),
        _doc(1, "npwp", {"npwp": NIK, "nama": "SITI AMINAH"}),
        _doc(
            2,
            "nib",
            {
                "nib": "9120304150017",
                "nama": "SITI AMINAH",
                "nama_usaha": "PONDOK WISATA PANTAI KIJING",
                "kbli": ("55130", "56303", "86103"),
                "lokasi_usaha": "JL. RAYA SUNGAI PINYUH KM 2, KEC. SUNGAI PINYUH, KAB. MEMPAWAH",
            },
        ),
    ]
    extra_types = ("pkkpr", "sppl", "pbg", "slf", "surat_pernyataan", "surat_kuasa", "other")
    i = 3
    while len(docs) < size:
        doc_type = extra_types[(i - 3) % len(extra_types)]
        docs.append(
            _doc(
                i,
                doc_type,
                {
                    "nomor_dokumen": f"{doc_type.upper()}/{i}",
                    "tanggal_terbit": "2025-02-10",
                    "berlaku_hingga": "2027-01-01",
                    "nama": "SITI AMINAH",
                    "nik": NIK,
                },
                pages=3,
            )
        )
        i += 1
    return declared, docs


def measure(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    rules = load_rules()
    small = application(3)
    large = application(20)
    first = measure(lambda: check(*large, rules, today=TODAY), 1)[0]  # cold: builds indexes
    for _ in range(20):
        check(*small, rules, today=TODAY)
        check(*large, rules, today=TODAY)
    base = measure(lambda: check(*small, rules, today=TODAY), 300)
    big = measure(lambda: check(*large, rules, today=TODAY), 300)
    report = check(*large, rules, today=TODAY)
    b_med, l_med = statistics.median(base), statistics.median(big)
    l_p95 = statistics.quantiles(big, n=20)[18]
    sizes = f"baseline {len(small[1])}, application {len(large[1])}"
    print(f"documents: {sizes}; findings on the application: {len(report.findings)}")
    print(f"baseline (3 documents):   median {b_med:7.3f} ms")
    print(f"application (20 documents): median {l_med:7.3f} ms, p95 {l_p95:7.3f} ms")
    print(f"first (cold) call on the application: {first:7.3f} ms")
    print(f"ratio application/baseline: {l_med / b_med:5.2f}x")
    verdict = "OK" if l_p95 <= GOAL_MS else "OVER"
    print(f"goal {GOAL_MS:.0f} ms: p95 is {l_p95 / GOAL_MS:6.1%} of it -> {verdict}")
    record(
        Result(
            "rules",
            "all rules on a 20-document application, p95",
            l_p95,
            "ms",
            "the same rules on 3 documents, median",
            b_med,
            l_med / b_med,
            "x the 3-document median (medians)",
            f"<= {GOAL_MS:.0f} ms",
            l_p95 <= GOAL_MS,
        )
    )


if __name__ == "__main__":
    main()
