"""Step 3, automated, second half: every rule on the application's documents, once all are read.

The verdict and findings are stored with the application; the declared data is never changed.
What only the machine read (a NIB, a business name, an owner's name missing from the declared
data) stays apart as *read values* (:mod:`workflow.checking.read_values`): the BAP shows where
each value came from, and a read value reaches the permit only once the Tim Teknis confirmed it.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm.exc import StaleDataError

import validator
from workflow.checking import mapping
from workflow.db.engine import transaction
from workflow.db.models import Application
from workflow.intake.applications import get_application
from workflow.sop.states import State
from workflow.sop.transitions import apply_transition
from workflow.staff.accounts import system_actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime

log = logging.getLogger(__name__)


def run_checks(rt: Runtime, application_id: str, *, today: date | None = None) -> str | None:
    """Run every rule on the application's documents; take ``checks_done``. Idempotent."""
    actor = system_actor(rt)
    rules = rt.rules.get()
    try:
        with transaction(rt.sessions) as session:
            application = get_application(session, application_id)
            if application.state != State.CHECKING.value:
                return application.verdict
            if any(d.extraction_status == "pending" for d in application.documents):
                return None
            report = check_application(application, rules, today=today or date.today())
            application.findings = report.to_json()
            application.verdict = report.verdict
            apply_transition(session, application, "checks_done", actor)
            log.info("application %s checked: %s", application_id, report.verdict)
            return report.verdict
    except StaleDataError:
        log.info("application %s was checked concurrently; keeping that result", application_id)
        return None


def check_application(
    application: Application, rules: validator.RuleSet, *, today: date
) -> validator.Report:
    """Return validator's report on one application as it stands."""
    documents = mapping.evidences(application.documents)
    failed = [d for d in application.documents if d.extraction_status == "failed"]
    report = validator.check(mapping.declared(application), documents, rules, today=today)
    if not failed:
        return report
    unreadable = [
        validator.Finding(
            rule_id="dokumen.tidak_terbaca",
            severity="blocking",
            message=f"Dokumen {d.file_name} tidak dapat dibaca; unggah ulang berkas yang jelas.",
            evidence=(validator.Evidence(document_id=d.id, page=None, field=None, value=None),),
        )
        for d in failed
    ]
    return validator.Report.from_findings([*report.findings, *unreadable], report.rule_versions)
