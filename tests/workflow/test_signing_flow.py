"""Step 5 in the request: consent per request, nothing half-signed, the secret kept nowhere."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import pytest
from sqlalchemy import select

import signer
from common.errors import CallerError, PintuError
from tests.workflow.conftest import actor
from workflow.archiving.dossier import archive_permit
from workflow.bootstrap import build_runtime
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry
from workflow.intake.applications import get_application
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit

SECRET = "kadis-demo"


def test_a_wrong_passphrase_leaves_the_permit_approved_and_unsigned(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    with pytest.raises(CallerError) as refused:
        sign_permit(embedded, actor(embedded, "kadis"), application_id, "bukan-passphrase")
    assert refused.value.http_status in (403, 422)
    with transaction(embedded.sessions) as session:
        application = get_application(session, application_id)
        assert application.state == "approved"
        assert application.signed_permit_sha256 is None
        assert application.signing_error and "passphrase" in application.signing_error


def test_only_the_kadis_signs(embedded: Runtime, approved_application: Callable[[], str]) -> None:
    application_id = approved_application()
    with pytest.raises(CallerError, match="may not take 'sign'"):
        sign_permit(embedded, actor(embedded, "koordinator"), application_id, SECRET)


def test_signing_archives_at_once_and_the_passphrase_is_kept_nowhere(
    embedded: Runtime,
    approved_application: Callable[[], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    application_id = approved_application()
    caplog.set_level(logging.DEBUG)
    sign_permit(embedded, actor(embedded, "kadis"), application_id, SECRET)
    with transaction(embedded.sessions) as session:
        application = get_application(session, application_id)
        assert application.state == "archived"
        assert [t.event for t in application.transitions][-2:] == ["sign", "archive"]
    assert SECRET not in caplog.text
    database = embedded.settings.data_dir / "pintu.db"
    for path in (database, *database.parent.glob("pintu.db-*")):
        assert SECRET.encode() not in path.read_bytes()


def test_archiving_twice_stores_nothing_new(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    sign_permit(embedded, actor(embedded, "kadis"), application_id, SECRET)
    with transaction(embedded.sessions) as session:
        before = {
            (e.key, e.version_id, e.sha256)
            for e in session.scalars(
                select(ArchiveEntry).where(ArchiveEntry.application_id == application_id)
            )
        }
    receipt = archive_permit(embedded, application_id)
    assert receipt is not None and receipt.reused == len(before)
    with transaction(embedded.sessions) as session:
        after = {
            (e.key, e.version_id, e.sha256)
            for e in session.scalars(
                select(ArchiveEntry).where(ArchiveEntry.application_id == application_id)
            )
        }
        assert get_application(session, application_id).state == "archived"
    assert after == before


def test_an_unreachable_tsa_leaves_the_permit_approved_with_the_reason(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    """Production-style settings whose only TSA is down: a clear error, nothing half-signed."""
    application_id = approved_application()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/tsa"
    pki = signer.ensure_dev_pki(embedded.settings.data_dir / "pki", kadis_passphrase=SECRET)
    production_like = build_runtime(  # the database is the embedded runtime's, migrated
        Settings(
            data_dir=embedded.settings.data_dir,
            kadis_p12_path=pki.kadis_p12,
            tsa_urls=[dead],
            trust_roots=[pki.root_cert],
        )
    )
    try:
        with pytest.raises(PintuError) as failed:
            sign_permit(production_like, actor(production_like, "kadis"), application_id, SECRET)
        expected = {"timestamp_unavailable", "certificate_not_usable"}
        assert failed.value.code in expected, failed.value
        with transaction(production_like.sessions) as session:
            application = get_application(session, application_id)
            assert application.state == "approved"
            assert application.signed_permit_sha256 is None
            assert application.signing_error
    finally:
        production_like.close()
