"""The fixity audit over the archive index: intact versions pass, a changed one raises an alert."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.workflow.conftest import actor
from workflow.archiving.fixity import metrics, open_alerts, run_fixity_audit
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit


def test_a_corrupted_archived_permit_is_found_and_alerted(
    embedded: Runtime,
    approved_application: Callable[[], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    application_id = approved_application()
    sign_permit(embedded, actor(embedded, "kadis"), application_id, "kadis-demo")
    first = run_fixity_audit(embedded)
    assert first.checked > 0 and first.problems == 0 and first.intact == first.checked

    with transaction(embedded.sessions) as session:
        permit = session.scalar(
            select(ArchiveEntry).where(
                ArchiveEntry.application_id == application_id, ArchiveEntry.role == "permit"
            )
        )
        assert permit is not None
        key = permit.key
    stored = next(
        p
        for p in (embedded.settings.data_dir / "store").rglob("*")
        if p.is_file() and p.as_posix().endswith(key) and "archive" in p.as_posix()
    )
    stored.chmod(stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    stored.write_bytes(bytes(data))

    caplog.set_level(logging.ERROR, logger="workflow.fixity")
    later = datetime.now(UTC) + timedelta(days=31)  # everything is due again
    second = run_fixity_audit(embedded, now=later)
    assert second.problems == 1
    alerts = open_alerts(embedded)
    assert any(a.subject == key and a.detail.startswith("mismatch") for a in alerts)
    assert key in caplog.text
    assert metrics(embedded)["pintu_fixity_failures_total"] >= 1
