"""Step 5: the Kadis signs in the request that carries the passphrase, PIN or TOTP.

The secret is consent for this request or batch only. It opens a *signing session*
(:func:`open_signing_session`) on the configured backend — a PKCS#12 file (passphrase), a PKCS#11
token (PIN: the token is logged into under its lock for each signature and logged out after it)
or the remote signer BSrE (passphrase or TOTP) — which lives as long as the request or batch and
is then dropped. The secret never goes to the database, the broker, a cache or a log. Archiving
and notification, which need no secret, are Celery tasks that take ids.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import select

import signer
from common.errors import PintuError
from signer.render import signature_box
from workflow.checking import mapping
from workflow.db.engine import transaction
from workflow.db.models import Application
from workflow.decisions.steps import verification_url
from workflow.errors import (
    ConsentNotAccepted,
    IllegalTransition,
    NotFound,
    RoleNotAllowed,
    SigningFailed,
)
from workflow.intake.applications import Actor, apply_transition, get_application
from workflow.runtime import Runtime, refresh_dev_pki
from workflow.sop.states import plan_transition

log = logging.getLogger(__name__)

SecretKind = Literal["passphrase", "pin", "totp"]
ACCEPTED_SECRETS: dict[str, tuple[SecretKind, ...]] = {
    "pkcs12": ("passphrase",),
    "pkcs11": ("pin",),
    "bsre": ("passphrase", "totp"),
}
"""The secrets each backend takes; the first is what a bare string means."""
_SECRET_WORDS: dict[str, str] = {"passphrase": "passphrase", "pin": "PIN", "totp": "TOTP"}


@dataclass(frozen=True, slots=True)
class Consent:
    """The Kadis's secret for one request or batch; ``kind`` None means the backend's usual one."""

    secret: str = field(repr=False)
    kind: SecretKind | None = None


@dataclass(frozen=True, slots=True)
class PermitOutcome:
    """What became of one permit in a signing call: ``error`` None means signed and stored."""

    application_id: str
    error: PintuError | None = None


def consent_kind(rt: Runtime, consent: Consent) -> SecretKind:
    """Return the kind of secret ``consent`` is for the configured backend, or refuse it."""
    accepted = ACCEPTED_SECRETS[rt.signing.backend]
    kind = consent.kind or accepted[0]
    if kind not in accepted:
        words = " atau ".join(_SECRET_WORDS[k] for k in accepted)
        raise ConsentNotAccepted(
            f"backend {rt.signing.backend} takes {'/'.join(accepted)}, not {kind}",
            detail_id=f"Tanda tangan di kantor ini memakai {words}, bukan {_SECRET_WORDS[kind]}.",
        )
    if not consent.secret:
        raise ConsentNotAccepted("empty secret", detail_id=f"{_SECRET_WORDS[kind]} kosong.")
    return kind


def _as_consent(secret: str | Consent) -> Consent:
    return secret if isinstance(secret, Consent) else Consent(secret)


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


class LocalKeySession(SigningSession):
    """A PKCS#12 key decrypted for the session, or a PKCS#11 key logged into per signature."""

    def __init__(self, key: signer.SigningKey) -> None:
        self.key = key

    @property
    def certificate_subject(self) -> str | None:
        """The key's certificate subject."""
        return self.key.subject

    def sign_group(
        self, rt: Runtime, actor: Actor, application_ids: Sequence[str], *, batch_id: str | None
    ) -> list[PermitOutcome]:
        """Sign each permit with the key; a failure is reported, not raised."""
        outcomes = []
        for application_id in application_ids:
            try:
                sign_with_key(rt, actor, application_id, self.key)
            except PintuError as exc:
                outcomes.append(PermitOutcome(application_id, exc))
            else:
                outcomes.append(PermitOutcome(application_id))
        return outcomes


