"""Real components for the integration tests: PostgreSQL, Redis + a Celery worker, SeaweedFS."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from tests.fixtures.seaweed import SeaweedS3
from workflow.bootstrap import upgrade_database
from workflow.config import Settings
from workflow.tasks.command import worker_command

POSTGRES = os.environ.get("PINTU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("PINTU_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh schema in the machine's PostgreSQL database ``test``, dropped afterwards."""
    schema = f"pintu_it_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}?options=-csearch_path%3D{schema}"
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis (checked to answer)."""
    redis.Redis.from_url(REDIS).ping()
    return REDIS


@pytest.fixture(scope="session")
def real_env(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,
    redis_url: str,
    seaweed_s3: SeaweedS3,
) -> dict[str, str]:
    """Environment variables that point Pintu at the real components."""
    suffix = secrets.token_hex(4)
    env = {
        "DATA_DIR": str(tmp_path_factory.mktemp("pintu-real")),
        "DATABASE_URL": postgres_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_QUEUE": f"pintu-it-{suffix}",
        "S3_ENDPOINT": seaweed_s3.endpoint,
        "S3_ACCESS_KEY": seaweed_s3.access_key,
        "S3_SECRET_KEY": seaweed_s3.secret_key,
        "S3_BUCKET": f"pintu-archive-{suffix}",
        "S3_DOCUMENTS_BUCKET": f"pintu-documents-{suffix}",
    }
    upgrade_database(settings_of(env))  # what `pintu db upgrade` does before the services start
    return env


def settings_of(env: dict[str, str]) -> Settings:
    """The settings a process started with ``env`` reads."""
    return Settings(**{key.lower(): value for key, value in env.items()})


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start a real Celery worker (prefork, 2 children) with ``env``; return once it is ready."""
    command = worker_command(str(Path(sys.executable).parent / "celery"))
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env={**os.environ, **env, "OMP_THREAD_LIMIT": "1"}, stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"celery worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """Stop a worker started by :func:`start_worker`."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def celery_worker(
    real_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process (prefork, 2 children) on Redis."""
    process = start_worker(real_env, tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    stop_worker(process)
