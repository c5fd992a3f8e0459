"""Database models: applications, their documents, the audit trail and the archive index."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """Return a new random identifier for a row."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    """Declarative base of every Pintu table."""

    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class User(Base):
    """A member of the office's staff with exactly one SOP role."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    jabatan: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Application(Base):
    """One request for a Sertifikat Standar, from upload to archive."""

    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    state: Mapped[str] = mapped_column(String(32), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    nib: Mapped[str | None] = mapped_column(String(13), index=True)
    permit_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    verdict: Mapped[str | None] = mapped_column(String(32))
    findings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confirmed_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """Values only the machine read that the Tim Teknis confirmed on approval (by path); the
    declared data (``data``) is never changed by what the documents say."""
    bap_sha256: Mapped[str | None] = mapped_column(String(64))
    pertimbangan_sha256: Mapped[str | None] = mapped_column(String(64))
    draft_permit_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_permit_sha256: Mapped[str | None] = mapped_column(String(64))
    signing_error: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[datetime | None] = mapped_column()
    archived_at: Mapped[datetime | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    documents: Mapped[list[Document]] = relationship(
        back_populates="application", order_by="Document.uploaded_at"
    )
    transitions: Mapped[list[TransitionRecord]] = relationship(
        back_populates="application", order_by="TransitionRecord.id"
    )

    __mapper_args__ = {"version_id_col": row_version}


class Document(Base):
    """A requirement document as uploaded, referenced by its SHA-256 in the document store."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    extraction_status: Mapped[str] = mapped_column(String(16), default="pending")
    page_count: Mapped[int | None] = mapped_column(Integer)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    extraction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    extraction_error: Mapped[str | None] = mapped_column(Text)
    signature_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    doc_type: Mapped[str | None] = mapped_column(String(32))

    application: Mapped[Application] = relationship(back_populates="documents")


class DocumentPage(Base):
    """One page of a document as read (words, boxes, confidences), written by its page task."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_page"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class TransitionRecord(Base):
    """One step of the SOP taken on an application: who, when, from which state to which."""

    __tablename__ = "transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    event: Mapped[str] = mapped_column(String(48))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="transitions")


class ArchiveEntry(Base):
    """The archive index: one row per archived key, claimed before the write."""

    __tablename__ = "archive_entries"
    __table_args__ = (UniqueConstraint("key", name="uq_archive_entries_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    key: Mapped[str] = mapped_column(String(512))
    role: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    version_id: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_at: Mapped[datetime | None] = mapped_column()
    last_audited_at: Mapped[datetime | None] = mapped_column()
    last_audit_status: Mapped[str | None] = mapped_column(String(32))


class FixityCheck(Base):
    """One fixity audit result for one archived version."""

    __tablename__ = "fixity_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("archive_entries.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    actual_sha256: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """Something staff must look at (a lost or changed archived version), listed by the API."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(512))
    detail: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column()


class Notification(Base):
    """A message to the applicant (step 6), kept as an outbox row until delivered."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class RuleTableVersion(Base):
    """A version of one rule table (KBLI list, authority, checklists) the office loaded."""

    __tablename__ = "rule_table_versions"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_rule_table_kind_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningBatch(Base):
    """N approved permits the Kadis signs with one passphrase entry, after confirming a summary."""

    __tablename__ = "signing_batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(24), default="awaiting_confirmation")
    stop_on_failure: Mapped[bool] = mapped_column(default=False)
    certificate_subject: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()

    items: Mapped[list[SigningBatchItem]] = relationship(order_by="SigningBatchItem.position")


class SigningBatchItem(Base):
    """One permit of a signing batch and what became of it."""

    __tablename__ = "signing_batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "application_id", name="uq_batch_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("signing_batches.id"), index=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column()


class RemoteSignCall(Base):
    """One call to the remote signer (BSrE), persisted as ``sent`` before it goes out.

    Status: ``sent`` (in flight), ``signed``, ``rejected`` (credentials refused), ``failed``
    (answered, but unusable), ``outcome_unknown`` (no answer, or the process died with the call
    in flight). Never retried automatically; the Kadis may sign again with fresh consent.
    """

    __tablename__ = "remote_sign_calls"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    request_hash: Mapped[str] = mapped_column(String(64), index=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("signing_batches.id"))
    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="sent", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    duration_ms: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list[RemoteSignCallItem]] = relationship(order_by="RemoteSignCallItem.position")


class RemoteSignCallItem(Base):
    """A permit (one file) carried by a remote signing call."""

    __tablename__ = "remote_sign_call_items"
    __table_args__ = (UniqueConstraint("call_id", "application_id", name="uq_remote_call_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("remote_sign_calls.id"), index=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
