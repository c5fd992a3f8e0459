"""Field accuracy of ``ocr.extract`` on a built corpus, as issue 3 defines it.

``python -m tests.corpus.evaluate FOLDER`` prints the report as JSON.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import ocr

META = {"doc_type", "font", "layout"}
DIGITS_ONLY = {"nik", "npwp", "nib"}
BINDING_TYPES = {"ktp", "npwp", "nib"}


def normalise(name: str, value: object) -> object:
    if value is None:
        return None
    if name == "kbli":
        return frozenset(str(v) for v in value)  # type: ignore[attr-defined]
    if isinstance(value, (list, tuple)):
        return tuple(" ".join(str(v).upper().split()) for v in value)
    text = " ".join(str(value).upper().split())
    if name in DIGITS_ONLY:
        return re.sub(r"\D", "", text)
    return text


def _one(path: str) -> tuple[str, dict[str, Any], float]:
    start = time.perf_counter()
    try:
        result = ocr.extract(Path(path).read_bytes()).to_json()
    except ocr.OcrCallerError as exc:  # reported as a miss
        result = {"error": type(exc).__name__}
    return path, result, time.perf_counter() - start


def evaluate(folder: Path, manifest: list[dict[str, Any]], processes: int = 2) -> dict[str, Any]:
    """Extract every manifest entry (in ``processes`` workers) and score it."""
    paths = [str(folder / item["file"]) for item in manifest]
    with get_context("spawn").Pool(processes) as pool:
        results = {p: (r, t) for p, r, t in pool.imap_unordered(_one, paths)}
    per_cat: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: list[dict[str, Any]] = []
    seconds: dict[str, list[float]] = defaultdict(list)
    for item in manifest:
        result, secs = results[str(folder / item["file"])]
        cat = item["category"]
        truth = item["truth"]
        seconds[cat].append(secs)
        stats = per_cat[cat]
        stats["documents"] += 1
        stats["type_right"] += int(result.get("doc_type") == truth["doc_type"])
        if result.get("doc_type") != truth["doc_type"]:
            misses.append({"file": item["file"], "field": "doc_type", "want": truth["doc_type"],
                           "got": result.get("doc_type")})  # fmt: skip
        fields = result.get("fields", {})
        binding = truth["doc_type"] in BINDING_TYPES
        for name, want in truth.items():
            if name in META:
                continue
            got = fields.get(name)
            right = got is not None and normalise(name, got["value"]) == normalise(name, want)
            flagged = got is None or bool(got["low_confidence"])
            stats["fields"] += 1
            stats["right"] += int(right)
            if binding:
                stats["binding_fields"] += 1
                stats["binding_right"] += int(right)
                stats["binding_wrong_confident"] += int(not right and not flagged)
                stats["binding_right_flagged"] += int(right and flagged)
            if not right:
                misses.append({"file": item["file"], "field": name, "want": want,
                               "got": None if got is None else got["value"],
                               "flagged": flagged})  # fmt: skip
    report: dict[str, Any] = {"categories": {}, "misses": misses}
    for cat, stats in per_cat.items():
        entry: dict[str, Any] = dict(stats)
        entry["field_accuracy"] = stats["right"] / max(stats["fields"], 1)
        entry["type_accuracy"] = stats["type_right"] / max(stats["documents"], 1)
        if stats["binding_fields"]:
            entry["binding_accuracy"] = stats["binding_right"] / stats["binding_fields"]
            entry["right_but_flagged_share"] = stats["binding_right_flagged"] / max(
                stats["binding_right"], 1
            )
        entry["mean_seconds"] = sum(seconds[cat]) / len(seconds[cat])
        report["categories"][cat] = entry
    return report


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    report = evaluate(folder, manifest)
    print(json.dumps(report, indent=1, ensure_ascii=False))
