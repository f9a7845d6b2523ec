"""Alembic driven from code: the scripts live in kiosk/storage/migrations, no alembic.ini."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

log = logging.getLogger(__name__)


def alembic_config(
    connection: Connection | None = None, url: str = "", script_location: Path = MIGRATIONS_DIR
) -> Config:
    """A Config pointing at the package's migrations; ``connection`` is used by env.py."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision shipped with this version of the kiosk."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations under {MIGRATIONS_DIR}")
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> tuple[str | None, str]:
    """Apply every missing migration in one IMMEDIATE transaction; returns (before, after).

    ``engine`` must be a writer engine with foreign keys OFF (batch migrations copy tables);
    foreign keys are checked before the commit instead. Raises alembic's CommandError when the
    file carries a revision this kiosk does not know, SQLAlchemy errors from SQLite.
    """
    with engine.begin() as conn:
        before = current_revision(conn)
        if before is not None and before not in known_revisions():
            raise CommandError(f"database is at unknown revision {before!r}")
        command.upgrade(alembic_config(conn), "head")
        after = current_revision(conn)
        violations = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if violations:
            raise CommandError(f"foreign key violations after migration: {violations[:5]}")
    if before != after:
        log.info("database schema migrated from %s to %s", before or "empty", after)
    return before, after or ""
