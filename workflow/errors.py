"""Errors raised by the workflow: illegal steps, missing things, and the people-facing codes."""

from __future__ import annotations

from typing import ClassVar

from common.errors import CallerError, OperationalError


class NotFound(CallerError):
    """The application, document or permit asked for does not exist."""

    code: ClassVar[str] = "not_found"
    http_status: ClassVar[int] = 404


class IllegalTransition(CallerError):
    """The SOP does not allow this step from the application's current state."""

    code: ClassVar[str] = "illegal_transition"
    http_status: ClassVar[int] = 409


class RoleNotAllowed(CallerError):
    """The user's role may not take this step."""

    code: ClassVar[str] = "role_not_allowed"
    http_status: ClassVar[int] = 403


class UploadRefused(CallerError):
    """An upload that cannot be accepted (empty, wrong state)."""

    code: ClassVar[str] = "upload_refused"
    http_status: ClassVar[int] = 422


class UploadTooLarge(CallerError):
    """An upload over the configured size limit."""

    code: ClassVar[str] = "upload_too_large"
    http_status: ClassVar[int] = 413


class InvalidApplicationData(CallerError):
    """Application data that does not follow the schema."""

    code: ClassVar[str] = "invalid_application_data"
    http_status: ClassVar[int] = 422


class AuthenticationFailed(CallerError):
    """Wrong user name or password, or an expired or forged token."""

    code: ClassVar[str] = "authentication_failed"
    http_status: ClassVar[int] = 401


class SigningFailed(OperationalError):
    """The permit could not be signed; it stays approved and unsigned."""

    code: ClassVar[str] = "signing_failed"
    http_status: ClassVar[int] = 502


class ConsentNotAccepted(CallerError):
    """The secret given is not the kind the configured signing backend takes, or is too much."""

    code: ClassVar[str] = "consent_not_accepted"
    http_status: ClassVar[int] = 422


class SigningInProgress(CallerError):
    """A remote signing call for this permit is still in flight; wait for its outcome."""

    code: ClassVar[str] = "signing_in_progress"
    http_status: ClassVar[int] = 409
