"""Celery worker entry point: ``celery -A workflow.worker worker``.

Builds the settings and the runtime once, when the worker process starts.
"""

from __future__ import annotations

from typing import Any

from celery.signals import worker_process_init

from workflow.config import Settings
from workflow.runtime import build_runtime
from workflow.tasks import celery_app

_runtime = build_runtime(Settings())
app = celery_app


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """Drop the parent's pooled database connections in each forked pool child."""
    _runtime.engine.dispose(close=False)


__all__ = ["app"]
