"""The Kadis signs through a PKCS#11 token (SoftHSM2) with her PIN, via the workflow and the API."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pkcs11
import pytest
import uvicorn
from fastapi import FastAPI

import signer
from api.app import create_app
from common.errors import CallerError
from tests.fixtures.softhsm import installed_softhsm
from tests.signer._tools import pdfsig_valid_count
from tests.workflow.conftest import actor
from workflow.bootstrap import upgrade_database
from workflow.config import DEV_KADIS_PASSPHRASE, Settings
from workflow.db.engine import transaction
from workflow.intake.applications import get_application
from workflow.runtime import Runtime
from workflow.signing.batch import create_batch, run_batch
from workflow.signing.consent import Consent
from workflow.signing.request import sign_permit

pytestmark = pytest.mark.hsm

TOKEN = "pintu-workflow-kadis"
PIN = "86420975"  # 8 digits: not found in hex ids or timestamps by chance


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The API on embedded defaults, but signing with the Kadis's key on a SoftHSM2 token."""
    data_dir = tmp_path_factory.mktemp("pkcs11-backend")
    pki = signer.ensure_dev_pki(data_dir / "pki", kadis_passphrase=DEV_KADIS_PASSPHRASE)
    with installed_softhsm(data_dir / "softhsm") as hsm:
        token = hsm.add_token(TOKEN, PIN, pki.kadis_p12, DEV_KADIS_PASSPHRASE)
        settings = Settings(
            data_dir=data_dir,
            database_url=None,
            celery_broker_url=None,
            signing_backend="pkcs11",
            pkcs11_module=token.module,
            pkcs11_token_label=TOKEN,
            pkcs11_key_label=token.key_label,
            pkcs11_open_timeout=20,
        )
        upgrade_database(settings)  # what `pintu db upgrade` does before the API starts
        app = create_app(settings)
        with _served(app) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _served(app: FastAPI) -> Iterator[httpx.Client]:
    """Serve ``app`` with uvicorn in a thread of this process (the runtime stays inspectable)."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the API did not start")
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="module")
def embedded(api: httpx.Client) -> Runtime:
    """The API's runtime (overrides the conftest's, so ``approved_application`` uses it)."""
    runtime: Runtime = api.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def _bearer(api: httpx.Client, username: str) -> dict[str, str]:
    answer = api.post("/auth/token", data={"username": username, "password": "pintu-demo"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_the_kadis_signs_with_the_token_key_through_the_api(
    api: httpx.Client,
    embedded: Runtime,
    approved_application: Callable[[], str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    application_id = approved_application()
    caplog.set_level(logging.DEBUG)
    answer = api.post(
        f"/applications/{application_id}/sign", json={"pin": PIN}, headers=_bearer(api, "kadis")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] in ("signed", "archived")
    with transaction(embedded.sessions) as session:
        sha256 = get_application(session, application_id).signed_permit_sha256
    assert sha256 is not None
    signed_pdf = embedded.documents.get(sha256)
    _, _, output = pdfsig_valid_count(signed_pdf, tmp_path)
    kadis_signature = output.split("Signature #2")[0]  # #2 is the B-LTA document timestamp
    assert "TTE_Kadis" in kadis_signature and "Signature is Valid." in kadis_signature, output
    report = signer.verify_pdf(signed_pdf, embedded.signing.trust)
    assert report.status == "VALID"
    assert "Rahmat Hidayat" in (report.signatures[0].signer_subject or "")
    assert PIN not in caplog.text
    database = embedded.settings.data_dir / "pintu.db"
    for path in (database, *database.parent.glob("pintu.db-*")):
        assert PIN.encode() not in path.read_bytes()


def test_the_token_is_logged_out_after_signing(embedded: Runtime) -> None:
    token = pkcs11.lib(str(embedded.signing.pkcs11.module_path)).get_token(token_label=TOKEN)  # type: ignore[union-attr]
    with token.open() as public_session:  # no login: the private key must stay hidden
        keys = list(
            public_session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})
        )
    assert keys == []


def test_a_wrong_pin_is_a_clear_4xx_and_the_permit_stays_approved(
    api: httpx.Client, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    answer = api.post(
        f"/applications/{application_id}/sign",
        json={"pin": "000000"},
        headers=_bearer(api, "kadis"),
    )
    assert answer.status_code == 403, answer.text
    problem = answer.json()
    assert problem["code"] == "wrong_passphrase" and "PIN salah" in problem["detail"]
    with transaction(embedded.sessions) as session:
        application = get_application(session, application_id)
        assert application.state == "approved"
        assert application.signed_permit_sha256 is None
        assert application.signing_error and "wrong_passphrase" in application.signing_error
    assert signer.unusable_tokens().get(TOKEN) is None  # a wrong PIN is not a broken token


def test_a_passphrase_is_not_a_pin(
    api: httpx.Client, embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    application_id = approved_application()
    answer = api.post(
        f"/applications/{application_id}/sign",
        json={"passphrase": PIN},
        headers=_bearer(api, "kadis"),
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "consent_not_accepted"
    assert "PIN" in answer.json()["detail"]
    with pytest.raises(CallerError):
        sign_permit(embedded, actor(embedded, "kadis"), application_id, Consent(PIN, "totp"))


def test_a_batch_signs_with_one_pin_entry(
    embedded: Runtime, approved_application: Callable[[], str]
) -> None:
    kadis = actor(embedded, "kadis")
    batch = create_batch(embedded, kadis, [approved_application(), approved_application()])
    view = run_batch(embedded, kadis, batch.id, Consent(PIN, "pin"))
    assert (view.status, view.signed, view.failed) == ("done", 2, 0)
    assert view.certificate_subject and "Rahmat Hidayat" in view.certificate_subject
    assert {item.state for item in view.items} == {"archived"}
