"""LTV upkeep appends a document timestamp and archives it as a new revision; nothing rewritten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

import signer
from tests.workflow.conftest import actor
from workflow.archiving.ltv import ltv_upkeep
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry
from workflow.delivery.verification import permit_revisions
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit


def _permits(rt: Runtime, application_id: str) -> list[ArchiveEntry]:
    with transaction(rt.sessions) as session:
        return list(
            session.scalars(
                select(ArchiveEntry)
                .where(ArchiveEntry.application_id == application_id, ArchiveEntry.role == "permit")
                .order_by(ArchiveEntry.id)
            )
        )


def test_upkeep_archives_a_new_revision_whose_prefix_is_the_old_one(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    sign_permit(embedded, actor(embedded, "kadis"), application_id, "kadis-demo")
    nothing = ltv_upkeep(embedded, margin=timedelta(days=1))  # the dev TSA is years from expiry
    assert application_id not in {r.application_id for r in nothing}

    results = ltv_upkeep(embedded, margin=timedelta(days=365 * 200))  # everything is due
    mine = [r for r in results if r.application_id == application_id]
    assert len(mine) == 1 and mine[0].revision == 2 and "/revisi-02/" in mine[0].key

    first, second = _permits(embedded, application_id)
    original = embedded.archive.get(first.key, first.version_id)
    extended = embedded.archive.get(second.key, second.version_id)
    assert extended.startswith(original) and len(extended) > len(original)
    report = signer.verify_pdf(extended, embedded.signing.trust)
    assert report.status == "VALID", report.to_dict()
    assert signer.verify_pdf(original, embedded.signing.trust).status == "VALID"
    assert {r["sha256"] for r in permit_revisions(embedded, application_id)} >= {
        first.sha256,
        second.sha256,
    }
