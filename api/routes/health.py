"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

import workflow
from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/health", operation_id="health")
def health(rt: RuntimeDep) -> dict[str, str]:
    """Answer when the service and its database respond."""
    workflow.check_database(rt)
    return {"status": "ok"}
