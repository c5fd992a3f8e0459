"""Every error code Pintu answers with, as one enum.

A code is stable once released: clients and the office's own tools match on it. Its Bahasa
Indonesia text lives in :mod:`common.catalogue`; its class (exactly one per code) in the package
that raises it.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """The stable code of each error (the ``code`` of problem+json and of the CLI's errors)."""

    # generic: the roots of the hierarchy, and the API's own
    BAD_REQUEST = "bad_request"
    VALIDATION_ERROR = "validation_error"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"
    CONFIGURATION_ERROR = "configuration_error"
    # workflow and access
    NOT_FOUND = "not_found"
    ILLEGAL_TRANSITION = "illegal_transition"
    ROLE_NOT_ALLOWED = "role_not_allowed"
    AUTHENTICATION_FAILED = "authentication_failed"
    INVALID_APPLICATION_DATA = "invalid_application_data"
    INVALID_RULE_TABLE = "invalid_rule_table"
    UPLOAD_REFUSED = "upload_refused"
    UPLOAD_TOO_LARGE = "upload_too_large"
    VALUE_NOT_CONFIRMABLE = "value_not_confirmable"
    NOTIFICATION_FAILED = "notification_failed"
    # documents (ocr)
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type"
    FILE_TOO_LARGE = "file_too_large"
    IMAGE_TOO_LARGE = "image_too_large"
    ENCRYPTED_DOCUMENT = "encrypted_document"
    CORRUPT_DOCUMENT = "corrupt_document"
    ACTIVE_CONTENT = "active_content"
    MALFORMED_DOCUMENT = "malformed_document"
    DECOMPRESSION_BOMB = "decompression_bomb"
    READER_LIMIT_EXCEEDED = "reader_limit_exceeded"
    OCR_ENGINE_FAILURE = "ocr_engine_failure"
    # signing and rendering (signer)
    WRONG_PASSPHRASE = "wrong_passphrase"
    CONSENT_NOT_ACCEPTED = "consent_not_accepted"
    CERTIFICATE_NOT_USABLE = "certificate_not_usable"
    INVALID_KEY_FILE = "invalid_key_file"
    TOKEN_UNAVAILABLE = "token_unavailable"
    SIGNING_IN_PROGRESS = "signing_in_progress"
    SIGNATURE_NOT_VALID = "signature_not_valid"
    TIMESTAMP_UNAVAILABLE = "timestamp_unavailable"
    REMOTE_SIGNER_ERROR = "remote_signer_error"
    REMOTE_SIGNER_REJECTED = "remote_signer_rejected"
    REMOTE_OUTCOME_UNKNOWN = "remote_outcome_unknown"
    BATCH_TOO_LARGE = "batch_too_large"
    INVALID_PDF = "invalid_pdf"
    PKI_ERROR = "pki_error"
    RENDER_ERROR = "render_error"
    RENDER_FAILED = "render_failed"
    RENDER_INVALID_DATA = "render_invalid_data"
    RENDER_RESOURCE_REFUSED = "render_resource_refused"
    RENDER_UNKNOWN_TEMPLATE = "render_unknown_template"
    # archive
    ARCHIVE_CONFLICT = "archive_conflict"
    ARCHIVE_INVALID_KEY = "archive_invalid_key"
    ARCHIVE_OBJECT_CORRUPTED = "archive_object_corrupted"
    ARCHIVE_OBJECT_NOT_FOUND = "archive_object_not_found"
    ARCHIVE_RETENTION_LOCKED = "archive_retention_locked"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    STORAGE_MISCONFIGURED = "storage_misconfigured"
