"""Realistic dossier files for tests and the benchmark (seeded, so every run is the same)."""

from __future__ import annotations

import json
import random

from archive import DossierFile


def sample_dossier(seed: int = 503, *, scan_bytes: int = 300_000) -> list[DossierFile]:
    rng = random.Random(seed)

    def pdf(size: int) -> bytes:
        return b"%PDF-1.7\n" + rng.randbytes(size) + b"\n%%EOF\n"

    findings = [
        {"rule": "nib_13_digits", "severity": "ok"},
        {"rule": "kbli_in_authority", "severity": "ok"},
    ]
    trail = [
        {"state": s, "actor": f"user-{i}"}
        for i, s in enumerate(["diajukan", "diverifikasi", "ditandatangani"])
    ]
    return [
        DossierFile("permit.pdf", pdf(scan_bytes // 3), "application/pdf"),
        DossierFile("bap.pdf", pdf(scan_bytes // 6), "application/pdf"),
        DossierFile("pertimbangan_teknis.pdf", pdf(scan_bytes // 6), "application/pdf"),
        DossierFile("requirements/nib.pdf", pdf(scan_bytes), "application/pdf"),
        DossierFile(
            "requirements/ktp.jpg",
            b"\xff\xd8\xff\xe0" + rng.randbytes(scan_bytes // 2),
            "image/jpeg",
        ),
        DossierFile(
            "requirements/denah.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(scan_bytes), "image/png"
        ),
        DossierFile(
            "extraction.json",
            json.dumps({"nib": "9120001234567", "pages": 3}).encode(),
            "application/json",
        ),
        DossierFile("findings.json", json.dumps(findings).encode(), "application/json"),
        DossierFile("audit_trail.json", json.dumps(trail).encode(), "application/json"),
    ]
