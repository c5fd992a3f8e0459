"""``bench.application`` runs once on the embedded defaults and records its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench._results import ENV, load
from tests.fixtures.env import embedded_env

pytestmark = pytest.mark.slow


def test_one_application_reaches_the_archive_and_is_recorded(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    env = {**embedded_env(tmp_path / "unused"), ENV: str(results)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.application", "--runs", "1", "--no-warm-up",
         "--setup", "embedded"],
        env=env, capture_output=True, text=True, timeout=240, check=False,
        cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for step in ("upload", "checks", "technical approval", "signing", "archive", "total"):
        assert f"  {step} " in done.stdout
    recorded = load(results)
    assert {r.topic for r in recorded} == {"application"}
    whole = next(r for r in recorded if "whole application" in r.name)
    assert whole.value > 0 and whole.baseline is not None and whole.baseline > 0
