"""Step 5: the Kadis signs in the request that carries the passphrase.

The passphrase is consent for this request only: it is passed down as an argument, used to open
the key, and dropped when the call returns. It never goes to the database, the broker, a cache or
a log. Archiving and notification, which need no secret, are Celery tasks that take ids.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import select

import signer
from common.errors import PintuError
from signer.render import signature_box
from workflow import mapping
from workflow.applications import Actor, apply_transition, get_application
from workflow.db import transaction
from workflow.errors import SigningFailed
from workflow.models import Application
from workflow.runtime import Runtime
from workflow.states import plan_transition
from workflow.steps import verification_url

log = logging.getLogger(__name__)


def open_kadis_key(rt: Runtime, passphrase: str) -> signer.SigningKey:
    """Open the Kadis's key with the passphrase of this request (WrongPassphrase if it is not)."""
    return signer.load_pkcs12(rt.signing.kadis_p12, passphrase)


def sign_permit(rt: Runtime, actor: Actor, application_id: str, passphrase: str) -> Application:
    """Sign one permit with the passphrase given in this request."""
    with transaction(rt.sessions) as session:  # refuse early, before the key is opened
        plan_transition(get_application(session, application_id), "sign", actor.role)
    try:
        key = open_kadis_key(rt, passphrase)
    except PintuError as exc:
        _record_failure(rt, application_id, exc)
        raise
    return sign_with_key(rt, actor, application_id, key)


def sign_with_key(
    rt: Runtime, actor: Actor, application_id: str, key: signer.SigningKey
) -> Application:
    """Render, sign, re-verify and store the permit; then take ``sign`` and queue archiving.

    Nothing half-signed is kept: the application moves to ``signed`` only after the verified
    file is in the document store; any failure leaves it ``approved`` with the reason shown.
    """
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        plan_transition(application, "sign", actor.role)
        data = mapping.permit_render_data(
            application,
            verification_url=verification_url(rt, application.id),
            signer_name=actor.full_name,
            signer_nip=actor.nip,
            signer_position=actor.jabatan,
            issue_date=date.today(),
        )
    try:
        pdf = signer.render_pdf("sertifikat_standar", data)
        box = signature_box("sertifikat_standar")
        signed = rt.signing.service.sign(
            pdf,
            key,
            signer.SignatureRequest(
                signer_name=actor.full_name,
                nip=actor.nip or "-",
                position=actor.jabatan or "Kepala Dinas",
                reason="Penerbitan Sertifikat Standar",
                location="Mempawah",
                page=box.page,
                box=(box.x0, box.y0, box.x1, box.y1),
                qr_url=verification_url(rt, application_id),
            ),
        )
        stored = rt.documents.put(signed.pdf, content_type="application/pdf")
    except PintuError as exc:
        _record_failure(rt, application_id, exc)
        raise
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)

        def keep(_: object) -> None:
            application.signed_permit_sha256 = stored.sha256
            application.signed_at = datetime.now(UTC)
            application.signing_error = None

        apply_transition(session, application, "sign", actor, before=keep)
    log.info("application %s signed at level %s", application_id, signed.level)
    from workflow.tasks import after_signing  # noqa: PLC0415 - tasks import this module

    after_signing(application_id)
    return application


def _record_failure(rt: Runtime, application_id: str, exc: PintuError) -> None:
    with transaction(rt.sessions) as session:
        application = session.scalar(select(Application).where(Application.id == application_id))
        if application is not None:
            application.signing_error = f"{exc.code}: {exc.message}"
    log.warning("signing application %s failed: %s", application_id, exc.code)


__all__ = ["SigningFailed", "open_kadis_key", "sign_permit", "sign_with_key"]
