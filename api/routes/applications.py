"""Applications through the SOP: create, upload documents, take steps, sign, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

import workflow
from api.deps import CurrentActor, RuntimeDep
from api.schemas import (
    ApplicationPage,
    ApplicationPublic,
    DocumentDetail,
    DocumentPublic,
    SignRequest,
    StepRequest,
)
from api.uploads import read_limited

router = APIRouter(prefix="/applications", tags=["applications"])


@router.post("", status_code=201, operation_id="create_application")
def create_application(
    rt: RuntimeDep, actor: CurrentActor, data: workflow.ApplicationData
) -> ApplicationPublic:
    """Open an application with the declared data (DOMAIN.md "Application data")."""
    return ApplicationPublic.of(workflow.create_application(rt, actor, data))


@router.get("", operation_id="list_applications")
def list_applications(
    rt: RuntimeDep,
    actor: CurrentActor,
    state: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """List applications, newest first."""
    page = workflow.list_applications(rt, state=state, offset=offset, limit=limit)
    return ApplicationPage(
        items=[ApplicationPublic.of(a) for a in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )


@router.get("/{application_id}", operation_id="get_application")
def get_application(rt: RuntimeDep, actor: CurrentActor, application_id: str) -> ApplicationPublic:
    """Return one application with its documents, findings and audit trail."""
    return ApplicationPublic.of(workflow.get_application(rt, application_id))


@router.post("/{application_id}/documents", status_code=201, operation_id="upload_document")
async def upload_document(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, file: UploadFile
) -> DocumentPublic:
    """Upload one requirement document (PDF, JPEG, PNG, TIFF, HEIC; the bytes decide the type)."""
    data = await read_limited(file, rt.settings.max_upload_bytes)
    document = await run_in_threadpool(
        workflow.upload_document, rt, actor, application_id, file.filename or "dokumen", data
    )
    return DocumentPublic.model_validate(document)


@router.get("/{application_id}/documents/{document_id}", operation_id="get_document")
def get_document(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, document_id: str
) -> DocumentDetail:
    """Return one document with its extraction (fields, confidence, evidence)."""
    return DocumentDetail.model_validate(workflow.get_document(rt, application_id, document_id))


@router.post("/{application_id}/steps/{event}", operation_id="take_step")
def step(
    rt: RuntimeDep,
    actor: CurrentActor,
    application_id: str,
    event: str,
    body: StepRequest | None = None,
) -> ApplicationPublic:
    """Take one SOP step (submit, approve_technical, validate, set_penetapan, ...)."""
    body = body or StepRequest()
    taken = workflow.take_step(
        rt, actor, application_id, event, note=body.note, confirm=body.confirm
    )
    return ApplicationPublic.of(taken)


@router.post("/{application_id}/sign", operation_id="sign_permit")
def sign(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, body: SignRequest
) -> ApplicationPublic:
    """Sign the permit as the Kadis; the passphrase, PIN or TOTP serves this request only."""
    return ApplicationPublic.of(workflow.sign_permit(rt, actor, application_id, body.consent()))


@router.get(
    "/{application_id}/files/{name}",
    operation_id="download_file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def download(rt: RuntimeDep, actor: CurrentActor, application_id: str, name: str) -> Response:
    """Download a PDF Pintu produced: permit, draft-permit, bap, pertimbangan-teknis."""
    produced = workflow.produced_file(rt, application_id, name)
    return Response(
        produced.content,
        media_type=produced.media_type,
        headers={"Content-Disposition": f'attachment; filename="{produced.file_name}"'},
    )
