"""Errors the validator raises when it cannot run: bad input or a bad rule table.

A rule that finds a defect never raises; it yields a finding (STYLE.md habit 6).
"""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code
from common.errors import CallerError


class ApplicationDataError(CallerError):
    """The declared application data does not have the shape of DOMAIN.md's application data."""

    code: ClassVar[Code] = Code.INVALID_APPLICATION_DATA
    http_status: ClassVar[int] = 422


class RuleTableError(CallerError):
    """A rule table (KBLI list, authority table, checklist, region, validity) is malformed.

    ``source`` names the file (or the upload) and ``line`` the 1-based line of the first error,
    when the error belongs to a line. The reason is written for the office's admin.
    """

    code: ClassVar[Code] = Code.INVALID_RULE_TABLE
    http_status: ClassVar[int] = 422

    def __init__(
        self,
        message: str,
        *,
        source: str = "",
        line: int | None = None,
        detail_id: str | None = None,
    ) -> None:
        where_en = source or "rule table"
        where_id = source or "tabel aturan"
        if line is not None:
            where_en = f"{where_en}, line {line}"
            where_id = f"{where_id}, baris {line}"
        super().__init__(
            f"{where_en}: {message}",
            detail_id=detail_id or f"Tabel aturan ditolak ({where_id}): {message}",
        )
        self.source = source
        self.line = line
