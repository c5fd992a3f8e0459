"""Bulk signing: the Kadis prepares a batch, confirms its summary with one secret entry."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

import workflow
from api.deps import CurrentActor, RuntimeDep
from api.schemas import SignRequest

router = APIRouter(prefix="/signing-batches", tags=["signing"])


class BatchCreate(BaseModel):
    """The permits to sign together."""

    application_ids: list[str] = Field(min_length=1, max_length=workflow.MAX_BATCH)
    stop_on_failure: bool = False


class BatchConfirm(SignRequest):
    """The Kadis's consent for the whole batch: used by this process only, never stored.

    With a TOTP the batch is one BSrE call of at most ``BSRE_MAX_BATCH`` permits; a larger batch
    is refused (422) before anything is sent: split it and confirm each with a fresh TOTP.
    """


@router.post("", status_code=201, operation_id="prepare_signing_batch")
def prepare(rt: RuntimeDep, actor: CurrentActor, body: BatchCreate) -> dict[str, Any]:
    """Prepare a batch and return the summary to confirm (nothing is signed yet)."""
    view = workflow.create_batch(
        rt, actor, body.application_ids, stop_on_failure=body.stop_on_failure
    )
    return asdict(view)


@router.post("/{batch_id}/confirm", status_code=202, operation_id="confirm_signing_batch")
def confirm(
    rt: RuntimeDep, actor: CurrentActor, batch_id: str, body: BatchConfirm
) -> dict[str, Any]:
    """Start signing the batch in the background; follow it with GET."""
    workflow.start_batch_thread(rt, actor, batch_id, body.consent())
    return asdict(workflow.batch_view(rt, batch_id))


@router.get("/{batch_id}", operation_id="get_signing_batch")
def progress(rt: RuntimeDep, actor: CurrentActor, batch_id: str) -> dict[str, Any]:
    """Return the batch's progress, one result per permit."""
    return asdict(workflow.batch_view(rt, batch_id))
