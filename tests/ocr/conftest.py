"""Fixtures for ocr tests: the committed demo documents and a small generated corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DEMO_DIR = Path(__file__).resolve().parents[2] / "workflow" / "demo_data"
BROKEN_DIR = Path(__file__).resolve().parent / "broken"


@pytest.fixture(scope="session")
def demo_truth() -> dict[str, dict[str, Any]]:
    return json.loads((DEMO_DIR / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", params=["test", "heldout1"])
def small_corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict[str, Any]]]:
    """A small corpus of a split the code was not developed on (``heldout1``: its faults were
    fixed, so it guards them; ``heldout3`` stays out of the tests, the final measure)."""
    from tests.corpus.build import SMALL, build, corpus_folder

    out = tmp_path_factory.mktemp(f"corpus-{request.param}")
    manifest = build(out, request.param, SMALL)
    return corpus_folder(out, request.param, SMALL), manifest
