"""Results a benchmark hands to ``make bench``'s page (``bench/RESULTS.md``).

A benchmark prints its own table and also calls ``record`` for each figure the page shows.
``python -m bench`` sets ``PINTU_BENCH_RESULTS`` to a JSON-lines file and builds the page from
it; a benchmark run alone (no variable) records nothing.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

ENV = "PINTU_BENCH_RESULTS"


@dataclass(frozen=True, slots=True)
class Result:
    """One figure: a value, and when it has one, its baseline from the same run and goal."""

    topic: str
    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    ratio: float | None = None
    """value / baseline or its inverse, whichever the goal is stated in (``ratio_note``)."""
    ratio_note: str = ""
    goal: str = ""
    held: bool | None = None
    note: str = ""


def record(result: Result) -> None:
    """Append ``result`` to the run's results file (nothing when run alone)."""
    target = os.environ.get(ENV)
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(json.dumps(asdict(result)) + "\n")


def load(path: Path) -> list[Result]:
    """Read every result recorded in ``path``."""
    if not path.exists():
        return []
    return [Result(**json.loads(line)) for line in path.read_text().splitlines() if line]
