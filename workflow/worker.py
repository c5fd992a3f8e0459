"""Celery worker entry point: ``celery -A workflow.worker worker``.

The parent process builds the runtime once (migrations, buckets, development PKI, demo users);
each forked pool child then opens its own connections: a socket inherited across a fork and used
by two children at once interleaves their answers (seen as S3 reads that fail their SHA-256).
"""

from __future__ import annotations

import ctypes
import logging
from dataclasses import replace
from typing import Any

from celery.signals import worker_process_init

import archive
import ocr
from workflow.config import Settings
from workflow.runtime import build_runtime, install, storage_config
from workflow.tasks.app import celery_app

log = logging.getLogger(__name__)
_M_MMAP_THRESHOLD = -3  # mallopt parameter (glibc malloc.h)


def _return_page_buffers_to_the_system() -> None:
    """Serve allocations of 1 MiB and more from mmap, so page images go back when freed.

    glibc raises its mmap threshold after the first large free, and from then on keeps page-sized
    buffers (8-26 MB per rasterised page) in the heap of every pool child. A fixed threshold
    keeps a child's resident memory near what its current page needs.
    """
    try:
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):  # not glibc
        log.info("mallopt unavailable; page buffers stay in the heap")


_runtime = build_runtime(Settings())
app = celery_app


@worker_process_init.connect
def _fresh_connections(**_: Any) -> None:
    """Give each forked pool child its own database and object-storage connections."""
    _return_page_buffers_to_the_system()
    _runtime.engine.dispose(close=False)
    documents, archive_store = archive.open_stores(storage_config(_runtime.settings))
    install(replace(_runtime, documents=documents, archive=archive_store))
    ocr.warm_up()  # load the second reader's models at start, not in the first task


__all__ = ["app"]
