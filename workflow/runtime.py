"""The composition root: everything an entry point needs, built once from the settings.

The API's app factory, the Celery worker's start-up and every CLI command call
:func:`build_runtime` with their :class:`~workflow.config.Settings`; Celery tasks find the
process's runtime through :func:`current`, because a task message carries ids only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal

from asn1crypto import pem, x509
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import archive
import signer
from archive import RetentionPolicy
from workflow.checking.rules import RuleProvider, rules_in_force
from workflow.config import Settings
from workflow.db import engine as db
from workflow.staff.accounts import seed_demo_office

log = logging.getLogger(__name__)


SigningBackend = Literal["pkcs12", "pkcs11", "bsre"]


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
    kadis_p12: Path | None = None
    pkcs11: signer.Pkcs11Config | None = None
    bsre: BsreSetup | None = None


@dataclass(frozen=True, slots=True)
class Runtime:
    """The process's services, built from one Settings object."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    documents: archive.DocumentStore
    archive: archive.ArchiveStore
    rules: RuleProvider
    signing: SigningSetup

    @property
    def retention(self) -> RetentionPolicy:
        """The retention put on every archived version."""
        return RetentionPolicy(
            mode=self.settings.archive_retention_mode, days=self.settings.archive_retention_days
        )


_current: Runtime | None = None


def install(runtime: Runtime) -> None:
    """Make ``runtime`` the one Celery tasks of this process use."""
    global _current
    _current = runtime


def current() -> Runtime:
    """Return the runtime installed in this process."""
    if _current is None:
        raise RuntimeError("no Pintu runtime installed in this process (call build_runtime first)")
    return _current


def storage_config(settings: Settings) -> archive.StorageConfig:
    """Map the settings onto archive's storage configuration."""
    if settings.s3_endpoint:
        assert settings.s3_secret_key is not None  # checked by Settings
        return archive.StorageConfig(
            s3_endpoint=settings.s3_endpoint,
            s3_access_key=settings.s3_access_key,
            s3_secret_key=settings.s3_secret_key.get_secret_value(),
            s3_secure=settings.s3_secure,
            s3_region=settings.s3_region,
            documents_bucket=settings.s3_documents_bucket,
            archive_bucket=settings.s3_bucket,
        )
    return archive.StorageConfig(folder=(settings.data_dir / "store").resolve())


def _load_certificate(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def refresh_dev_pki(settings: Settings) -> None:
    """Re-issue the development PKI's CRLs when they near expiry (a no-op within ~1 ms otherwise).

    Called before each signing and verification, so a long-running development server keeps
    verifying; the signer notices the changed CRL files itself.
    """
    if settings.uses_dev_pki:
        signer.ensure_dev_pki(
            settings.data_dir / "pki",
            kadis_passphrase=settings.dev_kadis_passphrase.get_secret_value(),
        )


def _signing_setup(settings: Settings) -> SigningSetup:
    kadis_p12: Path | None = None
    if settings.uses_dev_pki:
        pki = signer.ensure_dev_pki(
            settings.data_dir / "pki",
            kadis_passphrase=settings.dev_kadis_passphrase.get_secret_value(),
        )
        trust = signer.TrustConfig(
            trust_roots=(pki.root_cert,),
            other_certs=(pki.intermediate_cert, pki.tsa_cert),
            crls=pki.crls,
            allow_fetching=False,
            clock_tolerance=timedelta(minutes=5),
        )
        timestamps: signer.TimestampConfig | None = signer.TimestampConfig(
            dev_tsa_cert=pki.tsa_cert, dev_tsa_key=pki.tsa_key
        )
        kadis_p12 = pki.kadis_p12
        dev_kadis_cert: Path | None = pki.folder / "certs" / "kadis.cert.pem"
    else:
        trust = signer.TrustConfig(
            trust_roots=tuple(settings.trust_roots),
            other_certs=(),
            crls=(),
            allow_fetching=True,
            clock_tolerance=timedelta(minutes=5),
        )
        timestamps = (
            signer.TimestampConfig(tsa_urls=tuple(settings.tsa_urls)) if settings.tsa_urls else None
        )
        kadis_p12 = settings.kadis_p12_path
        dev_kadis_cert = None
    backend = settings.signing_backend
    pkcs11: signer.Pkcs11Config | None = None
    bsre: BsreSetup | None = None
    if backend == "pkcs11":
        assert settings.pkcs11_module and settings.pkcs11_token_label  # checked by Settings
        assert settings.pkcs11_key_label
        pkcs11 = signer.Pkcs11Config(
            module_path=settings.pkcs11_module,
            token_label=settings.pkcs11_token_label,
            key_label=settings.pkcs11_key_label,
            cert_label=settings.pkcs11_cert_label,
            open_timeout=settings.pkcs11_open_timeout,
        )
    elif backend == "bsre":
        assert settings.bsre_url and settings.bsre_client_id  # checked by Settings
        assert settings.bsre_client_secret is not None
        if timestamps is None:
            raise ValueError("SIGNING_BACKEND=bsre needs TSA_URLS (B-LTA is added locally)")
        expected = settings.bsre_signer_cert or dev_kadis_cert
        bsre = BsreSetup(
            client=signer.BsreClient(
                signer.BsreConfig(
                    base_url=settings.bsre_url,
                    client_id=settings.bsre_client_id,
                    client_secret=settings.bsre_client_secret.get_secret_value(),
                    timeout=settings.bsre_timeout,
                    max_batch=settings.bsre_max_batch,
                ),
                trust,
                timestamps,
            ),
            signer_nik=settings.bsre_signer_nik,
            signer_email=settings.bsre_signer_email,
            expected_signer=_load_certificate(expected) if expected is not None else None,
            max_batch=settings.bsre_max_batch,
            visible=settings.bsre_appearance == "visible",
        )
    return SigningSetup(
        backend=backend,
        trust=trust,
        timestamps=timestamps,
        service=signer.Signer(trust, timestamps),
        kadis_p12=kadis_p12 if backend == "pkcs12" else None,
        pkcs11=pkcs11,
        bsre=bsre,
    )


def build_runtime(settings: Settings, *, install_for_tasks: bool = True) -> Runtime:
    """Create folders, migrate the database, open the stores and the signing setup."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.effective_database_url
    db.upgrade(url)
    engine = db.make_engine(url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    documents, archive_store = archive.open_stores(storage_config(settings))
    if settings.should_seed_demo:
        with db.transaction(sessions) as session:
            created = seed_demo_office(session)
        if created:
            log.info("seeded the demo office with %d users", created)

    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        documents=documents,
        archive=archive_store,
        rules=rules_in_force(sessions),
        signing=_signing_setup(settings),
    )
    if install_for_tasks:
        install(runtime)
    from workflow.tasks.app import configure_celery  # noqa: PLC0415 - tasks import this module

    configure_celery(settings)
    return runtime
