"""Step 6: tell the applicant the permit is issued, by e-mail (SMTP) and WhatsApp.

Messages are first written to an outbox (one row per channel), then delivered; a delivery that
fails stays ``pending`` with its error and is tried again by the task's retry. A channel that is
not configured (the embedded default) leaves its message ``pending`` with that reason: the staff
see it, and nothing pretends to have been sent.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
from sqlalchemy import select

from common.errors import OperationalError
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import Notification
from workflow.decisions.steps import verification_url
from workflow.intake.applications import get_application
from workflow.runtime import Runtime

log = logging.getLogger(__name__)

SUBJECT = "Sertifikat Standar Anda telah terbit"


class DeliveryFailed(OperationalError):
    """A message could not be handed to the mail server or the WhatsApp API."""

    code = "notification_failed"


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
            data.get("nama_usaha") or "Anda",
            application.permit_number or application.id,
            verification_url(rt, application.id),
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
        sent = _send(rt.settings, channel, recipient, message)
    except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
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


def _send(settings: Settings, channel: str, recipient: str, message: str) -> bool:
    """Hand one message to its channel; False when the channel is not configured."""
    if channel == "email":
        if not settings.smtp_host:
            return False
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = settings.smtp_from, recipient, SUBJECT
        email.set_content(message)
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.notify_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(email)
        return True
    if channel == "whatsapp":
        url, phone = settings.whatsapp_api_url, settings.whatsapp_phone_id
        token = settings.whatsapp_token
        if not (url and phone and token):
            return False
        answer = httpx.post(
            f"{url.rstrip('/')}/{phone}/messages",
            headers={"Authorization": f"Bearer {token.get_secret_value()}"},
            json={
                "messaging_product": "whatsapp",
                "to": recipient.lstrip("+"),
                "type": "text",
                "text": {"body": message},
            },
            timeout=settings.notify_timeout,
        )
        answer.raise_for_status()
        return True
    raise ValueError(f"unknown channel {channel}")
