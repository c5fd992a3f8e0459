"""Migrations: run once by ``pintu db upgrade``; every other entry point only checks the schema.

The API, the Celery worker and beat never migrate at start (two processes migrating one database
at once, unlocked, was a race); a process that finds the schema behind refuses to start and says
which command brings it up to date.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from common.errors import ConfigurationError
from workflow.db.read_only import sqlite_path

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest migration."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(_config(url), "head")


def head_revision() -> str | None:
    """Return the newest migration's revision."""
    return ScriptDirectory.from_config(_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database at ``engine`` is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def require_current(engine: Engine) -> None:
    """Refuse a database whose schema is not the newest migration's."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise ConfigurationError(
            f"the database is at migration {current or 'none'}, not {head}: "
            "run `pintu db upgrade` first"
        )
