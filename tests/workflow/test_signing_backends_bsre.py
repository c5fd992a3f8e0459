"""The Kadis signs through BSrE (a local server speaking its API): sent marks, no silent retry."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from werkzeug.wrappers import Request, Response

import signer
from common.errors import CallerError
from tests.fixtures.pki import PASSPHRASE
from tests.signer.bsre_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    USER_NIK,
    USER_PASSPHRASE,
    BsreTestServer,
)
from tests.workflow.conftest import actor, prepared_runtime
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import RemoteSignCall, RemoteSignCallItem
from workflow.errors import SigningInProgress
from workflow.intake.applications import get_application
from workflow.runtime import Runtime
from workflow.signing.batch import batch_view, create_batch, run_batch
from workflow.signing.consent import Consent
from workflow.signing.remote import mark_interrupted_remote_calls, remote_calls_of
from workflow.signing.request import sign_permit

MAX_BATCH = 2
TOTP = "48291375"  # 8 digits: not found in hex ids or timestamps by chance


@dataclass
class WatchedBsreServer(BsreTestServer):
    """The BSrE test server, which also looks into Pintu's database when a signing call arrives."""

    runtime: Runtime | None = None
    sent_rows_at_arrival: list[int] = field(default_factory=list)

    def _dispatch(self, request: Request) -> Response:
        if request.path == "/api/v2/sign/pdf" and self.runtime is not None:
            with transaction(self.runtime.sessions) as session:
                sent = session.scalar(
                    select(func.count())
                    .select_from(RemoteSignCall)
                    .where(RemoteSignCall.status == "sent")
                )
            self.sent_rows_at_arrival.append(int(sent or 0))
        return super()._dispatch(request)

    def sign_calls(self) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["path"] == "/api/v2/sign/pdf"]


@pytest.fixture(scope="module")
def bsre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WatchedBsreServer]:
    data_dir = tmp_path_factory.mktemp("bsre-backend")
    pki = signer.ensure_dev_pki(data_dir / "pki", kadis_passphrase=PASSPHRASE)
    server = WatchedBsreServer(pki=pki)
    server.start()
    server.runtime = prepared_runtime(
        Settings(
            data_dir=data_dir,
            database_url=None,
            celery_broker_url=None,
            dev_kadis_passphrase=SecretStr(PASSPHRASE),
            signing_backend="bsre",
            bsre_url=server.url,
            bsre_client_id=CLIENT_ID,
            bsre_client_secret=SecretStr(CLIENT_SECRET),
            bsre_signer_nik=USER_NIK,
            bsre_max_batch=MAX_BATCH,
            bsre_timeout=2.5,  # the server's "lose_answer" answers after 3 s
        )
    )
    yield server
    server.stop()
    server.runtime.close()


@pytest.fixture(scope="module")
def embedded(bsre: WatchedBsreServer) -> Runtime:
    """The BSrE-backed runtime (overrides the conftest's, so ``approved_application`` uses it)."""
    assert bsre.runtime is not None
    return bsre.runtime


@pytest.fixture(autouse=True)
def _answering(bsre: WatchedBsreServer) -> None:
    bsre.mode = "ok"


def _state(rt: Runtime, application_id: str) -> tuple[str, str | None]:
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        return application.state, application.signing_error


