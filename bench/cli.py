"""Start-up of the `pintu` commands that only read; goal: `pintu kbli CODE` under 1 s wall.

Run: .venv/bin/python -m bench.cli
Each command is a fresh process, as a person at the terminal runs it: on a DATA_DIR that does
not exist yet (nothing may be created) and on one set up by `pintu db upgrade` with an imported
KBLI list. Baseline, measured in the same run: a Python process that does nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 1.0
RUNS = 7
PINTU = str(Path(sys.executable).parent / "pintu")


def _wall(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _median(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    times = sorted(_wall(argv, env) for _ in range(RUNS))
    return statistics.median(times), times[0]


def main() -> None:
    """Measure and print."""
    with tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "S3_"))}
        fresh = {**base, "DATA_DIR": str(Path(tmp) / "nothing-yet")}
        ready = {**base, "DATA_DIR": str(Path(tmp) / "data")}
        subprocess.run([PINTU, "db", "upgrade"], env=ready, check=True, capture_output=True)
        table = Path(tmp) / "kbli.csv"
        table.write_text("kategori,kode,judul\nI,56303,Rumah minum/kafe\n", encoding="utf-8")
        subprocess.run([PINTU, "kbli", "import", str(table)], env=ready, check=True)
        python, _ = _median([sys.executable, "-c", "pass"], base)
        print(f"baseline: python -c pass              {python:6.3f} s median of {RUNS}")
        for label, env in (("no DATA_DIR yet", fresh), ("migrated, 1 import", ready)):
            median, best = _median([PINTU, "kbli", "56303", "--json"], env)
            verdict = "ok" if median < GOAL_S else "OVER"
            print(
                f"pintu kbli 56303 ({label:18}) {median:6.3f} s median, {best:6.3f} s best "
                f"(goal < {GOAL_S:.1f} s: {verdict})"
            )
        assert not Path(fresh["DATA_DIR"]).exists(), "pintu kbli created DATA_DIR"
        load = os.getloadavg()[0]
        print(f"load average while measuring: {load:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
