"""The command line of a Pintu worker (the Makefile, docker-compose and the tests start it)."""

from __future__ import annotations

WORKER_APP = "workflow.worker"
"""What ``celery -A`` is given: the entry module whose ``app`` is built when Celery asks."""


def worker_command(celery: str, *, concurrency: int = 2, loglevel: str = "info") -> list[str]:
    """Return the argv of a Pintu worker: prefork processes, one per core, no cluster chatter."""
    return [
        celery,
        "-A",
        WORKER_APP,
        "worker",
        "-c",
        str(concurrency),
        "-P",
        "prefork",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        loglevel,
    ]
