"""One application through steps 3-8 on PostgreSQL, Redis + a real Celery worker, and SeaweedFS."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.commonconfig import ENABLED
from minio.error import S3Error

from tests.fixtures.seaweed import SeaweedS3
from workflow.applications import Actor, create_application, get_application, upload_document
from workflow.config import Settings
from workflow.db import transaction
from workflow.models import ArchiveEntry, User
from workflow.runtime import Runtime, build_runtime
from workflow.schemas import ApplicationData
from workflow.signing import sign_permit
from workflow.steps import take_step

pytestmark = pytest.mark.integration

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"


@pytest.fixture(scope="module")
def runtime(real_env: dict[str, str]) -> Runtime:
    settings = Settings(**{key.lower(): value for key, value in real_env.items()})
    return build_runtime(settings)


def _actor(rt: Runtime, username: str) -> Actor:
    with transaction(rt.sessions) as session:
        user = session.query(User).filter_by(username=username).one()
        return Actor.of(user)


def _wait_for(rt: Runtime, application_id: str, state: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction(rt.sessions) as session:
            current = get_application(session, application_id).state
        if current == state:
            return
        time.sleep(0.3)
    pytest.fail(f"application {application_id} stayed in {current}, expected {state}")


def test_one_application_from_upload_to_the_locked_archive(
    runtime: Runtime, celery_worker: object, seaweed_s3: SeaweedS3, real_env: dict[str, str]
) -> None:
    rt = runtime
    assert rt.engine.dialect.name == "postgresql"
    assert not rt.settings.embedded_tasks
    teknis, penata = _actor(rt, "teknis"), _actor(rt, "penata")
    koordinator, kadis = _actor(rt, "koordinator"), _actor(rt, "kadis")
    declared = ApplicationData.model_validate_json((DEMO / "application.json").read_text())

    application = create_application(rt, teknis, declared)
    for name in ("ktp.png", "npwp.png", "nib.pdf"):
        upload_document(rt, teknis, application.id, name, (DEMO / name).read_bytes())

    take_step(rt, teknis, application.id, "submit")  # queues OCR on Redis; the worker runs it
    _wait_for(rt, application.id, "checked")
    with transaction(rt.sessions) as session:
        checked = get_application(session, application.id)
        assert checked.verdict == "memenuhi", checked.findings
        assert all(d.extraction_status == "done" for d in checked.documents)

    take_step(rt, teknis, application.id, "approve_technical")
    take_step(rt, penata, application.id, "validate")
    take_step(rt, koordinator, application.id, "set_penetapan")
    sign_permit(rt, kadis, application.id, rt.settings.dev_kadis_passphrase.get_secret_value())
    _wait_for(rt, application.id, "archived")  # archiving ran in the worker

    with transaction(rt.sessions) as session:
        entries = session.query(ArchiveEntry).filter_by(application_id=application.id).all()
        signed_sha = get_application(session, application.id).signed_permit_sha256
    assert {e.status for e in entries} == {"written"}
    permit = next(e for e in entries if e.role == "permit")
    assert permit.sha256 == signed_sha

    client = Minio(
        seaweed_s3.endpoint.removeprefix("http://"),
        access_key=seaweed_s3.access_key,
        secret_key=seaweed_s3.secret_key,
        secure=False,
    )
    bucket = real_env["S3_BUCKET"]
    assert client.get_bucket_versioning(bucket).status == ENABLED
    retention = client.get_object_retention(bucket, permit.key, version_id=permit.version_id)
    assert retention is not None and retention.retain_until_date is not None
    assert retention.retain_until_date > datetime.now(UTC) + timedelta(days=3000)
    with pytest.raises(S3Error):  # the server itself refuses to delete the locked version
        client.remove_object(bucket, permit.key, version_id=permit.version_id)
    assert rt.archive.get(permit.key, permit.version_id) == rt.documents.get(signed_sha or "")