def open_kadis_key(rt: Runtime, secret: str | Consent) -> signer.SigningKey:
    """Open the Kadis's local key (PKCS#12 passphrase or PKCS#11 PIN); a wrong one is refused."""
    consent = _as_consent(secret)
    kind = consent_kind(rt, consent)
    setup = rt.signing
    if setup.backend == "pkcs12":
        assert setup.kadis_p12 is not None
        return signer.load_pkcs12(setup.kadis_p12, consent.secret)
    if setup.backend == "pkcs11":
        assert setup.pkcs11 is not None
        key = signer.Pkcs11Key(setup.pkcs11, consent.secret)
        key.certificate  # noqa: B018 - logs in once (and out): a wrong PIN is refused here
        return key
    raise ConsentNotAccepted(f"backend {setup.backend} has no local key for a {kind}")


@contextmanager
def open_signing_session(rt: Runtime, secret: str | Consent) -> Iterator[SigningSession]:
    """Open the configured backend with this request's secret, for this request or batch only."""
    refresh_dev_pki(rt.settings)
    consent = _as_consent(secret)
    if rt.signing.backend == "bsre":
        from workflow.signing.remote import open_remote_session  # noqa: PLC0415 - imports us

        session: SigningSession = open_remote_session(rt, consent, consent_kind(rt, consent))
    else:
        session = LocalKeySession(open_kadis_key(rt, consent))
    try:
        yield session
    finally:
        del session


def sign_permit(
    rt: Runtime, actor: Actor, application_id: str, secret: str | Consent
) -> Application:
    """Sign one permit with the secret given in this request (a bare string: the usual kind)."""
    with transaction(rt.sessions) as session:  # refuse early, before the key is opened
        plan_transition(get_application(session, application_id), "sign", actor.role)
    try:
        with open_signing_session(rt, secret) as signing:
            [outcome] = signing.sign_group(rt, actor, [application_id], batch_id=None)
    except PintuError as exc:  # the secret was refused (failures of signing are outcomes)
        record_failure(rt, application_id, exc)
        raise
    if outcome.error is not None:
        raise outcome.error
    with transaction(rt.sessions) as session:
        return get_application(session, application_id)


def permit_pdf(rt: Runtime, actor: Actor, application_id: str) -> bytes:
    """Check the Kadis may sign now and render the permit to sign (PDF/A, QR, signature box)."""
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
    from workflow.tasks.app import after_signing  # noqa: PLC0415 - tasks import this module

    after_signing(application_id)
    return application


def sign_with_key(
    rt: Runtime, actor: Actor, application_id: str, key: signer.SigningKey
) -> Application:
    """Render, sign, re-verify and store the permit; then take ``sign`` and queue archiving.

    Nothing half-signed is kept: the application moves to ``signed`` only after the verified
    file is in the document store; any failure leaves it ``approved`` with the reason shown.
    """
    try:
        pdf = permit_pdf(rt, actor, application_id)
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
        return keep_signed(rt, actor, application_id, signed)
    except PintuError as exc:
        record_failure(rt, application_id, exc)
        raise


def record_failure(rt: Runtime, application_id: str, exc: PintuError) -> None:
    """Show why signing failed on the application (it stays in its pre-signing state)."""
    if isinstance(exc, IllegalTransition | RoleNotAllowed | NotFound):
        return  # not a signing failure: the permit was not signable by this actor now
    with transaction(rt.sessions) as session:
        application = session.scalar(select(Application).where(Application.id == application_id))
        if application is not None and application.signed_permit_sha256 is None:
            application.signing_error = f"{exc.code}: {exc.message}"
    log.warning("signing application %s failed: %s", application_id, exc.code)


__all__ = [
    "ACCEPTED_SECRETS",
    "Consent",
    "LocalKeySession",
    "PermitOutcome",
    "SigningFailed",
    "SigningSession",
    "consent_kind",
    "keep_signed",
    "open_kadis_key",
    "open_signing_session",
    "permit_pdf",
    "record_failure",
    "sign_permit",
    "sign_with_key",
]
