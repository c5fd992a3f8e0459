"""Reading the database without writing to it, for the commands that promise to write nothing.

``pintu kbli`` and ``pintu check`` read the imported rule tables only. A SQLite file (the
embedded default) is read with the standard library, so those commands load no database layer
and start fast; a database server is read in a read-only transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

RULE_TABLES_QUERY = "SELECT kind, version, content, created_at FROM rule_table_versions ORDER BY id"


@dataclass(frozen=True, slots=True)
class RuleTableRow:
    """One imported rule table version as stored."""

    kind: str
    version: str
    content: bytes
    created_at: datetime


def sqlite_path(url: str) -> Path | None:
    """Return the file of a SQLite URL (None for any other database)."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def _when(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def stored_rule_tables(url: str) -> list[RuleTableRow]:
    """Return the imported rule tables, oldest first, creating nothing (none: no database yet).

    A SQLite file another process has open (its ``-wal`` exists) is read through that WAL; one
    nobody has open is read ``immutable``, because a read-only open of a WAL database would leave
    new ``-wal``/``-shm`` files beside it.
    """
    path = sqlite_path(url)
    if path is None:
        return _from_server(url)
    if not path.is_file():
        return []
    in_use = path.with_name(path.name + "-wal").exists()
    mode = "mode=ro" if in_use else "mode=ro&immutable=1"
    connection = sqlite3.connect(f"file:{path.resolve()}?{mode}", uri=True)
    try:
        known = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rule_table_versions'"
        ).fetchone()
        if known is None:  # never migrated
            return []
        rows = connection.execute(RULE_TABLES_QUERY).fetchall()
    finally:
        connection.close()
    return [RuleTableRow(str(k), str(v), bytes(c), _when(t)) for k, v, c, t in rows]


def _from_server(url: str) -> list[RuleTableRow]:
    # only for a database server: the embedded default never loads SQLAlchemy for this
    from sqlalchemy import create_engine, inspect, text  # noqa: PLC0415 - see the line above

    options = {"postgresql_readonly": True} if url.startswith("postgresql") else {}
    engine = create_engine(url, execution_options=options)
    try:
        if not inspect(engine).has_table("rule_table_versions"):
            return []
        with engine.connect() as connection:
            rows = connection.execute(text(RULE_TABLES_QUERY)).all()
    finally:
        engine.dispose()
    return [RuleTableRow(str(k), str(v), bytes(c), _when(t)) for k, v, c, t in rows]
