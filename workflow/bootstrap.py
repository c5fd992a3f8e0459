"""The composition root: the one place where Settings become running parts.

Every entry point calls one function here with the Settings it built once:

- the API's app factory: :func:`build_runtime`;
- the Celery worker and beat: :func:`worker_celery` (a pool process builds its runtime when it
  starts, the worker's parent and beat never do);
- ``pintu db upgrade``: :func:`upgrade_database`, the only code that migrates;
- the CLI's commands that write nothing: :func:`read_only_rules`, :func:`read_only_trust`,
  :func:`ocr_limits` (no migration, no development PKI, no demo users, no store opened).

What a full runtime opens (the database layer, S3, the signer, Celery) is imported by the
functions that open it, so that ``pintu kbli`` loads only the settings and the rule tables and
answers in under a second (the lines marked PLC0415 below).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import ocr
from common.errors import ConfigurationError
from workflow.checking.tables import rules_from
from workflow.db.read_only import sqlite_path, stored_rule_tables
from workflow.runtime import BsreSetup, Jobs, Runtime, SigningSetup, UploadCache

if TYPE_CHECKING:
    from asn1crypto import x509

    import archive
    import signer
    import validator
    from workflow.config import Settings
    from workflow.tasks.app import PintuCelery

log = logging.getLogger(__name__)


def upgrade_database(settings: Settings) -> int:
    """Migrate the database to the newest schema and seed the demo office where configured.

    What ``pintu db upgrade`` (and ``make run``) does, once, before any process starts; returns
    how many demo users were created.
    """
    # the database layer, alembic and argon2 only for this command (see the module docstring)
    from workflow.db.engine import make_engine, sessions_for, transaction  # noqa: PLC0415 - above
    from workflow.db.migrate import upgrade  # noqa: PLC0415 - as above
    from workflow.staff.accounts import seed_demo_office  # noqa: PLC0415 - as above

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url)
    if not settings.should_seed_demo:
        return 0
    with transaction(sessions_for(make_engine(settings.effective_database_url))) as session:
        created = seed_demo_office(session)
    if created:
        log.info("seeded the demo office with %d users", created)
    return created


def storage_config(settings: Settings) -> archive.StorageConfig:
    """Map the settings onto archive's storage configuration."""
    import archive  # noqa: PLC0415 - the S3 client is loaded only by what opens a store

    if settings.s3_endpoint:
        if settings.s3_secret_key is None:
            raise ConfigurationError("S3_ENDPOINT needs S3_SECRET_KEY")
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


def ocr_limits(settings: Settings) -> ocr.ExtractionLimits:
    """Return the caps on reading one upload: its size cap is the upload limit, no larger."""
    return ocr.ExtractionLimits(max_bytes=settings.max_upload_bytes)


def _load_certificate(path: Path) -> x509.Certificate:
    from asn1crypto import pem, x509  # noqa: PLC0415 - with the signer, only for BSrE

    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _nothing_to_refresh() -> None:
    """Trust and timestamps that come from settings need no upkeep here."""


def signing_setup(settings: Settings) -> SigningSetup:
    """Open the configured signing backend: trust, timestamps and where the Kadis's key lives.

    With the development PKI (the embedded default) this creates it under ``DATA_DIR`` first.
    """
    import signer  # noqa: PLC0415 - pyHanko and WeasyPrint only for what signs or renders

    kadis_p12: Path | None = None
    dev_kadis_cert: Path | None = None
    refresh = _nothing_to_refresh
    if settings.uses_dev_pki:
        folder = settings.data_dir / "pki"
        passphrase = settings.dev_kadis_passphrase.get_secret_value()
        pki = signer.ensure_dev_pki(folder, kadis_passphrase=passphrase)
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
        dev_kadis_cert = pki.folder / "certs" / "kadis.cert.pem"

        def refresh() -> None:
            signer.ensure_dev_pki(folder, kadis_passphrase=passphrase)

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
    backend = settings.signing_backend
    pkcs11: signer.Pkcs11Config | None = None
    bsre: BsreSetup | None = None
    if backend == "pkcs11":
        if not (settings.pkcs11_module and settings.pkcs11_token_label):
            raise ConfigurationError("SIGNING_BACKEND=pkcs11 needs PKCS11_MODULE and the labels")
        if not settings.pkcs11_key_label:
            raise ConfigurationError("SIGNING_BACKEND=pkcs11 needs PKCS11_KEY_LABEL")
        pkcs11 = signer.Pkcs11Config(
            module_path=settings.pkcs11_module,
            token_label=settings.pkcs11_token_label,
            key_label=settings.pkcs11_key_label,
            cert_label=settings.pkcs11_cert_label,
            open_timeout=settings.pkcs11_open_timeout,
        )
    elif backend == "bsre":
        if not (settings.bsre_url and settings.bsre_client_id and settings.bsre_client_secret):
            raise ConfigurationError("SIGNING_BACKEND=bsre needs BSRE_URL and the credentials")
        if timestamps is None:
            raise ConfigurationError("SIGNING_BACKEND=bsre needs TSA_URLS (B-LTA is added here)")
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
        refresh=refresh,
    )


