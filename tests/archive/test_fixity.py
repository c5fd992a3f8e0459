"""The fixity audit finds corruption, loss, delete markers and writes that got past Pintu."""

from __future__ import annotations

import hashlib
import io
import random
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.error import S3Error

from archive import (
    ArchiveConflict,
    ArchiveStore,
    AuditCandidate,
    FixityResult,
    FixityStatus,
    FixityTarget,
    ObjectCorrupted,
    RetentionPolicy,
    Severity,
    StorageConfig,
    archive_dossier,
    audit_fixity,
    open_stores,
    select_for_audit,
)
from tests.archive._dossiers import sample_dossier
from tests.archive._index import MemoryIndex
from tests.archive.conftest import seaweed_config
from tests.fixtures.seaweed import SeaweedS3

PREFIX = "2026/77"


def _targets(archive: ArchiveStore) -> list[FixityTarget]:
    receipt = archive_dossier(
        archive, MemoryIndex(), PREFIX, sample_dossier(seed=77), RetentionPolicy()
    )
    manifest = receipt.manifest_object
    return [FixityTarget(e.key, e.version_id, e.sha256) for e in receipt.manifest.files] + [
        FixityTarget(manifest.key, manifest.version_id, manifest.sha256)
    ]


def _by_key(results: list[FixityResult]) -> dict[str, FixityResult]:
    return {r.target.key: r for r in results}


def test_an_intact_dossier_passes(archive: ArchiveStore) -> None:
    results = audit_fixity(archive, _targets(archive))
    assert len(results) == 10
    assert {r.status for r in results} == {FixityStatus.INTACT}
    assert {r.severity for r in results} == {Severity.OK}
    assert all(r.actual_sha256 == r.target.sha256 for r in results)


def test_corrupted_and_lost_files_in_the_folder_store_are_found(tmp_path: Path) -> None:
    _, archive = open_stores(StorageConfig(folder=tmp_path))
    targets = _targets(archive)
    data = tmp_path / "archive" / "data"
    corrupted = data / PREFIX / "bap.pdf"
    corrupted.chmod(stat.S_IRUSR | stat.S_IWUSR)  # someone with shell access on the server
    with corrupted.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\x00\x00\x00")
    (data / PREFIX / "findings.json").unlink()

    results = _by_key(audit_fixity(archive, targets))
    bap = results[f"{PREFIX}/bap.pdf"]
    assert bap.status is FixityStatus.MISMATCH
    assert bap.severity is Severity.ERROR
    assert bap.actual_sha256 != bap.target.sha256
    assert results[f"{PREFIX}/findings.json"].status is FixityStatus.MISSING
    intact = [r for r in results.values() if r.status is FixityStatus.INTACT]
    assert len(intact) == 8
    with pytest.raises(ObjectCorrupted):
        archive.get(bap.target.key, bap.target.version_id)  # verified reads refuse it too
    # The lost file's record stays: the archive does not quietly write the key again.
    with pytest.raises(ArchiveConflict):
        archive.put_locked(
            f"{PREFIX}/findings.json",
            b"[]",
            content_type="application/json",
            retention=RetentionPolicy(),
        )


@pytest.mark.integration
def test_writes_and_deletes_that_bypassed_pintu_are_found_on_s3(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    config = seaweed_config(seaweed_s3, unique_bucket)
    _, archive = open_stores(config)
    targets = _targets(archive)
    raw = Minio(seaweed_s3.endpoint, seaweed_s3.access_key, seaweed_s3.secret_key, secure=False)
    bucket = config.archive_bucket

    # A second write by hand: object lock lets it through as a new version of the key.
    raw.put_object(bucket, f"{PREFIX}/permit.pdf", io.BytesIO(b"forged permit"), 13)
    # A delete without a version id: only a delete marker, also let through.
    raw.remove_object(bucket, f"{PREFIX}/bap.pdf")
    # Deleting the archived version itself is refused by the server.
    bap = next(t for t in targets if t.key == f"{PREFIX}/bap.pdf")
    with pytest.raises(S3Error) as refused:
        raw.remove_object(bucket, bap.key, version_id=bap.version_id)
    assert refused.value.code == "AccessDenied"

    results = _by_key(audit_fixity(archive, targets))
    permit = results[f"{PREFIX}/permit.pdf"]
    assert permit.status is FixityStatus.UNEXPECTED_VERSION
    assert permit.severity is Severity.ERROR
    assert permit.actual_sha256 == permit.target.sha256  # the archived version itself is intact
    # Why Pintu reads by version id: the key's latest version is now the forged one.
    assert archive.get(permit.target.key) == b"forged permit"
    assert archive.stat(permit.target.key, permit.target.version_id) is not None
    original = archive.get(permit.target.key, permit.target.version_id)
    assert hashlib.sha256(original).hexdigest() == permit.target.sha256
    assert results[f"{PREFIX}/bap.pdf"].status is FixityStatus.DELETE_MARKER
    assert sum(r.status is FixityStatus.INTACT for r in results.values()) == 8
    # Pintu itself refuses to write on top of either key.
    for key in (permit.target.key, bap.key):
        with pytest.raises(ArchiveConflict):
            archive.put_locked(
                key, b"again", content_type="text/plain", retention=RetentionPolicy()
            )


@pytest.mark.integration
def test_an_unreachable_store_gives_warnings_not_exceptions(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    _, archive = open_stores(seaweed_config(seaweed_s3, unique_bucket))
    targets = _targets(archive)
    with seaweed_s3.stopped():
        results = audit_fixity(archive, targets)
    assert [r.status for r in results] == [FixityStatus.UNREACHABLE] * len(targets)
    assert {r.severity for r in results} == {Severity.WARNING}


NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def _candidates(count: int, *, due: int) -> list[AuditCandidate]:
    out = []
    for i in range(count):
        if i < due:
            checked = None if i % 2 else NOW - timedelta(days=31 + i)
        else:
            checked = NOW - timedelta(days=i % 29, hours=1)
        out.append(AuditCandidate(FixityTarget(f"2026/{i}/permit.pdf", f"v{i}", "0" * 64), checked))
    return out


def test_audit_selects_what_is_due_within_the_cycle_plus_a_sample() -> None:
    candidates = _candidates(1000, due=30)
    selection = select_for_audit(candidates, now=NOW, rng=random.Random(1))
    assert {c.target.key for c in selection.due} == {f"2026/{i}/permit.pdf" for i in range(30)}
    assert selection.due[0].last_checked is None
    assert len(selection.sampled) == 20  # 1% of 1000 is 10: at least 20
    assert not {c.target.key for c in selection.sampled} & {c.target.key for c in selection.due}
    assert len(selection.targets) == 50


def test_audit_sample_is_one_percent_of_a_large_archive() -> None:
    selection = select_for_audit(_candidates(5000, due=0), now=NOW, rng=random.Random(2))
    assert selection.due == ()
    assert len(selection.sampled) == 50


def test_audit_accepts_naive_times_and_small_archives() -> None:
    naive = [AuditCandidate(FixityTarget("k", "v", "0" * 64), datetime(2026, 10, 1))]
    assert select_for_audit(naive, now=NOW).due == tuple(naive)
    recent = [AuditCandidate(FixityTarget(f"k{i}", "v", "0" * 64), NOW) for i in range(5)]
    selection = select_for_audit(recent, now=NOW, cycle=timedelta(days=7))
    assert selection.due == ()
    assert len(selection.sampled) == 5
