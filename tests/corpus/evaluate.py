"""Field accuracy of ``ocr.extract`` on a built corpus, as issues 3 and 10 define it.

``python -m tests.corpus.evaluate FOLDER [--table] [--processes 2]`` prints the report as JSON
(and with ``--table`` a readable summary on stderr). Per origin (``categories``: born_digital,
clean_scan, degraded_photo): field accuracy, type accuracy, and for the binding fields of KTP,
NPWP and NIB the keys issue 3 defined. Issue 10 adds, per origin and document type
(``by_doc_type``) and per field (``by_field``): accuracy, confident-wrong (a wrong value not
flagged low-confidence), right-but-flagged share; the document-type confusion matrix
(``confusion``, per origin in ``confusion_by_origin``); and accuracy per layout and per
degradation (``by_layout``, ``by_degradation``) where the manifest records them.
It needs only ``ocr.extract(...).to_json()``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import ocr

META = {"doc_type", "font", "layout", "degradation"}
RISK_CODES = {"RENDAH": "R", "MENENGAH RENDAH": "MR", "MENENGAH TINGGI": "MT", "TINGGI": "T"}
DIGITS_ONLY = {"nik", "npwp", "nib"}
BINDING_TYPES = {"ktp", "npwp", "nib"}


def normalise(name: str, value: object) -> object:
    if value is None:
        return None
    if name == "kbli":
        return frozenset(str(v) for v in value)  # type: ignore[attr-defined]
    if name == "kbli_risiko" and isinstance(value, (list, tuple)):
        texts = (" ".join(str(v).upper().split()) for v in value)
        return tuple(RISK_CODES.get(t, t) for t in texts)
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
    per_type: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    per_field: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    per_layout: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_tag: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    confusion: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
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
        got_type = str(result.get("doc_type"))
        confusion[cat][truth["doc_type"]][got_type] += 1
        tstats = per_type[cat][truth["doc_type"]]
        tstats["documents"] += 1
        tstats["type_right"] += int(got_type == truth["doc_type"])
        groups = [per_layout[str(truth.get("layout", "-"))]]
        groups += [per_tag[str(t)] for t in truth.get("degradation") or ("none",)]
        for g in groups:
            g["documents"] += 1
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
            fstats = per_field[cat][f"{truth['doc_type']}.{name}"]
            for target in (stats, tstats, fstats, *groups):
                if target is not stats:
                    target["fields"] += 1
                    target["right"] += int(right)
                target["wrong_confident"] += int(not right and not flagged)
                target["right_flagged"] += int(right and flagged)
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
        entry["right_flagged_share"] = stats["right_flagged"] / max(stats["right"], 1)
        report["categories"][cat] = entry
    report["by_doc_type"] = {
        cat: {t: _rates(st) for t, st in sorted(types.items())} for cat, types in per_type.items()
    }
    report["by_field"] = {
        cat: {f: _rates(st) for f, st in sorted(fields.items())}
        for cat, fields in sorted(per_field.items())
    }
    report["summary"] = _summary(report, per_field)
    report["confusion_by_origin"] = {
        cat: {t: dict(got) for t, got in sorted(rows.items())} for cat, rows in confusion.items()
    }
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rows in confusion.values():
        for t, got in rows.items():
            for g, n in got.items():
                total[t][g] += n
    report["confusion"] = {t: dict(got) for t, got in sorted(total.items())}
    report["by_layout"] = {k: _rates(st) for k, st in sorted(per_layout.items())}
    report["by_degradation"] = {k: _rates(st) for k, st in sorted(per_tag.items())}
    return report


def _summary(
    report: dict[str, Any], per_field: dict[str, dict[str, dict[str, int]]]
) -> dict[str, Any]:
    """Issue 10's acceptance figures: born-digital and scans-and-photos field accuracy, confident
    wrong NIK/NPWP/NIB, right values flagged, document type right."""
    cats = report["categories"]
    out: dict[str, Any] = {}
    if "born_digital" in cats:
        out["born_digital_accuracy"] = cats["born_digital"]["field_accuracy"]
    imaged = [cats[c] for c in ("clean_scan", "degraded_photo") if c in cats]
    fields = sum(c["fields"] for c in imaged)
    right = sum(c["right"] for c in imaged)
    out["scans_and_photos_accuracy"] = right / max(fields, 1)
    out["scans_and_photos_fields"] = fields
    out["scans_and_photos_right_flagged_share"] = sum(c["right_flagged"] for c in imaged) / max(
        right, 1
    )
    out["wrong_confident_ids"] = sum(
        st["wrong_confident"]
        for fields_of in per_field.values()
        for key, st in fields_of.items()
        if key.split(".")[-1] in DIGITS_ONLY
    )
    out["wrong_confident_all"] = sum(c["wrong_confident"] for c in cats.values())
    all_right = sum(c["right"] for c in cats.values())
    out["right_flagged_share"] = sum(c["right_flagged"] for c in cats.values()) / max(all_right, 1)
    docs = sum(c["documents"] for c in cats.values())
    out["type_accuracy"] = sum(c["type_right"] for c in cats.values()) / max(docs, 1)
    out["documents"] = docs
    return out


def _rates(stats: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = dict(stats)
    out["field_accuracy"] = stats["right"] / max(stats["fields"], 1)
    out["right_flagged_share"] = stats["right_flagged"] / max(stats["right"], 1)
    if "type_right" in stats:
        out["type_accuracy"] = stats["type_right"] / max(stats["documents"], 1)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def table(report: dict[str, Any]) -> str:
    """A readable summary of ``evaluate``'s report."""
    lines = ["origin / doc type        docs  fields  accuracy  conf.wrong  right-flagged  type"]
    for cat, entry in sorted(report["categories"].items()):
        lines.append(
            f"{cat:<24} {entry['documents']:>4} {entry['fields']:>7}  "
            f"{_pct(entry['field_accuracy'])}  {entry['wrong_confident']:>10}  "
            f"{_pct(entry['right_flagged_share']):>13}  {_pct(entry['type_accuracy'])}"
        )
        for t, st in report["by_doc_type"].get(cat, {}).items():
            lines.append(
                f"  {t:<22} {st['documents']:>4} {st['fields']:>7}  {_pct(st['field_accuracy'])}"
                f"  {st['wrong_confident']:>10}  {_pct(st['right_flagged_share']):>13}  "
                f"{_pct(st['type_accuracy'])}"
            )
    lines.append("")
    lines.append("per origin and field                fields  accuracy  conf.wrong  right-flagged")
    for cat, fields in report["by_field"].items():
        lines.append(f"  {cat}")
        for f, st in fields.items():
            lines.append(
                f"    {f:<32} {st['fields']:>5}  {_pct(st['field_accuracy'])}  "
                f"{st['wrong_confident']:>10}  {_pct(st['right_flagged_share']):>13}"
            )
    lines.append("")
    lines.append("document type confusion (truth -> read: count)")
    for t, got in report["confusion"].items():
        cells = ", ".join(f"{g}: {n}" for g, n in sorted(got.items(), key=lambda kv: -kv[1]))
        lines.append(f"  {t:<18} {cells}")
    for title, key in (("per layout", "by_layout"), ("per degradation", "by_degradation")):
        lines.append("")
        lines.append(f"{title:<40} docs  fields  accuracy  conf.wrong")
        for k, st in report[key].items():
            lines.append(
                f"  {k:<38} {st['documents']:>4} {st['fields']:>7}  "
                f"{_pct(st['field_accuracy'])}  {st['wrong_confident']:>10}"
            )
    sm = report["summary"]
    lines.append("")
    lines.append(
        f"summary: born-digital {_pct(sm.get('born_digital_accuracy', 0.0))}, scans and photos "
        f"{_pct(sm['scans_and_photos_accuracy'])} of {sm['scans_and_photos_fields']} fields, "
        f"confident-wrong NIK/NPWP/NIB {sm['wrong_confident_ids']} (all fields "
        f"{sm['wrong_confident_all']}), right but flagged {_pct(sm['right_flagged_share'])}, "
        f"document type {_pct(sm['type_accuracy'])} of {sm['documents']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--table", action="store_true", help="also print a summary on stderr")
    parser.add_argument("--processes", type=int, default=2, choices=(1, 2))
    args = parser.parse_args()
    manifest = json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))
    report = evaluate(args.folder, manifest, processes=args.processes)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if args.table:
        print(table(report), file=sys.stderr)
