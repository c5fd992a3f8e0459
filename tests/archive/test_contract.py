"""One contract for both backends (folder and SeaweedFS): every test runs against each."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import urllib3

from archive import (
    ArchiveConflict,
    ArchiveStore,
    DocumentStore,
    InvalidKey,
    ObjectCorrupted,
    ObjectNotFound,
    RetentionLocked,
    RetentionPolicy,
    StorageConfig,
    open_stores,
)

TEN_YEARS = RetentionPolicy()
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def test_document_is_stored_under_its_sha256(documents: DocumentStore) -> None:
    stored = documents.put(PDF, content_type="application/pdf")
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored.sha256 == digest
    assert stored.key == f"sha256/{digest[:2]}/{digest}"
    assert stored.size == len(PDF)
    assert documents.get(digest) == PDF
    assert documents.exists(digest)


def test_same_document_twice_is_stored_once(documents: DocumentStore) -> None:
    first = documents.put(PDF, content_type="application/pdf")
    second = documents.put(PDF, content_type="application/pdf")
    assert first == second
    assert documents.get(first.sha256) == PDF


def test_missing_document_is_not_found(documents: DocumentStore) -> None:
    digest = hashlib.sha256(b"never stored").hexdigest()
    assert not documents.exists(digest)
    with pytest.raises(ObjectNotFound):
        documents.get(digest)
    with pytest.raises(InvalidKey):
        documents.get("../../etc/passwd")


def test_archived_version_reads_back_by_version_id(archive: ArchiveStore) -> None:
    stored = archive.put_locked(
        "2026/503/permit.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS
    )
    assert stored.key == "2026/503/permit.pdf"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.version_id
    assert archive.get(stored.key, stored.version_id) == PDF
    assert archive.get(stored.key) == PDF
    assert archive.stat(stored.key, stored.version_id) == stored
    assert archive.stat(stored.key) == stored


def test_unknown_key_or_version_is_not_found(archive: ArchiveStore) -> None:
    stored = archive.put_locked("a/b.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS)
    assert archive.stat("a/missing.pdf") is None
    assert archive.list_versions("a/missing.pdf") == []
    with pytest.raises(ObjectNotFound):
        archive.get("a/missing.pdf")
    other_version = "0" * len(stored.version_id or "x")
    assert archive.stat("a/b.pdf", other_version) is None
    with pytest.raises(ObjectNotFound):
        archive.get("a/b.pdf", other_version)


def test_archiving_the_same_bytes_twice_stores_one_version(archive: ArchiveStore) -> None:
    first = archive.put_locked(
        "2026/7/bap.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS
    )
    again = archive.put_locked(
        "2026/7/bap.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS
    )
    assert again == first
    versions = archive.list_versions("2026/7/bap.pdf")
    assert [(v.version_id, v.is_latest, v.is_delete_marker) for v in versions] == [
        (first.version_id, True, False)
    ]


def test_other_bytes_under_an_archived_key_are_refused(archive: ArchiveStore) -> None:
    first = archive.put_locked(
        "2026/8/bap.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS
    )
    with pytest.raises(ArchiveConflict):
        archive.put_locked(
            "2026/8/bap.pdf", PDF + b"tampered", content_type="application/pdf", retention=TEN_YEARS
        )
    assert archive.get("2026/8/bap.pdf") == PDF
    assert [v.version_id for v in archive.list_versions("2026/8/bap.pdf")] == [first.version_id]


@pytest.mark.parametrize("mode", ["COMPLIANCE", "GOVERNANCE"])
def test_deleting_a_locked_version_is_refused(archive: ArchiveStore, mode: str) -> None:
    policy = RetentionPolicy(mode=mode, days=1)  # type: ignore[arg-type]
    stored = archive.put_locked(
        "k/permit.pdf", PDF, content_type="application/pdf", retention=policy
    )
    assert stored.version_id
    with pytest.raises(RetentionLocked):
        archive.delete_version(stored.key, stored.version_id)
    assert archive.get(stored.key, stored.version_id) == PDF


def test_retention_can_be_extended_but_not_shortened(archive: ArchiveStore) -> None:
    stored = archive.put_locked(
        "k/manifest.json", b"{}", content_type="application/json", retention=RetentionPolicy(days=2)
    )
    assert stored.version_id
    lock = archive.get_retention(stored.key, stored.version_id)
    assert lock.mode == "COMPLIANCE"
    assert lock.retain_until is not None
    expected = datetime.now(UTC) + timedelta(days=2)
    assert abs((lock.retain_until - expected).total_seconds()) < 120
    with pytest.raises(RetentionLocked):
        archive.set_retention(
            stored.key,
            stored.version_id,
            mode="COMPLIANCE",
            retain_until=expected - timedelta(days=1),
        )
    with pytest.raises(RetentionLocked):
        archive.set_retention(
            stored.key,
            stored.version_id,
            mode="GOVERNANCE",
            retain_until=expected + timedelta(days=1),
        )
    longer = (expected + timedelta(days=3)).replace(microsecond=0)
    archive.set_retention(stored.key, stored.version_id, mode="COMPLIANCE", retain_until=longer)
    assert archive.get_retention(stored.key, stored.version_id).retain_until == longer


def test_legal_hold_is_recorded(archive: ArchiveStore) -> None:
    policy = RetentionPolicy(days=1, legal_hold=True)
    stored = archive.put_locked("k/held.pdf", PDF, content_type="application/pdf", retention=policy)
    assert stored.version_id
    assert archive.get_retention(stored.key, stored.version_id).legal_hold


def test_listing_pages_through_a_prefix_in_key_order(archive: ArchiveStore) -> None:
    names = ["e.pdf", "a.pdf", "c/x.json", "b.pdf", "d.pdf"]
    for name in names:
        archive.put_locked(
            f"2026/12/{name}", name.encode(), content_type="text/plain", retention=TEN_YEARS
        )
    archive.put_locked(
        "2026/13/a.pdf", b"other permit", content_type="text/plain", retention=TEN_YEARS
    )

    first = archive.list("2026/12/", limit=2)
    assert [o.key for o in first] == ["2026/12/a.pdf", "2026/12/b.pdf"]
    assert first[0].sha256 == hashlib.sha256(b"a.pdf").hexdigest()
    rest = archive.list("2026/12/", start_after=first[-1].key, limit=10)
    assert [o.key for o in rest] == ["2026/12/c/x.json", "2026/12/d.pdf", "2026/12/e.pdf"]
    assert all(o.version_id for o in rest)
    assert archive.list("2026/12/", start_after="2026/12/e.pdf") == []
    assert [o.key for o in archive.list("2026/1")] == [f"2026/12/{n}" for n in sorted(names)] + [
        "2026/13/a.pdf"
    ]


@pytest.mark.parametrize(
    "key", ["", "/abs.pdf", "a//b.pdf", "../escape.pdf", "a/./b", "a\\b", "a/.hidden"]
)
def test_keys_that_could_escape_are_refused(archive: ArchiveStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        archive.put_locked(key, PDF, content_type="application/pdf", retention=TEN_YEARS)


def test_presigned_url_if_offered_serves_that_version(archive: ArchiveStore) -> None:
    stored = archive.put_locked(
        "k/dl.pdf", PDF, content_type="application/pdf", retention=TEN_YEARS
    )
    url = archive.presigned_get_url(stored.key, stored.version_id, timedelta(minutes=5))
    if url is None:  # the folder store: the API streams archive.get() instead
        assert archive.get(stored.key, stored.version_id) == PDF
        return
    response = urllib3.request("GET", url, timeout=5.0)
    assert response.status == 200
    assert response.data == PDF


def test_corrupted_document_in_the_folder_store_is_refused(tmp_path: Path) -> None:
    documents, _ = open_stores(StorageConfig(folder=tmp_path))
    stored = documents.put(PDF, content_type="application/pdf")
    path = tmp_path / "documents" / stored.key
    path.chmod(0o600)
    path.write_bytes(PDF[:-1] + b"!")
    with pytest.raises(ObjectCorrupted):
        documents.get(stored.sha256)
