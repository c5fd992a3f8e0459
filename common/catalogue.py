"""The Bahasa Indonesia text people see for each error code: one text per code, in one place.

The API answers with it (problem+json ``title``, and ``detail`` unless the error carries a
sentence of its own about this very case, ``detail_id``) and the CLI prints it. Logs keep the
English ``message`` with its ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from common.codes import Code
from common.errors import PintuError

MESSAGES_ID: Mapping[Code, str] = MappingProxyType(
    {
        # generic
        Code.BAD_REQUEST: "Permintaan tidak dapat diproses.",
        Code.VALIDATION_ERROR: "Isian permintaan tidak valid.",
        Code.INTERNAL_ERROR: "Terjadi kesalahan pada sistem. Silakan hubungi petugas.",
        Code.SERVICE_UNAVAILABLE: (
            "Layanan pendukung sedang tidak tersedia. Coba lagi beberapa saat."
        ),
        Code.CONFIGURATION_ERROR: "Pintu belum dikonfigurasi dengan benar; hubungi admin.",
        # workflow and access
        Code.NOT_FOUND: "Data yang diminta tidak ditemukan.",
        Code.ILLEGAL_TRANSITION: (
            "Langkah ini tidak dapat dilakukan pada tahap permohonan saat ini."
        ),
        Code.ROLE_NOT_ALLOWED: "Peran Anda tidak berwenang melakukan langkah ini.",
        Code.AUTHENTICATION_FAILED: "Nama pengguna, kata sandi, atau token tidak valid.",
        Code.INVALID_APPLICATION_DATA: "Data permohonan tidak sesuai format.",
        Code.INVALID_RULE_TABLE: "Tabel aturan tidak valid; tabel yang berlaku tidak diubah.",
        Code.UPLOAD_REFUSED: "Berkas tidak dapat diterima.",
        Code.UPLOAD_TOO_LARGE: "Berkas melebihi batas ukuran yang diizinkan.",
        Code.VALUE_NOT_CONFIRMABLE: (
            "Nilai yang dikonfirmasi bukan nilai hasil pembacaan dokumen permohonan ini."
        ),
        Code.NOTIFICATION_FAILED: (
            "Pemberitahuan kepada pemohon belum terkirim; sistem akan mencoba lagi."
        ),
        # documents (ocr)
        Code.UNSUPPORTED_FILE_TYPE: (
            "Jenis berkas tidak didukung. Unggah PDF, JPEG, PNG, TIFF atau HEIC "
            "(jenis dikenali dari isi berkas, bukan dari namanya)."
        ),
        Code.FILE_TOO_LARGE: (
            "Berkas terlalu besar atau halamannya terlalu banyak. Perkecil berkas atau pisahkan "
            "dokumen lalu unggah kembali."
        ),
        Code.IMAGE_TOO_LARGE: (
            "Resolusi gambar terlalu besar untuk diproses. Perkecil resolusi gambar "
            "(misalnya pindai pada 300 dpi) lalu unggah kembali."
        ),
        Code.ENCRYPTED_DOCUMENT: (
            "Dokumen PDF dilindungi kata sandi sehingga tidak dapat dibaca. "
            "Unggah dokumen tanpa kata sandi."
        ),
        Code.CORRUPT_DOCUMENT: (
            "Berkas rusak atau tidak lengkap sehingga tidak dapat dibuka. "
            "Unggah ulang berkas aslinya."
        ),
        Code.ACTIVE_CONTENT: (
            "Dokumen PDF berisi konten aktif (skrip, tindakan otomatis atau berkas sematan) yang "
            "tidak diizinkan. Cetak ulang dokumen ke PDF biasa (Print to PDF) lalu unggah kembali."
        ),
        Code.MALFORMED_DOCUMENT: (
            "Struktur dokumen PDF tidak wajar sehingga tidak dapat dibaca dengan aman. Simpan "
            "ulang atau cetak ulang dokumen ke PDF lalu unggah kembali."
        ),
        Code.DECOMPRESSION_BOMB: (
            "Isi dokumen PDF mengembang terlalu besar ketika dibuka. Simpan ulang dokumen dengan "
            "aplikasi biasa atau pindai ulang lalu unggah kembali."
        ),
        Code.READER_LIMIT_EXCEEDED: (
            "Dokumen membutuhkan memori atau waktu melebihi batas ketika dibuka. Perkecil berkas, "
            "simpan ulang atau pindai ulang dokumen lalu unggah kembali."
        ),
        Code.OCR_ENGINE_FAILURE: (
            "Mesin OCR sedang tidak dapat digunakan. Coba lagi beberapa saat lagi."
        ),
        # signing and rendering (signer)
        Code.WRONG_PASSPHRASE: "Passphrase atau PIN sertifikat elektronik salah.",
        Code.CONSENT_NOT_ACCEPTED: "Persetujuan penandatanganan tidak diterima.",
        Code.CERTIFICATE_NOT_USABLE: (
            "Sertifikat elektronik tidak dapat dipakai (kedaluwarsa/dicabut)."
        ),
        Code.INVALID_KEY_FILE: "Berkas kunci sertifikat elektronik tidak valid.",
        Code.TOKEN_UNAVAILABLE: "Token sertifikat elektronik tidak dapat diakses; hubungi admin.",
        Code.SIGNING_IN_PROGRESS: "Penandatanganan dokumen ini sedang berjalan.",
        Code.SIGNATURE_NOT_VALID: (
            "Tanda tangan yang dihasilkan tidak valid; dokumen tidak disimpan."
        ),
        Code.TIMESTAMP_UNAVAILABLE: "Layanan penanda waktu (TSA) tidak dapat dihubungi.",
        Code.REMOTE_SIGNER_ERROR: "Layanan tanda tangan BSrE mengalami gangguan.",
        Code.REMOTE_SIGNER_REJECTED: "Permintaan tanda tangan ditolak oleh BSrE.",
        Code.REMOTE_OUTCOME_UNKNOWN: (
            "Hasil penandatanganan BSrE tidak diketahui; tanda tangani ulang."
        ),
        Code.BATCH_TOO_LARGE: "Jumlah dokumen melebihi batas satu kali penandatanganan.",
        Code.INVALID_PDF: "Berkas bukan PDF yang valid.",
        Code.PKI_ERROR: "Konfigurasi sertifikat elektronik bermasalah; hubungi admin.",
        Code.RENDER_ERROR: "Dokumen tidak dapat dibuat dari templat.",
        Code.RENDER_FAILED: "Dokumen tidak dapat dibuat dari templat karena gangguan sistem.",
        Code.RENDER_INVALID_DATA: "Data untuk dokumen tidak lengkap atau tidak valid.",
        Code.RENDER_RESOURCE_REFUSED: "Templat merujuk sumber yang tidak diizinkan.",
        Code.RENDER_UNKNOWN_TEMPLATE: "Templat dokumen tidak dikenal.",
        # archive
        Code.ARCHIVE_CONFLICT: "Arsip dengan kunci ini sudah berisi dokumen lain.",
        Code.ARCHIVE_INVALID_KEY: "Kunci arsip tidak valid.",
        Code.ARCHIVE_OBJECT_CORRUPTED: "Dokumen arsip rusak; petugas telah diberi peringatan.",
        Code.ARCHIVE_OBJECT_NOT_FOUND: "Dokumen arsip tidak ditemukan.",
        Code.ARCHIVE_RETENTION_LOCKED: (
            "Dokumen arsip terkunci masa retensi; tidak dapat diubah/dihapus."
        ),
        Code.STORAGE_UNAVAILABLE: (
            "Penyimpanan dokumen sedang tidak tersedia. Coba lagi beberapa saat."
        ),
        Code.STORAGE_MISCONFIGURED: "Penyimpanan dokumen salah konfigurasi; hubungi admin.",
    }
)
"""One Bahasa Indonesia text per code."""


def text_id(code: str) -> str:
    """Return the Indonesian text of ``code`` (a generic one for a code that has none)."""
    try:
        return MESSAGES_ID[Code(code)]
    except ValueError:
        return MESSAGES_ID[Code.INTERNAL_ERROR]


def people_text(exc: PintuError) -> str:
    """Return what a person is shown for ``exc``: its own sentence, else its code's text."""
    return exc.detail_id or text_id(exc.code)
