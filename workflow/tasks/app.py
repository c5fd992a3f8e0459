"""The Celery app, made from the settings by :func:`make_celery`; its tasks are thin and take ids.

Each task finds this process's runtime through its app (:meth:`PintuCelery.runtime`, built once
per pool process by the factory the composition root hands in), calls a plain function, and
saves its result so that a re-run is harmless (a task may run twice after a lost worker). The
API only sends tasks: its app is never asked for a runtime. Nothing here is configured at import.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from billiard.exceptions import TimeLimitExceeded
from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

import ocr
from common.errors import ConfigurationError, OperationalError
from workflow.archiving.dossier import archive_permit, signed_not_archived
from workflow.archiving.fixity import run_fixity_audit
from workflow.archiving.ltv import ltv_upkeep
from workflow.checking.checks import run_checks
from workflow.checking.extraction import (
    application_of,
    application_ready_for_checks,
    documents_pending,
    plan_extraction,
    read_page,
)
from workflow.delivery.outbox import notify_permit_issued
from workflow.tasks.beat import ARCHIVE_SWEEP, BEAT_SCHEDULE, FIXITY_AUDIT, LTV_UPKEEP

if TYPE_CHECKING:
    from workflow.config import Settings
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)

START_CHECKS = "pintu.start_checks"
EXTRACT_DOCUMENT = "pintu.extract_document"
EXTRACT_PAGE = "pintu.extract_page"
GIVE_UP_PAGE = "pintu.give_up_page"
RUN_CHECKS = "pintu.run_checks"
ARCHIVE_PERMIT = "pintu.archive_permit"
NOTIFY_APPLICANT = "pintu.notify_applicant"

RuntimeFactory = Callable[["PintuCelery"], "Runtime"]
_M_MMAP_THRESHOLD = -3  # mallopt parameter (glibc malloc.h)


class PintuCelery(Celery):  # type: ignore[misc]  # Celery carries no types
    """A Celery app that knows how to build the runtime of the process it runs tasks in."""

    def __init__(self, settings: Settings, runtime_factory: RuntimeFactory | None) -> None:
        super().__init__("pintu", set_as_current=False)
        self.settings = settings
        self._runtime_factory = runtime_factory
        self._runtime: Runtime | None = None
        self._runtime_lock = threading.Lock()

    def runtime(self) -> Runtime:
        """Return this process's runtime, building it on first use (once per pool process)."""
        if self._runtime is None:
            with self._runtime_lock:
                if self._runtime is None:
                    if self._runtime_factory is None:
                        raise ConfigurationError("this Celery app only sends tasks; it runs none")
                    self._runtime = self._runtime_factory(self)
        return self._runtime


def _return_page_buffers_to_the_system() -> None:
    """Serve allocations of 1 MiB and more from mmap, so page images go back when freed.

    glibc raises its mmap threshold after the first large free, and from then on keeps page-sized
    buffers (8-26 MB per rasterised page) in the heap of every pool child. A fixed threshold
    keeps a child's resident memory near what its current page needs.
    """
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):  # not glibc
        log.info("mallopt unavailable; page buffers stay in the heap")


def _open_in_each_pool_process(app: PintuCelery) -> None:
    """Build the runtime in each pool process as it starts, with its own connections."""

    def start(**_: Any) -> None:
        _return_page_buffers_to_the_system()
        try:
            app.runtime()
        except Exception:  # a pool process's outermost edge: its tasks will try again and say why
            log.exception("the runtime could not be built in this pool process")
        ocr.warm_up()  # load the second reader's models at start, not in the first task

    worker_process_init.connect(start, weak=False)


def _runtime(task: Task) -> Runtime:
    app = task.app
    assert isinstance(app, PintuCelery)  # every Pintu task is registered by make_celery
    return app.runtime()


def _start_checks(task: Task, application_id: str) -> None:
    """Queue extraction of every pending document, or the checks when none is pending."""
    pending = documents_pending(_runtime(task), application_id)
    for document_id in pending:
        task.app.tasks[EXTRACT_DOCUMENT].delay(document_id)
    if not pending:
        task.app.tasks[RUN_CHECKS].delay(application_id)


def _extract_document(task: Task, document_id: str) -> None:
    """Open one document and queue one task per page still to read."""
    rt = _runtime(task)
    plan = plan_extraction(rt, document_id)
    if plan is None:
        return
    for number in plan.pages:
        task.app.tasks[EXTRACT_PAGE].delay(document_id, number)
    if not plan.pages:
        _checks_if_ready(task, plan.application_id)


class PageTask(Task):  # type: ignore[misc]  # Celery's Task carries no types
    """A page task whose pool child was killed at the hard time limit still ends its page.

    Celery calls ``on_failure`` in the worker's main process when it kills a child (stuck in C
    code that the soft limit cannot interrupt); a fresh task then records the page unreadable,
    so the document completes instead of waiting for that page forever.
    """

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Queue the page's give-up task when the child reading it was killed."""
        if isinstance(exc, TimeLimitExceeded) and len(args) == 2:
            log.warning("page %s of %s killed at the hard time limit", args[1], args[0])
            self.app.tasks[GIVE_UP_PAGE].delay(args[0], args[1], "page hard time limit exceeded")


