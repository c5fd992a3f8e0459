"""Errors raised by the signer package (see ``common.errors`` for the hierarchy)."""

from __future__ import annotations

from typing import ClassVar

from common.errors import CallerError, OperationalError


class WrongPassphrase(CallerError):
    """The passphrase or PIN given for the signing key is wrong."""

    code: ClassVar[str] = "wrong_passphrase"
    http_status: ClassVar[int] = 403


class InvalidKeyFile(CallerError):
    """The key file is not a readable PKCS#12 file with one key and its certificate."""

    code: ClassVar[str] = "invalid_key_file"
    http_status: ClassVar[int] = 422


class InvalidPdf(CallerError):
    """The PDF given to sign or verify cannot be read."""

    code: ClassVar[str] = "invalid_pdf"
    http_status: ClassVar[int] = 422


class CertificateNotUsable(CallerError):
    """The signing certificate is expired, revoked or not trusted, so it must not sign."""

    code: ClassVar[str] = "certificate_not_usable"
    http_status: ClassVar[int] = 422


class TimestampUnavailable(OperationalError):
    """No configured time-stamping authority answered."""

    code: ClassVar[str] = "timestamp_unavailable"
    http_status: ClassVar[int] = 503


class SignatureNotValid(OperationalError):
    """A freshly signed output did not verify VALID; it was discarded."""

    code: ClassVar[str] = "signature_not_valid"
    http_status: ClassVar[int] = 500


class TokenUnavailable(OperationalError):
    """A PKCS#11 token could not be opened or logged into in time; it stays unusable until reset."""

    code: ClassVar[str] = "token_unavailable"
    http_status: ClassVar[int] = 503


class RemoteSignerError(OperationalError):
    """The remote signing service (BSrE) refused the call or returned something unacceptable."""

    code: ClassVar[str] = "remote_signer_error"
    http_status: ClassVar[int] = 502


class RemoteSignerRejected(CallerError):
    """The remote signing service rejected the signer's credentials (passphrase or TOTP)."""

    code: ClassVar[str] = "remote_signer_rejected"
    http_status: ClassVar[int] = 403


class RemoteOutcomeUnknown(OperationalError):
    """A remote signing call was sent but its answer was lost; it is never retried automatically."""

    code: ClassVar[str] = "remote_outcome_unknown"
    http_status: ClassVar[int] = 504


class PkiError(OperationalError):
    """The development PKI could not be created or refreshed."""

    code: ClassVar[str] = "pki_error"
    http_status: ClassVar[int] = 500


class BatchTooLarge(CallerError):
    """More files were given to one remote signing call than the configured batch size."""

    code: ClassVar[str] = "batch_too_large"
    http_status: ClassVar[int] = 422
