"""Step 6: tell the applicant the permit is issued, through an outbox of messages."""

from __future__ import annotations

import logging

from sqlalchemy import select

from workflow.applications import get_application
from workflow.db import transaction
from workflow.models import Notification
from workflow.runtime import Runtime
from workflow.steps import verification_url

log = logging.getLogger(__name__)


def permit_issued_message(nama_usaha: str, permit_number: str, url: str) -> str:
    """Return the Indonesian message that tells the applicant the permit is issued."""
    return (
        f"Sertifikat Standar untuk usaha {nama_usaha} telah terbit dengan nomor {permit_number}. "
        f"Unduh dan periksa keasliannya di {url}"
    )


def notify_permit_issued(rt: Runtime, application_id: str) -> list[Notification]:
    """Queue one message per contact channel the applicant gave (idempotent)."""
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        existing = session.scalars(
            select(Notification).where(Notification.application_id == application_id)
        ).all()
        if existing:
            return list(existing)
        data = application.data
        message = permit_issued_message(
            data.get("nama_usaha") or "Anda",
            application.permit_number or application.id,
            verification_url(rt, application.id),
        )
        created = []
        for channel, recipient in (
            ("email", data.get("email")),
            ("whatsapp", data.get("whatsapp")),
        ):
            if recipient:
                note = Notification(
                    application_id=application_id,
                    channel=channel,
                    recipient=recipient,
                    message=message,
                )
                session.add(note)
                created.append(note)
        session.flush()
        log.info("application %s: %d notification(s) queued", application_id, len(created))
        return created