def _extract_page(task: Task, document_id: str, number: int) -> None:
    """Read one page (text layer or OCR); assemble the document after its last page."""
    rt = _runtime(task)
    try:
        complete = read_page(rt, document_id, number)
    except SoftTimeLimitExceeded:
        complete = read_page(rt, document_id, number, give_up="page time limit exceeded")
    _after_page(task, document_id, complete)


def _give_up_page(task: Task, document_id: str, number: int, reason: str) -> None:
    """Record a page as unreadable without reading it (its reading task was killed)."""
    _after_page(task, document_id, read_page(_runtime(task), document_id, number, give_up=reason))


def _after_page(task: Task, document_id: str, complete: bool) -> None:
    if complete and (application_id := application_of(_runtime(task), document_id)):
        _checks_if_ready(task, application_id)


def _checks_if_ready(task: Task, application_id: str) -> None:
    if application_ready_for_checks(_runtime(task), application_id):
        task.app.tasks[RUN_CHECKS].delay(application_id)


def _run_checks(task: Task, application_id: str) -> None:
    """Run the rules once every document of the application is extracted."""
    run_checks(_runtime(task), application_id)


def _archive_permit(task: Task, application_id: str) -> None:
    """Put the signed permit and its dossier in the locked archive (step 8)."""
    try:
        archive_permit(_runtime(task), application_id)
    except OperationalError as exc:
        raise task.retry(exc=exc, countdown=min(300, 5 * 2**task.request.retries)) from exc


def _archive_sweep(task: Task) -> int:
    """Queue archiving for signed permits that are still not archived (after an outage)."""
    pending = signed_not_archived(_runtime(task))
    for application_id in pending:
        task.app.tasks[ARCHIVE_PERMIT].delay(application_id)
    return len(pending)


def _notify_applicant(task: Task, application_id: str) -> None:
    """Tell the applicant the permit is issued (step 6); retry what could not be delivered."""
    try:
        notify_permit_issued(_runtime(task), application_id)
    except OperationalError as exc:
        raise task.retry(exc=exc, countdown=min(600, 30 * 2**task.request.retries)) from exc


def _fixity_audit(task: Task) -> dict[str, int]:
    """Re-read archived versions that are due, plus a random sample (daily, by beat)."""
    summary = run_fixity_audit(_runtime(task))
    return {
        "checked": summary.checked,
        "intact": summary.intact,
        "problems": summary.problems,
        "unreachable": summary.unreachable,
    }


def _ltv_upkeep(task: Task) -> int:
    """Add a document timestamp to archived permits whose last one expires soon (daily)."""
    return len(ltv_upkeep(_runtime(task)))


def make_celery(settings: Settings, *, runtime: RuntimeFactory | None = None) -> PintuCelery:
    """Return a Celery app on the configured broker, with Pintu's tasks and beat schedule.

    ``runtime`` builds the runtime of a process that runs tasks (the worker's pool processes);
    an app without it (the API's) only sends them.
    """
    if not settings.celery_broker_url:
        raise ConfigurationError("CELERY_BROKER_URL is not set: tasks run in-process, no worker")
    app = PintuCelery(settings, runtime)
    app.conf.update(
        broker_url=settings.celery_broker_url,
        result_backend=settings.celery_result_backend,
        task_default_queue=settings.celery_queue,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        broker_transport_options={
            # above the longest task, so a slow task is not delivered twice while it runs
            "visibility_timeout": 3600,
        },
        task_time_limit=1800,
        task_soft_time_limit=1500,
        beat_schedule=BEAT_SCHEDULE,
    )
    task = app.task
    task(name=START_CHECKS, bind=True)(_start_checks)
    task(name=EXTRACT_DOCUMENT, bind=True)(_extract_document)
    task(
        name=EXTRACT_PAGE,
        bind=True,
        base=PageTask,
        time_limit=settings.page_time_limit_s,
        soft_time_limit=max(1, settings.page_time_limit_s * 3 // 4),
    )(_extract_page)
    task(name=GIVE_UP_PAGE, bind=True)(_give_up_page)
    task(name=RUN_CHECKS, bind=True)(_run_checks)
    task(name=ARCHIVE_PERMIT, bind=True, max_retries=12)(_archive_permit)
    task(name=ARCHIVE_SWEEP, bind=True)(_archive_sweep)
    task(name=NOTIFY_APPLICANT, bind=True, max_retries=8)(_notify_applicant)
    task(name=FIXITY_AUDIT, bind=True)(_fixity_audit)
    task(name=LTV_UPKEEP, bind=True)(_ltv_upkeep)
    if runtime is not None:
        _open_in_each_pool_process(app)
    return app
