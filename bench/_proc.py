"""Resident memory of a process tree, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Return ``pid``'s children, their children, and so on (not ``pid`` itself)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.append(int(child))
            found += descendants(int(child))
    return found


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
