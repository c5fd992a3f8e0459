"""``pintu check`` on every applicant of a built applicants folder, against its planted defects.

``python -m tests.corpus.evaluate_applicants FOLDER [--table] [--processes 2]`` runs
``check_folder`` (what ``pintu check DIR`` runs) on each applicant folder listed
in ``FOLDER/manifest.json`` (built by ``tests.corpus.applicants``), on the manifest's check day,
with a throw-away DATA_DIR per worker, and prints JSON: the summary (clean applicants accepted k
of n, false refusals, planted defects found / found with the right severity, blocking findings
no defect explains, warnings per clean applicant, verdicts as expected) and per applicant its
verdict, each defect's outcome and the findings no defect explains. ``--table`` adds a readable
summary on stderr. It needs ``workflow.checking.folder``, ``workflow.bootstrap`` and
``workflow.config``.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import json
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

_SETTINGS: Any = None


def _init() -> None:
    global _SETTINGS
    from workflow.config import Settings

    _SETTINGS = Settings(data_dir=Path(tempfile.mkdtemp(prefix="pintu-applicants-")))


def _check(job: tuple[str, str]) -> tuple[str, dict[str, Any], float]:
    from workflow.bootstrap import ocr_limits, read_only_rules, read_only_trust
    from workflow.checking.folder import check_folder

    folder, day = job
    start = time.perf_counter()
    try:
        report = check_folder(
            Path(folder),
            rules=read_only_rules(_SETTINGS),
            trust=read_only_trust(_SETTINGS),
            limits=ocr_limits(_SETTINGS),
            today=datetime.date.fromisoformat(day),
        )
    except Exception as exc:  # reported, never hidden: the applicant counts as not checked
        report = {"verdict": "error", "findings": [], "error": f"{type(exc).__name__}: {exc}"}
    return folder, report, time.perf_counter() - start


def _matches(rule_id: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(rule_id, pattern)


def _unexplained(
    findings: list[dict[str, Any]], explained: list[str], severity: str
) -> list[dict[str, str]]:
    return [
        {"rule_id": f["rule_id"], "message": f["message"]}
        for f in findings
        if f["severity"] == severity and not any(_matches(f["rule_id"], p) for p in explained)
    ]


def score(manifest: dict[str, Any], reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Compare each applicant's report with what the manifest planted."""
    rows: list[dict[str, Any]] = []
    clean_n = clean_ok = defects_n = found_n = right_n = unexplained_n = verdict_ok = 0
    clean_warnings: list[int] = []
    for app in manifest["applicants"]:
        report = reports[app["folder"]]
        findings = report.get("findings", [])
        defects = app.get("defects", [])
        explained = [d["rule_id"] for d in defects] + [p for d in defects for p in d["explains"]]
        outcome = []
        for d in defects:
            hits = [f for f in findings if _matches(f["rule_id"], d["rule_id"])]
            severities = sorted({f["severity"] for f in hits})
            found = bool(hits)
            right = any(f["severity"] == d["severity"] for f in hits)
            defects_n += 1
            found_n += int(found)
            right_n += int(right)
            outcome.append(
                {"kind": d["kind"], "rule_id": d["rule_id"], "want": d["severity"],
                 "found": found, "right_severity": right, "got": severities}
            )  # fmt: skip
        blocking = _unexplained(findings, explained, "blocking")
        warnings = [f for f in findings if f["severity"] == "warning"]
        unexplained_n += len(blocking)
        verdict = report.get("verdict")
        verdict_ok += int(verdict == app["expected_verdict"])
        if app["clean"]:
            clean_n += 1
            clean_ok += int(verdict == "memenuhi")
            clean_warnings.append(len(warnings))
        row: dict[str, Any] = {
            "folder": app["folder"],
            "bentuk": app["bentuk"],
            "clean": app["clean"],
            "expected_verdict": app["expected_verdict"],
            "verdict": verdict,
            "defects": outcome,
            "unexplained_blocking": blocking,
            "unexplained_warnings": _unexplained(findings, explained, "warning"),
            "warnings": len(warnings),
        }
        if "error" in report:
            row["error"] = report["error"]
        rows.append(row)
    summary = {
        "applicants": len(rows),
        "clean_accepted": clean_ok,
        "clean_total": clean_n,
        "false_refusals": clean_n - clean_ok,
        "defects_total": defects_n,
        "defects_found": found_n,
        "defects_right_severity": right_n,
        "unexplained_blocking": unexplained_n,
        "warnings_per_clean_mean": sum(clean_warnings) / max(len(clean_warnings), 1),
        "verdict_as_expected": verdict_ok,
    }
    return {"split": manifest.get("split"), "check_day": manifest["check_day"],
            "summary": summary, "applicants": rows}  # fmt: skip


def evaluate(folder: Path, processes: int = 2) -> dict[str, Any]:
    """Check every applicant of ``folder`` (in at most ``processes`` workers) and score it."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    jobs = [(str(folder / a["folder"]), manifest["check_day"]) for a in manifest["applicants"]]
    with get_context("spawn").Pool(min(processes, 2), initializer=_init) as pool:
        done = list(pool.imap_unordered(_check, jobs))
    reports = {Path(f).name: r for f, r, _ in done}
    out = score(manifest, reports)
    seconds = {Path(f).name: s for f, _, s in done}
    for row in out["applicants"]:
        row["seconds"] = round(seconds[row["folder"]], 2)
    return out


def table(result: dict[str, Any]) -> str:
    """A readable summary of ``evaluate``'s result."""
    s = result["summary"]
    lines = [
        f"clean applicants accepted (memenuhi): {s['clean_accepted']} of {s['clean_total']} "
        f"(false refusals {s['false_refusals']})",
        f"planted defects found: {s['defects_found']} of {s['defects_total']}; with the right "
        f"severity: {s['defects_right_severity']} of {s['defects_total']}",
        f"blocking findings no defect explains: {s['unexplained_blocking']}",
        f"warnings per clean applicant (mean): {s['warnings_per_clean_mean']:.2f}",
        f"verdict as expected: {s['verdict_as_expected']} of {s['applicants']}",
        "",
    ]
    for row in result["applicants"]:
        what = "clean" if row["clean"] else ", ".join(d["kind"] for d in row["defects"])
        lines.append(
            f"{row['folder']} {row['bentuk']:<10} {what:<24} want {row['expected_verdict']:<15} "
            f"got {row['verdict']:<15} warnings {row['warnings']}"
        )
        for d in row["defects"]:
            state = "NOT FOUND"
            if d["found"]:
                state = "right" if d["right_severity"] else "found as " + "/".join(d["got"])
            lines.append(f"    defect {d['rule_id']} ({d['want']}): {state}")
        for f in row["unexplained_blocking"]:
            lines.append(f"    unexplained blocking {f['rule_id']}: {f['message'][:110]}")
        for f in row["unexplained_warnings"]:
            lines.append(f"    warning {f['rule_id']}: {f['message'][:110]}")
        if "error" in row:
            lines.append(f"    ERROR {row['error']}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--table", action="store_true", help="also print a summary on stderr")
    parser.add_argument("--processes", type=int, default=2, choices=(1, 2))
    args = parser.parse_args()
    result = evaluate(args.folder, args.processes)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.table:
        print(table(result), file=sys.stderr)
