"""Folder backend: the embedded default, with the archive's no-overwrite semantics on disk.

Files are written to a temporary name and hard-linked into place: ``os.link`` refuses an existing
target, so no key is ever written twice, even by two processes at once. Stored files are made
read-only. Each archived key has a JSON sidecar (``meta/<key>.json``) with its SHA-256, version id
and retention; the folder store keeps one version per key, so its version id is derived from the
key and the SHA-256.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
import stat as stat_mode
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive._keys import document_key, sha256_hex, validate_key, validate_prefix, validate_sha256
from archive._types import (
    ObjectRetention,
    ObjectVersion,
    RetentionMode,
    RetentionPolicy,
    StoredObject,
    retain_until,
)
from archive.errors import (
    ArchiveConflict,
    InvalidKey,
    ObjectCorrupted,
    ObjectNotFound,
    RetentionLocked,
    StorageUnavailable,
)

_READ_ONLY = stat_mode.S_IRUSR | stat_mode.S_IRGRP | stat_mode.S_IROTH


@contextmanager
def _os_errors(action: str) -> Iterator[None]:
    """Translate OS failures (disk full, permissions) into StorageUnavailable."""
    try:
        yield
    except OSError as exc:
        raise StorageUnavailable(f"folder store could not {action}: {exc.strerror}") from exc


def _write_new(path: Path, data: bytes, tmp_dir: Path) -> bool:
    """Write ``data`` to ``path`` read-only unless it exists; return whether this call wrote it."""
    tmp = tmp_dir / uuid.uuid4().hex
    try:
        with tmp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_READ_ONLY)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


class FolderDocumentStore:
    """Content-addressed working documents under ``root/sha256/ab/<hex>``."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._tmp = root / "tmp"
        with _os_errors("create its folders"):
            self._tmp.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, *, content_type: str) -> StoredObject:
        """Store ``data`` under its SHA-256 key; the same bytes twice are stored once."""
        sha256 = sha256_hex(data)
        key = document_key(sha256)
        with _os_errors("write a document"):
            _write_new(self._root / key, data, self._tmp)
        return StoredObject(key=key, sha256=sha256, size=len(data), version_id=None)

    def get(self, sha256: str) -> bytes:
        """Return the bytes with this SHA-256 (verified); raise ObjectNotFound."""
        key = document_key(validate_sha256(sha256))
        try:
            data = (self._root / key).read_bytes()
        except FileNotFoundError as exc:
            raise ObjectNotFound(f"no document {key}") from exc
        except OSError as exc:
            raise StorageUnavailable(f"folder store could not read {key}: {exc.strerror}") from exc
        if sha256_hex(data) != sha256:
            raise ObjectCorrupted(f"document {key} does not match its SHA-256")
        return data

    def exists(self, sha256: str) -> bool:
        """Tell whether bytes with this SHA-256 are stored."""
        return (self._root / document_key(validate_sha256(sha256))).is_file()


@dataclass(frozen=True, slots=True)
class _Meta:
    key: str
    sha256: str
    size: int
    version_id: str
    content_type: str
    mode: RetentionMode | None
    retain_until: datetime | None
    legal_hold: bool

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "key": self.key,
                "sha256": self.sha256,
                "size": self.size,
                "version_id": self.version_id,
                "content_type": self.content_type,
                "mode": self.mode,
                "retain_until": self.retain_until.isoformat() if self.retain_until else None,
                "legal_hold": self.legal_hold,
            },
            sort_keys=True,
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> _Meta:
        doc: dict[str, Any] = json.loads(raw)
        until = doc["retain_until"]
        return cls(
            key=doc["key"],
            sha256=doc["sha256"],
            size=doc["size"],
            version_id=doc["version_id"],
            content_type=doc["content_type"],
            mode=doc["mode"],
            retain_until=datetime.fromisoformat(until) if until else None,
            legal_hold=doc["legal_hold"],
        )

    def stored(self) -> StoredObject:
        return StoredObject(self.key, self.sha256, self.size, self.version_id)

    def locked(self, now: datetime) -> bool:
        return self.legal_hold or (self.retain_until is not None and now < self.retain_until)


