"""RFC 9457 problem+json answers, with the Bahasa Indonesia text for each error code."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.errors import PintuError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://pintu.mempawahkab.go.id/problems/"

MESSAGES_ID: dict[str, str] = {
    "bad_request": "Permintaan tidak dapat diproses.",
    "not_found": "Data yang diminta tidak ditemukan.",
    "illegal_transition": "Langkah ini tidak dapat dilakukan pada tahap permohonan saat ini.",
    "role_not_allowed": "Peran Anda tidak berwenang melakukan langkah ini.",
    "upload_refused": "Berkas tidak dapat diterima.",
    "upload_too_large": "Berkas melebihi batas ukuran yang diizinkan.",
    "unsupported_file_type": "Jenis berkas tidak didukung. Unggah PDF, JPEG, PNG, TIFF atau HEIC.",
    "invalid_application_data": "Data permohonan tidak sesuai format.",
    "authentication_failed": "Nama pengguna, kata sandi, atau token tidak valid.",
    "wrong_passphrase": "Passphrase sertifikat elektronik salah.",
    "signing_failed": "Dokumen gagal ditandatangani; izin tetap belum ditandatangani.",
    "service_unavailable": "Layanan pendukung sedang tidak tersedia. Coba lagi beberapa saat.",
    "validation_error": "Isian permintaan tidak valid.",
    "internal_error": "Terjadi kesalahan pada sistem. Silakan hubungi petugas.",
}


def problem(
    status: int, code: str, *, detail: str | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """Build one problem+json response."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": MESSAGES_ID.get(
            code, MESSAGES_ID["bad_request" if status < 500 else "internal_error"]
        ),
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
        detail = exc.detail_id or MESSAGES_ID.get(exc.code)
        return problem(exc.http_status, exc.code, detail=detail)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem(422, "validation_error", extra={"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {401: "authentication_failed", 404: "not_found", 413: "upload_too_large"}.get(
            exc.status_code, "bad_request"
        )
        return problem(exc.status_code, code, detail=str(exc.detail) if exc.detail else None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "internal_error")
