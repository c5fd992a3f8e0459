"""What the S3 backend really sends, and what SeaweedFS does with it (needs the real server)."""

from __future__ import annotations

import base64
import hashlib
import io
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import urllib3
from minio import Minio
from minio.error import S3Error

from archive import (
    RetentionPolicy,
    StorageConfig,
    StorageMisconfigured,
    StorageUnavailable,
    open_stores,
)
from archive._s3 import make_client
from tests.archive._proxy import TcpProxy
from tests.archive.conftest import seaweed_config
from tests.fixtures.seaweed import SeaweedS3

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.7\n" + b"permit body " * 500 + b"\n%%EOF\n"


@pytest.fixture
def proxy(seaweed_s3: SeaweedS3) -> Iterator[TcpProxy]:
    host, port = seaweed_s3.endpoint.split(":")
    tcp = TcpProxy(host, int(port))
    yield tcp
    tcp.close()


def _through(config: StorageConfig, endpoint: str) -> StorageConfig:
    fields = {name: getattr(config, name) for name in config.__dataclass_fields__}
    return StorageConfig(**{**fields, "s3_endpoint": endpoint})


def test_archive_put_sends_if_none_match_and_sha256_checksum_on_the_wire(
    seaweed_s3: SeaweedS3, proxy: TcpProxy, unique_bucket: str
) -> None:
    _, archive = open_stores(_through(seaweed_config(seaweed_s3, unique_bucket), proxy.endpoint))
    archive.put_locked(
        "2026/1/permit.pdf", PDF, content_type="application/pdf", retention=RetentionPolicy()
    )

    wire = proxy.wire_text()
    put = wire[wire.index(f"PUT /{unique_bucket}-arch/2026/1/permit.pdf") :]
    head = put[: put.index("\r\n\r\n")].lower()
    checksum = base64.b64encode(hashlib.sha256(PDF).digest()).decode().lower()
    assert "\r\nif-none-match: *\r\n" in head
    assert f"\r\nx-amz-checksum-sha256: {checksum}\r\n" in head
    assert "\r\nx-amz-object-lock-mode: compliance\r\n" in head
    assert "x-amz-meta-if-none-match" not in head


def test_plain_sdk_put_object_would_turn_if_none_match_into_metadata(
    seaweed_s3: SeaweedS3, proxy: TcpProxy, unique_bucket: str
) -> None:
    # Why archive/ does not use put_object: the SDK renames the conditional header.
    client = Minio(proxy.endpoint, seaweed_s3.access_key, seaweed_s3.secret_key, secure=False)
    client.make_bucket(unique_bucket)
    client.put_object(unique_bucket, "k", io.BytesIO(b"x"), 1, metadata={"If-None-Match": "*"})
    head = proxy.wire_text().lower()
    assert "x-amz-meta-if-none-match: *" in head
    assert "\r\nif-none-match:" not in head


def test_seaweedfs_refuses_a_second_conditional_put_and_a_wrong_checksum(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    config = seaweed_config(seaweed_s3, unique_bucket)
    open_stores(config)
    client = make_client(config)
    sha = hashlib.sha256(PDF).hexdigest()
    client.put_bytes(
        config.archive_bucket, "k.pdf", PDF, content_type="application/pdf", sha256=sha
    )
    with pytest.raises(S3Error) as second:
        client.put_bytes(
            config.archive_bucket, "k.pdf", PDF, content_type="application/pdf", sha256=sha
        )
    assert second.value.code == "PreconditionFailed"
    wrong = hashlib.sha256(b"other bytes").hexdigest()
    with pytest.raises(S3Error) as corrupted:
        client.put_bytes(
            config.archive_bucket, "k2.pdf", PDF, content_type="application/pdf", sha256=wrong
        )
    assert corrupted.value.code == "BadDigest"


def test_a_lost_answer_to_the_put_is_retried_and_counted_as_written_once(
    seaweed_s3: SeaweedS3, proxy: TcpProxy, unique_bucket: str
) -> None:
    _, archive = open_stores(_through(seaweed_config(seaweed_s3, unique_bucket), proxy.endpoint))
    proxy.drop_response_to = f"PUT /{unique_bucket}-arch/".encode()
    stored = archive.put_locked(
        "2026/2/bap.pdf", PDF, content_type="application/pdf", retention=RetentionPolicy()
    )

    assert (
        proxy.wire_text().count(f"PUT /{unique_bucket}-arch/2026/2/bap.pdf") == 2
    )  # the first answer was lost, the retry got 412
    versions = archive.list_versions("2026/2/bap.pdf")
    assert [v.version_id for v in versions] == [stored.version_id]
    assert archive.get(stored.key, stored.version_id) == PDF


def test_outage_is_reported_as_storage_unavailable_and_passes(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    documents, archive = open_stores(seaweed_config(seaweed_s3, unique_bucket))
    with seaweed_s3.stopped():
        started = time.monotonic()
        with pytest.raises(StorageUnavailable):
            archive.put_locked(
                "k.pdf", PDF, content_type="application/pdf", retention=RetentionPolicy()
            )
        with pytest.raises(StorageUnavailable):
            documents.get(hashlib.sha256(PDF).hexdigest())
        assert time.monotonic() - started < 10
    stored = archive.put_locked(
        "k.pdf", PDF, content_type="application/pdf", retention=RetentionPolicy()
    )
    assert archive.get("k.pdf", stored.version_id) == PDF


def test_wrong_keys_or_an_archive_bucket_without_lock_refuse_to_start(
    seaweed_s3: SeaweedS3, unique_bucket: str
) -> None:
    config = seaweed_config(seaweed_s3, unique_bucket)
    with pytest.raises(StorageMisconfigured):
        open_stores(_with(config, s3_secret_key="wrong-secret"))
    Minio(
        seaweed_s3.endpoint, seaweed_s3.access_key, seaweed_s3.secret_key, secure=False
    ).make_bucket(f"{unique_bucket}-plain")
    with pytest.raises(StorageMisconfigured):
        open_stores(_with(config, archive_bucket=f"{unique_bucket}-plain"))


def test_presigned_url_expires(seaweed_s3: SeaweedS3, unique_bucket: str) -> None:
    _, archive = open_stores(seaweed_config(seaweed_s3, unique_bucket))
    stored = archive.put_locked(
        "k.pdf", PDF, content_type="application/pdf", retention=RetentionPolicy()
    )
    url = archive.presigned_get_url(stored.key, stored.version_id, timedelta(seconds=1))
    assert url is not None
    time.sleep(2.1)
    assert urllib3.request("GET", url, timeout=5.0).status == 403


def _with(config: StorageConfig, **changes: object) -> StorageConfig:
    fields = {name: getattr(config, name) for name in config.__dataclass_fields__}
    return StorageConfig(**{**fields, **changes})
