"""The Alembic migrations create exactly the schema the models declare (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db import make_engine
from server.migrate import current, head, target_metadata, upgrade


def _drift(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(ctx, target_metadata())
    finally:
        engine.dispose()


def test_sqlite_schema_matches_the_models_and_upgrade_is_repeatable(sqlite_url):
    assert current(sqlite_url) is None
    upgrade(sqlite_url)
    upgrade(sqlite_url)
    assert current(sqlite_url) == head()
    assert _drift(sqlite_url) == []


def test_postgresql_schema_matches_the_models(pg_url):
    upgrade(pg_url)
    assert current(pg_url) == head()
    assert _drift(pg_url) == []


def test_the_core_revision_is_the_root_of_the_chain():
    from alembic.script import ScriptDirectory

    from server.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision("0001_core").down_revision is None
    assert "core" in {r.revision.split("_", 1)[1] for r in script.walk_revisions()}
