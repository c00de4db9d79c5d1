"""The SQLite database: one engine per data directory, migrated to the newest schema at start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["MIGRATIONS", "current_revision", "make_engine", "migrate", "session_factory"]

#: The Alembic script directory shipped inside the package.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(path: Path) -> Engine:
    """An engine for the database file; every connection waits for locks and enforces keys.

    WAL lets pages be read while an upload is being recorded; ``synchronous=FULL`` makes
    every committed version survive a crash of the machine, not only of the server.
    """
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=30000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return engine


def _config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default); a no-op when it is there."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for an empty file)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        rev: str | None = MigrationContext.configure(connection).get_current_revision()
        return rev


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
