"""Reader processes: the limits hold when a file gets past the structural checks.

Each test turns a check off (or a limit down) and feeds a real hostile file, so that the hard
limit itself is what stops it: memory (RLIMIT_AS), CPU time (RLIMIT_CPU), wall time (a kill),
tesseract's own limits, a caller interrupted mid-page, a fork, the number of readers.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import ocr
from ocr._sandbox import readers
from tests.ocr.conftest import DEMO_DIR
from tests.ocr.test_hostile import GIB_MB, _vector_heavy_pdf, _within_bounds, probe

NO_STREAM_CHECK = {"max_stream_bytes": 1 << 40, "inflate_check_bytes": 1 << 40}


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _descendants(pid: int) -> list[int]:
    out, stack = [], _children(pid)
    while stack:
        child = stack.pop()
        out.append(child)
        try:
            stack += _children(child)
        except OSError:
            continue
    return out


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _reader_pids() -> list[int]:
    """This process's reader processes that are still running (zombies count: not reaped)."""
    found = []
    for pid in _children(os.getpid()):
        try:
            if b"ocr._child" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


def test_a_flate_bomb_past_the_stream_check_is_stopped_by_the_readers_memory_limit():
    report = probe("nested-flate-bomb.pdf", NO_STREAM_CHECK, steps="read")
    _within_bounds(report)
    (page,) = report["read"]
    assert page["ok"]["unreadable"] is True
    assert "memory limit of 1024 MiB" in page["ok"]["reason"]
    assert report["self_peak_mb"] < 300  # the caller (an API process, a worker) stays small


def test_a_document_whose_opening_exhausts_memory_is_refused_with_reader_limit_exceeded():
    report = probe("xref-stream-bomb.pdf", NO_STREAM_CHECK, steps="open")
    _within_bounds(report)
    assert report["open"]["error"] == "reader_limit_exceeded"
    assert "memory limit" in report["open"]["message"]


def test_a_reader_past_its_wall_time_is_killed_and_the_page_is_unreadable():
    limits = ocr.ExtractionLimits(render_timeout_s=600, wall_time_s=2)
    start = time.monotonic()
    page = ocr.read_page(_vector_heavy_pdf(400_000), 1, limits)
    assert page.unreadable
    assert page.reason == "the reader took over 2 s and was stopped"
    assert time.monotonic() - start < 15


def test_a_reader_past_its_cpu_time_is_stopped_and_the_page_is_unreadable():
    limits = ocr.ExtractionLimits(render_timeout_s=600, cpu_time_s=1, wall_time_s=60)
    page = ocr.read_page(_vector_heavy_pdf(400_000), 1, limits)
    assert page.unreadable
    assert page.reason == "the reader exceeded its CPU limit of 1 s"


def test_tesseract_runs_with_the_readers_address_space_and_its_page_time_as_cpu_limit():
    limits = ocr.ExtractionLimits(max_memory_bytes=900 << 20, page_timeout_s=45)
    data = (DEMO_DIR / "ktp.png").read_bytes()
    seen: dict[str, str] = {}
    reading = threading.Thread(target=ocr.read_page, args=(data, 1, limits))
    reading.start()
    while reading.is_alive() and not seen:
        for pid in _descendants(os.getpid()):
            if _name(pid) == "tesseract":
                try:
                    text = Path(f"/proc/{pid}/limits").read_text()
                except OSError:
                    continue
                seen = {ln[:26].strip(): ln[26:] for ln in text.splitlines()[1:]}
        time.sleep(0.01)
    reading.join()
    assert seen, "no tesseract process was seen"
    assert seen["Max address space"].split()[:2] == [str(900 << 20)] * 2
    assert seen["Max cpu time"].split()[0] == str(math.ceil(45))
    assert seen["Max core file size"].split()[0] == "0"


class _Interrupted(Exception):
    pass


def test_an_interrupted_caller_leaves_no_reader_behind_and_the_next_read_works():
    # what Celery's soft time limit does: an exception raised in the caller mid-wait
    def interrupt(signum, frame):
        raise _Interrupted

    previous = signal.signal(signal.SIGALRM, interrupt)
    limits = ocr.ExtractionLimits(render_timeout_s=600, wall_time_s=60)
    busy: list[int] = []

    def note_busy() -> None:
        time.sleep(1.0)
        busy.extend(set(_reader_pids()) - _idle_readers())

    threading.Thread(target=note_busy).start()
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.5)
        with pytest.raises(_Interrupted):
            ocr.read_page(_vector_heavy_pdf(400_000), 1, limits)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert busy, "the page never reached a reader"
    assert set(_reader_pids()) == _idle_readers()  # the busy reader is gone, and reaped
    assert not set(busy) & set(_reader_pids())
    page = ocr.read_page((DEMO_DIR / "nib.pdf").read_bytes(), 1)
    assert not page.unreadable and page.words


def _idle_readers() -> set[int]:
    return {r.proc.pid for r in readers()._idle}


def _read_in_fork(data: bytes, out: multiprocessing.Queue) -> None:
    page = ocr.read_page(data, 1)
    out.put((len(page.words), readers().started))


def test_a_forked_process_gets_its_own_readers_and_leaves_its_parents_alone():
    data = (DEMO_DIR / "nib.pdf").read_bytes()
    assert ocr.read_page(data, 1).words  # this process has a reader now
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()
    child = ctx.Process(target=_read_in_fork, args=(data, out))
    child.start()
    words, started_there = out.get(timeout=60)
    child.join(timeout=30)
    assert words > 0 and started_there == 1
    assert ocr.read_page(data, 1).words  # the parent's reader still answers


def test_concurrent_callers_share_at_most_reader_processes_readers():
    limits = ocr.ExtractionLimits(render_timeout_s=600, wall_time_s=2, reader_processes=2)
    readers().shutdown()
    data = _vector_heavy_pdf(400_000)
    peak = 0
    threads = [threading.Thread(target=ocr.read_page, args=(data, 1, limits)) for _ in range(4)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, len(_reader_pids()))
        time.sleep(0.02)
    for t in threads:
        t.join()
    assert 1 <= peak <= 2


def test_readers_stay_under_a_gib_even_with_a_large_legal_page():
    # a 5 m square page (legal, no /UserUnit) is rendered scaled down to the cap, never up
    report = probe("big-media-box.pdf", steps="read")
    _within_bounds(report)
    assert report["children_peak_mb"] < GIB_MB
    (page,) = report["read"]
    assert page["ok"]["unreadable"] is False