def build_runtime(settings: Settings, *, jobs: Jobs | None = None) -> Runtime:
    """Open everything a serving process needs; refuse a database that is not migrated.

    ``jobs`` None: Celery when a broker is configured, else in-process jobs bound to this runtime.
    """
    import archive  # noqa: PLC0415 - see the module docstring: stores only for a full runtime
    from workflow.checking.rules import RuleProvider  # noqa: PLC0415 - the database layer too
    from workflow.db.engine import make_engine, sessions_for  # noqa: PLC0415 - likewise
    from workflow.db.migrate import require_current  # noqa: PLC0415 - alembic likewise
    from workflow.tasks.jobs import CeleryJobs, InlineJobs  # noqa: PLC0415 - Celery and the steps

    url = settings.effective_database_url
    database_file = sqlite_path(url)
    if database_file is not None and not database_file.is_file():  # connecting would create it
        raise ConfigurationError(f"no database at {database_file}: run `pintu db upgrade` first")
    engine = make_engine(url)
    require_current(engine)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sessions = sessions_for(engine)
    documents, archive_store = archive.open_stores(storage_config(settings))
    inline: InlineJobs | None = None
    if jobs is None:
        if settings.embedded_tasks:
            jobs = inline = InlineJobs()
        else:
            from workflow.tasks.app import make_celery  # noqa: PLC0415 - as above

            jobs = CeleryJobs(make_celery(settings))
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        documents=documents,
        archive=archive_store,
        rules=RuleProvider(sessions),
        signing=signing_setup(settings),
        jobs=jobs,
        ocr_limits=ocr_limits(settings),
        uploads=UploadCache(documents),
        retention=archive.RetentionPolicy(
            mode=settings.archive_retention_mode, days=settings.archive_retention_days
        ),
    )
    if inline is not None:
        inline.bind(runtime)
    return runtime


def worker_celery(settings: Settings) -> PintuCelery:
    """Return the Celery app of ``celery -A workflow.worker worker|beat``.

    Each pool process builds its own runtime when it starts (an inherited socket used by two
    processes interleaves their answers); beat and the worker's parent only schedule and route.
    """
    from workflow.tasks.app import make_celery  # noqa: PLC0415 - Celery only for the worker
    from workflow.tasks.jobs import CeleryJobs  # noqa: PLC0415 - as above

    return make_celery(settings, runtime=lambda app: build_runtime(settings, jobs=CeleryJobs(app)))


def read_only_rules(settings: Settings) -> validator.RuleSet:
    """Return the rules in force without writing anything (``pintu kbli``, ``pintu check``).

    No database yet (or one never migrated) means the shipped defaults.
    """
    return rules_from(stored_rule_tables(settings.effective_database_url))


def read_only_trust(settings: Settings) -> signer.TrustConfig:
    """Return what signatures are checked against, creating and refreshing nothing.

    With the development PKI, its files as they are (none yet: nothing is trusted).
    """
    import signer  # noqa: PLC0415 - the signer only for the commands that verify

    if not settings.uses_dev_pki:
        return signer.TrustConfig(
            trust_roots=tuple(settings.trust_roots),
            allow_fetching=True,
            clock_tolerance=timedelta(minutes=5),
        )
    pki = signer.existing_dev_pki(settings.data_dir / "pki")
    if pki is None:
        return signer.TrustConfig(trust_roots=(), allow_fetching=False)
    return signer.TrustConfig(
        trust_roots=(pki.root_cert,),
        other_certs=(pki.intermediate_cert, pki.tsa_cert),
        crls=pki.crls,
        allow_fetching=False,
        clock_tolerance=timedelta(minutes=5),
    )
