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


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A small test-split corpus (fonts and layouts the code was not tuned on)."""
    from tests.corpus.build import SMALL, build, corpus_folder

    out = tmp_path_factory.mktemp("corpus")
    manifest = build(out, "test", SMALL)
    return corpus_folder(out, "test", SMALL), manifest
