"""S3 backend through the ``minio`` SDK (SeaweedFS, MinIO or any S3 with object lock).

One seam, ``_translated``, turns minio and urllib3 exceptions into ``archive.errors``.
``put_object`` of minio 7.2 rewrites unknown headers into ``x-amz-meta-*`` metadata, so writes
go through ``_S3Client.put_bytes``, which hands its headers to the SDK's signed request unchanged:
``If-None-Match: *`` (the server refuses a second write with 412) and ``x-amz-checksum-sha256``
(the server refuses bytes that do not match with BadDigest).
"""

from __future__ import annotations

import base64
import builtins
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import islice

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from minio.helpers import ObjectWriteResult
from minio.retention import Retention

from archive._keys import document_key, sha256_hex, validate_key, validate_prefix, validate_sha256
from archive._types import (
    ObjectRetention,
    ObjectVersion,
    RetentionMode,
    RetentionPolicy,
    StorageConfig,
    StoredObject,
    retain_until,
)
from archive.errors import (
    ArchiveConflict,
    ObjectCorrupted,
    ObjectNotFound,
    RetentionLocked,
    StorageMisconfigured,
    StorageUnavailable,
)

SHA256_META = "x-amz-meta-sha256"
_NOT_FOUND = {"NoSuchKey", "NoSuchVersion", "NoSuchObject"}
_MISCONFIGURED = {
    "NoSuchBucket",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidBucketName",
    "ObjectLockConfigurationNotFoundError",
}
_MAX_PRESIGN = timedelta(days=7)
_CHECKSUM_MODE: dict[str, str | list[str] | tuple[str]] = {"x-amz-checksum-mode": "ENABLED"}


@contextmanager
def _translated(action: str, *, locked_refusal: bool = False) -> Iterator[None]:
    """Translate minio/urllib3 failures of ``action`` into archive errors (the one seam)."""
    try:
        yield
    except S3Error as exc:
        if exc.code in _NOT_FOUND:
            raise ObjectNotFound(f"{action}: {exc.code}") from exc
        if exc.code == "AccessDenied" and locked_refusal:
            raise RetentionLocked(f"{action}: refused by the server (AccessDenied)") from exc
        if exc.code in _MISCONFIGURED or exc.code == "AccessDenied":
            raise StorageMisconfigured(f"{action}: {exc.code}") from exc
        raise StorageUnavailable(f"{action}: S3 error {exc.code}") from exc
    except (ServerError, InvalidResponseError) as exc:
        raise StorageUnavailable(f"{action}: server failed ({type(exc).__name__})") from exc
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise StorageUnavailable(f"{action}: S3 server unreachable ({type(exc).__name__})") from exc


def _amz_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _S3Client(Minio):
    """The minio client plus a PUT whose conditional and checksum headers reach the wire."""

    def put_bytes(
        self,
        bucket: str,
        key: str,
        data: bytes,
        *,
        content_type: str,
        sha256: str,
        retention: Retention | None = None,
        legal_hold: bool = False,
    ) -> ObjectWriteResult:
        """PUT ``data`` unless ``key`` has a current object (then S3Error PreconditionFailed)."""
        headers: dict[str, str | list[str] | tuple[str]] = {
            "Content-Type": content_type,
            "If-None-Match": "*",
            "x-amz-checksum-sha256": base64.b64encode(bytes.fromhex(sha256)).decode(),
            SHA256_META: sha256,
        }
        if retention is not None:
            headers["x-amz-object-lock-mode"] = retention.mode
            headers["x-amz-object-lock-retain-until-date"] = _amz_date(retention.retain_until_date)
        if legal_hold:
            headers["x-amz-object-lock-legal-hold"] = "ON"
        # _put_object signs and sends exactly these headers (put_object would rename them).
        return self._put_object(bucket, key, data, headers)

    def get_bytes(self, bucket: str, key: str, version_id: str | None) -> tuple[bytes, str | None]:
        """GET one version; return its bytes and the SHA-256 recorded at writing, if any."""
        response = self.get_object(
            bucket, key, version_id=version_id, request_headers=_CHECKSUM_MODE
        )
        try:
            return response.read(), _sha_from_headers(response.headers)
        finally:
            response.close()
            response.release_conn()


def make_client(config: StorageConfig) -> _S3Client:
    """Build the minio client with explicit timeouts and a short retry budget."""
    host, secure = config.s3_host_and_secure()
    retries = urllib3.Retry(
        total=config.max_retries,
        backoff_factor=0.2,
        status_forcelist=(500, 502, 503, 504),
    )
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout),
        maxsize=16,
        retries=retries,
        cert_reqs="CERT_REQUIRED",
    )
    return _S3Client(
        host,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        secure=secure,
        region=config.s3_region,
        http_client=http,
    )


