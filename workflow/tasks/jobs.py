"""The two implementations of :class:`workflow.runtime.Jobs`: Celery, and in this process.

With a broker configured, jobs are Celery tasks a worker runs; without one (the embedded
default), they run at once in the process that queued them, through the same plain functions.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from common.errors import ConfigurationError
from workflow.archiving.dossier import archive_permit
from workflow.checking.checks import run_checks
from workflow.checking.extraction import (
    application_ready_for_checks,
    documents_pending,
    plan_extraction,
    read_page,
)
from workflow.delivery.outbox import notify_permit_issued
from workflow.tasks.app import ARCHIVE_PERMIT, NOTIFY_APPLICANT, START_CHECKS, PintuCelery

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


class CeleryJobs:
    """Jobs sent to the broker for a worker to run."""

    def __init__(self, app: PintuCelery) -> None:
        self.app = app

    def start_checks(self, application_id: str) -> None:
        """Queue the reading of the application's documents and then its checks."""
        self.app.tasks[START_CHECKS].delay(application_id)

    def after_signing(self, application_id: str) -> None:
        """Queue archiving and notification; step 8 does not wait for the download of step 7.

        The permit is signed and stored whatever happens here: a broker that is down is logged,
        and the archive sweep completes the archiving later.
        """
        for name in (ARCHIVE_PERMIT, NOTIFY_APPLICANT):
            try:
                self.app.tasks[name].delay(application_id)
            except Exception:  # the outermost edge of a signing request: log, never undo it
                log.exception("%s for %s failed; the sweep will retry it", name, application_id)

    def close(self) -> None:
        """Close the app's broker connections."""
        self.app.close()


class InlineJobs:
    """Jobs run at once in the calling process (no broker: the embedded default).

    Bound to its runtime after both are built (:meth:`bind`): the runtime holds its jobs, and
    the jobs run on that same runtime, never on another one of the process.
    """

    def __init__(self) -> None:
        self._runtime: Runtime | None = None

    def bind(self, runtime: Runtime) -> None:
        """Run every job on ``runtime``."""
        self._runtime = runtime

    def _rt(self) -> Runtime:
        if self._runtime is None:
            raise ConfigurationError("in-process jobs used before their runtime was bound")
        return self._runtime

    def start_checks(self, application_id: str) -> None:
        """Read every pending document, page by page, then run the checks."""
        rt = self._rt()
        pending = documents_pending(rt, application_id)
        for document_id in pending:
            plan = plan_extraction(rt, document_id)
            if plan is None:
                continue
            for number in plan.pages:
                if read_page(rt, document_id, number):
                    self._checks_if_ready(plan.application_id)
            if not plan.pages:
                self._checks_if_ready(plan.application_id)
        if not pending:
            run_checks(rt, application_id)

    def _checks_if_ready(self, application_id: str) -> None:
        if application_ready_for_checks(self._rt(), application_id):
            run_checks(self._rt(), application_id)

    def after_signing(self, application_id: str) -> None:
        """Archive and notify now; a failure is logged, and the permit stays signed and stored.

        An S3 outage while archiving in the signing request must not turn a signed permit into
        a failed request; archiving again later completes it (the archive sweep does so where
        Celery beat runs) and stores nothing twice.
        """
        rt = self._rt()
        for name, job in (("archiving", archive_permit), ("notification", notify_permit_issued)):
            try:
                job(rt, application_id)
            except Exception:  # the outermost edge of a signing request: log, never undo it
                log.exception("%s of %s failed; run it again later", name, application_id)

    def close(self) -> None:
        """Nothing to release."""
