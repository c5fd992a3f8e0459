"""Celery's entry point: ``celery -A workflow.worker worker`` (and ``... beat``).

Importing this module builds nothing. Celery asks it for ``app``; only then are the settings
read from the environment and the app made (:func:`workflow.bootstrap.worker_celery`). Each pool
process builds its own runtime when it starts; the worker's parent and beat open neither the
database nor the stores, and nothing here migrates (``pintu db upgrade`` does, before).
"""

from __future__ import annotations

from workflow.bootstrap import worker_celery
from workflow.config import Settings
from workflow.tasks.app import PintuCelery


def __getattr__(name: str) -> PintuCelery:
    """Build the app when Celery's command line asks for ``app``."""
    if name == "app":
        return worker_celery(Settings())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