def _version_id(key: str, sha256: str) -> str:
    return hashlib.sha256(f"{key}\n{sha256}".encode()).hexdigest()[:32]


class FolderArchiveStore:
    """The locked archive in a folder: ``data/<key>`` read-only plus ``meta/<key>.json``."""

    def __init__(self, root: Path) -> None:
        self._data = root / "data"
        self._meta = root / "meta"
        self._tmp = root / "tmp"
        with _os_errors("create its folders"):
            for folder in (self._data, self._meta, self._tmp):
                folder.mkdir(parents=True, exist_ok=True)

    def _read_meta(self, key: str) -> _Meta | None:
        data_path = self._data / key
        if not data_path.is_file():
            return None  # never written, or lost (the fixity audit reports that)
        try:
            return _Meta.from_json((self._meta / f"{key}.json").read_bytes())
        except FileNotFoundError:
            pass
        # The data file is the commit point; a crash may have left it without its sidecar.
        # The retention is then unknown until put_locked's retry writes the sidecar.
        try:
            data = data_path.read_bytes()
        except FileNotFoundError:
            return None
        sha256 = sha256_hex(data)
        return _Meta(key, sha256, len(data), _version_id(key, sha256), "", None, None, False)

    def _find(self, key: str, version_id: str | None) -> _Meta | None:
        validate_key(key)
        with _os_errors(f"read {key}"):
            meta = self._read_meta(key)
        if meta is None or (version_id is not None and version_id != meta.version_id):
            return None
        return meta

    def _require(self, key: str, version_id: str | None) -> _Meta:
        meta = self._find(key, version_id)
        if meta is None:
            raise ObjectNotFound(f"no archived object {key} version {version_id}")
        return meta

    def put_locked(
        self,
        key: str,
        data: bytes,
        *,
        content_type: str,
        retention: RetentionPolicy,
        expect_new: bool = False,
    ) -> StoredObject:
        """Write ``data`` once under ``key`` with retention; same bytes already there count.

        ``expect_new`` changes nothing here: the hard link is the atomic check.
        """
        sha256 = sha256_hex(data)
        existing = self._find(key, None)
        if existing is None and (self._meta / f"{key}.json").exists():
            raise ArchiveConflict(f"archived key {key} has a record but lost its data")
        if existing is None:
            self._refuse_folder_collision(key)
            with _os_errors(f"write {key}"):
                _write_new(self._data / key, data, self._tmp)
            existing = self._require(key, None)
        if existing.sha256 != sha256:
            raise ArchiveConflict(f"archived key {key} already holds other bytes")
        if existing.mode is None and not existing.legal_hold:
            meta = _Meta(
                key=key,
                sha256=sha256,
                size=len(data),
                version_id=existing.version_id,
                content_type=content_type,
                mode=retention.mode,
                retain_until=retain_until(retention, datetime.now(UTC)),
                legal_hold=retention.legal_hold,
            )
            with _os_errors(f"write the sidecar of {key}"):
                _write_new(self._meta / f"{key}.json", meta.to_json(), self._tmp)
        return existing.stored()

    def _refuse_folder_collision(self, key: str) -> None:
        # S3 allows both "a/b" and "a/b/c"; a file system cannot hold both.
        path = self._data / key
        parents = [p for p in path.parents if p.is_relative_to(self._data) and p != self._data]
        if path.is_dir() or any(p.is_file() for p in parents):
            raise InvalidKey(f"key {key} collides with another key's folder in the folder store")

    def get(self, key: str, version_id: str | None = None, *, verify: bool = True) -> bytes:
        """Return one version's bytes (the latest without ``version_id``); raise ObjectNotFound."""
        meta = self._require(key, version_id)
        with _os_errors(f"read {key}"):
            try:
                data = (self._data / key).read_bytes()
            except FileNotFoundError as exc:
                raise ObjectNotFound(f"no archived object {key}") from exc
        if verify and sha256_hex(data) != meta.sha256:
            raise ObjectCorrupted(f"archived object {key} does not match its SHA-256")
        return data

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        """Describe one version (the latest without ``version_id``), or None if absent."""
        meta = self._find(key, version_id)
        return meta.stored() if meta else None

    def list(
        self, prefix: str, *, start_after: str | None = None, limit: int = 100
    ) -> builtins.list[StoredObject]:
        """List keys under ``prefix`` in key order, one page at a time."""
        validate_prefix(prefix)
        if limit < 1:
            return []
        # Walk only the deepest folder the prefix names.
        base = self._data / prefix.rpartition("/")[0] if "/" in prefix else self._data
        keys: builtins.list[str] = []
        with _os_errors("list the archive"):
            for folder, _dirs, files in os.walk(base):
                for name in files:
                    key = (Path(folder) / name).relative_to(self._data).as_posix()
                    if key.startswith(prefix) and (start_after is None or key > start_after):
                        keys.append(key)
        keys.sort(key=str.encode)
        page: builtins.list[StoredObject] = []
        for key in keys:
            found = self.stat(key)
            if found is not None:
                page.append(found)
            if len(page) == limit:
                break
        return page

    def list_versions(self, key: str) -> builtins.list[ObjectVersion]:
        """List every version of exactly ``key`` (the folder store keeps one)."""
        meta = self._find(key, None)
        if meta is None:
            return []
        with _os_errors(f"read {key}"):
            mtime = (self._data / key).stat().st_mtime
        modified = datetime.fromtimestamp(mtime, UTC)
        return [ObjectVersion(key, meta.version_id, True, False, meta.size, modified)]

    def presigned_get_url(self, key: str, version_id: str | None, expires: timedelta) -> str | None:
        """Return None: the folder store has no URL, the caller streams ``get``'s bytes."""
        validate_key(key)
        return None

    def get_retention(self, key: str, version_id: str) -> ObjectRetention:
        """Return the lock currently on one version; raise ObjectNotFound."""
        meta = self._require(key, version_id)
        return ObjectRetention(meta.mode, meta.retain_until, meta.legal_hold)

    def set_retention(
        self, key: str, version_id: str, *, mode: RetentionMode, retain_until: datetime
    ) -> None:
        """Change one version's retention; shortening a locked version raises RetentionLocked."""
        meta = self._require(key, version_id)
        now = datetime.now(UTC)
        if meta.locked(now) and meta.retain_until is not None:
            if retain_until < meta.retain_until:
                raise RetentionLocked(f"retention of {key} {version_id} cannot be shortened")
            if meta.mode == "COMPLIANCE" and mode != "COMPLIANCE":
                raise RetentionLocked(f"COMPLIANCE mode of {key} {version_id} cannot be relaxed")
        updated = _Meta(
            meta.key,
            meta.sha256,
            meta.size,
            meta.version_id,
            meta.content_type,
            mode,
            retain_until.astimezone(UTC).replace(microsecond=0),
            meta.legal_hold,
        )
        tmp = self._tmp / uuid.uuid4().hex
        with _os_errors(f"update the sidecar of {key}"):
            tmp.write_bytes(updated.to_json())
            tmp.chmod(_READ_ONLY)
            tmp.replace(self._meta / f"{key}.json")

    def delete_version(self, key: str, version_id: str) -> None:
        """Delete one version; a locked version raises RetentionLocked."""
        meta = self._require(key, version_id)
        if meta.locked(datetime.now(UTC)):
            raise RetentionLocked(f"archived version {key} {version_id} is under retention")
        with _os_errors(f"delete {key}"):
            (self._data / key).unlink()
            with suppress(FileNotFoundError):
                (self._meta / f"{key}.json").unlink()
