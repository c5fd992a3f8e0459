"""Public verification: the permit's QR code lands here; anyone may check a file against it."""

from __future__ import annotations

import hashlib
from html import escape
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

import workflow
from api.deps import RuntimeDep
from api.uploads import read_limited

router = APIRouter(tags=["verification"])


@router.post("/verify", operation_id="verify_any_pdf")
async def verify_any(rt: RuntimeDep, file: UploadFile) -> dict[str, Any]:
    """Verify every signature of any PDF (ETSI-style report)."""
    data = await read_limited(file, rt.settings.max_upload_bytes)
    return await run_in_threadpool(workflow.verify_pdf_bytes, rt, data)


@router.get("/verify/{application_id}", operation_id="verify_permit", response_model=None)
def verify_permit(rt: RuntimeDep, application_id: str, request: Request) -> Response:
    """Show a permit's data and signature status (the page its QR code opens)."""
    status = workflow.permit_status(rt, application_id)
    if "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(_html(status))
    return JSONResponse(status)


@router.post("/verify/{application_id}", operation_id="verify_permit_file")
async def verify_permit_file(
    rt: RuntimeDep, application_id: str, file: UploadFile
) -> dict[str, Any]:
    """Check a file against the SHA-256 of every revision of this permit."""
    data = await read_limited(file, rt.settings.max_upload_bytes)
    digest = hashlib.sha256(data).hexdigest()
    revisions = workflow.permit_revisions(rt, application_id)
    match = next((r for r in revisions if r["sha256"] == digest), None)
    return {
        "application_id": application_id,
        "sha256": digest,
        "matches": match is not None,
        "revision": match,
        "pesan": (
            "Berkas ini sama dengan dokumen izin yang diterbitkan."
            if match
            else "Berkas ini TIDAK sama dengan dokumen izin yang diterbitkan."
        ),
    }


def _html(status: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
        for k, v in status.items()
        if k != "signatures"
    )
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<title>Verifikasi Sertifikat Standar</title></head><body>"
        "<h1>Verifikasi Sertifikat Standar</h1>"
        f"<table>{rows}</table>"
        "<form method='post' enctype='multipart/form-data'>"
        "<p>Periksa berkas: <input type='file' name='file'> <button>Periksa</button></p></form>"
        "</body></html>"
    )
