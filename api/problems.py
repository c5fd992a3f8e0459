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
    # generic
    "bad_request": "Permintaan tidak dapat diproses.",
    "validation_error": "Isian permintaan tidak valid.",
    "internal_error": "Terjadi kesalahan pada sistem. Silakan hubungi petugas.",
    "service_unavailable": "Layanan pendukung sedang tidak tersedia. Coba lagi beberapa saat.",
    "configuration_error": "Pintu belum dikonfigurasi dengan benar; hubungi admin.",
    # workflow and access
    "not_found": "Data yang diminta tidak ditemukan.",
    "illegal_transition": "Langkah ini tidak dapat dilakukan pada tahap permohonan saat ini.",
    "role_not_allowed": "Peran Anda tidak berwenang melakukan langkah ini.",
    "authentication_failed": "Nama pengguna, kata sandi, atau token tidak valid.",
    "invalid_application_data": "Data permohonan tidak sesuai format.",
    "invalid_rule_table": "Tabel aturan tidak valid; tabel yang berlaku tidak diubah.",
    "upload_refused": "Berkas tidak dapat diterima.",
    "upload_too_large": "Berkas melebihi batas ukuran yang diizinkan.",
    # documents (ocr)
    "unsupported_file_type": "Jenis berkas tidak didukung. Unggah PDF, JPEG, PNG, TIFF atau HEIC.",
    "file_too_large": "Berkas melebihi batas ukuran atau jumlah halaman yang diizinkan.",
    "image_too_large": "Resolusi gambar terlalu besar untuk diproses.",
    "encrypted_document": "Dokumen terkunci kata sandi; unggah dokumen tanpa kata sandi.",
    "corrupt_document": "Berkas rusak atau tidak lengkap; unggah ulang berkas yang utuh.",
    "ocr_engine_failure": "Pembacaan dokumen gagal karena gangguan sistem; coba lagi.",
    "notification_failed": "Pemberitahuan kepada pemohon belum terkirim; sistem akan mencoba lagi.",
    # signing and rendering (signer)
    "wrong_passphrase": "Passphrase atau PIN sertifikat elektronik salah.",
    "consent_not_accepted": "Persetujuan penandatanganan tidak diterima.",
    "certificate_not_usable": "Sertifikat elektronik tidak dapat dipakai (kedaluwarsa/dicabut).",
    "invalid_key_file": "Berkas kunci sertifikat elektronik tidak valid.",
    "token_unavailable": "Token sertifikat elektronik tidak dapat diakses; hubungi admin.",
    "signing_failed": "Dokumen gagal ditandatangani; izin tetap belum ditandatangani.",
    "signing_in_progress": "Penandatanganan dokumen ini sedang berjalan.",
    "signature_not_valid": "Tanda tangan yang dihasilkan tidak valid; dokumen tidak disimpan.",
    "timestamp_unavailable": "Layanan penanda waktu (TSA) tidak dapat dihubungi.",
    "remote_signer_error": "Layanan tanda tangan BSrE mengalami gangguan.",
    "remote_signer_rejected": "Permintaan tanda tangan ditolak oleh BSrE.",
    "remote_outcome_unknown": "Hasil penandatanganan BSrE tidak diketahui; tanda tangani ulang.",
    "batch_too_large": "Jumlah dokumen melebihi batas satu kali penandatanganan.",
    "invalid_pdf": "Berkas bukan PDF yang valid.",
    "pki_error": "Konfigurasi sertifikat elektronik bermasalah; hubungi admin.",
    "render_error": "Dokumen tidak dapat dibuat dari templat.",
    "render_failed": "Dokumen tidak dapat dibuat dari templat.",
    "render_invalid_data": "Data untuk dokumen tidak lengkap atau tidak valid.",
    "render_resource_refused": "Templat merujuk sumber yang tidak diizinkan.",
    "render_unknown_template": "Templat dokumen tidak dikenal.",
    # archive
    "archive_conflict": "Arsip dengan kunci ini sudah berisi dokumen lain.",
    "archive_invalid_key": "Kunci arsip tidak valid.",
    "archive_object_corrupted": "Dokumen arsip rusak; petugas telah diberi peringatan.",
    "archive_object_not_found": "Dokumen arsip tidak ditemukan.",
    "archive_retention_locked": "Dokumen arsip terkunci masa retensi; tidak dapat diubah/dihapus.",
    "storage_unavailable": "Penyimpanan dokumen sedang tidak tersedia. Coba lagi beberapa saat.",
    "storage_misconfigured": "Penyimpanan dokumen salah konfigurasi; hubungi admin.",
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
