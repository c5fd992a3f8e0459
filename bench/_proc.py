"""Resident memory of a process tree, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def _status_mb(path: str, field: str) -> float:
    """Return one ``Field:  N kB`` line of a /proc file in MB (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    """Return the resident memory of ``pid`` in MB (0 when it is gone)."""
    return _status_mb(f"/proc/{pid}/status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Return the proportional set size of ``pid`` in MB: shared pages split among their users."""
    return _status_mb(f"/proc/{pid}/smaps_rollup", "Pss:")


def name(pid: int) -> str:
    """Return the command name of ``pid`` ("" when it is gone)."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def tree_rss(root: int) -> dict[int, tuple[str, float]]:
    """Return name and resident MB of ``root`` and every process below it, by pid.

    A process caught between fork and exec (its command line still its parent's, which is not
    ``root``) maps its parent's pages: counting it would add the parent's memory a second time,
    so it is left out, as is one whose command line changed while it was read (it exec'd
    meanwhile). The command line, not the name, tells them apart: a reader process
    (``python -m ocr._child``) is named like the Python process that started it.
    """
    out: dict[int, tuple[str, float]] = {}
    stack = [(root, 0, b"")]
    while stack:
        pid, parent, parent_cmd = stack.pop()
        before = _cmdline(pid)
        size = rss_mb(pid)
        after = _cmdline(pid)
        transient = parent not in (0, root) and before == parent_cmd
        if before and before == after and not transient:
            out[pid] = (name(pid), size)
        stack += [(child, pid, before) for child in _children(pid)]
    return out
