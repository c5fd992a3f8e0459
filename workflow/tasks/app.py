"""Celery tasks: thin, idempotent, taking ids only.

Each task loads its input through the process's :mod:`workflow.runtime`, calls a plain function,
and saves its result so that a re-run is harmless (a task may run twice after a lost worker).
With no broker configured (the embedded default) tasks run in-process, eagerly.
"""

from __future__ import annotations

import logging
from typing import Any

from billiard.exceptions import TimeLimitExceeded
from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded
from celery.schedules import crontab
from kombu import pools as kombu_pools

from common.errors import OperationalError
from workflow import runtime as runtime_module
from workflow.config import Settings

log = logging.getLogger(__name__)

celery_app = Celery("pintu")


def worker_command(celery: str, *, concurrency: int = 2, loglevel: str = "info") -> list[str]:
    """Return the argv of a Pintu worker: prefork processes, one per core, no cluster chatter."""
    return [
        celery,
        "-A",
        "workflow.worker",
        "worker",
        "-c",
        str(concurrency),
        "-P",
        "prefork",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        loglevel,
    ]


celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    task_always_eager=True,
    task_eager_propagates=True,
    broker_url="memory://localhost/",
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


celery_app.conf.beat_schedule = {
    "fixity-audit-daily": {"task": "pintu.fixity_audit", "schedule": crontab(hour=2, minute=15)},
    "archive-sweep": {"task": "pintu.archive_sweep", "schedule": 600.0},
    "ltv-upkeep-daily": {"task": "pintu.ltv_upkeep", "schedule": crontab(hour=3, minute=30)},
}


def _drop_broker_connections() -> None:
    """Forget pooled broker connections, so a changed broker URL takes effect in this process."""
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    kombu_pools.reset()  # type: ignore[no-untyped-call]  # else the closed pool comes back
    celery_app._pool = None  # Celery's own after-fork reset does the same
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def configure_celery(settings: Settings) -> None:
    """Point Celery at the configured broker, or run tasks in-process when there is none."""
    _drop_broker_connections()
    if settings.embedded_tasks:
        celery_app.conf.update(
            task_always_eager=True, task_eager_propagates=True, broker_url="memory://localhost/"
        )
        return
    extract_page_task.time_limit = settings.page_time_limit_s
    extract_page_task.soft_time_limit = max(1, settings.page_time_limit_s * 3 // 4)
    celery_app.conf.update(
        broker_url=settings.celery_broker_url,
        result_backend=settings.celery_result_backend,
        task_always_eager=False,
        task_default_queue=settings.celery_queue,
        broker_transport_options={
            # above the longest task, so a slow task is not delivered twice while it runs
            "visibility_timeout": 3600,
        },
        task_time_limit=1800,
        task_soft_time_limit=1500,
    )


@celery_app.task(name="pintu.extract_document")
def extract_document_task(document_id: str) -> None:
    """Open one document and queue one task per page still to read."""
    from workflow.checking.extraction import plan_extraction  # noqa: PLC0415 - keep worker start light

    rt = runtime_module.current()
    plan = plan_extraction(rt, document_id)
    if plan is None:
        return
    for number in plan.pages:
        extract_page_task.delay(document_id, number)
    if not plan.pages:
        _checks_if_ready(rt, plan.application_id)


class _PageTask(celery_app.Task):  # type: ignore[name-defined,misc]
    """A page task whose pool child was killed at the hard time limit still ends its page.

    Celery calls ``on_failure`` in the worker's main process when it kills a child (stuck in C
    code that the soft limit cannot interrupt); a fresh task then records the page unreadable,
    so the document completes instead of waiting for that page forever.
    """

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if isinstance(exc, TimeLimitExceeded) and len(args) == 2:
            log.warning("page %s of %s killed at the hard time limit", args[1], args[0])
            give_up_page_task.delay(args[0], args[1], "page hard time limit exceeded")


@celery_app.task(name="pintu.extract_page", base=_PageTask)  # limits: configure_celery
def extract_page_task(document_id: str, number: int) -> None:
    """Read one page (text layer or OCR); assemble the document after its last page."""
    from workflow.checking.extraction import read_page  # noqa: PLC0415

    rt = runtime_module.current()
    try:
        complete = read_page(rt, document_id, number)
    except SoftTimeLimitExceeded:
        complete = read_page(rt, document_id, number, give_up="page time limit exceeded")
    _after_page(rt, document_id, complete)


@celery_app.task(name="pintu.give_up_page")
def give_up_page_task(document_id: str, number: int, reason: str) -> None:
    """Record a page as unreadable without reading it (its reading task was killed)."""
    from workflow.checking.extraction import read_page  # noqa: PLC0415

    rt = runtime_module.current()
    _after_page(rt, document_id, read_page(rt, document_id, number, give_up=reason))


def _after_page(rt: runtime_module.Runtime, document_id: str, complete: bool) -> None:
    if complete:
        from workflow.db.models import Document  # noqa: PLC0415

        with rt.sessions() as session:
            document = session.get(Document, document_id)
            application_id = document.application_id if document else None
        if application_id:
            _checks_if_ready(rt, application_id)


def _checks_if_ready(rt: runtime_module.Runtime, application_id: str) -> None:
    from workflow.checking.extraction import application_ready_for_checks  # noqa: PLC0415

    if application_ready_for_checks(rt, application_id):
        run_checks_task.delay(application_id)


@celery_app.task(name="pintu.run_checks")
def run_checks_task(application_id: str) -> None:
    """Run the rules once every document of the application is extracted."""
    from workflow.checking.extraction import run_checks  # noqa: PLC0415

    run_checks(runtime_module.current(), application_id)


@celery_app.task(name="pintu.archive_permit", bind=True, max_retries=12)
def archive_permit_task(self: Any, application_id: str) -> None:
    """Put the signed permit and its dossier in the locked archive (step 8)."""
    from workflow.archiving.dossier import archive_permit  # noqa: PLC0415

    try:
        archive_permit(runtime_module.current(), application_id)
    except OperationalError as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc


@celery_app.task(name="pintu.archive_sweep")
def archive_sweep_task() -> int:
    """Queue archiving for signed permits that are still not archived (after an outage)."""
    from workflow.archiving.dossier import signed_not_archived  # noqa: PLC0415

    pending = signed_not_archived(runtime_module.current())
    for application_id in pending:
        archive_permit_task.delay(application_id)
    return len(pending)


@celery_app.task(name="pintu.notify_applicant", bind=True, max_retries=8)
def notify_applicant_task(self: Any, application_id: str) -> None:
    """Tell the applicant the permit is issued (step 6); retry what could not be delivered."""
    from workflow.delivery.notify import notify_permit_issued  # noqa: PLC0415

    try:
        notify_permit_issued(runtime_module.current(), application_id)
    except OperationalError as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries)) from exc


