"""Signing through the remote signer BSrE: a "sent" row before each call, never a silent retry.

Each call is persisted as a :class:`~workflow.models.RemoteSignCall` with status ``sent`` through
the client's ``on_sent`` callback, i.e. before the request leaves. Its answer makes it ``signed``
(files checked, extended to B-LTA, stored), ``rejected`` (passphrase or TOTP refused) or
``failed`` (answered, unusable). A lost answer makes it ``outcome_unknown``: the permits stay
``approved`` with that reason shown, and only the Kadis, with fresh consent, may sign them again.
At start-up, calls still ``sent`` — their process died with the call in flight — become
``outcome_unknown`` (:func:`mark_interrupted_remote_calls`).

With a passphrase, each permit is one call. With a TOTP — one code confirms one call — a batch is
one multi-file call of at most ``BSRE_MAX_BATCH`` permits; a larger selection is refused before
anything is sent, asking the Kadis to split it into batches confirmed one after another, each
with a fresh TOTP.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

import signer
from common.errors import ConfigurationError, PintuError
from signer.render import signature_box
from workflow.db.engine import transaction
from workflow.db.models import Application, RemoteSignCall, RemoteSignCallItem
from workflow.errors import SigningInProgress
from workflow.signing.consent import Consent, SecretKind
from workflow.signing.session import (
    PermitOutcome,
    SigningSession,
    keep_signed,
    permit_pdf,
    record_failure,
)
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import BsreSetup, Runtime

log = logging.getLogger(__name__)

STAMP_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_STAMP_SCALE = 4  # pixels per PDF point of the appearance image
OUTCOME_UNKNOWN_NOTE = "outcome unknown: not retried; sign again with fresh consent if needed"


def stamp_image(actor: Actor, width_pt: float, height_pt: float) -> bytes:
    """Draw the visible appearance BSrE places in the signature box: who signed, as a PNG."""
    size = (max(1, round(width_pt * _STAMP_SCALE)), max(1, round(height_pt * _STAMP_SCALE)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    lines = [
        "Ditandatangani secara elektronik oleh:",
        actor.full_name,
        f"NIP. {actor.nip or '-'}",
        actor.jabatan or "Kepala Dinas",
    ]
    font_px = max(8, size[1] // (len(lines) + 2))
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont = (
        ImageFont.truetype(str(STAMP_FONT), font_px)
        if STAMP_FONT.exists()
        else ImageFont.load_default()
    )
    for number, line in enumerate(lines):
        draw.text((font_px // 2, font_px // 2 + number * font_px * 5 // 4), line, "black", font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _last_page(pdf: bytes) -> int:
    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def _appearance(setup: BsreSetup, actor: Actor, pdf: bytes) -> signer.BsreAppearance:
    """BSrE's appearance: invisible, or the stamp image in the template's signature box."""
    if not setup.visible:
        return signer.BsreAppearance(visible=False)
    box = signature_box("sertifikat_standar")
    width, height = box.x1 - box.x0, box.y1 - box.y0
    return signer.BsreAppearance(
        visible=True,
        image_png=stamp_image(actor, width, height),
        page=_last_page(pdf) if box.page == -1 else box.page,
        origin_x=box.x0,
        origin_y=box.y0,
        width=width,
        height=height,
    )


class RemoteSession(SigningSession):
    """The Kadis's BSrE identity and secret, for this request or batch only."""

    def __init__(self, setup: BsreSetup, identity: signer.BsreIdentity) -> None:
        self.setup = setup
        self.identity = identity
        if identity.totp is not None:
            self.group_size = setup.max_batch
            self.max_permits = setup.max_batch

    @property
    def certificate_subject(self) -> str | None:
        """The Kadis's certificate at BSrE, when it is configured."""
        cert = self.setup.expected_signer
        return str(cert.subject.human_friendly) if cert is not None else None

    def sign_group(
        self, rt: Runtime, actor: Actor, application_ids: Sequence[str], *, batch_id: str | None
    ) -> list[PermitOutcome]:
        """Render the permits, sign them in one BSrE call, store what comes back verified."""
        errors: dict[str, PintuError] = {}
        prepared: list[tuple[str, bytes]] = []
        for application_id in application_ids:
            try:
                _refuse_in_flight(rt, application_id)
                prepared.append((application_id, permit_pdf(rt, actor, application_id)))
            except PintuError as exc:
                record_failure(rt, application_id, exc)
                errors[application_id] = exc
        if prepared:
            errors.update(self._call(rt, actor, prepared, batch_id))
        return [PermitOutcome(i, errors.get(i)) for i in application_ids]

    def _call(
        self,
        rt: Runtime,
        actor: Actor,
        prepared: list[tuple[str, bytes]],
        batch_id: str | None,
    ) -> dict[str, PintuError]:
        ids = [application_id for application_id, _ in prepared]
        call_ids: list[str] = []
        started = time.monotonic()

        def on_sent(request_hash: str) -> None:
            call_ids.append(_record_sent(rt, actor, ids, request_hash, batch_id))

        try:
            signed = self.setup.client.sign(
                [pdf for _, pdf in prepared],
                self.identity,
                [_appearance(self.setup, actor, pdf) for _, pdf in prepared],
                on_sent=on_sent,
                expected_signer=self.setup.expected_signer,
            )
        except PintuError as exc:
            status = (
                "outcome_unknown"
                if isinstance(exc, signer.RemoteOutcomeUnknown)
                else "rejected"
                if isinstance(exc, signer.RemoteSignerRejected)
                else "failed"
            )
            if call_ids:
                _finish_call(rt, call_ids[0], status, started, f"{exc.code}: {exc.message}")
            for application_id in ids:
                record_failure(rt, application_id, exc)
            return dict.fromkeys(ids, exc)
        errors: dict[str, PintuError] = {}
        for application_id, signed_pdf in zip(ids, signed, strict=True):
            try:
                keep_signed(rt, actor, application_id, signed_pdf)
            except PintuError as exc:
                record_failure(rt, application_id, exc)
                errors[application_id] = exc
        if call_ids:
            note = "; ".join(f"{i}: {e.code}" for i, e in errors.items()) or None
            _finish_call(rt, call_ids[0], "signed", started, note)
        return errors


