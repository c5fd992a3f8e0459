"""Step 6: the applicant hears of the permit by e-mail and WhatsApp; a failed send is retried."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.fixtures.messaging import SmtpServer, WhatsAppServer, start_smtp, start_whatsapp
from tests.workflow.conftest import actor, prepared_runtime
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import Application, Notification
from workflow.decisions.steps import take_step
from workflow.delivery.outbox import notify_permit_issued
from workflow.intake.applications import create_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"
TOKEN = "token-uji"


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[SmtpServer, WhatsAppServer]]:
    smtp, whatsapp = start_smtp(), start_whatsapp(TOKEN)
    yield smtp, whatsapp
    smtp.close()
    whatsapp.close()


@pytest.fixture(scope="module")
def notifying(
    tmp_path_factory: pytest.TempPathFactory, servers: tuple[SmtpServer, WhatsAppServer]
) -> Iterator[Runtime]:
    smtp, whatsapp = servers
    rt = prepared_runtime(
        Settings(
            data_dir=tmp_path_factory.mktemp("notify"),
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            whatsapp_api_url=whatsapp.url,
            whatsapp_phone_id="1234567890",
            whatsapp_token=TOKEN,
        )
    )
    yield rt
    rt.close()


def _signed(rt: Runtime) -> str:
    declared = json.loads((DEMO / "application.json").read_text())
    declared.update(email="siti@example.id", whatsapp="+6281234567890")
    teknis = actor(rt, "teknis")
    application = create_application(rt, teknis, ApplicationData.model_validate(declared))
    for name in ("ktp.png", "npwp.png", "nib.pdf"):
        upload_document(rt, teknis, application.id, name, (DEMO / name).read_bytes())
    for username, event in (
        ("teknis", "submit"),
        ("teknis", "approve_technical"),
        ("penata", "validate"),
        ("koordinator", "set_penetapan"),
    ):
        take_step(rt, actor(rt, username), application.id, event)
    sign_permit(rt, actor(rt, "kadis"), application.id, "kadis-demo")
    return application.id


def _notes(rt: Runtime, application_id: str) -> dict[str, Notification]:
    with transaction(rt.sessions) as session:
        rows = session.scalars(
            select(Notification).where(Notification.application_id == application_id)
        )
        return {row.channel: row for row in rows}


def test_the_applicant_gets_an_email_and_a_whatsapp_in_indonesian(
    notifying: Runtime, servers: tuple[SmtpServer, WhatsAppServer]
) -> None:
    smtp, whatsapp = servers
    application_id = _signed(notifying)
    notes = _notes(notifying, application_id)
    assert {c: n.status for c, n in notes.items()} == {"email": "sent", "whatsapp": "sent"}
    sender, recipients, raw = smtp.mailbox.messages[-1]
    assert recipients == ["siti@example.id"] and b"Sertifikat Standar" in raw
    message = whatsapp.received[-1]
    assert message["to"] == "6281234567890" and message["path"] == "/v1/1234567890/messages"
    assert "telah terbit dengan nomor" in message["text"]["body"]
    assert f"/verify/{application_id}" in message["text"]["body"]


def test_a_failed_whatsapp_stays_pending_and_the_retry_sends_it_once(
    notifying: Runtime, servers: tuple[SmtpServer, WhatsAppServer]
) -> None:
    smtp, whatsapp = servers
    whatsapp.failing = True
    try:
        application_id = _signed(notifying)  # signing succeeds; the notification does not
    finally:
        whatsapp.failing = False
    notes = _notes(notifying, application_id)
    assert notes["email"].status == "sent"
    assert notes["whatsapp"].status == "pending" and "503" in (notes["whatsapp"].last_error or "")
    mails_before = len(smtp.mailbox.messages)

    notify_permit_issued(notifying, application_id)  # what the task's retry runs
    notes = _notes(notifying, application_id)
    assert notes["whatsapp"].status == "sent" and notes["whatsapp"].attempts == 2
    assert len(smtp.mailbox.messages) == mails_before  # the e-mail is not sent twice


def test_without_a_configured_channel_the_message_waits_and_says_why(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    with transaction(embedded.sessions) as session:
        application = session.get(Application, application_id)
        assert application is not None
        application.data = {**application.data, "email": "pemohon@example.id"}
    sign_permit(embedded, actor(embedded, "kadis"), application_id, "kadis-demo")
    note = _notes(embedded, application_id)["email"]
    assert note.status == "pending" and "not configured" in (note.last_error or "")
    notify_permit_issued(embedded, application_id)  # nothing to retry: it waits for a channel
    assert _notes(embedded, application_id)["email"].status == "pending"
