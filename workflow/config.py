"""Pintu's configuration: one pydantic-settings object, built once per entry point.

Nothing set means the embedded default (SQLite, a local folder for both stores, Celery tasks run
in-process, a development PKI under ``DATA_DIR``). Setting ``DATABASE_URL``, ``CELERY_BROKER_URL``
and ``S3_ENDPOINT`` swaps in PostgreSQL, a real broker and S3 without code changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "pintu-development-secret-change-me"  # refused in production
DEV_KADIS_PASSPHRASE = "kadis-demo"  # only protects the development PKI's key


class Settings(BaseSettings):
    """Every setting Pintu reads, from environment variables (see the README's table)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str | None = None
    celery_broker_url: str | None = None
    celery_result_backend: str | None = None
    celery_queue: str = "pintu"

    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_bucket: str = "pintu-archive"
    s3_documents_bucket: str = "pintu-documents"
    archive_retention_days: int = Field(default=3650, ge=1)
    archive_retention_mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    public_base_url: str = "http://127.0.0.1:8000"
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    page_time_limit_s: int = Field(default=240, ge=1, le=3600)
    """Hard limit of one page task: past it the pool child is killed and the page is reported
    unreadable. The soft limit (the page given up cleanly) comes at three quarters of it."""

    kadis_p12_path: Path | None = None
    dev_kadis_passphrase: SecretStr = SecretStr(DEV_KADIS_PASSPHRASE)
    tsa_urls: list[str] = Field(default_factory=list)
    trust_roots: list[Path] = Field(default_factory=list)
    seed_demo: bool | None = None

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "dpmptsp@mempawahkab.go.id"
    whatsapp_api_url: str | None = None
    whatsapp_phone_id: str | None = None
    whatsapp_token: SecretStr | None = None
    notify_timeout: float = Field(default=10.0, gt=0)

    signing_backend: Literal["pkcs12", "pkcs11", "bsre"] = "pkcs12"
    pkcs11_module: Path | None = None
    pkcs11_token_label: str | None = None
    pkcs11_key_label: str | None = None
    pkcs11_cert_label: str | None = None
    pkcs11_open_timeout: float = Field(default=10.0, gt=0, le=300)
    bsre_url: str | None = None
    bsre_client_id: str | None = None
    bsre_client_secret: SecretStr | None = None
    bsre_timeout: float = Field(default=120.0, gt=0, le=900)
    bsre_max_batch: int = Field(default=10, ge=1, le=100)
    bsre_signer_nik: str | None = Field(default=None, pattern=r"^[0-9]{16}$")
    bsre_signer_email: str | None = None
    bsre_signer_cert: Path | None = None
    bsre_appearance: Literal["visible", "invisible"] = "visible"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.jwt_secret.get_secret_value() == DEV_JWT_SECRET:
                raise ValueError("JWT_SECRET must be set to a real secret in production")
            if self.signing_backend == "pkcs12" and self.kadis_p12_path is None:
                raise ValueError(
                    "KADIS_P12_PATH must name the Kadis's key in production "
                    "(SIGNING_BACKEND=pkcs12)"
                )
            if self.signing_backend != "pkcs12" and not self.trust_roots:
                raise ValueError(
                    f"TRUST_ROOTS must name the CA certificates in production "
                    f"(SIGNING_BACKEND={self.signing_backend})"
                )
        self._refuse_incomplete_backend()
        if self.s3_endpoint and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError("S3_ENDPOINT needs S3_ACCESS_KEY and S3_SECRET_KEY")
        return self

    def _refuse_incomplete_backend(self) -> None:
        if self.signing_backend == "pkcs11":
            missing = [
                name
                for name, value in (
                    ("PKCS11_MODULE", self.pkcs11_module),
                    ("PKCS11_TOKEN_LABEL", self.pkcs11_token_label),
                    ("PKCS11_KEY_LABEL", self.pkcs11_key_label),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"SIGNING_BACKEND=pkcs11 needs {', '.join(missing)}")
        if self.signing_backend == "bsre":
            missing = [
                name
                for name, value in (
                    ("BSRE_URL", self.bsre_url),
                    ("BSRE_CLIENT_ID", self.bsre_client_id),
                    ("BSRE_CLIENT_SECRET", self.bsre_client_secret),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"SIGNING_BACKEND=bsre needs {', '.join(missing)}")
            if (self.bsre_signer_nik is None) == (self.bsre_signer_email is None):
                raise ValueError(
                    "SIGNING_BACKEND=bsre needs exactly one of BSRE_SIGNER_NIK or BSRE_SIGNER_EMAIL"
                )
            if self.environment == "production" and not self.tsa_urls:
                raise ValueError(
                    "SIGNING_BACKEND=bsre needs TSA_URLS in production (B-LTA is added locally)"
                )

    @property
    def effective_database_url(self) -> str:
        """The database URL, SQLite under DATA_DIR when none is set."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'pintu.db').resolve()}"

    @property
    def embedded_tasks(self) -> bool:
        """Whether Celery tasks run in-process (no broker configured)."""
        return not self.celery_broker_url

    @property
    def uses_dev_pki(self) -> bool:
        """Whether trust, timestamps (and the PKCS#12 key) come from the development PKI."""
        if self.signing_backend == "pkcs12":
            return self.kadis_p12_path is None
        return not self.trust_roots

    @property
    def should_seed_demo(self) -> bool:
        """Whether a demo office with one user per role is seeded at start."""
        if self.seed_demo is not None:
            return self.seed_demo
        return self.environment == "development"
