"""Pintu's workflow: the SOP's steps 3-8 over the capabilities, and its small service API.

Importing ``workflow`` starts nothing and loads nothing heavy: the names below are loaded on
first use. Entry points build their runtime with :mod:`workflow.bootstrap`; everything else
takes that runtime and hands back views (:mod:`workflow.views`), never ORM rows.

Sub-packages, in the order data flows: ``intake`` (steps 1-2 as received), ``checking`` (step 3,
automated), ``decisions`` (the people's steps 3-4 and their papers), ``signing`` (step 5),
``delivery`` (steps 6-7), ``archiving`` (step 8); beneath them ``sop`` (the state table),
``staff``, ``db``; above them ``tasks`` (Celery) and the composition root ``bootstrap``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workflow.checking.rules import import_rule_table
    from workflow.delivery.verification import (
        permit_revisions,
        permit_status,
        verify_pdf_bytes,
    )
    from workflow.intake.schema import ApplicationData
    from workflow.runtime import Runtime
    from workflow.service import (
        archived_file,
        check_database,
        create_application,
        find_archived,
        get_application,
        get_document,
        list_applications,
        metrics,
        open_alerts,
        produced_file,
        sign_permit,
        take_step,
        upload_document,
    )
    from workflow.signing.batch import (
        MAX_BATCH,
        BatchItemView,
        BatchView,
        batch_view,
        create_batch,
        mark_interrupted_batches,
        run_batch,
        start_batch_thread,
    )
    from workflow.signing.consent import Consent
    from workflow.signing.remote import mark_interrupted_remote_calls
    from workflow.sop.timeline import StepTime
    from workflow.sop.transitions import Actor
    from workflow.staff.accounts import (
        active_actor,
        actor_named,
        log_in,
    )
    from workflow.views import (
        AlertView,
        ApplicationPage,
        ApplicationView,
        ArchivedFile,
        DocumentDetailView,
        DocumentView,
        ProducedFile,
        TransitionView,
    )

_EXPORTS: dict[str, str] = {
    "archived_file": "workflow.service",
    "check_database": "workflow.service",
    "create_application": "workflow.service",
    "find_archived": "workflow.service",
    "get_application": "workflow.service",
    "get_document": "workflow.service",
    "list_applications": "workflow.service",
    "metrics": "workflow.service",
    "open_alerts": "workflow.service",
    "produced_file": "workflow.service",
    "sign_permit": "workflow.service",
    "take_step": "workflow.service",
    "upload_document": "workflow.service",
    "AlertView": "workflow.views",
    "ApplicationPage": "workflow.views",
    "ApplicationView": "workflow.views",
    "ArchivedFile": "workflow.views",
    "DocumentDetailView": "workflow.views",
    "DocumentView": "workflow.views",
    "ProducedFile": "workflow.views",
    "TransitionView": "workflow.views",
    "MAX_BATCH": "workflow.signing.batch",
    "BatchItemView": "workflow.signing.batch",
    "BatchView": "workflow.signing.batch",
    "batch_view": "workflow.signing.batch",
    "create_batch": "workflow.signing.batch",
    "mark_interrupted_batches": "workflow.signing.batch",
    "run_batch": "workflow.signing.batch",
    "start_batch_thread": "workflow.signing.batch",
    "mark_interrupted_remote_calls": "workflow.signing.remote",
    "Consent": "workflow.signing.consent",
    "Actor": "workflow.sop.transitions",
    "StepTime": "workflow.sop.timeline",
    "active_actor": "workflow.staff.accounts",
    "actor_named": "workflow.staff.accounts",
    "log_in": "workflow.staff.accounts",
    "permit_revisions": "workflow.delivery.verification",
    "permit_status": "workflow.delivery.verification",
    "verify_pdf_bytes": "workflow.delivery.verification",
    "ApplicationData": "workflow.intake.schema",
    "import_rule_table": "workflow.checking.rules",
    "Runtime": "workflow.runtime",
}
"""Each exported name and the module that defines it."""

__all__ = [
    "MAX_BATCH",
    "Actor",
    "AlertView",
    "ApplicationData",
    "ApplicationPage",
    "ApplicationView",
    "ArchivedFile",
    "BatchItemView",
    "BatchView",
    "Consent",
    "DocumentDetailView",
    "DocumentView",
    "ProducedFile",
    "Runtime",
    "StepTime",
    "TransitionView",
    "active_actor",
    "actor_named",
    "archived_file",
    "batch_view",
    "check_database",
    "create_application",
    "create_batch",
    "find_archived",
    "get_application",
    "get_document",
    "import_rule_table",
    "list_applications",
    "log_in",
    "mark_interrupted_batches",
    "mark_interrupted_remote_calls",
    "metrics",
    "open_alerts",
    "permit_revisions",
    "permit_status",
    "produced_file",
    "run_batch",
    "sign_permit",
    "start_batch_thread",
    "take_step",
    "upload_document",
    "verify_pdf_bytes",
]


def __getattr__(name: str) -> Any:
    """Load an exported name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
