"""What the workflow's service API hands out: frozen views, never ORM rows.

A view is read inside the transaction that loaded its rows and is then safe anywhere (the API's
answers, the CLI's output, a background thread).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.sop.timeline import StepTime


@dataclass(frozen=True, slots=True)
class DocumentView:
    """An uploaded requirement document and how far its reading got."""

    id: str
    file_name: str
    content_type: str
    sha256: str
    size: int
    uploaded_at: datetime
    extraction_status: str
    page_count: int | None
    """Pages found (None until the file is opened)."""
    pages_done: int
    """Pages read so far: the upload's progress."""
    doc_type: str | None
    extraction_error: str | None


@dataclass(frozen=True, slots=True)
class DocumentDetailView(DocumentView):
    """A document with what was read from it and its signature report (their JSON forms)."""

    extraction: Mapping[str, Any] | None
    signature_report: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class TransitionView:
    """One recorded SOP step."""

    event: str
    from_state: str
    to_state: str
    actor_id: str | None
    actor_role: str
    note: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """An application as staff see it."""

    id: str
    state: str
    data: Mapping[str, Any]
    """The declared data, as the applicant declared it."""
    nib: str | None
    permit_number: str | None
    verdict: str | None
    findings: Mapping[str, Any] | None
    signing_error: str | None
    signed_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    documents: tuple[DocumentView, ...]
    transitions: tuple[TransitionView, ...]
    next_events: tuple[str, ...]
    """SOP steps possible from the current state."""
    timeline: tuple[StepTime, ...]
    """Each SOP step against its time standard."""
    produced: Mapping[str, str]
    """Files Pintu produced: name -> SHA-256."""
    read_values: Mapping[str, Mapping[str, Any]]
    """Values the applicant did not declare that only the machine read (path -> value, document,
    page, confidence): the Tim Teknis confirms those the permit prints when approving."""
    confirmed_values: Mapping[str, Mapping[str, Any]]
    """Read values the Tim Teknis confirmed (with who and when)."""


@dataclass(frozen=True, slots=True)
class ApplicationPage:
    """One page of applications, newest first."""

    items: tuple[ApplicationView, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True, slots=True)
class ProducedFile:
    """A PDF Pintu produced, ready to download."""

    content: bytes
    file_name: str
    media_type: str = "application/pdf"


@dataclass(frozen=True, slots=True)
class ArchivedFile:
    """One archived version: a short-lived URL where the store serves it, else its bytes."""

    file_name: str
    url: str | None
    content: bytes | None


@dataclass(frozen=True, slots=True)
class AlertView:
    """Something staff must look at (an archived version lost or changed)."""

    id: int
    kind: str
    severity: str
    subject: str
    detail: str
    created_at: datetime
