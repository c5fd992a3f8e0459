"""Errors raised by the signer package (see ``common.errors`` for the hierarchy)."""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code
from common.errors import CallerError, OperationalError


class WrongPassphrase(CallerError):
    """The passphrase or PIN given for the signing key is wrong."""

    code: ClassVar[Code] = Code.WRONG_PASSPHRASE
    http_status: ClassVar[int] = 403


class InvalidKeyFile(CallerError):
    """The key file is not a readable PKCS#12 file with one key and its certificate."""

    code: ClassVar[Code] = Code.INVALID_KEY_FILE
    http_status: ClassVar[int] = 422


class InvalidPdf(CallerError):
    """The PDF given to sign or verify cannot be read."""

    code: ClassVar[Code] = Code.INVALID_PDF
    http_status: ClassVar[int] = 422


class CertificateNotUsable(CallerError):
    """The signing certificate is expired, revoked or not trusted, so it must not sign."""

    code: ClassVar[Code] = Code.CERTIFICATE_NOT_USABLE
    http_status: ClassVar[int] = 422


class TimestampUnavailable(OperationalError):
    """No configured time-stamping authority answered."""

    code: ClassVar[Code] = Code.TIMESTAMP_UNAVAILABLE
    http_status: ClassVar[int] = 503


class SignatureNotValid(OperationalError):
    """A freshly signed output did not verify VALID; it was discarded."""

    code: ClassVar[Code] = Code.SIGNATURE_NOT_VALID
    http_status: ClassVar[int] = 500


class TokenUnavailable(OperationalError):
    """A PKCS#11 token could not be opened or logged into in time; it stays unusable until reset."""

    code: ClassVar[Code] = Code.TOKEN_UNAVAILABLE
    http_status: ClassVar[int] = 503


class RemoteSignerError(OperationalError):
    """The remote signing service (BSrE) refused the call or returned something unacceptable."""

    code: ClassVar[Code] = Code.REMOTE_SIGNER_ERROR
    http_status: ClassVar[int] = 502


class RemoteSignerRejected(CallerError):
    """The remote signing service rejected the signer's credentials (passphrase or TOTP)."""

    code: ClassVar[Code] = Code.REMOTE_SIGNER_REJECTED
    http_status: ClassVar[int] = 403


class RemoteOutcomeUnknown(OperationalError):
    """A remote signing call was sent but its answer was lost; it is never retried automatically."""

    code: ClassVar[Code] = Code.REMOTE_OUTCOME_UNKNOWN
    http_status: ClassVar[int] = 504


class PkiError(OperationalError):
    """The development PKI could not be created or refreshed."""

    code: ClassVar[Code] = Code.PKI_ERROR
    http_status: ClassVar[int] = 500


class BatchTooLarge(CallerError):
    """More files were given to one remote signing call than the configured batch size."""

    code: ClassVar[Code] = Code.BATCH_TOO_LARGE
    http_status: ClassVar[int] = 422
