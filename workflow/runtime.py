"""What every part of the workflow is handed: the process's services, as one frozen value.

:mod:`workflow.bootstrap` builds a :class:`Runtime` from one Settings object per entry point (the
API's app factory, each Celery pool process, the CLI commands that need one) and passes it down;
nothing in this module opens a connection or reads the environment, and no module keeps a
runtime of its own. Domain code queues follow-up work through ``rt.jobs`` (:class:`Jobs`), never
by importing the Celery tasks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from asn1crypto import x509
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    import archive
    import ocr
    import signer
    import validator
    from archive import RetentionPolicy
    from workflow.config import Settings

SigningBackend = Literal["pkcs12", "pkcs11", "bsre"]


class Jobs(Protocol):
    """Follow-up work the SOP's steps leave behind: run by Celery workers, or in this process."""

    def start_checks(self, application_id: str) -> None:
        """Read every document still pending, then run the Tim Teknis's rules (step 3)."""

    def after_signing(self, application_id: str) -> None:
        """Archive the signed permit and tell the applicant (steps 8 and 6); never raises."""

    def close(self) -> None:
        """Release what the jobs hold (a broker connection pool)."""


class RuleSource(Protocol):
    """The rule tables: those in force now, or those a past check used."""

    def get(self) -> validator.RuleSet:
        """Return the rules in force now."""

    def pinned(self, versions: Mapping[str, str]) -> validator.RuleSet:
        """Return the rules at the table versions a report records (``Report.rule_versions``)."""


@dataclass(frozen=True, slots=True)
class BsreSetup:
    """The remote signer (BSrE): its client, whose certificate signs, and how calls are shaped."""

    client: signer.BsreClient
    signer_nik: str | None
    signer_email: str | None
    expected_signer: x509.Certificate | None
    """The Kadis's certificate at BSrE; a file signed by another one is refused."""
    max_batch: int
    """Most permits in one call, i.e. confirmed by one TOTP."""
    visible: bool
    """Ask BSrE for a visible appearance in the template's signature box (else invisible)."""


@dataclass(frozen=True, slots=True)
class SigningSetup:
    """Where the Kadis's key lives and how signatures are made and checked.

    Exactly one backend is configured (``SIGNING_BACKEND``): ``kadis_p12`` for ``pkcs12``,
    ``pkcs11`` for ``pkcs11``, ``bsre`` for ``bsre``. Trust and timestamps serve every backend
    (the remote signer's output is checked and extended to B-LTA locally).
    """

    backend: SigningBackend
    trust: signer.TrustConfig
    timestamps: signer.TimestampConfig | None
    service: signer.Signer
    refresh: Callable[[], None]
    """Re-issue the development PKI's CRLs when they near expiry (~1 ms when they do not; a
    no-op without the development PKI). Called before each signing and verification, so a
    long-running development server keeps verifying; the signer notices changed CRL files."""
    kadis_p12: Path | None = None
    pkcs11: signer.Pkcs11Config | None = None
    bsre: BsreSetup | None = None


class UploadCache:
    """The bytes of the last few uploads this process read, so a document is fetched once.

    A document's pages are read one task each; without this, each page fetched the whole file
    from the store again. Bounded by count and by bytes; thread-safe.
    """

    def __init__(self, documents: archive.DocumentStore, *, entries: int = 2) -> None:
        self._documents = documents
        self._entries = entries
        self._lock = threading.Lock()
        self._cached: OrderedDict[str, bytes] = OrderedDict()

    def get(self, sha256: str) -> bytes:
        """Return the stored bytes of ``sha256``, from this process's cache when it has them."""
        with self._lock:
            data = self._cached.get(sha256)
            if data is not None:
                self._cached.move_to_end(sha256)
                return data
        data = self._documents.get(sha256)
        with self._lock:
            self._cached[sha256] = data
            while len(self._cached) > self._entries:
                self._cached.popitem(last=False)
        return data


@dataclass(frozen=True, slots=True)
class Runtime:
    """The process's services, built from one Settings object by :mod:`workflow.bootstrap`."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    documents: archive.DocumentStore
    archive: archive.ArchiveStore
    rules: RuleSource
    signing: SigningSetup
    jobs: Jobs
    ocr_limits: ocr.ExtractionLimits
    """Caps on every upload's reading, from the settings (the upload limit is the OCR limit)."""
    uploads: UploadCache
    retention: RetentionPolicy
    """The retention put on every archived version."""

    def verification_url(self, application_id: str) -> str:
        """Return the public URL the permit's QR code carries."""
        return f"{self.settings.public_base_url.rstrip('/')}/verify/{application_id}"

    def close(self) -> None:
        """Release what the runtime holds: broker connections, the signer's loop, the database."""
        self.jobs.close()
        self.signing.service.close()
        self.engine.dispose()