def open_remote_session(rt: Runtime, consent: Consent, kind: SecretKind) -> RemoteSession:
    """Check the Kadis's BSrE account is ready and hold her identity and secret for the session."""
    setup = rt.signing.bsre
    if setup is None:
        raise ConfigurationError("SIGNING_BACKEND=bsre has no BSrE client configured")
    identity = signer.BsreIdentity(
        nik=setup.signer_nik,
        email=setup.signer_email,
        passphrase=consent.secret if kind == "passphrase" else None,
        totp=consent.secret if kind == "totp" else None,
    )
    status = setup.client.user_status(identity)
    if status != "ISSUE":
        raise signer.RemoteSignerRejected(
            f"the Kadis's BSrE account is not ready ({status})",
            detail_id="Akun BSrE penandatangan belum terdaftar atau belum memiliki sertifikat.",
        )
    return RemoteSession(setup, identity)


def _refuse_in_flight(rt: Runtime, application_id: str) -> None:
    with transaction(rt.sessions) as session:
        in_flight = session.scalar(
            select(RemoteSignCall.id)
            .join(RemoteSignCallItem, RemoteSignCallItem.call_id == RemoteSignCall.id)
            .where(
                RemoteSignCallItem.application_id == application_id,
                RemoteSignCall.status == "sent",
            )
        )
    if in_flight is not None:
        raise SigningInProgress(
            f"remote signing call {in_flight} for {application_id} is still in flight",
            detail_id="Permintaan tanda tangan izin ini masih diproses BSrE; tunggu hasilnya.",
        )


def _record_sent(
    rt: Runtime, actor: Actor, application_ids: list[str], request_hash: str, batch_id: str | None
) -> str:
    with transaction(rt.sessions) as session:
        call = RemoteSignCall(
            request_hash=request_hash, batch_id=batch_id, requested_by=actor.user_id, status="sent"
        )
        session.add(call)
        session.flush()
        for position, application_id in enumerate(application_ids, start=1):
            session.add(
                RemoteSignCallItem(
                    call_id=call.id, application_id=application_id, position=position
                )
            )
        call_id = call.id
    log.info("bsre call %s sent (%s, %d permits)", call_id, request_hash[:16], len(application_ids))
    return call_id


def _finish_call(rt: Runtime, call_id: str, status: str, started: float, error: str | None) -> None:
    duration_ms = round((time.monotonic() - started) * 1000)
    with transaction(rt.sessions) as session:
        call = session.get(RemoteSignCall, call_id)
        assert call is not None
        call.status = status
        call.error = OUTCOME_UNKNOWN_NOTE if status == "outcome_unknown" else error
        call.finished_at = datetime.now(UTC)
        call.duration_ms = duration_ms
    log.info("bsre call %s %s in %d ms", call_id, status, duration_ms)


def mark_interrupted_remote_calls(rt: Runtime) -> int:
    """At start-up: calls still ``sent`` (their process died) become ``outcome_unknown``."""
    with transaction(rt.sessions) as session:
        calls = session.scalars(select(RemoteSignCall).where(RemoteSignCall.status == "sent")).all()
        for call in calls:
            call.status = "outcome_unknown"
            call.error = OUTCOME_UNKNOWN_NOTE
            call.finished_at = datetime.now(UTC)
            for item in call.items:
                application = session.get(Application, item.application_id)
                if application is not None and application.signed_permit_sha256 is None:
                    application.signing_error = (
                        "remote_outcome_unknown: the process stopped with a BSrE call in flight; "
                        + OUTCOME_UNKNOWN_NOTE
                    )
        if calls:
            log.warning(
                "%d remote signing calls left in flight are now outcome unknown", len(calls)
            )
        return len(calls)


def remote_calls_of(rt: Runtime, application_id: str) -> list[tuple[str, str, datetime]]:
    """Return the remote calls that carried a permit: (call id, status, sent at), oldest first."""
    with transaction(rt.sessions) as session:
        rows = session.execute(
            select(RemoteSignCall.id, RemoteSignCall.status, RemoteSignCall.sent_at)
            .join(RemoteSignCallItem, RemoteSignCallItem.call_id == RemoteSignCall.id)
            .where(RemoteSignCallItem.application_id == application_id)
            .order_by(RemoteSignCall.sent_at)
        ).all()
    return [(row[0], row[1], row[2]) for row in rows]


__all__ = [
    "RemoteSession",
    "mark_interrupted_remote_calls",
    "open_remote_session",
    "remote_calls_of",
    "stamp_image",
]
