"""Run every benchmark (`make bench`) and write the performance page, ``bench/RESULTS.md``.

Each benchmark runs in a process of its own (``python -m bench.<topic>``), prints its numbers
against its own baseline and records the figures the page shows (``bench._results``). The page
holds only what this run measured, with the machine and the date; it is printed at the end.

    .venv/bin/python -m bench [topic ...] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench._results import ENV, Result, load

TOPICS = (
    "rules",
    "render",
    "signing",
    "archive",
    "ocr",
    "worker_memory",
    "application",
    "startup",
)
PAGE = Path(__file__).parent / "RESULTS.md"
TITLES = {
    "rules": "Rules (`bench.rules`)",
    "render": "Permit rendering (`bench.render`)",
    "signing": "Signing (`bench.signing`)",
    "archive": "Archive (`bench.archive`)",
    "ocr": "OCR (`bench.ocr`)",
    "worker_memory": "Worker memory (`bench.worker_memory`)",
    "application": "A whole application (`bench.application`)",
    "startup": "Start-up of the CLI (`bench.startup`)",
}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tesseract() -> str:
    try:
        done = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return "not installed"
    return (done.stdout or done.stderr).splitlines()[0] if (done.stdout or done.stderr) else ""


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return f"{text} {unit}".strip()


def _row(result: Result) -> str:
    baseline = ""
    if result.baseline is not None:
        baseline = f"{result.baseline_name}: {_number(result.baseline, result.unit)}"
    ratio = f"**{result.ratio:.2f}**{result.ratio_note}" if result.ratio is not None else ""
    held = {True: "held", False: "**not held**", None: ""}[result.held]
    goal = f"{result.goal} ({held})" if result.goal and held else result.goal
    cells = [result.name, _number(result.value, result.unit), baseline, ratio, goal, result.note]
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def page(results: list[Result], started: datetime, seconds: float, loads: tuple[str, str]) -> str:
    """The performance page for one run's results."""
    lines = [
        "# Pintu performance",
        "",
        f"Written by `make bench` on {started:%Y-%m-%d %H:%M} UTC ({seconds / 60:.0f} min); "
        "every ratio is against a baseline measured in the same run, on this machine:",
        "",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory_gib():.1f} GiB",
        f"- {platform.platform()}, Python {platform.python_version()}, pyHanko "
        f"{_version('pyHanko')}, {_tesseract()}, Celery {_version('celery')}",
        f"- load average (1 min) at the start {loads[0]}, at the end {loads[1]}: the machine is "
        "shared, so absolute times are pessimistic and the ratios are the steadier figures",
        "",
        "Columns: the figure; its value; the baseline of the same run; value against baseline; "
        "the goal (issue that set it) and whether this run held it.",
    ]
    for topic in TOPICS:
        rows = [r for r in results if r.topic == topic]
        if not rows:
            continue
        lines += [
            "",
            f"## {TITLES[topic]}",
            "",
            "| figure | value | baseline (same run) | ratio | goal | note |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [_row(r) for r in rows]
    lines.append("")
    return "\n".join(lines)


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> int:
    """Run the benchmarks named on the command line, or all of them, then write the page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help=f"some of: {', '.join(TOPICS)}")
    parser.add_argument("--out", type=Path, default=PAGE, help="where to write the page")
    args = parser.parse_args()
    topics = args.topics or list(TOPICS)
    unknown = [t for t in topics if t not in TOPICS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; known: {', '.join(TOPICS)}", file=sys.stderr)
        return 2
    started, begun, load_start = datetime.now(UTC), time.perf_counter(), _load()
    failed = []
    with tempfile.TemporaryDirectory(prefix="pintu-bench-results-") as tmp:
        results_file = Path(tmp) / "results.jsonl"
        env = {**os.environ, ENV: str(results_file)}
        for topic in topics:
            print(f"\n=== bench.{topic} ===", flush=True)
            topic_started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", f"bench.{topic}"], env=env, check=False)
            if done.returncode != 0:
                failed.append(topic)
            seconds = time.perf_counter() - topic_started
            print(f"=== bench.{topic}: {seconds:.1f} s, exit {done.returncode} ===", flush=True)
        results = load(results_file)
    text = page(results, started, time.perf_counter() - begun, (load_start, _load()))
    if failed:
        text += f"\nBenchmarks that failed in this run (no figures above): {', '.join(failed)}.\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"\n{text}\n(written to {args.out})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
