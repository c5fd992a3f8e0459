"""Applications through the SOP: create, upload documents, take steps, sign, download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response

from api.deps import CurrentActor, RuntimeDep
from api.schemas import (
    ApplicationPage,
    ApplicationPublic,
    DocumentDetail,
    DocumentPublic,
    SignRequest,
    StepRequest,
)
from workflow.db.engine import transaction
from workflow.decisions.steps import take_step
from workflow.errors import NotFound, UploadTooLarge
from workflow.intake import applications as service
from workflow.intake.schema import ApplicationData
from workflow.signing.session import sign_permit

router = APIRouter(prefix="/applications", tags=["applications"])

PRODUCED_FILES = {
    "permit": ("signed_permit_sha256", "sertifikat-standar"),
    "draft-permit": ("draft_permit_sha256", "draf-sertifikat-standar"),
    "bap": ("bap_sha256", "berita-acara-pemeriksaan"),
    "pertimbangan-teknis": ("pertimbangan_sha256", "pertimbangan-teknis"),
}


@router.post("", status_code=201, operation_id="create_application")
def create_application(
    rt: RuntimeDep, actor: CurrentActor, data: ApplicationData
) -> ApplicationPublic:
    """Open an application with the declared data (DOMAIN.md "Application data")."""
    created = service.create_application(rt, actor, data)
    return _public(rt, created.id)


@router.get("", operation_id="list_applications")
def list_applications(
    rt: RuntimeDep,
    actor: CurrentActor,
    state: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """List applications, newest first."""
    with transaction(rt.sessions) as session:
        rows, total = service.list_applications(session, state=state, offset=offset, limit=limit)
        items = [ApplicationPublic.of(r) for r in rows]
    return ApplicationPage(items=items, total=total, offset=offset, limit=limit)


@router.get("/{application_id}", operation_id="get_application")
def get_application(rt: RuntimeDep, actor: CurrentActor, application_id: str) -> ApplicationPublic:
    """Return one application with its documents, findings and audit trail."""
    return _public(rt, application_id)


@router.post("/{application_id}/documents", status_code=201, operation_id="upload_document")
async def upload_document(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, file: UploadFile, request: Request
) -> DocumentPublic:
    """Upload one requirement document (PDF, JPEG, PNG, TIFF, HEIC; the bytes decide the type)."""
    limit = rt.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(
            f"upload over {limit} bytes",
            detail_id=f"Berkas melebihi batas {limit // 1024} KiB.",
        )
    from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

    document = await run_in_threadpool(
        service.upload_document, rt, actor, application_id, file.filename or "dokumen", data
    )
    return DocumentPublic.model_validate(document)


@router.get("/{application_id}/documents/{document_id}", operation_id="get_document")
def get_document(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, document_id: str
) -> DocumentDetail:
    """Return one document with its extraction (fields, confidence, evidence)."""
    with transaction(rt.sessions) as session:
        application = service.get_application(session, application_id)
        for document in application.documents:
            if document.id == document_id:
                return DocumentDetail.model_validate(document)
    raise NotFound(f"document {document_id} not in application {application_id}")


@router.post("/{application_id}/steps/{event}", operation_id="take_step")
def step(
    rt: RuntimeDep,
    actor: CurrentActor,
    application_id: str,
    event: str,
    body: StepRequest | None = None,
) -> ApplicationPublic:
    """Take one SOP step (submit, approve_technical, validate, set_penetapan, ...)."""
    take_step(rt, actor, application_id, event, note=body.note if body else None)
    return _public(rt, application_id)


@router.post("/{application_id}/sign", operation_id="sign_permit")
def sign(
    rt: RuntimeDep, actor: CurrentActor, application_id: str, body: SignRequest
) -> ApplicationPublic:
    """Sign the permit as the Kadis; the passphrase, PIN or TOTP serves this request only."""
    sign_permit(rt, actor, application_id, body.consent())
    return _public(rt, application_id)


@router.get(
    "/{application_id}/files/{name}",
    operation_id="download_file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def download(rt: RuntimeDep, actor: CurrentActor, application_id: str, name: str) -> Response:
    """Download a PDF Pintu produced: permit, draft-permit, bap, pertimbangan-teknis."""
    if name not in PRODUCED_FILES:
        raise NotFound(f"no file {name!r}; known: {', '.join(PRODUCED_FILES)}")
    column, download_name = PRODUCED_FILES[name]
    with transaction(rt.sessions) as session:
        application = service.get_application(session, application_id)
        sha256 = getattr(application, column)
        label = application.permit_number or application.id
    if sha256 is None:
        raise NotFound(f"{name} of application {application_id} not produced yet")
    return Response(
        rt.documents.get(sha256),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{download_name}-{label}.pdf"'},
    )


def _public(rt: RuntimeDep, application_id: str) -> ApplicationPublic:
    with transaction(rt.sessions) as session:
        return ApplicationPublic.of(service.get_application(session, application_id))
