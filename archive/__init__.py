"""Pintu's object storage: the working document store and the locked, audited archive.

Typical use from ``workflow/`` (open the stores once per process)::

    documents, archive = open_stores(StorageConfig(folder=data_dir / "storage"))
    stored = documents.put(signed_pdf, content_type="application/pdf")   # sha256/ab/<hex>
    receipt = archive_dossier(archive, index, "2026/503.1-2026", files, RetentionPolicy(),
                              labels={"permit_number": "503.1/2026", "nib": nib})
    # keep receipt.manifest_object (key, sha256, version_id) and each receipt.objects row
    url = archive.presigned_get_url(key, version_id, timedelta(minutes=5))  # None: stream get()
    results = audit_fixity(archive, select_for_audit(candidates, now=now).targets)

``index`` is the workflow's ``ArchiveIndex`` (one unique row per key: ``claim`` before the write,
``mark_written`` after). Errors: ``archive.errors``; every S3/urllib3 failure arrives as
``StorageUnavailable``, a refused delete or shortening as ``RetentionLocked``.
"""

from archive._dossier import (
    MANIFEST_NAME,
    ArchiveIndex,
    DossierFile,
    DossierReceipt,
    IndexEntry,
    Manifest,
    ManifestEntry,
    RetrievedDossier,
    archive_dossier,
    build_manifest,
    load_manifest,
    parse_manifest,
    retrieve_dossier,
)
from archive._fixity import (
    AuditCandidate,
    AuditSelection,
    FixityResult,
    FixityStatus,
    FixityTarget,
    Severity,
    audit_fixity,
    select_for_audit,
)
from archive._open import open_stores
from archive._store import ArchiveStore, DocumentStore
from archive._types import (
    ObjectRetention,
    ObjectVersion,
    RetentionMode,
    RetentionPolicy,
    StorageConfig,
    StoredObject,
)
from archive.errors import (
    ArchiveConflict,
    InvalidKey,
    ObjectCorrupted,
    ObjectNotFound,
    RetentionLocked,
    StorageMisconfigured,
    StorageUnavailable,
)

__all__ = [
    "MANIFEST_NAME",
    "ArchiveConflict",
    "ArchiveIndex",
    "ArchiveStore",
    "AuditCandidate",
    "AuditSelection",
    "DocumentStore",
    "DossierFile",
    "DossierReceipt",
    "FixityResult",
    "FixityStatus",
    "FixityTarget",
    "IndexEntry",
    "InvalidKey",
    "Manifest",
    "ManifestEntry",
    "ObjectCorrupted",
    "ObjectNotFound",
    "ObjectRetention",
    "ObjectVersion",
    "RetentionLocked",
    "RetentionMode",
    "RetentionPolicy",
    "RetrievedDossier",
    "Severity",
    "StorageConfig",
    "StorageMisconfigured",
    "StorageUnavailable",
    "StoredObject",
    "archive_dossier",
    "audit_fixity",
    "build_manifest",
    "load_manifest",
    "open_stores",
    "parse_manifest",
    "retrieve_dossier",
    "select_for_audit",
]
