"""Dossier packages: a permit's files archived under one prefix with a checksummed manifest.

Archiving is idempotent and resumable through an ``ArchiveIndex`` (database rows in
``workflow/``): each key is claimed before it is written and marked written with its SHA-256 and
version id after. A retry skips what the index says is written and lets ``put_locked`` recognise
what reached the store before a crash; the manifest is written last, so a dossier whose manifest
exists is complete.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from archive._keys import sha256_hex, validate_key
from archive._store import ArchiveStore
from archive._types import RetentionPolicy, StoredObject
from archive.errors import ArchiveConflict, InvalidKey, ObjectCorrupted

MANIFEST_NAME = "manifest.json"
MANIFEST_PROFILE = "pintu-dossier/1"


@dataclass(frozen=True, slots=True)
class DossierFile:
    """One file of a dossier as it will be archived."""

    name: str
    """Name inside the dossier, e.g. ``permit.pdf`` or ``requirements/ktp.jpg``."""
    data: bytes = field(repr=False)
    """The bytes (kept out of ``repr``: documents never reach logs)."""
    content_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One archived file as the manifest records it."""

    name: str
    key: str
    sha256: str
    size: int
    version_id: str | None
    content_type: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """The BagIt-like inventory of a dossier, checksummed over its own canonical form."""

    prefix: str
    files: tuple[ManifestEntry, ...]
    labels: tuple[tuple[str, str], ...] = ()
    """Searchable facts about the dossier (permit number, NIB, application id), sorted."""

    def _body(self) -> dict[str, Any]:
        return {
            "profile": MANIFEST_PROFILE,
            "prefix": self.prefix,
            "labels": dict(self.labels),
            "payload_oxum": f"{sum(f.size for f in self.files)}.{len(self.files)}",
            "files": [
                {
                    "name": f.name,
                    "key": f.key,
                    "sha256": f.sha256,
                    "size": f.size,
                    "version_id": f.version_id,
                    "content_type": f.content_type,
                }
                for f in self.files
            ],
        }

    @property
    def checksum(self) -> str:
        """SHA-256 of the manifest's canonical JSON (without the checksum field itself)."""
        return sha256_hex(_canonical(self._body()))

    def to_json(self) -> bytes:
        """Serialise deterministically: the same dossier always gives the same bytes."""
        document = {**self._body(), "manifest_sha256": self.checksum}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"

    def entry(self, name: str) -> ManifestEntry:
        """Return the entry of the file called ``name``; raise KeyError."""
        for item in self.files:
            if item.name == name:
                return item
        raise KeyError(name)


def _canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def build_manifest(
    prefix: str, entries: Sequence[ManifestEntry], *, labels: Mapping[str, str] | None = None
) -> Manifest:
    """Build the manifest of the files archived under ``prefix`` (entries sorted by name)."""
    validate_key(prefix)
    ordered = tuple(sorted(entries, key=lambda e: e.name))
    names = [e.name for e in ordered]
    if len(set(names)) != len(names):
        raise InvalidKey("a dossier holds each file name once")
    return Manifest(prefix, ordered, tuple(sorted((labels or {}).items())))


