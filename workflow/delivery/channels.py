"""The two channels a message to the applicant goes out on: e-mail (SMTP) and WhatsApp."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import TYPE_CHECKING, ClassVar

import httpx

from common.codes import Code
from common.errors import ConfigurationError, OperationalError

if TYPE_CHECKING:
    from workflow.config import Settings

SUBJECT = "Sertifikat Standar Anda telah terbit"
DELIVERY_ERRORS = (OSError, smtplib.SMTPException, httpx.HTTPError)
"""What a channel raises when the message could not be handed over (kept, retried later)."""


class DeliveryFailed(OperationalError):
    """A message could not be handed to the mail server or the WhatsApp API."""

    code: ClassVar[Code] = Code.NOTIFICATION_FAILED


def send(settings: Settings, channel: str, recipient: str, message: str) -> bool:
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
    raise ConfigurationError(f"unknown notification channel {channel}")
