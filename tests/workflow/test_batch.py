"""Bulk signing: a summary first, one passphrase, one result per permit, one certificate."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from common.errors import CallerError
from tests.workflow.conftest import actor
from workflow.db.engine import transaction
from workflow.db.models import SigningBatch
from workflow.decisions.steps import take_step
from workflow.runtime import Runtime
from workflow.signing.batch import batch_view, create_batch, mark_interrupted_batches, run_batch

SECRET = "kadis-demo"


def test_a_batch_signs_each_approved_permit_once_with_one_certificate(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    ids = [approved_application() for _ in range(3)]
    summary = create_batch(embedded, kadis, [*ids, ids[0]])
    assert summary.status == "awaiting_confirmation" and summary.total == 3
    assert {i.state for i in summary.items} == {"approved"}  # nothing signed before confirming

    progress: list[tuple[int, int, str]] = []
    result = run_batch(
        embedded,
        kadis,
        summary.id,
        SECRET,
        on_progress=lambda p, t, _a, s: progress.append((p, t, s)),
    )
    assert result.status == "done" and result.signed == 3 and result.failed == 0
    assert progress == [(1, 3, "signed"), (2, 3, "signed"), (3, 3, "signed")]
    assert result.certificate_subject and "Rahmat Hidayat" in result.certificate_subject
    assert {i.state for i in batch_view(embedded, summary.id).items} == {"archived"}

    with pytest.raises(CallerError, match="not awaiting confirmation"):
        run_batch(embedded, kadis, summary.id, SECRET)
    again = create_batch(embedded, kadis, ids)
    assert {i.status for i in again.items} == {"skipped"}  # idempotent per permit


def test_a_wrong_passphrase_signs_nothing(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    ids = [approved_application(), approved_application()]
    batch = create_batch(embedded, kadis, ids)
    with pytest.raises(CallerError):
        run_batch(embedded, kadis, batch.id, "salah")
    view = batch_view(embedded, batch.id)
    assert view.status == "failed" and view.signed == 0
    assert {i.state for i in view.items} == {"approved"}


def test_stop_at_the_first_failure_leaves_the_rest_approved(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    first, second, third = (approved_application() for _ in range(3))
    batch = create_batch(embedded, kadis, [first, second, third], stop_on_failure=True)
    take_step(embedded, kadis, second, "reject_by_kadis")  # no longer signable when its turn comes
    view = run_batch(embedded, kadis, batch.id, SECRET)
    assert view.status == "stopped"
    assert [i.status for i in view.items] == ["signed", "failed", "not_signed"]
    assert [i.state for i in view.items] == ["archived", "returned", "approved"]


def test_only_a_kadis_prepares_a_batch(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    with pytest.raises(CallerError):
        create_batch(embedded, actor(embedded, "koordinator"), [approved_application()])


def test_a_batch_left_running_by_a_dead_process_is_marked_interrupted(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    batch = create_batch(embedded, kadis, [approved_application()])
    with transaction(embedded.sessions) as session:
        row = session.get(SigningBatch, batch.id)
        assert row is not None
        row.status = "running"  # as a process that died mid-batch left it
    assert mark_interrupted_batches(embedded) == 1
    view = batch_view(embedded, batch.id)
    assert view.status == "interrupted"
    assert [(i.status, i.state) for i in view.items] == [("not_signed", "approved")]
