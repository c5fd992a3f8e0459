"""Run every benchmark in turn (`make bench`): each prints its numbers against its own baseline."""

from __future__ import annotations

import runpy
import sys
import time

TOPICS = ("rules", "render", "signing", "archive", "ocr", "worker_memory", "cli")


def main() -> int:
    """Run the benchmarks named on the command line, or all of them."""
    topics = sys.argv[1:] or list(TOPICS)
    for topic in topics:
        if topic not in TOPICS:
            print(f"unknown benchmark {topic!r}; known: {', '.join(TOPICS)}", file=sys.stderr)
            return 2
    for topic in topics:
        print(f"\n=== bench.{topic} ===", flush=True)
        started = time.perf_counter()
        saved = sys.argv
        sys.argv = [f"bench.{topic}"]
        try:
            runpy.run_module(f"bench.{topic}", run_name="__main__")
        finally:
            sys.argv = saved
        print(f"=== bench.{topic}: {time.perf_counter() - started:.1f} s ===", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
