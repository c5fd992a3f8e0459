"""The two store contracts: a content-addressed working store and a locked archive.

Both backends (``_folder.py``, ``_s3.py``) implement them and pass the same contract tests.
"""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta
from typing import Protocol

from archive._types import (
    ObjectRetention,
    ObjectVersion,
    RetentionMode,
    RetentionPolicy,
    StoredObject,
)


class DocumentStore(Protocol):
    """Working documents (uploads, drafts, signed permits before archiving), keyed by SHA-256."""

    def put(self, data: bytes, *, content_type: str) -> StoredObject:
        """Store ``data`` under its SHA-256 key; the same bytes twice are stored once."""
        ...

    def get(self, sha256: str) -> bytes:
        """Return the bytes with this SHA-256 (verified); raise ObjectNotFound."""
        ...

    def exists(self, sha256: str) -> bool:
        """Tell whether bytes with this SHA-256 are stored."""
        ...


class ArchiveStore(Protocol):
    """The locked archive: each key written once, each version under retention."""

    def put_locked(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        retention: RetentionPolicy,
        expect_new: bool = False,
    ) -> StoredObject:
        """Write ``data`` once under ``key`` with retention; the same bytes already there count.

        Raises ArchiveConflict when the key holds other bytes or has a history (delete marker).
        The key's history is checked before writing unless ``expect_new`` (the caller's index
        shows no earlier attempt): the write is then conditional on the server (If-None-Match),
        and the history is checked only if the server reports the key taken.
        """
        ...

    def get(self, key: str, version_id: str | None = None, *, verify: bool = True) -> bytes:
        """Return one version's bytes (the latest without ``version_id``); raise ObjectNotFound.

        With ``verify`` the bytes are checked against the SHA-256 recorded at writing
        (ObjectCorrupted on mismatch).
        """
        ...

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        """Describe one version (the latest without ``version_id``), or None if absent."""
        ...

    def list(
        self, prefix: str, *, start_after: str | None = None, limit: int = 100
    ) -> builtins.list[StoredObject]:
        """List the latest versions of keys under ``prefix`` in key order, one page at a time."""
        ...

    def list_versions(self, key: str) -> builtins.list[ObjectVersion]:
        """List every version of exactly ``key``, delete markers included."""
        ...

    def presigned_get_url(self, key: str, version_id: str | None, expires: timedelta) -> str | None:
        """Return a short-lived download URL, or None where the caller must stream the bytes."""
        ...

    def get_retention(self, key: str, version_id: str) -> ObjectRetention:
        """Return the lock currently on one version; raise ObjectNotFound."""
        ...

    def set_retention(
        self, key: str, version_id: str, *, mode: RetentionMode, retain_until: datetime
    ) -> None:
        """Change one version's retention; shortening a locked version raises RetentionLocked."""
        ...

    def delete_version(self, key: str, version_id: str) -> None:
        """Delete one version; a locked version raises RetentionLocked (never retried around)."""
        ...
