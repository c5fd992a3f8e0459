"""Permit rendering speed: Pintu's renderer, warm and cold, against plain WeasyPrint.

Warm: one process, the renderer already built (Jinja2 environment, fonts, parsed stylesheet),
each document rendered ``--rounds`` times. Cold: a fresh Python process that imports the
renderer and renders one Sertifikat Standar (what the first request after a restart pays).
Baseline, measured in the same run on the very same HTML: plain ``weasyprint.HTML(...)
.write_pdf(pdf_variant="pdf/a-3b")`` with WeasyPrint's defaults (its own fetcher, a new font
configuration and the stylesheet parsed on every call), as a naive integration would do.

    .venv/bin/python -m bench.render [--rounds 20] [--cold-runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import weasyprint

from bench._results import Result, record
from signer._render_engine import STYLESHEET, qr_data_uri, spec_of
from signer.render import TEMPLATE_DIR, default_renderer, render_pdf, signature_box
from tests.signer.test_render import BAP, KBLI_KAFE, PERTEK, SERTIFIKAT

CASES = {
    "sertifikat_standar": ("sertifikat_standar", SERTIFIKAT),
    "sertifikat_standar (40 KBLI)": (
        "sertifikat_standar",
        {**SERTIFIKAT, "kbli": [KBLI_KAFE] * 40},
    ),
    "bap": ("bap", BAP),
    "pertimbangan_teknis": ("pertimbangan_teknis", PERTEK),
}
_COLD = """
import json, sys, time
data = json.loads(sys.argv[1])
t0 = time.perf_counter()
from signer.render import render_pdf
t1 = time.perf_counter()
render_pdf("sertifikat_standar", data)
t2 = time.perf_counter()
render_pdf("sertifikat_standar", data)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _pages(pdf: bytes) -> int:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def _alternating(
    first: Callable[[], bytes], second: Callable[[], bytes], rounds: int
) -> tuple[float, float]:
    """Median seconds of each, timed in alternation so that machine load hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for fn, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def _naive_html(template: str, data: dict) -> str:
    """The same HTML Pintu renders, with the stylesheet linked so WeasyPrint loads it itself."""
    view = spec_of(template).builder(data, draft=False)
    env = default_renderer()._env  # same templates, same escaping
    html = env.get_template(f"{template}.html").render(
        doc=view,
        draft=False,
        qr=qr_data_uri(view.verification_url) if view.verification_url else "",
        dibuat=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return html.replace("</head>", f'<link rel="stylesheet" href="{STYLESHEET}"></head>', 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()

    cold = []
    for _ in range(args.cold_runs):
        out = subprocess.run(
            [sys.executable, "-c", _COLD, json.dumps(SERTIFIKAT, default=str)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout.split()
        cold.append(tuple(float(v) for v in out))
    imp, first, second = (statistics.median(c[i] for c in cold) for i in range(3))
    print(f"cold (median of {args.cold_runs} fresh processes, 1-page Sertifikat Standar):")
    print(f"  import signer.render          {imp * 1000:7.1f} ms")
    print(f"  first render (builds caches)  {first * 1000:7.1f} ms")
    print(f"  second render in that process {second * 1000:7.1f} ms")
    print(f"  cold/warm ratio               {first / second:7.1f}x")
    record(
        Result(
            "render",
            "first Sertifikat Standar in a fresh process (cold)",
            first * 1000,
            "ms",
            "second render in that process",
            second * 1000,
            first / second,
            "x the warm render",
            note=f"import signer.render {imp * 1000:.0f} ms",
        )
    )

    signature_box("sertifikat_standar")
    base_url = TEMPLATE_DIR.as_uri() + "/"
    print(f"\nwarm (median of {args.rounds} renders each, same process):")
    print(f"  {'document':30} {'pages':>5} {'pintu ms':>9} {'ms/page':>8} {'naive ms':>9} ratio")
    for label, (template, data) in CASES.items():
        pdf = render_pdf(template, data)
        pages = _pages(pdf)
        html = _naive_html(template, data)
        pintu, naive = _alternating(
            lambda t=template, d=data: render_pdf(t, d),
            lambda h=html: weasyprint.HTML(string=h, base_url=base_url).write_pdf(
                pdf_variant="pdf/a-3b"
            ),
            args.rounds,
        )
        print(
            f"  {label:30} {pages:5d} {pintu * 1000:9.1f} {pintu * 1000 / pages:8.1f} "
            f"{naive * 1000:9.1f} {naive / pintu:5.2f}x"
        )
        record(
            Result(
                "render",
                f"{label}, warm ({pages} page{'s' if pages > 1 else ''})",
                pintu * 1000,
                "ms",
                "plain WeasyPrint on the same HTML",
                naive * 1000,
                naive / pintu,
                "x faster than plain WeasyPrint",
            )
        )
    print("\nratio = naive WeasyPrint time / Pintu time on the same HTML (>1: Pintu faster)")


if __name__ == "__main__":
    main()
