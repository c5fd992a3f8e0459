"""What the API answers: public views of applications, documents and reports."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

import workflow


class DocumentPublic(BaseModel):
    """An uploaded requirement document and how far its extraction got."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    file_name: str
    content_type: str
    sha256: str
    size: int
    uploaded_at: datetime
    extraction_status: str
    page_count: int | None = Field(description="pages found (None until the file is opened)")
    pages_done: int = Field(description="pages read so far: the upload's progress")
    doc_type: str | None
    extraction_error: str | None


class DocumentDetail(DocumentPublic):
    """A document with its extraction (fields with evidence) and its signature report."""

    extraction: dict[str, Any] | None
    signature_report: dict[str, Any] | None


class TransitionPublic(BaseModel):
    """One recorded SOP step."""

    model_config = ConfigDict(from_attributes=True)

    event: str
    from_state: str
    to_state: str
    actor_id: str | None
    actor_role: str
    note: str | None
    at: datetime


class StepTimePublic(BaseModel):
    """One SOP step's duration against its time standard (mutu baku)."""

    step: int
    started_at: datetime
    ended_at: datetime | None
    minutes: float | None
    standard_minutes: int
    over_standard: bool | None


class ApplicationPublic(BaseModel):
    """An application as staff see it."""

    id: str
    state: str
    data: workflow.ApplicationData | dict[str, Any]
    nib: str | None
    permit_number: str | None
    verdict: str | None
    findings: dict[str, Any] | None
    signing_error: str | None
    signed_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    documents: list[DocumentPublic]
    transitions: list[TransitionPublic]
    next_events: list[str] = Field(description="SOP steps possible from the current state")
    timeline: list[StepTimePublic] = Field(description="each SOP step against its time standard")
    produced: dict[str, str] = Field(description="files Pintu produced: name -> SHA-256")
    read_values: dict[str, dict[str, Any]] = Field(
        description="values not declared that only the machine read (to confirm on approval)"
    )
    confirmed_values: dict[str, dict[str, Any]] = Field(
        description="read values the Tim Teknis confirmed, with who and when"
    )

    @classmethod
    def of(cls, application: workflow.ApplicationView) -> ApplicationPublic:
        """Build the public view of an application."""
        return cls(
            id=application.id,
            state=application.state,
            data=dict(application.data),
            nib=application.nib,
            permit_number=application.permit_number,
            verdict=application.verdict,
            findings=dict(application.findings) if application.findings is not None else None,
            signing_error=application.signing_error,
            signed_at=application.signed_at,
            archived_at=application.archived_at,
            created_at=application.created_at,
            documents=[DocumentPublic.model_validate(d) for d in application.documents],
            transitions=[TransitionPublic.model_validate(t) for t in application.transitions],
            next_events=list(application.next_events),
            timeline=[StepTimePublic(**asdict(t)) for t in application.timeline],
            produced=dict(application.produced),
            read_values={k: dict(v) for k, v in application.read_values.items()},
            confirmed_values={k: dict(v) for k, v in application.confirmed_values.items()},
        )


class ApplicationPage(BaseModel):
    """One page of applications."""

    items: list[ApplicationPublic]
    total: int
    offset: int
    limit: int


class StepRequest(BaseModel):
    """A note to record with a step; with ``approve_technical``, the read values confirmed."""

    note: str | None = Field(default=None, max_length=2000)
    confirm: list[str] = Field(
        default_factory=list,
        max_length=10,
        description=(
            "approve_technical only: the machine-read values (see read_values) the Tim Teknis "
            "checked and confirms, e.g. ['nib', 'nama_usaha', 'kbli']; each one the permit "
            "prints must be confirmed"
        ),
    )


class SignRequest(BaseModel):
    """The Kadis's consent for this signature or batch, used once, never stored.

    Exactly one of: ``passphrase`` (PKCS#12 key file, or BSrE), ``pin`` (PKCS#11 token) or
    ``totp`` (BSrE, one code per call); which ones the office takes depends on its
    ``SIGNING_BACKEND``.
    """

    passphrase: str | None = Field(default=None, min_length=1, max_length=1024)
    pin: str | None = Field(default=None, min_length=1, max_length=256)
    totp: str | None = Field(default=None, min_length=4, max_length=16)

    @model_validator(mode="after")
    def _exactly_one_secret(self) -> SignRequest:
        given = [v for v in (self.passphrase, self.pin, self.totp) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of passphrase, pin or totp")
        return self

    def consent(self) -> workflow.Consent:
        """Return the secret as the workflow takes it."""
        if self.pin is not None:
            return workflow.Consent(self.pin, "pin")
        if self.totp is not None:
            return workflow.Consent(self.totp, "totp")
        return workflow.Consent(self.passphrase or "", "passphrase")


class TokenPublic(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
