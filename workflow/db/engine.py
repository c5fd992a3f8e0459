"""Database engine and sessions: one engine per runtime, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL (None for any other database)."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def make_read_only_engine(url: str) -> Engine | None:
    """Create an engine that cannot write, or None when the SQLite file does not exist yet.

    For the commands that promise to write nothing (``pintu kbli``, ``pintu check``). A SQLite
    file that another process has open (its ``-wal`` exists) is read through that WAL, read-only;
    one that nobody has open is read ``immutable``, because a read-only open of a WAL database
    would leave new ``-wal``/``-shm`` files beside it. Other databases get read-only transactions.
    """
    path = sqlite_path(url)
    if path is not None:
        if not path.is_file():
            return None
        in_use = path.with_name(path.name + "-wal").exists()
        mode = "mode=ro" if in_use else "mode=ro&immutable=1"
        return create_engine(
            f"sqlite:///file:{path.resolve()}?{mode}&uri=true",
            connect_args={"check_same_thread": False},
        )
    if url.startswith("postgresql"):
        return create_engine(
            url, execution_options={"postgresql_readonly": True}, pool_pre_ping=True
        )
    return create_engine(url)


def sessions_for(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory of ``engine`` (objects stay readable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit when the block succeeds, roll back when it raises."""
    with factory() as session, session.begin():
        yield session
