"""Write the demo applicant's documents to ``workflow/demo_data`` (``python -m tests.corpus.demo``).

The files are committed; this script regenerates them byte-for-byte from fixed inputs.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from tests.corpus.cards import DEV_FONTS, DEV_LAYOUTS, ktp_image, npwp_image
from tests.corpus.letters import DEV_STYLES, nib_pdf
from tests.corpus.persona import DEMO_BUSINESS, DEMO_PERSON

DEMO_DIR = Path(__file__).resolve().parents[2] / "workflow" / "demo_data"


def application_json() -> dict[str, object]:
    b, p = DEMO_BUSINESS, DEMO_PERSON
    return {
        "nama_usaha": b.nama_usaha,
        "bentuk": "perorangan",
        "skala": "mikro",
        "status_penanaman_modal": "PMDN",
        "nib": b.nib,
        "npwp": b.npwp,
        "pemilik": {"nama": p.nama, "nik": p.nik},
        "lokasi": {"alamat": b.alamat, "desa": b.desa.title(), "kecamatan": b.kecamatan.title()},
        "kbli": [{"kode": code, "judul": title, "risiko": "MT"} for code, title in b.kbli],
    }


def write(out: Path = DEMO_DIR) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240312)
    ktp, ktp_truth = ktp_image(DEMO_PERSON, DEV_LAYOUTS[0], DEV_FONTS[0], rng)
    ktp.save(out / "ktp.png", dpi=(300, 300), optimize=True)
    npwp, npwp_truth = npwp_image(DEMO_PERSON, DEMO_BUSINESS, DEV_LAYOUTS[0], DEV_FONTS[0], rng)
    npwp.save(out / "npwp.png", dpi=(300, 300), optimize=True)
    pdf, nib_truth = nib_pdf(DEMO_PERSON, DEMO_BUSINESS, DEV_STYLES[0])
    (out / "nib.pdf").write_bytes(pdf)
    (out / "application.json").write_text(
        json.dumps(application_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    truth = {"ktp.png": ktp_truth, "npwp.png": npwp_truth, "nib.pdf": nib_truth}
    (out / "ground_truth.json").write_text(
        json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO_DIR)
