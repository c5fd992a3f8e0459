"""The people's steps (3-4): decisions that change state, and the papers each one produces."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

import signer
import validator
from workflow.checking import mapping
from workflow.checking.read_values import LABELS_ID, confirm
from workflow.db.engine import transaction
from workflow.db.models import Application, User
from workflow.decisions.permit import next_permit_number, permit_render_data
from workflow.errors import IllegalTransition, ValueNotConfirmable
from workflow.intake.applications import get_application
from workflow.sop.states import Role, Transition
from workflow.sop.transitions import Actor, apply_transition

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)

PEOPLE_EVENTS: frozenset[str] = frozenset(
    {
        "submit",
        "resubmit",
        "approve_technical",
        "return_for_correction",
        "reject_technical",
        "validate",
        "return_to_applicant",
        "set_penetapan",
        "reject_by_kadis",
    }
)
"""Events a person takes through the generic step endpoint (signing has its own)."""


@dataclass(frozen=True, slots=True)
class StepInput:
    """What a person gives with a step besides its name."""

    note: str | None = None
    confirm: tuple[str, ...] = ()
    """With ``approve_technical``: the read values the Tim Teknis confirms (paths such as
    ``nib``, ``nama_usaha``, ``kbli``); every value the permit prints that only the machine read
    must be among them."""


Producer = Callable[["Runtime", Session, Application, Actor, StepInput], None]


def take_step(
    rt: Runtime,
    actor: Actor,
    application_id: str,
    event: str,
    *,
    note: str | None = None,
    confirm: Sequence[str] = (),
) -> Application:
    """Take one SOP step for ``actor`` and produce what it produces; return the application."""
    if event not in PEOPLE_EVENTS:
        raise IllegalTransition(f"event {event!r} cannot be taken through this call")
    given = StepInput(note, tuple(confirm))
    if given.confirm and event != "approve_technical":
        raise ValueNotConfirmable(f"values are confirmed with approve_technical, not {event}")
    with transaction(rt.sessions) as session:
        application = get_application(session, application_id)
        produce = _PRODUCERS.get(event)
        before: Callable[[Transition], None] | None = None
        if produce is not None:

            def before(_: Transition) -> None:
                produce(rt, session, application, actor, given)

        apply_transition(session, application, event, actor, note=note, before=before)
    if event in {"submit", "resubmit"}:
        rt.jobs.start_checks(application_id)
        with transaction(rt.sessions) as session:
            application = get_application(session, application_id)
    return application


def _start_checking(
    rt: Runtime, session: Session, application: Application, actor: Actor, given: StepInput
) -> None:
    """Forget earlier confirmations: the documents may have changed since."""
    application.confirmed_values = None


def _approve(
    rt: Runtime, session: Session, application: Application, actor: Actor, given: StepInput
) -> None:
    """Record the confirmed read values (all the permit needs), then issue the BAP and the PT."""
    unconfirmed = confirm(application, given.confirm, actor)
    if unconfirmed:
        names = ", ".join(LABELS_ID[p] for p in unconfirmed)
        raise IllegalTransition(
            f"approve_technical refused: confirm the machine-read {', '.join(unconfirmed)}",
            detail_id=(
                f"Nilai berikut hanya dibaca mesin dari dokumen dan dicetak pada izin: {names}. "
                "Periksa dan konfirmasikan nilai tersebut bersama persetujuan."
            ),
        )
    _issue_bap(rt, session, application, actor, given)


def _issue_bap(
    rt: Runtime, session: Session, application: Application, actor: Actor, given: StepInput
) -> None:
    """Render the Berita Acara Pemeriksaan from the stored findings (and the PT when approved).

    The rules are those at the versions the check used, not those in force today.
    """
    report = mapping.report_of(application)
    today = date.today()
    reference = f"{application.id[:8].upper()}/{today:%Y}"
    member = validator.TeamMember(nama=actor.full_name, nip=actor.nip or "-")
    bap = validator.build_bap(
        mapping.declared(application),
        report,
        mapping.evidences(application.documents),
        rules=rt.rules.pinned(report.rule_versions),
        nomor=f"BAP/{reference}",
        tanggal=today,
        tim=[member],
        confirmed=tuple(application.confirmed_values or ()),
    )
    pdf = signer.render_pdf("bap", bap.to_render_data())
    application.bap_sha256 = rt.documents.put(pdf, content_type="application/pdf").sha256
    if report.verdict == "memenuhi":
        pertimbangan = validator.build_pertimbangan_teknis(
            bap, nomor=f"PT/{reference}", tanggal=today, penandatangan=member
        )
        pdf = signer.render_pdf("pertimbangan_teknis", pertimbangan.to_render_data())
        application.pertimbangan_sha256 = rt.documents.put(
            pdf, content_type="application/pdf"
        ).sha256


def _set_penetapan(
    rt: Runtime, session: Session, application: Application, actor: Actor, given: StepInput
) -> None:
    """Give the permit its number and render its draft for the Kadis to review."""
    if application.permit_number is None:
        application.permit_number = next_permit_number(session, application)
    kadis = session.scalar(select(User).where(User.role == Role.KADIS.value, User.active))
    data = permit_render_data(
        application,
        verification_url=rt.verification_url(application.id),
        signer_name=kadis.full_name if kadis else "Kepala Dinas",
        signer_nip=kadis.nip if kadis else None,
        signer_position=kadis.jabatan if kadis else None,
        issue_date=date.today(),
    )
    pdf = signer.render_pdf("sertifikat_standar", data, draft=True)
    application.draft_permit_sha256 = rt.documents.put(pdf, content_type="application/pdf").sha256


_PRODUCERS: dict[str, Producer] = {
    "submit": _start_checking,
    "resubmit": _start_checking,
    "approve_technical": _approve,
    "return_for_correction": _issue_bap,
    "reject_technical": _issue_bap,
    "set_penetapan": _set_penetapan,
}
