"""Both store backends behind one fixture, so every contract test runs against each."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import ArchiveStore, DocumentStore, StorageConfig, open_stores
from tests.fixtures.seaweed import SeaweedS3


def seaweed_config(server: SeaweedS3, bucket: str) -> StorageConfig:
    """Storage settings for the test server with buckets of this test's own."""
    return StorageConfig(
        s3_endpoint=server.endpoint,
        s3_access_key=server.access_key,
        s3_secret_key=server.secret_key,
        documents_bucket=f"{bucket}-docs",
        archive_bucket=f"{bucket}-arch",
        connect_timeout=1.0,
        read_timeout=10.0,
        max_retries=1,
    )


@pytest.fixture(params=["folder", pytest.param("seaweed", marks=pytest.mark.integration)])
def storage_config(
    request: pytest.FixtureRequest, tmp_path: Path, unique_bucket: str
) -> StorageConfig:
    if request.param == "folder":
        return StorageConfig(folder=tmp_path / "store")
    return seaweed_config(request.getfixturevalue("seaweed_s3"), unique_bucket)


@pytest.fixture
def stores(storage_config: StorageConfig) -> tuple[DocumentStore, ArchiveStore]:
    return open_stores(storage_config)


@pytest.fixture
def documents(stores: tuple[DocumentStore, ArchiveStore]) -> DocumentStore:
    return stores[0]


@pytest.fixture
def archive(stores: tuple[DocumentStore, ArchiveStore]) -> ArchiveStore:
    return stores[1]
