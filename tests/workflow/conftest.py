"""An embedded runtime (SQLite, folder stores, in-process jobs, development PKI) per module."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workflow.bootstrap import build_runtime, upgrade_database
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import User
from workflow.decisions.steps import take_step
from workflow.intake.applications import create_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime
from workflow.sop.transitions import Actor

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"


def prepared_runtime(settings: Settings) -> Runtime:
    """Migrate and seed the database as `pintu db upgrade` does, then build the runtime."""
    upgrade_database(settings)
    return build_runtime(settings)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    data_dir = tmp_path_factory.mktemp("embedded")
    rt = prepared_runtime(Settings(data_dir=data_dir, database_url=None, celery_broker_url=None))
    yield rt
    rt.close()


def actor(rt: Runtime, username: str) -> Actor:
    with transaction(rt.sessions) as session:
        return Actor.of(session.query(User).filter_by(username=username).one())


@pytest.fixture(scope="module")
def approved_application(embedded: Runtime) -> Callable[[], str]:
    """Make a fresh demo application in state ``approved`` (ready for the Kadis)."""

    def make() -> str:
        rt = embedded
        teknis = actor(rt, "teknis")
        declared = json.loads((DEMO / "application.json").read_text())
        application = create_application(rt, teknis, ApplicationData.model_validate(declared))
        for name in ("ktp.png", "npwp.png", "nib.pdf"):
            upload_document(rt, teknis, application.id, name, (DEMO / name).read_bytes())
        checked = take_step(rt, teknis, application.id, "submit")
        assert checked.verdict == "memenuhi", checked.findings
        take_step(rt, teknis, application.id, "approve_technical")
        take_step(rt, actor(rt, "penata"), application.id, "validate")
        take_step(rt, actor(rt, "koordinator"), application.id, "set_penetapan")
        return application.id

    return make
