"""One application through steps 3-8 on PostgreSQL, Redis + a real Celery worker, and SeaweedFS."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from minio import Minio
from minio.commonconfig import ENABLED
from minio.error import S3Error

from tests.fixtures.seaweed import SeaweedS3
from tests.integration.conftest import settings_of
from workflow.archiving.fixity import open_alerts, run_fixity_audit
from workflow.bootstrap import build_runtime
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry, User
from workflow.decisions.steps import take_step
from workflow.intake.applications import create_application, get_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit
from workflow.sop.transitions import Actor

pytestmark = pytest.mark.integration

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"


@pytest.fixture(scope="module")
def runtime(real_env: dict[str, str]) -> Iterator[Runtime]:
    rt = build_runtime(settings_of(real_env))
    yield rt
    rt.close()


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

    # what got past Pintu by hand is found by the fixity audit: a second version, a delete marker
    other = next(e for e in entries if e.role == "file")
    client.put_object(bucket, permit.key, io.BytesIO(b"palsu"), 5)
    client.remove_object(bucket, other.key)
    summary = run_fixity_audit(rt, now=datetime.now(UTC) + timedelta(days=31))
    assert summary.problems >= 2
    details = {a.subject: a.detail for a in open_alerts(rt)}
    assert details[permit.key].startswith("unexpected_version")
    assert details[other.key].startswith(("delete_marker", "missing"))


def test_an_s3_outage_while_archiving_ends_complete_after_the_retry(
    real_env: dict[str, str], seaweed_s3: SeaweedS3, tmp_path: Path
) -> None:
    """The archive step fails halfway (S3 cut after a few writes); the retry completes it."""
    from tests.archive._proxy import TcpProxy
    from workflow.archiving.dossier import archive_permit, signed_not_archived

    host, port = seaweed_s3.endpoint.removeprefix("http://").split(":")
    proxy = TcpProxy(host, int(port))
    env = {key.lower(): value for key, value in real_env.items()}
    env.update(
        data_dir=str(tmp_path),
        s3_endpoint=proxy.endpoint,
        celery_broker_url=None,  # tasks in-process: the archive step runs inside sign_permit
        s3_bucket=real_env["S3_BUCKET"] + "-outage",
        s3_documents_bucket=real_env["S3_DOCUMENTS_BUCKET"] + "-outage",
    )
    rt = build_runtime(Settings(**env))
    try:
        teknis = _actor(rt, "teknis")
        declared = ApplicationData.model_validate_json((DEMO / "application.json").read_text())
        application = create_application(rt, teknis, declared)
        for name in ("ktp.png", "npwp.png", "nib.pdf"):
            upload_document(rt, teknis, application.id, name, (DEMO / name).read_bytes())
        take_step(rt, teknis, application.id, "submit")
        take_step(rt, teknis, application.id, "approve_technical")
        take_step(rt, _actor(rt, "penata"), application.id, "validate")
        take_step(rt, _actor(rt, "koordinator"), application.id, "set_penetapan")

        proxy.put_budget = 4  # the signed permit, then three archive writes, then S3 is gone
        sign_permit(rt, _actor(rt, "kadis"), application.id, "kadis-demo")
        with transaction(rt.sessions) as session:
            halfway = get_application(session, application.id)
            assert halfway.state == "signed" and halfway.signed_permit_sha256
            entries = session.query(ArchiveEntry).filter_by(application_id=application.id).all()
            assert 0 < sum(e.status == "written" for e in entries) < len(entries)
        assert application.id in signed_not_archived(rt, older_than=timedelta(0))

        proxy.heal()
        receipt = archive_permit(rt, application.id)
        assert receipt is not None
        with transaction(rt.sessions) as session:
            assert get_application(session, application.id).state == "archived"
            entries = session.query(ArchiveEntry).filter_by(application_id=application.id).all()
        assert {e.status for e in entries} == {"written"}
        for entry in entries:  # nothing duplicated: one version per archived key
            versions = rt.archive.list_versions(entry.key)
            assert [v.version_id for v in versions] == [entry.version_id], entry.key
    finally:
        rt.close()
        proxy.close()
