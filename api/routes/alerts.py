"""Alerts staff must look at, and the service's counters."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict

import workflow
from api.deps import CurrentActor, RuntimeDep

router = APIRouter(tags=["operations"])


class AlertPublic(BaseModel):
    """An alert (e.g. an archived version lost or changed)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    severity: str
    subject: str
    detail: str
    created_at: datetime


@router.get("/alerts", operation_id="list_alerts")
def list_alerts(rt: RuntimeDep, actor: CurrentActor) -> list[AlertPublic]:
    """List alerts nobody has acknowledged, newest first."""
    return [AlertPublic.model_validate(a) for a in workflow.open_alerts(rt)]


@router.get("/metrics", operation_id="metrics", response_class=PlainTextResponse)
def export_metrics(rt: RuntimeDep) -> str:
    """Export counters in the Prometheus text format."""
    return "".join(f"{name} {value}\n" for name, value in workflow.metrics(rt).items())
