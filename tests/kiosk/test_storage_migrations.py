"""Alembic migrations of the kiosk database: match the models, apply once, round-trip."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from kiosk.storage import migrate, open_database
from kiosk.storage.engine import make_engine, writer_engine
from kiosk.storage.models import Base


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def test_alembic_head_matches_the_models_with_no_autogenerate_diff(tmp_path: Path) -> None:
    db = open_database(tmp_path / "k.sqlite3")
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.close()


def test_migrating_an_empty_file_creates_every_model_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    db = open_database(path)
    try:
        assert db.schema_revision() == migrate.head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
    finally:
        db.close()


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    first = open_database(path)
    identity = first.identity
    first.close()
    schema = _schema(path)

    second = open_database(path)
    try:
        assert _schema(path) == schema
        assert second.schema_revision() == migrate.head_revision()
        assert second.identity == identity
    finally:
        second.close()


def test_constraints_are_named_by_the_convention_so_batch_migrations_can_find_them(tmp_path: Path) -> None:
    db = open_database(tmp_path / "k.sqlite3")
    try:
        insp = inspect(db.engine)
        assert insp.get_pk_constraint("app_meta")["name"] == "pk_app_meta"
        assert insp.get_pk_constraint("session_log")["name"] == "pk_session_log"
        assert [ix["name"] for ix in insp.get_indexes("session_log")] == ["ix_session_log_started_at"]
    finally:
        db.close()


def test_downgrade_to_base_and_upgrade_again_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    open_database(path).close()
    schema = _schema(path)
    engine = writer_engine(make_engine(path, foreign_keys=False))
    try:
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
        before, after = migrate.upgrade_to_head(engine)
        assert (before, after) == (None, migrate.head_revision())
    finally:
        engine.dispose()
    assert [row for row in _schema(path) if row[1] != "alembic_version"] == [
        row for row in schema if row[1] != "alembic_version"
    ]


def test_migration_scripts_live_inside_the_package_without_an_ini_file() -> None:
    assert migrate.MIGRATIONS_DIR.parent == Path(migrate.__file__).parent
    assert (migrate.MIGRATIONS_DIR / "env.py").is_file()
    assert (migrate.MIGRATIONS_DIR / "script.py.mako").is_file()
    assert "0001" in migrate.known_revisions()
    assert migrate.head_revision() in migrate.known_revisions()
    assert migrate.alembic_config().config_file_name is None


def test_a_generated_revision_adds_a_new_model_table_and_applies(tmp_path: Path) -> None:
    from sqlalchemy import Column, Integer, String, Table

    from kiosk.storage.revision import make_revision, next_revision_id

    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    probe = Table(
        "probe_outbox", Base.metadata, Column("id", Integer, primary_key=True), Column("key", String(36))
    )
    try:
        expected_id = next_revision_id(scripts)
        generated = make_revision("add probe outbox", script_location=scripts)
    finally:
        Base.metadata.remove(probe)
    assert generated.parent == scripts / "versions"
    assert generated.name.startswith(f"{expected_id}_add_probe_outbox")
    source = generated.read_text(encoding="utf-8")
    assert "op.create_table('probe_outbox'" in source or 'op.create_table("probe_outbox"' in source
    assert "pk_probe_outbox" in source

    engine = writer_engine(make_engine(tmp_path / "k.sqlite3", foreign_keys=False))
    try:
        with engine.begin() as conn:
            command.upgrade(migrate.alembic_config(conn, script_location=scripts), "head")
        assert "probe_outbox" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    assert not (migrate.MIGRATIONS_DIR / "versions" / generated.name).exists()
