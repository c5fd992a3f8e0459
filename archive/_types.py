"""Values that cross the ``archive`` boundary: stored objects, retention and configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from archive.errors import StorageMisconfigured

RetentionMode = Literal["COMPLIANCE", "GOVERNANCE"]


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One stored object version as written or found."""

    key: str
    """Key in its store (``sha256/ab/<hex>`` in the document store)."""
    sha256: str
    """Lower-case hex SHA-256 of the bytes."""
    size: int
    """Length in bytes."""
    version_id: str | None
    """Version id the store gave the bytes (None where the store does not version)."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long and how firmly an archived version is locked (per document class)."""

    mode: RetentionMode = "COMPLIANCE"
    """COMPLIANCE: nobody can delete or shorten; GOVERNANCE: only with a bypass right."""
    days: int = 3650
    """Retention period from the time of writing, in days."""
    legal_hold: bool = False
    """Also place a legal hold (locks until lifted, independent of the period)."""

    def __post_init__(self) -> None:
        if self.days < 1:
            raise StorageMisconfigured(f"retention days must be >= 1, got {self.days}")
        if self.mode not in ("COMPLIANCE", "GOVERNANCE"):
            raise StorageMisconfigured(f"unknown retention mode {self.mode!r}")


@dataclass(frozen=True, slots=True)
class ObjectRetention:
    """The lock currently on one version, as the store reports it."""

    mode: RetentionMode | None
    retain_until: datetime | None
    legal_hold: bool


@dataclass(frozen=True, slots=True)
class ObjectVersion:
    """One entry of a key's version history, delete markers included."""

    key: str
    version_id: str | None
    is_latest: bool
    is_delete_marker: bool
    size: int | None
    last_modified: datetime | None


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """Where the document store and the locked archive live: a local folder or an S3 server."""

    folder: Path | None = None
    """Embedded default: one folder holding ``documents/`` and ``archive/``."""
    s3_endpoint: str | None = None
    """``host:port`` or ``http(s)://host:port`` of an S3 server."""
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_secure: bool = False
    """Use HTTPS (ignored when the endpoint is a URL, whose scheme decides)."""
    s3_region: str = "us-east-1"
    documents_bucket: str = "pintu-documents"
    archive_bucket: str = "pintu-archive"
    connect_timeout: float = 5.0
    """Seconds to open a connection to the S3 server."""
    read_timeout: float = 60.0
    """Seconds to wait for the S3 server's answer."""
    max_retries: int = 2
    """Retries of one request on a connection error or a 5xx answer (then StorageUnavailable)."""

    def __post_init__(self) -> None:
        if (self.folder is None) == (self.s3_endpoint is None):
            raise StorageMisconfigured("set exactly one of folder or s3_endpoint")
        if self.s3_endpoint is not None and not (self.s3_access_key and self.s3_secret_key):
            raise StorageMisconfigured("an S3 endpoint needs an access key and a secret key")
        if self.documents_bucket == self.archive_bucket:
            raise StorageMisconfigured("the documents and archive buckets must differ")

    def s3_host_and_secure(self) -> tuple[str, bool]:
        """Return the endpoint as ``host:port`` and whether to use HTTPS."""
        endpoint = self.s3_endpoint or ""
        if "://" not in endpoint:
            return endpoint.rstrip("/"), self.s3_secure
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise StorageMisconfigured(f"S3 endpoint must be scheme://host:port, got {endpoint!r}")
        return parts.netloc, parts.scheme == "https"

    def __repr__(self) -> str:
        # The secret key never reaches logs or tracebacks.
        where = f"folder={self.folder!s}" if self.folder else f"s3_endpoint={self.s3_endpoint!r}"
        return f"StorageConfig({where}, archive_bucket={self.archive_bucket!r})"


def retain_until(policy: RetentionPolicy, now: datetime) -> datetime:
    """Return the retain-until instant for a version written at ``now`` (UTC, whole seconds)."""
    return (now + timedelta(days=policy.days)).replace(microsecond=0)
