"""Errors raised by ``archive``: missing objects, refused writes and storage outages.

Library exceptions (minio, urllib3, OS errors) are translated into these at one seam per
backend (``_s3.py``'s ``_translated`` and the folder store's own checks).
"""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code
from common.errors import CallerError, OperationalError


class ObjectNotFound(CallerError):
    """No object (or no such version) under the key asked for."""

    code: ClassVar[Code] = Code.ARCHIVE_OBJECT_NOT_FOUND
    http_status: ClassVar[int] = 404


class InvalidKey(CallerError):
    """A key that could escape its folder or is not a portable S3 key."""

    code: ClassVar[Code] = Code.ARCHIVE_INVALID_KEY
    http_status: ClassVar[int] = 400


class ArchiveConflict(OperationalError):
    """An archived key already holds different bytes (or was deleted): an alarm, never retried."""

    code: ClassVar[Code] = Code.ARCHIVE_CONFLICT
    http_status: ClassVar[int] = 409


class RetentionLocked(OperationalError):
    """The store refused to delete or shorten a version under retention or legal hold."""

    code: ClassVar[Code] = Code.ARCHIVE_RETENTION_LOCKED
    http_status: ClassVar[int] = 409


class ObjectCorrupted(OperationalError):
    """The bytes read back do not match the SHA-256 recorded when they were written."""

    code: ClassVar[Code] = Code.ARCHIVE_OBJECT_CORRUPTED
    http_status: ClassVar[int] = 500


class StorageUnavailable(OperationalError):
    """The object store could not be reached or failed; the same call may succeed later."""

    code: ClassVar[Code] = Code.STORAGE_UNAVAILABLE
    http_status: ClassVar[int] = 503


class StorageMisconfigured(OperationalError):
    """The store is reachable but unusable as configured (credentials, bucket without lock)."""

    code: ClassVar[Code] = Code.STORAGE_MISCONFIGURED
    http_status: ClassVar[int] = 500
