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

    kadis_p12_path: Path | None = None
    dev_kadis_passphrase: SecretStr = SecretStr(DEV_KADIS_PASSPHRASE)
    tsa_urls: list[str] = Field(default_factory=list)
    trust_roots: list[Path] = Field(default_factory=list)
    seed_demo: bool | None = None

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production":
            if self.jwt_secret.get_secret_value() == DEV_JWT_SECRET:
                raise ValueError("JWT_SECRET must be set to a real secret in production")
            if self.kadis_p12_path is None:
                raise ValueError("KADIS_P12_PATH must name the Kadis's key in production")
        if self.s3_endpoint and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError("S3_ENDPOINT needs S3_ACCESS_KEY and S3_SECRET_KEY")
        return self

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
        """Whether signing uses the development PKI created under DATA_DIR."""
        return self.kadis_p12_path is None

    @property
    def should_seed_demo(self) -> bool:
        """Whether a demo office with one user per role is seeded at start."""
        if self.seed_demo is not None:
            return self.seed_demo
        return self.environment == "development"
