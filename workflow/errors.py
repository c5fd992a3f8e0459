"""Errors raised by the workflow: illegal steps, missing things, refused uploads and consent."""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code
from common.errors import CallerError


class NotFound(CallerError):
    """The application, document or permit asked for does not exist."""

    code: ClassVar[Code] = Code.NOT_FOUND
    http_status: ClassVar[int] = 404


class IllegalTransition(CallerError):
    """The SOP does not allow this step from the application's current state."""

    code: ClassVar[Code] = Code.ILLEGAL_TRANSITION
    http_status: ClassVar[int] = 409


class RoleNotAllowed(CallerError):
    """The user's role may not take this step."""

    code: ClassVar[Code] = Code.ROLE_NOT_ALLOWED
    http_status: ClassVar[int] = 403


class UploadRefused(CallerError):
    """An upload that cannot be accepted (empty, wrong state)."""

    code: ClassVar[Code] = Code.UPLOAD_REFUSED
    http_status: ClassVar[int] = 422


class UploadTooLarge(CallerError):
    """An upload over the configured size limit."""

    code: ClassVar[Code] = Code.UPLOAD_TOO_LARGE
    http_status: ClassVar[int] = 413


class AuthenticationFailed(CallerError):
    """Wrong user name or password, or an expired or forged token."""

    code: ClassVar[Code] = Code.AUTHENTICATION_FAILED
    http_status: ClassVar[int] = 401


class ConsentNotAccepted(CallerError):
    """The secret given is not the kind the configured signing backend takes, or is too much."""

    code: ClassVar[Code] = Code.CONSENT_NOT_ACCEPTED
    http_status: ClassVar[int] = 422


class SigningInProgress(CallerError):
    """A remote signing call for this permit is still in flight; wait for its outcome."""

    code: ClassVar[Code] = Code.SIGNING_IN_PROGRESS
    http_status: ClassVar[int] = 409


class ValueNotConfirmable(CallerError):
    """A confirmation names a value the documents did not supply (or one already declared)."""

    code: ClassVar[Code] = Code.VALUE_NOT_CONFIRMABLE
    http_status: ClassVar[int] = 422