def ensure_buckets(client: _S3Client, config: StorageConfig) -> None:
    """Create missing buckets (the archive with object lock); refuse an archive without lock."""
    for bucket, locked in ((config.documents_bucket, False), (config.archive_bucket, True)):
        with _translated(f"prepare bucket {bucket}"):
            if not client.bucket_exists(bucket):
                try:
                    client.make_bucket(bucket, object_lock=locked)
                except S3Error as exc:
                    if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise
            if locked:
                client.get_object_lock_config(bucket)


def _sha_from_headers(headers: Mapping[str, str]) -> str | None:
    """Return the SHA-256 the server verified at writing, else the one recorded in metadata."""
    checksum = headers.get("x-amz-checksum-sha256") or ""
    if checksum and "-" not in checksum:  # "-N": a multipart checksum of checksums
        try:
            return base64.b64decode(checksum, validate=True).hex()
        except ValueError:
            pass
    recorded = headers.get(SHA256_META)
    return str(recorded) if recorded else None


class S3DocumentStore:
    """Content-addressed working documents in a plain bucket."""

    def __init__(self, client: _S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def put(self, data: bytes, *, content_type: str) -> StoredObject:
        """Store ``data`` under its SHA-256 key; the same bytes twice are stored once."""
        sha256 = sha256_hex(data)
        key = document_key(sha256)
        with _translated(f"put document {key}"):
            try:
                self._client.put_bytes(
                    self._bucket, key, data, content_type=content_type, sha256=sha256
                )
            except S3Error as exc:
                if exc.code != "PreconditionFailed":
                    raise
        return StoredObject(key=key, sha256=sha256, size=len(data), version_id=None)

    def get(self, sha256: str) -> bytes:
        """Return the bytes with this SHA-256 (verified); raise ObjectNotFound."""
        key = document_key(validate_sha256(sha256))
        with _translated(f"get document {key}"):
            data, _recorded = self._client.get_bytes(self._bucket, key, None)
        if sha256_hex(data) != sha256:
            raise ObjectCorrupted(f"document {key} does not match its SHA-256")
        return data

    def exists(self, sha256: str) -> bool:
        """Tell whether bytes with this SHA-256 are stored."""
        key = document_key(validate_sha256(sha256))
        try:
            with _translated(f"stat document {key}"):
                self._client.stat_object(self._bucket, key)
        except ObjectNotFound:
            return False
        return True


class S3ArchiveStore:
    """The locked archive in a bucket with object lock (hence versioning)."""

    def __init__(self, client: _S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

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

        The history check (a version listing, which also finds delete markers that
        ``If-None-Match`` does not see) is skipped when ``expect_new``.
        """
        validate_key(key)
        sha256 = sha256_hex(data)
        if not expect_new:
            versions = self.list_versions(key)
            if versions:
                return self._same_or_conflict(key, versions, sha256)
        lock = Retention(
            COMPLIANCE if retention.mode == "COMPLIANCE" else GOVERNANCE,
            retain_until(retention, datetime.now(UTC)),
        )
        with _translated(f"archive {key}"):
            try:
                written = self._client.put_bytes(
                    self._bucket,
                    key,
                    data,
                    content_type=content_type,
                    sha256=sha256,
                    retention=lock,
                    legal_hold=retention.legal_hold,
                )
            except S3Error as exc:
                if exc.code != "PreconditionFailed":
                    raise
                written = None
        if written is None:
            # Another writer (or our own retried request) got there first.
            return self._same_or_conflict(key, self.list_versions(key), sha256)
        return StoredObject(key, sha256, len(data), written.version_id)

    def _same_or_conflict(
        self, key: str, versions: list[ObjectVersion], sha256: str
    ) -> StoredObject:
        if any(v.is_delete_marker for v in versions):
            raise ArchiveConflict(f"archived key {key} carries a delete marker")
        if not versions:
            raise StorageUnavailable(f"{key} was refused as taken but lists no version; retry")
        if len(versions) > 1:
            raise ArchiveConflict(f"archived key {key} holds {len(versions)} versions")
        existing = self._describe(key, versions[0].version_id)
        if existing.sha256 != sha256:
            raise ArchiveConflict(f"archived key {key} already holds other bytes")
        return existing

    def _describe(self, key: str, version_id: str | None) -> StoredObject:
        with _translated(f"stat {key}"):
            found = self._client.stat_object(
                self._bucket,
                key,
                version_id=version_id,
                extra_headers=_CHECKSUM_MODE,
            )
        sha256 = _sha_from_headers(found.metadata or {})
        if sha256 is None:
            # Written by hand without a checksum: hash the bytes themselves.
            sha256 = sha256_hex(self.get(key, version_id, verify=False))
        return StoredObject(key, sha256, found.size or 0, found.version_id)

    def get(self, key: str, version_id: str | None = None, *, verify: bool = True) -> bytes:
        """Return one version's bytes (the latest without ``version_id``); raise ObjectNotFound."""
        validate_key(key)
        with _translated(f"get {key} version {version_id}"):
            data, recorded = self._client.get_bytes(self._bucket, key, version_id)
        if verify and recorded and sha256_hex(data) != recorded:
            raise ObjectCorrupted(f"archived object {key} does not match its SHA-256")
        return data

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        """Describe one version (the latest without ``version_id``), or None if absent."""
        validate_key(key)
        try:
            return self._describe(key, version_id)
        except ObjectNotFound:
            return None

    def list(
        self, prefix: str, *, start_after: str | None = None, limit: int = 100
    ) -> builtins.list[StoredObject]:
        """List the latest versions of keys under ``prefix`` in key order, one page at a time."""
        validate_prefix(prefix)
        if limit < 1:
            return []
        with _translated(f"list {prefix}"):
            listed = self._client.list_objects(
                self._bucket, prefix=prefix, recursive=True, start_after=start_after
            )
            names = [str(item.object_name) for item in islice(listed, limit)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            found = list(pool.map(self.stat, names))
        return [item for item in found if item is not None]

    def list_versions(self, key: str) -> builtins.list[ObjectVersion]:
        """List every version of exactly ``key``, delete markers included."""
        validate_key(key)
        with _translated(f"list versions of {key}"):
            listed = list(
                self._client.list_objects(
                    self._bucket, prefix=key, recursive=True, include_version=True
                )
            )
        return [
            ObjectVersion(
                key=key,
                version_id=item.version_id,
                # minio 7.2 gives is_latest as the string 'true'/'false'.
                is_latest=str(item.is_latest).lower() == "true",
                is_delete_marker=bool(item.is_delete_marker),
                size=item.size,
                last_modified=item.last_modified,
            )
            for item in listed
            if item.object_name == key
        ]

    def presigned_get_url(self, key: str, version_id: str | None, expires: timedelta) -> str | None:
        """Return a download URL valid for ``expires`` (at most 7 days)."""
        validate_key(key)
        expires = min(max(expires, timedelta(seconds=1)), _MAX_PRESIGN)
        with _translated(f"presign {key}"):
            return self._client.presigned_get_object(
                self._bucket, key, expires=expires, version_id=version_id
            )

    def get_retention(self, key: str, version_id: str) -> ObjectRetention:
        """Return the lock currently on one version; raise ObjectNotFound."""
        validate_key(key)
        with _translated(f"get retention of {key} {version_id}"):
            lock = self._client.get_object_retention(self._bucket, key, version_id=version_id)
            try:
                hold = self._client.is_object_legal_hold_enabled(
                    self._bucket, key, version_id=version_id
                )
            except S3Error as exc:
                if exc.code != "NoSuchObjectLegalHold":
                    raise
                hold = False
        if lock is None:
            return ObjectRetention(None, None, hold)
        mode: RetentionMode | None = "COMPLIANCE" if lock.mode == COMPLIANCE else "GOVERNANCE"
        return ObjectRetention(mode, lock.retain_until_date, hold)

    def set_retention(
        self, key: str, version_id: str, *, mode: RetentionMode, retain_until: datetime
    ) -> None:
        """Change one version's retention; the server refuses to shorten a locked version."""
        if self.stat(key, version_id) is None:
            raise ObjectNotFound(f"no archived object {key} version {version_id}")
        lock = Retention(COMPLIANCE if mode == "COMPLIANCE" else GOVERNANCE, retain_until)
        with _translated(f"set retention of {key} {version_id}", locked_refusal=True):
            self._client.set_object_retention(self._bucket, key, lock, version_id=version_id)

    def delete_version(self, key: str, version_id: str) -> None:
        """Delete one version; the server refuses a locked one (RetentionLocked)."""
        if self.stat(key, version_id) is None:
            raise ObjectNotFound(f"no archived object {key} version {version_id}")
        with _translated(f"delete {key} {version_id}", locked_refusal=True):
            self._client.remove_object(self._bucket, key, version_id=version_id)
