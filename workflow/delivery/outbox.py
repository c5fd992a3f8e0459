"""Step 6: tell the applicant the permit is issued, by e-mail (SMTP) and WhatsApp.

Messages are first written to an outbox (one row per channel), then delivered; a delivery that
fails stays ``pending`` with its error and is tried again by the task's retry. A channel that is
not configured (the embedded default) leaves its message ``pending`` with that reason: the staff
see it, and nothing pretends to have been sent.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from workflow.db.engine import transaction
from workflow.db.models import Notification
from workflow.decisions.permit import permit_values
from workflow.delivery.channels import DELIVERY_ERRORS, DeliveryFailed, send
from workflow.intake.applications import get_application

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


def permit_issued_message(nama_usaha: str, permit_number: str, url: str) -> str:
    """Return the Indonesian message that tells the applicant the permit is issued."""
    return (
        f"Sertifikat Standar untuk usaha {nama_usaha} telah terbit dengan nomor {permit_number}. "
        f"Unduh dan periksa keasliannya di {url}"
    )


def notify_permit_issued(rt: Runtime, application_id: str) -> list[Notification]:
    """Write the messages (once) and deliver those still pending; raise if one fails."""
    _write_outbox(rt, application_id)
    with transaction(rt.sessions) as session:
        pending = session.scalars(
            select(Notification).where(
                Notification.application_id == application_id, Notification.status == "pending"
            )
        ).all()
    failures = [error for note in pending if (error := _deliver(rt, note.id)) is not None]
    with transaction(rt.sessions) as session:
        notes = list(
            session.scalars(
                select(Notification).where(Notification.application_id == application_id)
            )
        )
    if failures:
        raise DeliveryFailed(f"{len(failures)} notification(s) of {application_id} failed")
    return notes


def _write_outbox(rt: Runtime, application_id: str) -> None:
    with transaction(rt.sessions) as session:
        exists = session.scalar(
            select(Notification.id).where(Notification.application_id == application_id)
        )
        if exists is not None:
            return
        application = get_application(session, application_id)
        data = application.data
        message = permit_issued_message(
            permit_values(application).nama_usaha or "Anda",
            application.permit_number or application.id,
            rt.verification_url(application.id),
        )
        for channel, recipient in (
            ("email", data.get("email")),
            ("whatsapp", data.get("whatsapp")),
        ):
            if recipient:
                session.add(
                    Notification(
                        application_id=application_id,
                        channel=channel,
                        recipient=recipient,
                        message=message,
                    )
                )


def _deliver(rt: Runtime, notification_id: int) -> str | None:
    """Send one message; record the outcome; return the error text when it failed."""
    with transaction(rt.sessions) as session:
        note = session.get(Notification, notification_id)
        assert note is not None
        channel, recipient, message = note.channel, note.recipient, note.message
    error: str | None = None
    try:
        sent = send(rt.settings, channel, recipient, message)
    except DELIVERY_ERRORS as exc:
        sent, error = False, f"{type(exc).__name__}: {exc}"
    with transaction(rt.sessions) as session:
        note = session.get(Notification, notification_id)
        assert note is not None
        note.attempts = (note.attempts or 0) + 1
        if sent:
            note.status, note.sent_at, note.last_error = "sent", datetime.now(UTC), None
        else:
            note.last_error = error or f"channel {channel} is not configured"
    if error:
        log.warning("notification %d (%s) failed: %s", notification_id, channel, error)
    return error
