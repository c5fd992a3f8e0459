"""Uploads are checked where they arrive: a bad file is answered at once, the same file twice is
one document (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ocr
from tests.ocr import hostile
from tests.workflow.conftest import DEMO, actor
from workflow.db.engine import transaction
from workflow.db.models import Document
from workflow.intake.applications import create_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime


def _application(rt: Runtime) -> str:
    declared = json.loads((DEMO / "application.json").read_text())
    return create_application(rt, actor(rt, "teknis"), ApplicationData.model_validate(declared)).id


def _documents(rt: Runtime, application_id: str) -> int:
    with transaction(rt.sessions) as session:
        return session.query(Document).filter_by(application_id=application_id).count()


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (hostile.open_action_javascript, ocr.ActiveContent),
        (hostile.embedded_exe, ocr.ActiveContent),
        (lambda: hostile.many_pages(2000), ocr.FileTooLarge),
        (lambda: hostile.many_frame_tiff(500), ocr.FileTooLarge),
        (lambda: hostile.png_bomb(100_000), ocr.ImageTooLarge),
        (lambda: hostile.deep_page_tree(100_000), ocr.MalformedDocument),
    ],
    ids=["javascript", "exe", "2000-pages", "500-frames", "pixel-bomb", "deep-tree"],
)
def test_a_hostile_upload_is_refused_at_upload_with_a_4xx(
    embedded: Runtime, make: object, error: type[ocr.OcrCallerError]
) -> None:
    application_id = _application(embedded)
    with pytest.raises(error) as raised:
        upload_document(embedded, actor(embedded, "teknis"), application_id, "x.pdf", make())  # type: ignore[operator]
    assert 400 <= raised.value.http_status < 500
    assert _documents(embedded, application_id) == 0


def test_the_same_bytes_uploaded_twice_are_one_document(embedded: Runtime) -> None:
    application_id = _application(embedded)
    teknis = actor(embedded, "teknis")
    data = Path(DEMO / "ktp.png").read_bytes()
    first = upload_document(embedded, teknis, application_id, "ktp.png", data)
    again = upload_document(embedded, teknis, application_id, "ktp (1).png", data)
    assert again.id == first.id
    assert _documents(embedded, application_id) == 1
