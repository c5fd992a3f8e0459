"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import RuntimeDep

router = APIRouter(tags=["health"])


@router.get("/health", operation_id="health")
def health(rt: RuntimeDep) -> dict[str, str]:
    """Answer when the service and its database respond."""
    with rt.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok"}
