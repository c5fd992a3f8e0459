"""Reader processes: the only place where pdfium, Pillow and OpenCV touch an upload.

A reader is a long-lived child (``python -m ocr._child``) in its own process group. For each
job it sets hard limits on itself: address space (``RLIMIT_AS``, which tesseract inherits and
is given again explicitly), CPU time (``RLIMIT_CPU``); the caller kills the whole group when
the job's wall time is up. A reader that dies or is killed is replaced; its job raises
``ReaderDied`` with the reason, which the caller records (an unreadable page, an error with a
code). Each calling process has its own readers (a fork starts afresh), at most
``ExtractionLimits.reader_processes`` at once; a reader is retired after a number of jobs so
that a slow leak in a library cannot grow without bound.

Messages are JSON both ways, and the document bytes travel as one raw message: nothing the
reader sends back is unpickled, so a reader taken over by a hostile file cannot run code here.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

import ocr.errors as errors
from ocr.errors import OcrCallerError, OcrEngineFailure
from ocr.types import ExtractionLimits

logger = logging.getLogger(__name__)

_JOBS_PER_READER = 200
_MAX_REPLY_BYTES = 64 * 1024 * 1024  # a page's words are a few MB at most
_START_TIMEOUT_S = 120.0
# Seconds a reader may take past the job's wall time to answer on its own before it is killed.
_GRACE_S = 2.0
# Threads and arenas: one of each per library keeps a reader's address space near 470 MB.
_CHILD_ENV = {
    "OMP_THREAD_LIMIT": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "PYTHONUNBUFFERED": "1",
}
_SIGNALS = {
    signal.SIGXCPU: "its CPU time limit",
    signal.SIGKILL: "a kill (its wall time or the system's memory)",
    signal.SIGABRT: "an abort",
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGTRAP: "a trap",
}
_CRASHES = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGTRAP}
_OUT_OF_MEMORY = (b"out of memory", b"bad_alloc", b"cannot allocate memory", b"memoryerror")


class ReaderDied(Exception):
    """The reader process died, was killed or ran out of memory during a job."""

    def __init__(self, reason: str, cause: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cause = cause
        """``memory``, ``cpu``, ``time`` or ``crash``."""


def _caller_error(payload: dict[str, Any]) -> OcrCallerError:
    """Rebuild a caller error the reader reported, by code (unknown codes: a generic one)."""
    classes = {
        cls.code: cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, OcrCallerError) and cls is not OcrCallerError
    }
    cls: type[OcrCallerError] = errors.CorruptDocument
    for code, known in classes.items():
        if code == str(payload.get("code")):
            cls = known
    detail = payload.get("detail_id")
    return cls(str(payload.get("message", "")), detail_id=str(detail) if detail else None)


class _Reader:
    """One reader process and the pipes to it."""

    def __init__(self) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # closed in close(): it lives as long as the reader, past this method
        self.stderr: IO[bytes] = tempfile.TemporaryFile(prefix="pintu-reader-")  # noqa: SIM115
        root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, **_CHILD_ENV, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ocr._child", str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
                stdout=self.stderr,
                stderr=self.stderr,
                env=env,
                start_new_session=True,  # its own process group: tesseract dies with it
            )
        except OSError as exc:
            for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
                os.close(fd)
            self.stderr.close()
            raise OcrEngineFailure(f"reader process cannot start: {exc}") from exc
        os.close(to_child_r)
        os.close(from_child_w)
        self.send = Connection(to_child_w, readable=False)
        self.recv = Connection(from_child_r, writable=False)
        self.jobs = 0
        self.ready = False
        self.last: bytes | None = None
        """The document last sent (held, so that its identity cannot be reused meanwhile)."""

    def _wait_ready(self) -> None:
        if self.ready:
            return
        if not self.recv.poll(_START_TIMEOUT_S):
            self.kill()
            raise OcrEngineFailure(f"reader process not ready after {_START_TIMEOUT_S:g} s")
        try:
            hello = json.loads(self.recv.recv_bytes())
        except (EOFError, OSError, ValueError) as exc:
            self.kill()
            raise OcrEngineFailure(f"reader process failed to start: {self._tail()}") from exc
        if hello.get("ready") is not True:
            self.kill()
            raise OcrEngineFailure(f"reader process failed to start: {hello}")
        self.ready = True

    def call(self, op: str, args: dict[str, Any], data: bytes, limits: ExtractionLimits) -> Any:
        """Run one job; return its result, raise the caller error it reported or ReaderDied."""
        self._wait_ready()
        self.jobs += 1
        # the same bytes object as last time (every page of one extract): not sent again
        same = self.last is data and type(data) is bytes
        header = {"op": op, "args": args, "limits": asdict(limits), "same": same}
        deadline = time.monotonic() + limits.wall_time_s + _GRACE_S
        try:
            self.send.send_bytes(json.dumps(header).encode())
            if not same:
                self.last = None
                self.send.send_bytes(data)
                self.last = data
            while not self.recv.poll(max(0.0, deadline - time.monotonic())):
                if time.monotonic() >= deadline:
                    self.kill()
                    raise ReaderDied(
                        f"the reader took over {limits.wall_time_s:g} s and was stopped", "time"
                    )
            reply = json.loads(self.recv.recv_bytes(_MAX_REPLY_BYTES))
        except (EOFError, OSError, BrokenPipeError):
            raise self._died(limits) from None
        if "ok" in reply:
            return reply["ok"]
        error = reply.get("error", {})
        kind = error.get("kind")
        if kind == "caller":
            raise _caller_error(error)
        if kind == "engine":
            raise OcrEngineFailure(str(error.get("message", "OCR engine failed")))
        self.kill()  # it exits after a memory error or a crash; make sure
        if kind == "memory":
            raise ReaderDied(
                f"the reader ran out of memory (limit {limits.max_memory_bytes >> 20} MiB)",
                "memory",
            )
        raise ReaderDied(f"the reader failed: {error.get('message', 'unknown error')}", "crash")

    def _tail(self) -> str:
        try:
            size = os.fstat(self.stderr.fileno()).st_size
            return os.pread(self.stderr.fileno(), 2048, max(0, size - 2048)).decode(
                "utf-8", "replace"
            )
        except OSError:
            return ""

    def _died(self, limits: ExtractionLimits) -> ReaderDied:
        try:
            code = self.proc.wait(timeout=5.0)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        tail = self._tail()
        logger.warning("reader %d died (status %s): %s", self.proc.pid, code, tail[-500:])
        oom = any(word in tail.lower().encode() for word in _OUT_OF_MEMORY)
        cap = limits.max_memory_bytes >> 20
        if oom:
            return ReaderDied(f"the reader ran out of memory (limit {cap} MiB)", "memory")
        if code == -signal.SIGXCPU:
            return ReaderDied(
                f"the reader exceeded its CPU limit of {limits.cpu_time_s:g} s", "cpu"
            )
        if code is None or code >= 0:
            return ReaderDied(f"the reader exited with status {code}", "crash")
        what = _SIGNALS.get(-code, f"signal {-code}")  # type: ignore[call-overload]
        if -code in _CRASHES:
            # pdfium and OpenCV abort or trap when an allocation fails under RLIMIT_AS
            return ReaderDied(
                f"the reader died of {what}, most likely at its memory limit of {cap} MiB",
                "memory",
            )
        return ReaderDied(f"the reader died of {what}", "crash")

    def kill(self) -> None:
        """Kill the reader and everything it started (its process group)."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        try:
            self.proc.wait(timeout=10.0)
        except subprocess.TimeoutExpired:
            logger.error("reader %d did not die", self.proc.pid)
        self.close()

    def forget(self) -> None:
        """Close this process's copies of the pipes after a fork; the reader is the parent's."""
        for conn in (self.send, self.recv):
            if not conn.closed:
                conn.close()
        if not self.stderr.closed:
            self.stderr.close()

    def close(self) -> None:
        """Close the pipes (a live reader exits when it reads the end of its input)."""
        self.last = None
        for conn in (self.send, self.recv):
            if not conn.closed:
                conn.close()
        if not self.stderr.closed:
            self.stderr.close()

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self.proc.poll() is None


