"""A page whose reading is stuck in C code is killed at the hard limit and still ends unreadable.

The soft time limit cannot interrupt pdfium while it parses a page's content; the worker then
kills the pool child. The page must still be recorded (unreadable, a finding for the Tim Teknis)
so the document and the application move on.
"""

from __future__ import annotations

import secrets
import time

import pytest

from tests.integration.conftest import start_worker, stop_worker
from tests.ocr.test_hostile import _vector_heavy_pdf
from workflow.bootstrap import build_runtime
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import Document, DocumentPage, User
from workflow.decisions.steps import take_step
from workflow.intake.applications import create_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.sop.transitions import Actor

pytestmark = pytest.mark.integration


def test_a_page_killed_at_the_hard_time_limit_is_recorded_unreadable(
    real_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = {
        **real_env,
        "CELERY_QUEUE": f"pintu-limit-{secrets.token_hex(4)}",
        "PAGE_TIME_LIMIT_S": "1",  # parsing the page below takes pdfium seconds
        "MAX_UPLOAD_BYTES": str(30 * 1024 * 1024),
    }
    rt = build_runtime(Settings(**{key.lower(): value for key, value in env.items()}))
    worker = start_worker(env, tmp_path_factory.mktemp("limit-worker") / "worker.log")
    try:
        with transaction(rt.sessions) as session:
            teknis = Actor.of(session.query(User).filter_by(username="teknis").one())
        application = create_application(rt, teknis, ApplicationData(nama_usaha="Batas Waktu"))
        heavy = _vector_heavy_pdf(900_000)
        document = upload_document(rt, teknis, application.id, "lambat.pdf", heavy)
        take_step(rt, teknis, application.id, "submit")
        deadline = time.monotonic() + 120
        status = "pending"
        while time.monotonic() < deadline:
            with transaction(rt.sessions) as session:
                row = session.get(Document, document.id)
                assert row is not None
                status = row.extraction_status
            if status != "pending":
                break
            time.sleep(0.3)
        assert status == "done"
        with transaction(rt.sessions) as session:
            page = session.query(DocumentPage).filter_by(document_id=document.id).one()
            assert page.result["unreadable"] is True
            assert page.result["reason"] == "page hard time limit exceeded"
    finally:
        stop_worker(worker)
        rt.close()
