"""Run one hostile upload through ``ocr`` in a fresh process; print outcomes and peak memory.

``python -m tests.ocr.probe NAME [--limits JSON] [--steps inspect,open,read,extract]``

NAME is a key of ``tests.ocr.hostile.CORPUS`` or a file in ``tests/ocr/broken``. Each step's
outcome is recorded, whatever it is (an error of any type, a page unreadable or read), so the
caller asserts on them; the probe itself only fails if it cannot run. Peaks: this process's
own high-water mark (VmHWM), and the largest of its children's (``getrusage``) once every reader
process, and the tesseract runs they waited for, has been stopped and waited for.

A 4 GiB address-space limit on this process keeps a regression from taking a CI machine down;
the tests assert 1 GiB, so the safety net never decides a result.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

SAFETY_NET = 4 << 30
BROKEN_DIR = Path(__file__).resolve().parent / "broken"


def _outcome(run: Any) -> dict[str, Any]:
    try:
        value = run()
    except Exception as exc:  # noqa: BLE001 - every outcome is data for the test
        return {"error": getattr(exc, "code", type(exc).__name__), "message": str(exc)[:300]}
    return {"ok": value}


def _page(page: Any) -> dict[str, Any]:
    return {"unreadable": page.unreadable, "reason": page.reason, "words": len(page.words)}


def _peak_mb(who: int) -> float:
    if who == resource.RUSAGE_SELF:
        # VmHWM, not ru_maxrss: Linux folds the RSS of the process that forked this one (the
        # test runner) into ru_maxrss at exec
        status = Path("/proc/self/status").read_text()
        return (
            next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmHWM:")) / 1024
        )
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    """Run the steps and print one JSON object."""
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--limits", default="{}")
    parser.add_argument("--steps", default="inspect,open,read,extract")
    parser.add_argument("--pages", type=int, default=1)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (SAFETY_NET, SAFETY_NET))
    started = time.monotonic()

    import ocr
    from ocr.errors import refusal
    from tests.ocr.hostile import CORPUS

    data = CORPUS[args.name]() if args.name in CORPUS else (BROKEN_DIR / args.name).read_bytes()
    limits = ocr.ExtractionLimits(**json.loads(args.limits))
    steps = args.steps.split(",")
    report: dict[str, Any] = {"name": args.name, "bytes": len(data)}
    base_mb = _peak_mb(resource.RUSAGE_SELF)
    if "inspect" in steps:
        cpu = time.process_time()

        def inspect() -> Any:
            info = ocr.inspect(data, limits)
            error = refusal(info)
            return {
                "refusal": error.code if error else None,
                "status": error.http_status if error else None,
                "message": error.message if error else None,
                "detail_id": error.detail_id if error else None,
                "findings": [f.to_json() for f in info.findings],
                "pages": info.page_count,
            }

        report["inspect"] = _outcome(inspect)
        report["inspect_cpu_s"] = time.process_time() - cpu
        report["inspect_grew_mb"] = _peak_mb(resource.RUSAGE_SELF) - base_mb
    if "open" in steps:
        report["open"] = _outcome(lambda: ocr.open_document(data, limits).page_count)
    if "read" in steps:
        report["read"] = [
            _outcome(lambda n=n: _page(ocr.read_page(data, n, limits)))
            for n in range(1, args.pages + 1)
        ]
    if "extract" in steps:

        def extract() -> Any:
            extraction = ocr.extract(data, limits=limits)
            pages = [{"unreadable": p.unreadable, "reason": p.reason} for p in extraction.pages]
            return {"pages": pages, "text_chars": len(extraction.text)}

        report["extract"] = _outcome(extract)
    try:
        from ocr._sandbox import readers
    except ImportError:  # the code before reader processes existed
        pass
    else:
        report["readers_started"] = readers().started
        readers().shutdown()
    report["seconds"] = time.monotonic() - started
    report["self_peak_mb"] = _peak_mb(resource.RUSAGE_SELF)
    report["children_peak_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