@celery_app.task(name="pintu.fixity_audit")
def fixity_audit_task() -> dict[str, int]:
    """Re-read archived versions that are due, plus a random sample (daily, by beat)."""
    from workflow.archiving.fixity import run_fixity_audit  # noqa: PLC0415

    summary = run_fixity_audit(runtime_module.current())
    return {
        "checked": summary.checked,
        "intact": summary.intact,
        "problems": summary.problems,
        "unreachable": summary.unreachable,
    }


@celery_app.task(name="pintu.ltv_upkeep")
def ltv_upkeep_task() -> int:
    """Add a document timestamp to archived permits whose last one expires soon (daily)."""
    from workflow.archiving.ltv import ltv_upkeep  # noqa: PLC0415

    return len(ltv_upkeep(runtime_module.current()))


def start_checks(rt: runtime_module.Runtime, application_id: str) -> None:
    """Queue extraction of every pending document, or the checks when none is pending."""
    from workflow.checking.extraction import documents_pending  # noqa: PLC0415

    pending = documents_pending(rt, application_id)
    for document_id in pending:
        extract_document_task.delay(document_id)
    if not pending:
        run_checks_task.delay(application_id)


def after_signing(application_id: str) -> None:
    """Queue archiving and notification; step 8 does not wait for the download of step 7.

    The permit is signed and stored whatever happens here: a failure (an S3 outage while tasks
    run in-process, a broker that is down) is logged, and the archive sweep completes it later.
    """
    for task in (archive_permit_task, notify_applicant_task):
        try:
            task.delay(application_id)
        except Exception:
            log.exception("%s for %s failed; the sweep will retry it", task.name, application_id)
