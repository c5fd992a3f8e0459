"""A real Celery worker extracting a 100-page scanned PDF: memory per process and in total.

Run: .venv/bin/python -m bench.worker_memory [--pages 100] [--dpi 200]
Needs the machine's Redis (127.0.0.1:6379). The worker is what production runs
(`celery -A workflow.worker worker -c 2 -P prefork`, OMP_THREAD_LIMIT=1), on a SQLite database
and folder stores in a temporary DATA_DIR. Every 50 ms the bench reads the resident memory of the
worker and all its descendants (pool children, tesseract) from /proc; a process caught between
fork and exec (it still maps its parent's pages) is not counted a second time.
Goals (issue 3): no single process above 400 MB, all of them together below 1 GB.
Baseline, same run: the pages/min of `pdftoppm` + the `tesseract` CLI on the same file.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bench._proc import pss_mb, tree_rss

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "PEMERINTAH KABUPATEN MEMPAWAH",
    "SURAT PERNYATAAN KESANGGUPAN PENGELOLAAN LINGKUNGAN",
    "Yang bertanda tangan di bawah ini menyatakan bersedia mematuhi",
    "ketentuan peraturan perundang-undangan di bidang lingkungan hidup,",
    "melaksanakan pengelolaan limbah usaha sesuai standar yang berlaku,",
    "dan bersedia dilakukan pengawasan oleh instansi yang berwenang.",
]


def scanned_pdf(pages: int, dpi: int) -> bytes:
    """Make an image-only PDF of ``pages`` A4 pages of text, as a flat scan at ``dpi``."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    font = ImageFont.truetype(FONT, size=max(12, dpi // 9))
    images = []
    for number in range(1, pages + 1):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        y = dpi
        for row in range(28):
            draw.text((dpi, y), f"{LINES[row % len(LINES)]} ({number}.{row})", font=font, fill=0)
            y += int(font.size * 1.6)
        images.append(page.convert("1"))
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out.getvalue()


