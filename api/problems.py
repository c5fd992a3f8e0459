"""RFC 9457 problem+json answers: every error mapped in one place, its text from the catalogue."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.catalogue import people_text, text_id
from common.codes import Code
from common.errors import CallerError, PintuError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://pintu.mempawahkab.go.id/problems/"


class RequestInvalid(CallerError):
    """The request's body, query or path does not follow the API's schema."""

    code: ClassVar[Code] = Code.VALIDATION_ERROR
    http_status: ClassVar[int] = 422


_HTTP_CODES: dict[int, Code] = {
    401: Code.AUTHENTICATION_FAILED,
    404: Code.NOT_FOUND,
    413: Code.UPLOAD_TOO_LARGE,
}
"""Codes for the HTTP errors Starlette raises itself (an unknown path, a body too large)."""


def problem(
    status: int, code: str, *, detail: str | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """Build one problem+json response (``title`` is the code's text from the catalogue)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": text_id(code),
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if extra:
        body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error to problem+json in one place."""

    @app.exception_handler(PintuError)
    async def _pintu_error(request: Request, exc: PintuError) -> JSONResponse:
        level = logging.WARNING if exc.http_status < 500 else logging.ERROR
        log.log(level, "%s %s -> %s: %s", request.method, request.url.path, exc.code, exc.message)
        return problem(exc.http_status, exc.code, detail=people_text(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem(RequestInvalid.http_status, RequestInvalid.code, extra={"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        fallback = Code.BAD_REQUEST if exc.status_code < 500 else Code.INTERNAL_ERROR
        code = _HTTP_CODES.get(exc.status_code, fallback)
        return problem(exc.status_code, code, detail=str(exc.detail) if exc.detail else None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, Code.INTERNAL_ERROR)
