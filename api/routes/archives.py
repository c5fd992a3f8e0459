"""Staff find archived permits by permit number, NIB or application id, and download them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse, Response

import workflow
from api.deps import CurrentActor, RuntimeDep

router = APIRouter(prefix="/archive", tags=["archive"])


@router.get("", operation_id="find_archived")
def find(
    rt: RuntimeDep,
    actor: CurrentActor,
    permit_number: str | None = None,
    nib: str | None = None,
    application_id: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    """List archived dossiers and their objects (newest first)."""
    return workflow.find_archived(
        rt,
        permit_number=permit_number,
        nib=nib,
        application_id=application_id,
        offset=offset,
        limit=limit,
    )


@router.get(
    "/objects/{entry_id}",
    operation_id="download_archived",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}, 307: {}},
)
def download(rt: RuntimeDep, actor: CurrentActor, entry_id: int) -> Response:
    """Download one archived version: a presigned URL where S3 serves it, else the bytes."""
    archived = workflow.archived_file(rt, entry_id)
    if archived.url is not None:
        return RedirectResponse(archived.url, status_code=307)
    return Response(
        archived.content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{archived.file_name}"'},
    )
