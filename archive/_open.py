from __future__ import annotations

from archive._folder import FolderArchiveStore, FolderDocumentStore
from archive._s3 import S3ArchiveStore, S3DocumentStore, ensure_buckets, make_client
from archive._store import ArchiveStore, DocumentStore
from archive._types import StorageConfig


def open_stores(config: StorageConfig) -> tuple[DocumentStore, ArchiveStore]:
    """Open the document store and the locked archive, creating missing buckets or folders."""
    if config.folder is not None:
        return (
            FolderDocumentStore(config.folder / "documents"),
            FolderArchiveStore(config.folder / "archive"),
        )
    client = make_client(config)
    ensure_buckets(client, config)
    return (
        S3DocumentStore(client, config.documents_bucket),
        S3ArchiveStore(client, config.archive_bucket),
    )
