"""Celery worker entry point: ``celery -A workflow.worker worker``.

The parent process builds the runtime once (migrations, buckets, development PKI, demo users);
each forked pool child then opens its own connections: a socket inherited across a fork and used
by two children at once interleaves their answers (seen as S3 reads that fail their SHA-256).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from celery.signals import worker_process_init

import archive
import ocr
from workflow.config import Settings
from workflow.runtime import build_runtime, install, storage_config
from workflow.tasks import celery_app

_runtime = build_runtime(Settings())
app = celery_app


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """Give each forked pool child its own database and object-storage connections."""
    _runtime.engine.dispose(close=False)
    documents, archive_store = archive.open_stores(storage_config(_runtime.settings))
    install(replace(_runtime, documents=documents, archive=archive_store))
    ocr.warm_up()  # load the second reader's models at start, not in the first task


__all__ = ["app"]
