"""Alembic driven from code for the server schema (scripts in server/migrations, no alembic.ini)."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData

from server.db import Base, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def target_metadata() -> MetaData:
    """Base.metadata with every model imported: the core tables and the ledger's when present."""
    import server.models  # noqa: F401

    try:
        importlib.import_module("server.ledger.models")
    except ModuleNotFoundError as exc:  # the ledger (revision 0002) is optional until it lands
        if exc.name not in ("server.ledger", "server.ledger.models"):
            raise
    return Base.metadata


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision shipped with this server."""
    rev = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if rev is None:
        raise RuntimeError(f"no migrations under {MIGRATIONS_DIR}")
    return rev


def current(url: str) -> str | None:
    """The revision the database at ``url`` is at (None when never migrated)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to head in one transaction; raises SQLAlchemy/alembic errors."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    finally:
        engine.dispose()
