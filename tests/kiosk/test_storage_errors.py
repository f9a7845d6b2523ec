"""Unusable database files give a StorageError with a message key and the path, nothing more."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kiosk.i18n import Translator
from kiosk.storage import StorageError, open_database


def _open_fails(path: Path) -> StorageError:
    writers_before = {t for t in threading.enumerate() if t.name == "db-writer"}
    with pytest.raises(StorageError) as info:
        open_database(path)
    error = info.value
    # No chained traceback soup: the SQLite/Alembic exception is summarised in ``detail``.
    assert error.__cause__ is None and error.__suppress_context__
    assert error.path == path and str(path) in str(error)
    assert {t for t in threading.enumerate() if t.name == "db-writer"} == writers_before
    return error


def test_a_file_that_is_not_a_database_gives_damaged(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    garbage = ("这不是数据库 not a database\n" * 400).encode()
    path.write_bytes(garbage)
    error = _open_fails(path)
    assert error.key == StorageError.DAMAGED
    assert "not a database" in error.detail
    assert path.read_bytes() == garbage


def test_a_database_from_a_newer_kiosk_gives_unknown_schema_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    error = _open_fails(path)
    assert error.key == StorageError.UNKNOWN_SCHEMA
    assert "f00dcafe" in error.detail
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("f00dcafe",)]


def test_a_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE app_meta (stray TEXT)")
    error = _open_fails(path)
    assert error.key == StorageError.MIGRATION_FAILED
    assert "already exists" in error.detail
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"app_meta"}


def test_a_folder_in_place_of_the_file_gives_cannot_open(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    path.mkdir()
    assert _open_fails(path).key == StorageError.CANNOT_OPEN


def test_a_data_folder_that_cannot_be_created_gives_cannot_open(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    assert _open_fails(blocker / "kiosk.sqlite3").key == StorageError.CANNOT_OPEN


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize(
    "key",
    [
        StorageError.CANNOT_OPEN,
        StorageError.DAMAGED,
        StorageError.UNKNOWN_SCHEMA,
        StorageError.MIGRATION_FAILED,
    ],
)
def test_every_storage_error_key_is_translated(lang: str, key: str) -> None:
    translator = Translator()
    text = translator.tr(key, lang)
    assert text != key and text.strip()
    assert not translator.missing


def _database_with_sessions(path: Path, count: int) -> None:
    from kiosk.storage import SessionLog
    from kiosk.storage.column_types import utc_now

    database = open_database(path)
    database.write(
        lambda s: s.add_all([SessionLog(started_at=utc_now(), how_started=f"h{n}") for n in range(count)])
    )
    database.close()


def test_integrity_check_reports_an_index_that_disagrees_with_its_table(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    _database_with_sessions(path, 50)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master"
            " SET sql = 'CREATE INDEX ix_session_log_started_at ON session_log (how_started)'"
            " WHERE name = 'ix_session_log_started_at'"
        )
    database = open_database(path)
    try:
        assert database.integrity_check() is False
    finally:
        database.close()


def test_integrity_check_reports_a_page_overwritten_with_garbage(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    _database_with_sessions(path, 3000)
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_session_log_started_at'"
        ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size + 12  # keep the b-tree page header, smash its cells
    data[start : start + page_size - 12] = b"\x5a" * (page_size - 12)
    path.write_bytes(bytes(data))
    database = open_database(path)
    try:
        assert database.integrity_check() is False
    finally:
        database.close()