class Sampler(threading.Thread):
    """Samples the resident memory of a process tree until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.max_single = 0.0
        self.max_total = 0.0
        self.max_total_pss = 0.0
        self.max_by_role: dict[str, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            tree = tree_rss(self.pid)
            sizes = [mb for _, mb in tree.values()]
            if sizes:
                self.max_single = max(self.max_single, max(sizes))
                self.max_total = max(self.max_total, sum(sizes))
                self.max_total_pss = max(self.max_total_pss, sum(pss_mb(p) for p in tree))
                for pid, (comm, size) in tree.items():
                    role = "parent" if pid == self.pid else comm
                    self.max_by_role[role] = max(self.max_by_role.get(role, 0.0), size)
            time.sleep(0.05)


def baseline_pages_per_min(pdf: Path, dpi: int, folder: Path) -> float:
    """pdftoppm at the same dpi, then the tesseract CLI (ind), 2 processes x 1 thread."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(folder / "p")], check=True
    )
    images = sorted(folder.glob("p-*.png"))
    running: list[subprocess.Popen[bytes]] = []
    for image in images:
        while len(running) >= 2:
            running.pop(0).wait()
        running.append(
            subprocess.Popen(
                ["tesseract", str(image), str(image.with_suffix("")), "-l", "ind", "--psm", "3"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    for process in running:
        process.wait()
    return len(images) / (time.perf_counter() - started) * 60


def main() -> None:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--dpi", type=int, default=200)
    args = parser.parse_args()

    from workflow.bootstrap import build_runtime, upgrade_database
    from workflow.config import Settings
    from workflow.db.engine import transaction
    from workflow.db.models import Document, User
    from workflow.decisions.steps import take_step
    from workflow.intake.applications import create_application, upload_document
    from workflow.intake.schema import ApplicationData
    from workflow.sop.transitions import Actor
    from workflow.tasks.command import worker_command

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = scanned_pdf(args.pages, args.dpi)
        (folder / "scan.pdf").write_bytes(pdf)
        env = {
            **os.environ,
            "DATA_DIR": str(folder / "data"),
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "CELERY_QUEUE": f"pintu-bench-{secrets.token_hex(4)}",
            "MAX_UPLOAD_BYTES": str(200 * 1024 * 1024),
            "OMP_THREAD_LIMIT": "1",
        }
        for key in ("DATABASE_URL", "S3_ENDPOINT"):
            env.pop(key, None)
        settings = Settings(
            data_dir=folder / "data",
            celery_broker_url=env["CELERY_BROKER_URL"],
            celery_queue=env["CELERY_QUEUE"],
            max_upload_bytes=200 * 1024 * 1024,
        )
        upgrade_database(settings)  # `pintu db upgrade`, before the worker starts
        rt = build_runtime(settings)
        celery = Path(sys.executable).parent / "celery"
        worker = subprocess.Popen(
            worker_command(str(celery), loglevel="warning"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        sampler = Sampler(worker.pid)
        sampler.start()
        try:
            time.sleep(3)  # worker start
            with transaction(rt.sessions) as session:
                user = session.query(User).filter_by(username="teknis").one()
                teknis = Actor.of(user)
            application = create_application(rt, teknis, ApplicationData(nama_usaha="Bench"))
            document = upload_document(rt, teknis, application.id, "scan.pdf", pdf)
            started = time.perf_counter()
            take_step(rt, teknis, application.id, "submit")
            while True:
                with transaction(rt.sessions) as session:
                    row = session.get(Document, document.id)
                    assert row is not None
                    status, done = row.extraction_status, row.pages_done
                if status != "pending":
                    break
                time.sleep(0.2)
            seconds = time.perf_counter() - started
        finally:
            sampler.stop.set()
            worker.terminate()
            worker.wait(timeout=30)
        baseline = baseline_pages_per_min(folder / "scan.pdf", args.dpi, folder)
    pintu = done / seconds * 60
    print(f"pages: {done} at {args.dpi} dpi, extraction {status}")
    print(f"Pintu worker: {pintu:.1f} pages/min ({seconds:.1f} s)")
    print(f"baseline pdftoppm + tesseract CLI, 2 processes: {baseline:.1f} pages/min")
    print(f"ratio Pintu / baseline: {pintu / baseline:.2f}x")
    print(f"largest single process: {sampler.max_single:.0f} MB (goal < 400 MB)")
    print(f"all worker processes together, RSS summed: {sampler.max_total:.0f} MB (goal < 1024 MB)")
    print(
        f"all worker processes together, PSS (shared pages counted once): "
        f"{sampler.max_total_pss:.0f} MB"
    )
    roles = ", ".join(f"{role} {mb:.0f}" for role, mb in sorted(sampler.max_by_role.items()))
    print(f"largest RSS by process name (MB): {roles}")
    from bench._results import Result, record  # noqa: PLC0415 - beside the other late imports

    topic = "worker_memory"
    scan = f"{done}-page scan at {args.dpi} dpi, real Celery worker -c 2"
    record(
        Result(
            topic,
            f"largest single process, {scan}",
            sampler.max_single,
            "MB",
            goal="< 400 MB",
            held=sampler.max_single < 400,
            note=f"by process name: {roles}",
        )
    )
    record(
        Result(
            topic,
            f"all worker processes, RSS summed, {scan}",
            sampler.max_total,
            "MB",
            goal="< 1 GB",
            held=sampler.max_total < 1024,
            note=f"PSS (shared pages once) {sampler.max_total_pss:.0f} MB",
        )
    )
    record(
        Result(
            topic,
            f"worker throughput, {scan}",
            pintu,
            "pages/min",
            "pdftoppm + tesseract CLI, 2 processes",
            baseline,
            pintu / baseline,
            "x raw tesseract's throughput",
            ">= 0.9x raw",
            pintu / baseline >= 0.9,
        )
    )


if __name__ == "__main__":
    main()