def parse_manifest(raw: bytes) -> Manifest:
    """Parse manifest bytes and check their checksum; raise ObjectCorrupted if they do not hold."""
    try:
        document = json.loads(raw)
        recorded = document.pop("manifest_sha256")
        manifest = Manifest(
            prefix=document["prefix"],
            files=tuple(ManifestEntry(**item) for item in document["files"]),
            labels=tuple(sorted(document["labels"].items())),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ObjectCorrupted("manifest is not a Pintu dossier manifest") from exc
    if document.get("profile") != MANIFEST_PROFILE or manifest.checksum != recorded:
        raise ObjectCorrupted(f"manifest of {manifest.prefix} does not match its checksum")
    return manifest


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """An archive index row as it stands after a claim."""

    key: str
    sha256: str
    """SHA-256 the key was claimed (and, once written, stored) with."""
    written: bool
    version_id: str | None = None
    fresh: bool = False
    """True only when this claim created the row: no earlier attempt can have reached the store,
    so the write relies on the server's If-None-Match instead of listing the key's history first
    (leave False when unsure: the full check then runs)."""


class ArchiveIndex(Protocol):
    """The workflow's record of archived keys (one unique row per key)."""

    def claim(self, key: str, sha256: str) -> IndexEntry:
        """Create the row for ``key`` if missing and return it as it stands.

        A written row comes back unchanged (with its SHA-256 and version id); an unwritten one
        is re-claimed for ``sha256``.
        """
        ...

    def mark_written(self, key: str, sha256: str, version_id: str | None) -> None:
        """Record that ``key`` now holds ``sha256`` as version ``version_id``."""
        ...


@dataclass(frozen=True, slots=True)
class DossierReceipt:
    """What an archived dossier consists of: its files and its manifest."""

    prefix: str
    manifest: Manifest
    manifest_object: StoredObject
    objects: tuple[StoredObject, ...]
    reused: int = field(default=0)
    """How many keys the index already recorded as written (skipped without a store call)."""


def _archive_one(
    store: ArchiveStore,
    index: ArchiveIndex,
    key: str,
    data: bytes,
    content_type: str,
    retention: RetentionPolicy,
) -> tuple[StoredObject, bool]:
    sha256 = sha256_hex(data)
    row = index.claim(key, sha256)
    if row.written:
        if row.sha256 != sha256:
            raise ArchiveConflict(f"index records other bytes for archived key {key}")
        return StoredObject(key, sha256, len(data), row.version_id), True
    stored = store.put_locked(
        key, data, content_type=content_type, retention=retention, expect_new=row.fresh
    )
    index.mark_written(key, stored.sha256, stored.version_id)
    return stored, False


def archive_dossier(
    store: ArchiveStore,
    index: ArchiveIndex,
    prefix: str,
    files: Sequence[DossierFile],
    retention: RetentionPolicy,
    *,
    labels: Mapping[str, str] | None = None,
) -> DossierReceipt:
    """Archive ``files`` under ``prefix``, then their manifest; safe to run again after a failure.

    Keys are ``{prefix}/{file name}`` and ``{prefix}/manifest.json``. The files must be the same
    bytes on every run (stored artefacts, not re-rendered), or the retry ends in ArchiveConflict.
    """
    validate_key(prefix)
    names = [f.name for f in files]
    if MANIFEST_NAME in names or len(set(names)) != len(names):
        raise InvalidKey(f"dossier file names must be unique and not {MANIFEST_NAME!r}")
    entries: list[ManifestEntry] = []
    objects: list[StoredObject] = []
    reused = 0
    for item in files:
        key = validate_key(f"{prefix}/{item.name}")
        stored, skipped = _archive_one(store, index, key, item.data, item.content_type, retention)
        reused += skipped
        objects.append(stored)
        entries.append(
            ManifestEntry(
                item.name, key, stored.sha256, stored.size, stored.version_id, item.content_type
            )
        )
    manifest = build_manifest(prefix, entries, labels=labels)
    manifest_object, skipped = _archive_one(
        store,
        index,
        f"{prefix}/{MANIFEST_NAME}",
        manifest.to_json(),
        "application/json",
        retention,
    )
    return DossierReceipt(prefix, manifest, manifest_object, tuple(objects), reused + skipped)


@dataclass(frozen=True, slots=True)
class RetrievedDossier:
    """A dossier read back by version id, every file checked against the manifest."""

    manifest: Manifest
    files: tuple[DossierFile, ...]


def load_manifest(store: ArchiveStore, key: str, version_id: str | None) -> Manifest:
    """Read and check one manifest version."""
    return parse_manifest(store.get(key, version_id))


def retrieve_dossier(
    store: ArchiveStore, manifest_key: str, version_id: str | None
) -> RetrievedDossier:
    """Read a dossier's files by the version ids its manifest records; raise ObjectCorrupted."""
    manifest = load_manifest(store, manifest_key, version_id)
    files = []
    for entry in manifest.files:
        data = store.get(entry.key, entry.version_id, verify=False)
        if sha256_hex(data) != entry.sha256:
            raise ObjectCorrupted(f"{entry.key} does not match the manifest of {manifest.prefix}")
        files.append(DossierFile(entry.name, data, entry.content_type))
    return RetrievedDossier(manifest, tuple(files))
