"""Archiving a permit's dossier: idempotent, resumable, checksummed (both backends)."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from archive import (
    ArchiveConflict,
    ArchiveStore,
    DossierFile,
    InvalidKey,
    ObjectCorrupted,
    RetentionPolicy,
    StorageUnavailable,
    archive_dossier,
    open_stores,
    parse_manifest,
    retrieve_dossier,
)
from tests.archive._dossiers import sample_dossier
from tests.archive._index import DatabaseDown, MemoryIndex
from tests.archive.conftest import seaweed_config
from tests.fixtures.seaweed import SeaweedS3

PREFIX = "2026/503.1-2026"
LABELS = {"permit_number": "503.1/2026", "nib": "9120001234567", "application_id": "42"}
RETENTION = RetentionPolicy()


def _versions_per_key(archive: ArchiveStore, prefix: str) -> dict[str, int]:
    return {
        o.key: len(archive.list_versions(o.key)) for o in archive.list(prefix + "/", limit=1000)
    }


def test_dossier_is_archived_with_a_checksummed_manifest(archive: ArchiveStore) -> None:
    files = sample_dossier()
    receipt = archive_dossier(archive, MemoryIndex(), PREFIX, files, RETENTION, labels=LABELS)

    assert receipt.manifest_object.key == f"{PREFIX}/manifest.json"
    stored_manifest = archive.get(receipt.manifest_object.key, receipt.manifest_object.version_id)
    assert stored_manifest == receipt.manifest.to_json()
    manifest = parse_manifest(stored_manifest)
    assert manifest == receipt.manifest
    assert dict(manifest.labels) == LABELS
    assert [e.name for e in manifest.files] == sorted(f.name for f in files)
    for item in files:
        entry = manifest.entry(item.name)
        assert entry.key == f"{PREFIX}/{item.name}"
        assert entry.sha256 == hashlib.sha256(item.data).hexdigest()
        assert entry.size == len(item.data)
        assert archive.stat(entry.key, entry.version_id) is not None
    document = json.loads(stored_manifest)
    assert document["payload_oxum"] == f"{sum(len(f.data) for f in files)}.{len(files)}"


def test_tampered_manifest_is_detected(archive: ArchiveStore) -> None:
    receipt = archive_dossier(archive, MemoryIndex(), PREFIX, sample_dossier(), RETENTION)
    raw = receipt.manifest.to_json().replace(b'"size": ', b'"size": 1', 1)
    with pytest.raises(ObjectCorrupted):
        parse_manifest(raw)
    with pytest.raises(ObjectCorrupted):
        parse_manifest(b"not json")


def test_dossier_reads_back_by_version_ids(archive: ArchiveStore) -> None:
    files = sample_dossier()
    receipt = archive_dossier(archive, MemoryIndex(), PREFIX, files, RETENTION)
    back = retrieve_dossier(
        archive, receipt.manifest_object.key, receipt.manifest_object.version_id
    )
    assert sorted(back.files, key=lambda f: f.name) == sorted(files, key=lambda f: f.name)


def test_archiving_the_same_permit_twice_stores_once(archive: ArchiveStore) -> None:
    files = sample_dossier()
    index = MemoryIndex()
    first = archive_dossier(archive, index, PREFIX, files, RETENTION, labels=LABELS)
    again = archive_dossier(archive, index, PREFIX, files, RETENTION, labels=LABELS)
    assert again.manifest == first.manifest
    assert again.manifest_object == first.manifest_object
    assert again.reused == len(files) + 1
    # Even with the index lost, the store recognises every file and the manifest.
    rebuilt = archive_dossier(archive, MemoryIndex(), PREFIX, files, RETENTION, labels=LABELS)
    assert rebuilt.manifest_object == first.manifest_object
    assert _versions_per_key(archive, PREFIX) == {
        f"{PREFIX}/{n}": 1 for n in [*(f.name for f in files), "manifest.json"]
    }


def test_index_failure_after_a_write_is_completed_by_the_retry(archive: ArchiveStore) -> None:
    files = sample_dossier()
    index = MemoryIndex(fail_before_mark=3)
    with pytest.raises(DatabaseDown):
        archive_dossier(archive, index, PREFIX, files, RETENTION)
    assert archive.stat(f"{PREFIX}/manifest.json") is None  # incomplete: no manifest yet

    receipt = archive_dossier(archive, index, PREFIX, files, RETENTION)
    assert receipt.reused == 2
    assert all(row.written for row in index.rows.values())
    assert set(_versions_per_key(archive, PREFIX).values()) == {1}
    assert len(index.rows) == len(files) + 1


def test_other_bytes_for_an_archived_file_are_an_alarm(archive: ArchiveStore) -> None:
    files = sample_dossier()
    index = MemoryIndex()
    archive_dossier(archive, index, PREFIX, files, RETENTION)
    changed = [
        DossierFile(f.name, f.data + b" ", f.content_type) if f.name == "bap.pdf" else f
        for f in files
    ]
    with pytest.raises(ArchiveConflict):
        archive_dossier(archive, index, PREFIX, changed, RETENTION)
    with pytest.raises(ArchiveConflict):
        archive_dossier(archive, MemoryIndex(), PREFIX, changed, RETENTION)


@pytest.mark.parametrize("names", [["manifest.json"], ["a.pdf", "a.pdf"], ["../escape.pdf"]])
def test_bad_file_names_are_refused(archive: ArchiveStore, names: list[str]) -> None:
    files = [DossierFile(n, b"x", "text/plain") for n in names]
    with pytest.raises(InvalidKey):
        archive_dossier(archive, MemoryIndex(), PREFIX, files, RETENTION)


@pytest.mark.integration
def test_s3_outage_midway_ends_complete_after_the_retry(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    _, archive = open_stores(seaweed_config(seaweed_s3, unique_bucket))
    files = sample_dossier()

    def stop_after_third(marked: int) -> None:
        if marked == 3:
            seaweed_s3.stop()  # the real server process goes away mid-dossier

    index = MemoryIndex(after_mark=stop_after_third)
    try:
        with pytest.raises(StorageUnavailable):
            archive_dossier(archive, index, PREFIX, files, RETENTION, labels=LABELS)
    finally:
        seaweed_s3.start()
    assert sum(row.written for row in index.rows.values()) == 3
    assert archive.stat(f"{PREFIX}/manifest.json") is None

    receipt = archive_dossier(archive, index, PREFIX, files, RETENTION, labels=LABELS)
    assert receipt.reused == 3
    versions = _versions_per_key(archive, PREFIX)
    assert len(versions) == len(files) + 1
    assert set(versions.values()) == {1}  # nothing duplicated
    back = retrieve_dossier(
        archive, receipt.manifest_object.key, receipt.manifest_object.version_id
    )
    assert {f.name: f.data for f in back.files} == {f.name: f.data for f in files}


def test_two_workers_archiving_the_same_permit_at_once_store_each_file_once(
    archive: ArchiveStore,
) -> None:
    files = sample_dossier(seed=9, scan_bytes=50_000)
    index = MemoryIndex()
    with ThreadPoolExecutor(max_workers=2) as pool:
        receipts = list(
            pool.map(lambda _: archive_dossier(archive, index, PREFIX, files, RETENTION), range(2))
        )
    assert receipts[0].manifest_object == receipts[1].manifest_object
    versions = _versions_per_key(archive, PREFIX)
    assert len(versions) == len(files) + 1
    assert set(versions.values()) == {1}
