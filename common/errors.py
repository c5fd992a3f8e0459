"""One error hierarchy for all of Pintu.

``PintuError`` has two roots: ``CallerError`` (the caller's mistake: a bad upload, an illegal
transition, a wrong passphrase) and ``OperationalError`` (something we depend on failed: S3 down,
TSA unreachable). Each concrete error carries a stable ``code`` (a short snake_case string that
never changes once released) and an HTTP status. The English ``message`` is for logs and may carry
ids; the Bahasa Indonesia text shown to people is looked up from the code at the edge (``api/``),
with ``detail_id`` as an optional, already-safe Indonesian sentence that overrides the generic one.

Capability packages subclass these in their own ``errors`` module and translate library
exceptions at one seam with ``raise ... from exc``.
"""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code


class PintuError(Exception):
    """Base of every error Pintu raises on purpose."""

    code: ClassVar[Code] = Code.INTERNAL_ERROR
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, detail_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail_id = detail_id


class CallerError(PintuError):
    """The caller asked for something wrong; retrying the same request will fail again."""

    code: ClassVar[Code] = Code.BAD_REQUEST
    http_status: ClassVar[int] = 400


class OperationalError(PintuError):
    """A component Pintu depends on failed; the same request may succeed later."""

    code: ClassVar[Code] = Code.SERVICE_UNAVAILABLE
    http_status: ClassVar[int] = 503


class ConfigurationError(OperationalError):
    """Pintu is set up wrong (a setting, a missing migration): an admin must act, not the caller."""

    code: ClassVar[Code] = Code.CONFIGURATION_ERROR
    http_status: ClassVar[int] = 500