class Readers:
    """The reader processes of this process; thread-safe."""

    def __init__(self) -> None:
        self._idle: list[_Reader] = []
        self._all: set[_Reader] = set()
        self._busy = 0
        self._cond = threading.Condition()
        self.started = 0
        """Readers started so far (tests and logs)."""

    def _take(self, limits: ExtractionLimits) -> _Reader:
        with self._cond:
            while True:
                while self._idle:
                    reader = self._idle.pop()
                    if reader.alive:
                        self._busy += 1
                        return reader
                    reader.close()
                if self._busy < max(1, limits.reader_processes):
                    self._busy += 1
                    break
                self._cond.wait()
        try:
            reader = _Reader()
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise
        self.started += 1
        with self._cond:
            self._all.add(reader)
        return reader

    def _release(self, reader: _Reader, *, keep: bool) -> None:
        with self._cond:
            self._busy -= 1
            if keep and reader.alive and reader.jobs < _JOBS_PER_READER:
                self._idle.append(reader)
            else:
                reader.close()
                self._all.discard(reader)
            self._cond.notify()

    def run(self, op: str, args: dict[str, Any], data: bytes, limits: ExtractionLimits) -> Any:
        """Run ``op`` on ``data`` in a reader under ``limits``."""
        reader = self._take(limits)
        try:
            result = reader.call(op, args, data, limits)
        except (OcrCallerError, OcrEngineFailure):
            self._release(reader, keep=True)
            raise
        except BaseException:
            # died, killed, or the caller was interrupted (a Celery soft time limit): the
            # reader's state is unknown, so it goes, and nothing of the job stays behind
            reader.kill()
            self._release(reader, keep=False)
            raise
        self._release(reader, keep=True)
        return result

    def forget(self) -> None:
        """In a forked child: let go of the parent's readers without touching them."""
        for reader in list(self._all):
            reader.forget()
        self._all.clear()
        self._idle.clear()

    def shutdown(self) -> None:
        """Stop the idle readers (busy ones stop when their job ends)."""
        with self._cond:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close()
            with self._cond:
                self._all.discard(reader)
            try:
                reader.proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                reader.kill()


_readers: Readers | None = None
_lock = threading.Lock()
_inherited: list[Readers] = []


def readers() -> Readers:
    """Return this process's readers, started lazily."""
    global _readers
    with _lock:
        if _readers is None:
            _readers = Readers()
        return _readers


def _after_fork_in_child() -> None:
    """Give a forked child (a Celery pool process) readers of its own.

    The parent's stay the parent's: their pipes are closed here (so that a reader still sees
    the end of its input when its parent lets go), their processes are neither waited for nor
    killed, and the objects are kept so that no finaliser touches them.
    """
    global _readers, _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    if _readers is not None:
        _readers.forget()
        _inherited.append(_readers)
        _readers = None


os.register_at_fork(after_in_child=_after_fork_in_child)


def _at_exit() -> None:
    if _readers is not None:
        _readers.shutdown()


atexit.register(_at_exit)
