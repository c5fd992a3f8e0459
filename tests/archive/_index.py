"""An in-memory ArchiveIndex for tests: the workflow keeps the same rows in its database."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from archive import IndexEntry


class DatabaseDown(RuntimeError):
    """Stands for the index's database failing between the store write and the index update."""


@dataclass
class MemoryIndex:
    rows: dict[str, IndexEntry] = field(default_factory=dict)
    after_mark: Callable[[int], None] | None = None
    """Called with the number of rows marked so far, after each mark (a real seam for faults)."""
    fail_before_mark: int | None = None
    """Raise DatabaseDown instead of recording the n-th mark (1-based), once."""
    report_fresh: bool = True
    """Say when a claim created its row (False: every write runs the full history check)."""
    marks: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, key: str, sha256: str) -> IndexEntry:
        with self._lock:
            row = self.rows.get(key)
            if row is None or not row.written:
                row = IndexEntry(
                    key, sha256, written=False, fresh=self.report_fresh and row is None
                )
                self.rows[key] = row
            return row

    def mark_written(self, key: str, sha256: str, version_id: str | None) -> None:
        with self._lock:
            if self.fail_before_mark is not None and self.marks + 1 == self.fail_before_mark:
                self.fail_before_mark = None
                raise DatabaseDown(f"index unavailable while marking {key}")
            self.rows[key] = IndexEntry(key, sha256, written=True, version_id=version_id)
            self.marks += 1
            count = self.marks
        if self.after_mark is not None:
            self.after_mark(count)
