"""A scripted HTTP session against the running API drives one application to a signed permit."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import LiveServer, login

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"
PROBLEM = "application/problem+json"


def _step(client: httpx.Client, application_id: str, event: str) -> dict[str, object]:
    answer = client.post(f"/applications/{application_id}/steps/{event}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_docs_and_health_are_served(live_server: LiveServer) -> None:
    assert httpx.get(f"{live_server.base_url}/health").json() == {"status": "ok"}
    docs = httpx.get(f"{live_server.base_url}/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = httpx.get(f"{live_server.base_url}/openapi.json").json()
    assert "/applications/{application_id}/sign" in spec["paths"]


def test_one_application_to_a_downloaded_signed_permit(
    live_server: LiveServer, tmp_path: Path
) -> None:
    base = live_server.base_url
    teknis, penata = login(base, "teknis"), login(base, "penata")
    koordinator, kadis = login(base, "koordinator"), login(base, "kadis")
    declared = json.loads((DEMO / "application.json").read_text())

    created = teknis.post("/applications", json=declared)
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    for name in ("ktp.png", "npwp.png", "nib.pdf"):
        with (DEMO / name).open("rb") as handle:
            uploaded = teknis.post(
                f"/applications/{application_id}/documents", files={"file": (name, handle)}
            )
        assert uploaded.status_code == 201, uploaded.text

    checked = _step(teknis, application_id, "submit")
    assert checked["state"] == "checked"
    assert checked["verdict"] == "memenuhi", checked["findings"]

    # the Kadis cannot take the Tim Teknis's step, and nobody may sign yet
    refused = kadis.post(f"/applications/{application_id}/steps/approve_technical")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    early = kadis.post(f"/applications/{application_id}/sign", json={"passphrase": "kadis-demo"})
    assert early.status_code == 409 and early.headers["content-type"] == PROBLEM

    _step(teknis, application_id, "approve_technical")
    _step(penata, application_id, "validate")
    approved = _step(koordinator, application_id, "set_penetapan")
    assert approved["state"] == "approved" and approved["permit_number"]

    wrong = kadis.post(f"/applications/{application_id}/sign", json={"passphrase": "salah"})
    assert wrong.status_code in (403, 422) and wrong.headers["content-type"] == PROBLEM
    assert kadis.get(f"/applications/{application_id}").json()["state"] == "approved"

    signed = kadis.post(f"/applications/{application_id}/sign", json={"passphrase": "kadis-demo"})
    assert signed.status_code == 200, signed.text
    assert signed.json()["state"] == "archived"  # in-process tasks: archived right after signing

    download = teknis.get(f"/applications/{application_id}/files/permit")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    permit = tmp_path / "permit.pdf"
    permit.write_bytes(download.content)
    if shutil.which("pdfsig"):
        pdfsig = subprocess.run(["pdfsig", str(permit)], capture_output=True, text=True)
        assert "Signature is Valid." in pdfsig.stdout, pdfsig.stdout

    found = teknis.get("/archive", params={"nib": approved["nib"]}).json()
    dossier = next(d for d in found["items"] if d["application_id"] == application_id)
    archived_permit = next(o for o in dossier["objects"] if o["role"] == "permit")
    fetched = teknis.get(f"/archive/objects/{archived_permit['id']}")
    assert fetched.status_code == 200 and fetched.content == download.content

    public = httpx.get(f"{base}/verify/{application_id}").json()
    assert public["status_tanda_tangan"] == "VALID"
    same = httpx.post(
        f"{base}/verify/{application_id}", files={"file": ("p.pdf", download.content)}
    )
    assert same.json()["matches"] is True
    assert same.json()["sha256"] == hashlib.sha256(download.content).hexdigest()
    other = httpx.post(
        f"{base}/verify/{application_id}", files={"file": ("p.pdf", download.content + b"\n")}
    )
    assert other.json()["matches"] is False


@pytest.mark.parametrize(
    ("name", "payload", "status"),
    [
        ("ktp.pdf", b"MZ\x90\x00 this is a Windows program, not a PDF" * 10, 415),
        ("kosong.pdf", b"", 422),
        ("besar.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024), 413),
    ],
)
def test_bad_uploads_get_problem_json_and_lose_nothing(
    live_server: LiveServer, name: str, payload: bytes, status: int
) -> None:
    teknis = login(live_server.base_url, "teknis")
    application_id = teknis.post("/applications", json={"nama_usaha": "Uji"}).json()["id"]
    with (DEMO / "nib.pdf").open("rb") as handle:
        good = teknis.post(
            f"/applications/{application_id}/documents", files={"file": ("nib.pdf", handle)}
        )
    assert good.status_code == 201

    bad = teknis.post(f"/applications/{application_id}/documents", files={"file": (name, payload)})
    assert bad.status_code == status, bad.text
    assert bad.headers["content-type"] == PROBLEM
    body = bad.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("http")

    after = teknis.get(f"/applications/{application_id}").json()
    assert [d["file_name"] for d in after["documents"]] == ["nib.pdf"]
    assert httpx.get(f"{live_server.base_url}/health").status_code == 200


def test_requests_without_a_valid_token_are_refused(live_server: LiveServer) -> None:
    answer = httpx.get(f"{live_server.base_url}/applications")
    assert answer.status_code == 401 and answer.headers["content-type"] == PROBLEM
    forged = httpx.get(
        f"{live_server.base_url}/applications", headers={"Authorization": "Bearer abc.def.ghi"}
    )
    assert forged.status_code == 401
    wrong = httpx.post(
        f"{live_server.base_url}/auth/token", data={"username": "kadis", "password": "salah"}
    )
    assert wrong.status_code == 401