def test_a_permit_signed_by_bsre_is_b_lta_and_valid_and_the_sent_mark_came_first(
    bsre: WatchedBsreServer,
    embedded: Runtime,
    approved_application: Callable[[], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    application_id = approved_application()
    caplog.set_level(logging.DEBUG)
    arrivals = len(bsre.sent_rows_at_arrival)
    sign_permit(embedded, actor(embedded, "kadis"), application_id, USER_PASSPHRASE)
    assert bsre.sent_rows_at_arrival[arrivals:] == [1]  # persisted before the call went out
    with transaction(embedded.sessions) as session:
        application = get_application(session, application_id)
        assert application.state == "archived" and application.signing_error is None
        sha256 = application.signed_permit_sha256
    assert sha256 is not None
    report = signer.verify_pdf(embedded.documents.get(sha256), embedded.signing.trust)
    assert report.status == "VALID"
    [bsre_signature] = [s for s in report.signatures if s.kind == "signature"]
    assert bsre_signature.level == "B-LTA"
    assert "Rahmat Hidayat" in (bsre_signature.signer_subject or "")
    assert [status for _, status, _ in remote_calls_of(embedded, application_id)] == ["signed"]

    assert USER_PASSPHRASE not in caplog.text
    database = embedded.settings.data_dir / "pintu.db"
    for path in (database, *database.parent.glob("pintu.db-*")):
        assert USER_PASSPHRASE.encode() not in path.read_bytes()


def test_a_lost_answer_leaves_the_permit_approved_and_outcome_unknown_until_fresh_consent(
    bsre: WatchedBsreServer, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    kadis = actor(embedded, "kadis")
    calls = len(bsre.sign_calls())
    bsre.mode = "lose_answer"
    with pytest.raises(signer.RemoteOutcomeUnknown):
        sign_permit(embedded, kadis, application_id, USER_PASSPHRASE)
    assert len(bsre.sign_calls()) == calls + 1  # sent once, never retried
    state, error = _state(embedded, application_id)
    assert state == "approved" and error and "outcome_unknown" in error
    assert [status for _, status, _ in remote_calls_of(embedded, application_id)] == [
        "outcome_unknown"
    ]

    bsre.mode = "ok"  # the Kadis signs again, with fresh consent
    sign_permit(embedded, kadis, application_id, USER_PASSPHRASE)
    assert _state(embedded, application_id) == ("archived", None)
    assert [status for _, status, _ in remote_calls_of(embedded, application_id)] == [
        "outcome_unknown",
        "signed",
    ]


def test_a_rejected_passphrase_is_a_clear_4xx_and_signs_nothing(
    bsre: WatchedBsreServer, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    with pytest.raises(signer.RemoteSignerRejected) as refused:
        sign_permit(embedded, actor(embedded, "kadis"), application_id, "bukan-passphrase")
    assert refused.value.http_status == 403
    state, error = _state(embedded, application_id)
    assert state == "approved" and error and "remote_signer_rejected" in error
    assert [status for _, status, _ in remote_calls_of(embedded, application_id)] == ["rejected"]


def test_a_totp_batch_is_one_multi_file_call(
    bsre: WatchedBsreServer, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    batch = create_batch(embedded, kadis, [approved_application() for _ in range(MAX_BATCH)])
    calls = len(bsre.sign_calls())
    progress: list[tuple[int, int, str]] = []
    view = run_batch(
        embedded,
        kadis,
        batch.id,
        Consent(TOTP, "totp"),
        on_progress=lambda p, t, _a, s: progress.append((p, t, s)),
    )
    assert (view.status, view.signed) == ("done", MAX_BATCH)
    assert [(c["files"], c["had_secret"]) for c in bsre.sign_calls()[calls:]] == [(MAX_BATCH, True)]
    assert progress == [(1, 2, "signed"), (2, 2, "signed")]
    with transaction(embedded.sessions) as session:
        rows = session.scalars(
            select(RemoteSignCall).where(RemoteSignCall.batch_id == batch.id)
        ).all()
        assert [(r.status, len(r.items)) for r in rows] == [("signed", MAX_BATCH)]
    database = embedded.settings.data_dir / "pintu.db"
    for path in (database, *database.parent.glob("pintu.db-*")):
        assert TOTP.encode() not in path.read_bytes()


def test_a_totp_selection_larger_than_one_call_is_refused_before_anything_is_sent(
    bsre: WatchedBsreServer, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    batch = create_batch(embedded, kadis, [approved_application() for _ in range(MAX_BATCH + 1)])
    calls = len(bsre.calls)
    with pytest.raises(CallerError) as refused:
        run_batch(embedded, kadis, batch.id, Consent(TOTP, "totp"))
    assert refused.value.http_status == 422
    assert refused.value.detail_id and "TOTP baru" in refused.value.detail_id
    assert len(bsre.calls) == calls
    assert batch_view(embedded, batch.id).status == "awaiting_confirmation"


def test_a_call_left_in_flight_by_a_dead_process_becomes_outcome_unknown(
    bsre: WatchedBsreServer, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    kadis = actor(embedded, "kadis")
    with transaction(embedded.sessions) as session:  # as a process that died mid-call left it
        call = RemoteSignCall(request_hash="0" * 64, requested_by=kadis.user_id, status="sent")
        session.add(call)
        session.flush()
        session.add(RemoteSignCallItem(call_id=call.id, application_id=application_id, position=1))
    calls = len(bsre.calls)
    with pytest.raises(SigningInProgress):  # while it is in flight, nothing else is sent
        sign_permit(embedded, kadis, application_id, USER_PASSPHRASE)
    assert len([c for c in bsre.calls[calls:] if c["path"] == "/api/v2/sign/pdf"]) == 0

    assert mark_interrupted_remote_calls(embedded) == 1
    state, error = _state(embedded, application_id)
    assert state == "approved" and error and "outcome unknown" in error
    sign_permit(embedded, kadis, application_id, USER_PASSPHRASE)  # fresh consent
    assert _state(embedded, application_id)[0] == "archived"
