"""The reader process's main loop (``python -m ocr._child IN_FD OUT_FD``); see ``_sandbox``.

Per job it lowers its own limits (address space, CPU time, and an alarm as a last resort should
its caller be gone), runs one in-process reader function and answers in JSON. After a memory
error or an unexpected exception it answers and exits: its state is not trusted again.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import math
import os
import resource
import signal
import sys
from dataclasses import fields
from multiprocessing.connection import Connection
from typing import Any

_M_MMAP_THRESHOLD = -3  # mallopt parameter (glibc malloc.h)


def _return_page_buffers_to_the_system() -> None:
    """Serve allocations of 1 MiB and more from mmap, so page images go back when freed."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: buffers stay in the heap
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)


_START = {r: resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)}


def _lower(which: int, soft: int) -> None:
    """Set the soft limit, never above the hard limit this process was started with."""
    _, hard = _START[which]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _limit(limits: Any) -> None:
    """Set this process's limits for one job (tesseract is given the address-space one)."""
    _lower(resource.RLIMIT_AS, limits.max_memory_bytes)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _lower(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime + limits.cpu_time_s))
    signal.alarm(math.ceil(limits.wall_time_s) + 30)


def _unlimit() -> None:
    signal.alarm(0)
    for which, (soft, hard) in _START.items():
        resource.setrlimit(which, (soft, hard))


def _run(op: str, args: dict[str, Any], data: bytes, limits: Any) -> Any:
    from ocr import _reader  # noqa: PLC0415

    if op == "read":
        return _reader.read_here(data, int(args["number"]), limits).to_json()
    if op == "open":
        info = _reader.open_here(data, limits)
        return {"mime": info.mime, "page_count": info.page_count}
    if op == "warm":
        from ocr._second import warm_up  # noqa: PLC0415

        warm_up()
        return {}
    raise ValueError(f"unknown op {op!r}")


def main(argv: list[str]) -> int:
    """Serve jobs until the caller closes the pipe."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a killed reader leaves no core file
    _return_page_buffers_to_the_system()
    inbox = Connection(int(argv[1]), writable=False)
    outbox = Connection(int(argv[2]), readable=False)
    from ocr import _reader  # noqa: F401, PLC0415 - import pdfium, Pillow, OpenCV before "ready"
    from ocr.errors import OcrCallerError, OcrEngineFailure  # noqa: PLC0415
    from ocr.types import ExtractionLimits  # noqa: PLC0415

    known = {f.name for f in fields(ExtractionLimits)}
    outbox.send_bytes(json.dumps({"ready": True, "pid": os.getpid()}).encode())
    data = b""
    while True:
        try:
            header = json.loads(inbox.recv_bytes())
            if not header.get("same"):
                data = b""
                data = inbox.recv_bytes()
        except EOFError:
            return 0
        limits = ExtractionLimits(**{k: v for k, v in header["limits"].items() if k in known})
        fatal = False
        try:
            _limit(limits)
            reply: dict[str, Any] = {"ok": _run(header["op"], header["args"], data, limits)}
        except OcrCallerError as exc:
            reply = {"error": {"kind": "caller", "code": exc.code, "message": exc.message,
                               "detail_id": exc.detail_id}}  # fmt: skip
        except OcrEngineFailure as exc:
            reply = {"error": {"kind": "engine", "message": exc.message}}
        except MemoryError:
            reply, fatal = {"error": {"kind": "memory"}}, True
        except Exception as exc:  # noqa: BLE001 - the reader's outermost edge: report, then exit
            reply, fatal = (
                {"error": {"kind": "crash", "message": f"{type(exc).__name__}: {exc}"}},
                True,
            )
        finally:
            _unlimit()
        try:
            outbox.send_bytes(json.dumps(reply).encode())
        except OSError:
            return 0
        if fatal:
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
