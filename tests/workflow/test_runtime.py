"""Each runtime is its own: no module keeps one, jobs run on the runtime that queued them, and a
database that is not migrated is refused with the command that fixes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import workflow
from common.errors import ConfigurationError
from tests.fixtures.env import embedded_env
from tests.workflow.conftest import actor, prepared_runtime
from workflow.bootstrap import build_runtime
from workflow.config import Settings
from workflow.runtime import Runtime

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"
ROOT = Path(__file__).parents[2]


def test_jobs_run_on_the_runtime_that_queued_them(
    embedded: Runtime, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = prepared_runtime(Settings(data_dir=tmp_path_factory.mktemp("other-runtime")))
    try:
        teknis = actor(other, "teknis")
        declared = json.loads((DEMO / "application.json").read_text())
        created = workflow.create_application(
            other, teknis, workflow.ApplicationData.model_validate(declared)
        )
        for name in ("ktp.png", "npwp.png", "nib.pdf"):
            workflow.upload_document(other, teknis, created.id, name, (DEMO / name).read_bytes())
        checked = workflow.take_step(other, teknis, created.id, "submit")
        assert checked.state == "checked" and checked.verdict == "memenuhi"
        assert {d.extraction_status for d in checked.documents} == {"done"}
        mine = workflow.list_applications(embedded, offset=0, limit=200)
        assert created.id not in {a.id for a in mine.items}  # the other database only
    finally:
        other.close()


def test_a_database_that_is_not_migrated_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="pintu db upgrade"):  # none at all
        build_runtime(Settings(data_dir=tmp_path / "data"))
    assert not (tmp_path / "data").exists()  # refusing created nothing
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pintu.db").write_bytes(b"")  # an empty SQLite file: never migrated
    with pytest.raises(ConfigurationError, match="run `pintu db upgrade` first"):
        build_runtime(Settings(data_dir=tmp_path / "data"))


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_importing_the_entry_points_starts_nothing(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "data", PYTHONPATH=str(ROOT))
    run = _python("import workflow, api.app, workflow.worker, workflow.bootstrap", env)
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "data").exists()  # no database, no PKI, no store
    light = _python(
        "import sys, workflow, workflow.bootstrap, ocr, validator\n"
        "print(','.join(m for m in ('sqlalchemy', 'signer', 'celery', 'cv2', 'alembic')"
        " if m in sys.modules))\n",
        env,
    )
    assert light.returncode == 0, light.stderr
    assert light.stdout.strip() == ""  # `import workflow` and the read-only parts load no engine


def test_celery_beat_starts_without_the_database_or_s3(tmp_path: Path) -> None:
    redis = os.environ.get("PINTU_TEST_REDIS", "redis://127.0.0.1:6379/0")
    env = embedded_env(
        tmp_path / "data",
        PYTHONPATH=str(ROOT),
        CELERY_BROKER_URL=redis,
        DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/nowhere",
        S3_ENDPOINT="http://127.0.0.1:9",
        S3_ACCESS_KEY="nobody",
        S3_SECRET_KEY="nothing",
    )
    log = tmp_path / "beat.log"
    celery = str(Path(sys.executable).parent / "celery")
    command = [celery, "-A", "workflow.worker", "beat", "-l", "info"]
    command += ["-s", str(tmp_path / "schedule")]
    with log.open("wb") as out:
        beat = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while b"beat: Starting" not in log.read_bytes():
            assert beat.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        time.sleep(1)
        assert beat.poll() is None, log.read_text(errors="replace")
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert not (tmp_path / "data").exists()
    assert b"Traceback" not in log.read_bytes()


def test_the_service_api_exports_what_it_lists() -> None:
    for name in workflow.__all__:
        assert getattr(workflow, name) is not None, name
    with pytest.raises(AttributeError):
        _ = workflow.no_such_name  # type: ignore[attr-defined]
