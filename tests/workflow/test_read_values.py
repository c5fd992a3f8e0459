"""What only the machine read stays apart from what the applicant declared.

An application that leaves out the NIB, the business name and the KBLI lines gets them read from
its NIB document: they are shown as read values, never written into the declared data, reach the
permit only once the Tim Teknis confirmed them, and the BAP says where each value came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from common.errors import CallerError
from tests.workflow.conftest import actor
from workflow.db.engine import transaction
from workflow.errors import IllegalTransition, ValueNotConfirmable
from workflow.intake.applications import get_application
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime
from workflow.service import (
    create_application,
    produced_file,
    sign_permit,
    take_step,
    upload_document,
)
from workflow.service import get_application as application_view

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"
LEFT_OUT = ("nib", "nama_usaha", "kbli")


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return text.replace("\ufffe", "-")  # pdfium marks a hyphen at a line break so


def _checked(rt: Runtime) -> str:
    declared = json.loads((DEMO / "application.json").read_text())
    for key in LEFT_OUT:
        declared.pop(key)
    teknis = actor(rt, "teknis")
    created = create_application(rt, teknis, ApplicationData.model_validate(declared))
    for name in ("ktp.png", "npwp.png", "nib.pdf"):
        upload_document(rt, teknis, created.id, name, (DEMO / name).read_bytes())
    checked = take_step(rt, teknis, created.id, "submit")
    assert checked.verdict == "memenuhi", checked.findings
    return created.id


def test_a_value_only_the_machine_read_is_shown_apart_and_never_stored_as_declared(
    embedded: Runtime,
) -> None:
    application_id = _checked(embedded)
    view = application_view(embedded, application_id)
    assert set(view.read_values) == set(LEFT_OUT)
    assert view.read_values["nib"]["value"] == "1203240012345"
    assert view.read_values["nib"]["file_name"] == "nib.pdf"
    assert view.read_values["nib"]["page"] == 1
    assert view.read_values["kbli"]["value"] == ["56303"]
    assert not any(view.data.get(key) for key in LEFT_OUT)
    assert view.nib is None and view.confirmed_values == {}


def test_approval_waits_for_the_read_values_the_permit_prints(embedded: Runtime) -> None:
    application_id = _checked(embedded)
    teknis = actor(embedded, "teknis")
    with pytest.raises(IllegalTransition) as refused:
        take_step(embedded, teknis, application_id, "approve_technical", confirm=["nib"])
    assert refused.value.detail_id and "nama usaha" in refused.value.detail_id
    assert "KBLI" in refused.value.detail_id and "NIB" not in refused.value.detail_id.split(":")[1]
    with pytest.raises(ValueNotConfirmable):  # the NPWP was declared: nothing to confirm
        take_step(embedded, teknis, application_id, "approve_technical", confirm=["npwp"])
    with pytest.raises(CallerError):  # confirmations go with the approval only
        take_step(embedded, teknis, application_id, "return_for_correction", confirm=["nib"])
    assert application_view(embedded, application_id).state == "checked"


def test_confirmed_values_reach_the_permit_and_the_bap_says_where_each_came_from(
    embedded: Runtime,
) -> None:
    application_id = _checked(embedded)
    teknis = actor(embedded, "teknis")
    approved = take_step(
        embedded, teknis, application_id, "approve_technical", confirm=list(LEFT_OUT)
    )
    assert approved.state == "technical_approved"
    assert set(approved.confirmed_values) == set(LEFT_OUT)
    assert approved.confirmed_values["nib"]["confirmed_by"] == teknis.user_id
    assert approved.nib == "1203240012345"  # the permit's NIB, now that a person confirmed it
    with transaction(embedded.sessions) as session:
        stored = get_application(session, application_id)
        assert not any(stored.data.get(key) for key in LEFT_OUT)  # declared data unchanged

    bap = _text(produced_file(embedded, application_id, "bap").content)
    assert "Dinyatakan pemohon" in bap  # the owner's name and NIK were declared
    assert "nib.pdf, hlm. 1); dikonfirmasi Tim Teknis" in " ".join(bap.split())
    assert "Pemeriksaan memakai tabel aturan" in bap

    take_step(embedded, actor(embedded, "penata"), application_id, "validate")
    take_step(embedded, actor(embedded, "koordinator"), application_id, "set_penetapan")
    signed = sign_permit(embedded, actor(embedded, "kadis"), application_id, "kadis-demo")
    assert signed.permit_number and signed.permit_number.startswith("1203240012345-")
    permit = " ".join(_text(produced_file(embedded, application_id, "permit").content).split())
    assert "KEDAI KOPI SENJA" in permit and "1203240012345" in permit and "56303" in permit


def test_resubmitting_forgets_the_earlier_confirmations(embedded: Runtime) -> None:
    application_id = _checked(embedded)
    teknis, penata = actor(embedded, "teknis"), actor(embedded, "penata")
    take_step(embedded, teknis, application_id, "approve_technical", confirm=list(LEFT_OUT))
    take_step(embedded, penata, application_id, "return_to_applicant")
    again = take_step(embedded, teknis, application_id, "resubmit")
    assert again.state == "checked" and again.confirmed_values == {}
