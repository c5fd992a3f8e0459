"""Bulk signing: one passphrase, PIN or TOTP entry for N approved permits, after a summary.

The batch runs in a background thread of the process that received the secret (the API's, or
the CLI's) and holds it in memory, in a signing session, until the batch ends; it never reaches
the database or the broker. A consent or backend failure (wrong secret, token unusable, BSrE
rejecting the call or its answer lost) stops the batch: the rest would fail the same way.
Progress is written per permit. If the process dies mid-batch, the permits already signed stay
signed and stored, the rest stay approved; the next start marks the batch interrupted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

import signer
from common.errors import ConfigurationError, PintuError
from workflow.db.engine import transaction
from workflow.db.models import Application, SigningBatch, SigningBatchItem
from workflow.decisions.permit import permit_values
from workflow.errors import ConsentNotAccepted, IllegalTransition, NotFound, RoleNotAllowed
from workflow.signing.consent import Consent, as_consent, consent_kind
from workflow.signing.request import open_signing_session
from workflow.signing.session import SigningSession
from workflow.sop.states import Role, State
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)

MAX_BATCH = 500
ProgressCallback = Callable[[int, int, str, str], None]
"""Called after each permit with (position, total, application id, status)."""


@dataclass(frozen=True, slots=True)
class BatchItemView:
    """One line of a batch summary or progress report."""

    application_id: str
    permit_number: str | None
    nama_usaha: str | None
    state: str
    status: str
    error: str | None


@dataclass(frozen=True, slots=True)
class BatchView:
    """A batch as the Kadis sees it: the summary to confirm, then the progress."""

    id: str
    status: str
    stop_on_failure: bool
    certificate_subject: str | None
    error: str | None
    total: int
    signed: int
    skipped: int
    failed: int
    items: tuple[BatchItemView, ...]


def create_batch(
    rt: Runtime, actor: Actor, application_ids: Sequence[str], *, stop_on_failure: bool = False
) -> BatchView:
    """Prepare a batch and return its summary; nothing is signed before it is confirmed."""
    if actor.role != Role.KADIS:
        raise RoleNotAllowed(f"role {actor.role.value!r} may not sign permits")
    unique = list(dict.fromkeys(application_ids))
    if not unique or len(unique) > MAX_BATCH:
        raise IllegalTransition(f"a batch holds 1 to {MAX_BATCH} permits, not {len(unique)}")
    with transaction(rt.sessions) as session:
        found = {
            a.id: a for a in session.scalars(select(Application).where(Application.id.in_(unique)))
        }
        missing = [i for i in unique if i not in found]
        if missing:
            raise NotFound(f"applications not found: {', '.join(missing[:5])}")
        batch = SigningBatch(created_by=actor.user_id, stop_on_failure=stop_on_failure)
        session.add(batch)
        session.flush()
        for position, application_id in enumerate(unique, start=1):
            state = found[application_id].state
            status = "pending" if state == State.APPROVED.value else "skipped"
            session.add(
                SigningBatchItem(
                    batch_id=batch.id,
                    application_id=application_id,
                    position=position,
                    status=status,
                    error=None if status == "pending" else f"state is {state}",
                )
            )
        batch_id = batch.id
    return batch_view(rt, batch_id)


def batch_view(rt: Runtime, batch_id: str) -> BatchView:
    """Return a batch's summary and progress."""
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        if batch is None:
            raise NotFound(f"signing batch {batch_id} not found")
        applications = {
            a.id: a
            for a in session.scalars(
                select(Application).where(
                    Application.id.in_([item.application_id for item in batch.items])
                )
            )
        }
        items = tuple(
            BatchItemView(
                application_id=item.application_id,
                permit_number=applications[item.application_id].permit_number,
                nama_usaha=permit_values(applications[item.application_id]).nama_usaha,
                state=applications[item.application_id].state,
                status=item.status,
                error=item.error,
            )
            for item in batch.items
        )
        return BatchView(
            id=batch.id,
            status=batch.status,
            stop_on_failure=batch.stop_on_failure,
            certificate_subject=batch.certificate_subject,
            error=batch.error,
            total=len(items),
            signed=sum(i.status == "signed" for i in items),
            skipped=sum(i.status == "skipped" for i in items),
            failed=sum(i.status == "failed" for i in items),
            items=items,
        )


def _require_awaiting(batch: SigningBatch) -> None:
    if batch.status != "awaiting_confirmation":
        raise IllegalTransition(f"batch {batch.id} is {batch.status}, not awaiting confirmation")


def _claim_for_run(rt: Runtime, actor: Actor, batch_id: str) -> list[tuple[int, str]]:
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        if batch is None:
            raise NotFound(f"signing batch {batch_id} not found")
        if batch.created_by != actor.user_id:
            raise RoleNotAllowed("only the Kadis who prepared a batch may confirm it")
        if batch.status != "awaiting_confirmation":
            raise IllegalTransition(
                f"batch {batch_id} is {batch.status}, not awaiting confirmation"
            )
        batch.status = "running"
        batch.started_at = datetime.now(UTC)
        return [(item.position, item.application_id) for item in batch.items]


def _finish_item(
    rt: Runtime, batch_id: str, application_id: str, status: str, error: str | None
) -> None:
    with transaction(rt.sessions) as session:
        item = session.scalar(
            select(SigningBatchItem).where(
                SigningBatchItem.batch_id == batch_id,
                SigningBatchItem.application_id == application_id,
            )
        )
        assert item is not None
        item.status = status
        item.error = error
        item.finished_at = datetime.now(UTC)


