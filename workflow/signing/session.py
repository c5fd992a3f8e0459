"""A signing session (the Kadis's key for one request or batch) and what backends share.

Every backend renders the permit to sign the same way, keeps a signed one the same way, and
shows why signing failed the same way.

Nothing half-signed is kept: the application moves to ``signed`` only after the verified file is
in the document store; any failure leaves it ``approved`` with the reason shown. Archiving and
notification, which need no secret, are queued through ``rt.jobs``.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

import signer
from common.errors import PintuError
from workflow.db.engine import transaction
from workflow.db.models import Application
from workflow.decisions.permit import permit_render_data
from workflow.errors import IllegalTransition, NotFound, RoleNotAllowed
from workflow.intake.applications import get_application
from workflow.sop.states import plan_transition
from workflow.sop.transitions import Actor, apply_transition

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PermitOutcome:
    """What became of one permit in a signing call: ``error`` None means signed and stored."""

    application_id: str
    error: PintuError | None = None


class SigningSession(abc.ABC):
    """The Kadis's key made usable with the secret of one request or batch."""

    group_size: int = 1
    """Permits signed per call (and so per progress step)."""
    max_permits: int | None = None
    """Most permits this consent may sign (a TOTP confirms one remote call), None: no limit."""

    @property
    @abc.abstractmethod
    def certificate_subject(self) -> str | None:
        """The signing certificate's subject, when known before signing."""

    @abc.abstractmethod
    def sign_group(
        self, rt: Runtime, actor: Actor, application_ids: Sequence[str], *, batch_id: str | None
    ) -> list[PermitOutcome]:
        """Sign these permits (at most ``group_size``); one outcome per permit, in order."""


def permit_pdf(rt: Runtime, actor: Actor, application_id: str) -> bytes:
    """Check the Kadis may sign now and render the permit to sign (PDF/A, QR, signature box)."""
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        plan_transition(application, "sign", actor.role)
        data = permit_render_data(
            application,
            verification_url=rt.verification_url(application.id),
            signer_name=actor.full_name,
            signer_nip=actor.nip,
            signer_position=actor.jabatan,
            issue_date=date.today(),
        )
    return signer.render_pdf("sertifikat_standar", data)


def keep_signed(
    rt: Runtime, actor: Actor, application_id: str, signed: signer.SignedPdf
) -> Application:
    """Store a signed, verified permit, take ``sign`` and queue archiving and notification."""
    stored = rt.documents.put(signed.pdf, content_type="application/pdf")
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)

        def keep(_: object) -> None:
            application.signed_permit_sha256 = stored.sha256
            application.signed_at = datetime.now(UTC)
            application.signing_error = None

        apply_transition(session, application, "sign", actor, before=keep)
    log.info("application %s signed at level %s", application_id, signed.level)
    rt.jobs.after_signing(application_id)
    return application


def record_failure(rt: Runtime, application_id: str, exc: PintuError) -> None:
    """Show why signing failed on the application (it stays in its pre-signing state)."""
    if isinstance(exc, IllegalTransition | RoleNotAllowed | NotFound):
        return  # not a signing failure: the permit was not signable by this actor now
    with transaction(rt.sessions) as session:
        application = session.scalar(select(Application).where(Application.id == application_id))
        if application is not None and application.signed_permit_sha256 is None:
            application.signing_error = f"{exc.code}: {exc.message}"
    log.warning("signing application %s failed: %s", application_id, exc.code)