def _finish_batch(rt: Runtime, batch_id: str, status: str, error: str | None = None) -> None:
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        assert batch is not None
        batch.status = status
        batch.error = error
        batch.finished_at = datetime.now(UTC)


def _stops_batch(exc: PintuError) -> bool:
    """Failures of the consent or the backend itself: signing the rest would fail the same way."""
    return isinstance(
        exc,
        signer.WrongPassphrase
        | signer.TokenUnavailable
        | signer.RemoteSignerRejected
        | signer.RemoteOutcomeUnknown,
    )


def _pending(rt: Runtime, batch_id: str) -> list[str]:
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        if batch is None:
            raise NotFound(f"signing batch {batch_id} not found")
        return [item.application_id for item in batch.items if item.status == "pending"]


def _refuse_over_consent(rt: Runtime, batch_id: str, consent: Consent) -> None:
    """Refuse a TOTP for more permits than one remote call carries, before anything is sent."""
    if consent_kind(rt, consent) != "totp":
        return
    if rt.signing.bsre is None:
        raise ConfigurationError("a TOTP is taken only by SIGNING_BACKEND=bsre")
    limit, count = rt.signing.bsre.max_batch, len(_pending(rt, batch_id))
    if count > limit:
        raise ConsentNotAccepted(
            f"batch {batch_id} holds {count} permits; one TOTP confirms at most {limit}",
            detail_id=(
                f"Satu TOTP hanya mengonfirmasi {limit} izin, batch ini berisi {count}. "
                f"Bagi pilihan menjadi beberapa batch (maks. {limit} izin) dan konfirmasi "
                "satu per satu, masing-masing dengan TOTP baru."
            ),
        )


def run_batch(
    rt: Runtime,
    actor: Actor,
    batch_id: str,
    secret: str | Consent,
    *,
    on_progress: ProgressCallback | None = None,
) -> BatchView:
    """Sign every pending permit of a confirmed batch with one key, fixed for the whole batch."""
    consent = as_consent(secret)
    _refuse_over_consent(rt, batch_id, consent)
    positions = _claim_for_run(rt, actor, batch_id)
    try:
        with open_signing_session(rt, consent) as session:
            return _sign_all(rt, actor, batch_id, positions, session, on_progress)
    except PintuError as exc:
        _finish_batch(rt, batch_id, "failed", f"{exc.code}: {exc.message}")
        raise


def _sign_all(
    rt: Runtime,
    actor: Actor,
    batch_id: str,
    positions: list[tuple[int, str]],
    signing: SigningSession,
    on_progress: ProgressCallback | None,
) -> BatchView:
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        assert batch is not None
        batch.certificate_subject = signing.certificate_subject
        stop_on_failure = batch.stop_on_failure
        pending = {item.application_id for item in batch.items if item.status == "pending"}
    total = len(positions)
    position_of = {application_id: position for position, application_id in positions}
    todo = [application_id for _, application_id in positions if application_id in pending]
    stopped, reason = False, None
    while todo:
        group, todo = todo[: signing.group_size], todo[signing.group_size :]
        if stopped:
            for application_id in group:
                _finish_item(rt, batch_id, application_id, "not_signed", "batch stopped")
            continue
        for outcome in signing.sign_group(rt, actor, group, batch_id=batch_id):
            status, error = "signed", None
            if outcome.error is not None:
                exc = outcome.error
                status, error = "failed", f"{exc.code}: {exc.message}"
                if stop_on_failure or _stops_batch(exc):
                    stopped, reason = True, reason or error
            _finish_item(rt, batch_id, outcome.application_id, status, error)
            position = position_of[outcome.application_id]
            log.info(
                "batch %s: %d/%d %s %s", batch_id, position, total, outcome.application_id, status
            )
            if on_progress is not None:
                on_progress(position, total, outcome.application_id, status)
    _finish_batch(rt, batch_id, "stopped" if stopped else "done", reason if stopped else None)
    return batch_view(rt, batch_id)


def start_batch_thread(rt: Runtime, actor: Actor, batch_id: str, secret: str | Consent) -> None:
    """Check the batch and the secret in this request, then sign in a background thread."""
    consent = as_consent(secret)
    with transaction(rt.sessions) as session:
        batch = session.get(SigningBatch, batch_id)
        if batch is None:
            raise NotFound(f"signing batch {batch_id} not found")
        if batch.status != "awaiting_confirmation":
            raise IllegalTransition(
                f"batch {batch_id} is {batch.status}, not awaiting confirmation"
            )
    _refuse_over_consent(rt, batch_id, consent)
    with open_signing_session(rt, consent):
        pass  # a wrong passphrase or PIN (or a BSrE account not ready) is refused in the request

    def work() -> None:
        try:
            run_batch(rt, actor, batch_id, consent)
        except PintuError as exc:
            log.warning("batch %s ended: %s", batch_id, exc.code)

    threading.Thread(target=work, name=f"signing-batch-{batch_id}", daemon=True).start()


def mark_interrupted_batches(rt: Runtime) -> int:
    """At start-up: batches left running by a process that died are interrupted, not resumed."""
    with transaction(rt.sessions) as session:
        running = session.scalars(
            select(SigningBatch).where(SigningBatch.status == "running")
        ).all()
        for batch in running:
            batch.status = "interrupted"
            batch.finished_at = datetime.now(UTC)
            for item in batch.items:
                if item.status == "pending":
                    item.status = "not_signed"
                    item.error = "the signing process stopped; sign again with fresh consent"
        return len(running)
