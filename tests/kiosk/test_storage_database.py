"""The kiosk database: durable PRAGMAs, one serialising writer, read-only sessions."""

from __future__ import annotations

import concurrent.futures
import threading
from pathlib import Path
from datetime import datetime
from typing import Callable, Iterator

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session

from kiosk.storage import AppMeta, Database, SessionLog, open_database
from kiosk.storage.column_types import utc_now
from kiosk.storage.meta import get_meta, set_meta


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "kiosk.sqlite3")
    yield database
    database.close()


def _pragmas(session: Session) -> dict[str, object]:
    return {
        name: session.execute(text(f"PRAGMA {name}")).scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


EXPECTED_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}


def test_reader_connections_run_with_wal_full_sync_foreign_keys_and_busy_timeout(db: Database) -> None:
    with db.session() as session:
        assert _pragmas(session) == EXPECTED_PRAGMAS


def test_writer_connection_runs_with_wal_full_sync_foreign_keys_and_busy_timeout(db: Database) -> None:
    assert db.write(_pragmas) == EXPECTED_PRAGMAS


def test_writes_run_on_one_writer_thread_inside_begin_immediate(db: Database) -> None:
    statements: list[tuple[str, str]] = []

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append((threading.current_thread().name, statement))

    def touch(session: Session) -> str:
        session.execute(text("SELECT 1"))
        return threading.current_thread().name

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        threads = {db.write(touch) for _ in range(3)}
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert threads == {"db-writer"}
    assert ("db-writer", "BEGIN IMMEDIATE") in statements
    assert not any(stmt == "BEGIN" for _, stmt in statements)


def test_write_returns_the_result_and_commits(db: Database) -> None:
    def add(session: Session) -> int:
        row = SessionLog(started_at=utc_now(), how_started="touch")
        session.add(row)
        session.flush()
        return row.id

    row_id = db.write(add)
    with db.session() as session:
        assert session.get(SessionLog, row_id).how_started == "touch"


def test_returned_objects_stay_readable_after_the_commit(db: Database) -> None:
    row = db.write(lambda s: s.merge(AppMeta(key="k", value="v", updated_at=utc_now())))
    assert (row.key, row.value) == ("k", "v")


def test_write_that_raises_rolls_back_and_the_writer_keeps_working(db: Database) -> None:
    def fail(session: Session) -> None:
        set_meta(session, "half", "done")
        session.flush()
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        db.write(fail)
    db.write(lambda s: set_meta(s, "after", "ok"))
    with db.session() as session:
        assert get_meta(session, "half") is None
        assert get_meta(session, "after") == "ok"


def test_write_async_returns_a_future_with_the_result(db: Database) -> None:
    future = db.write_async(lambda s: set_meta(s, "async", "yes") or "queued")
    assert isinstance(future, concurrent.futures.Future)
    assert future.result(timeout=10) == "queued"
    with db.session() as session:
        assert get_meta(session, "async") == "yes"


def test_read_session_refuses_to_write_so_every_write_goes_through_the_writer(db: Database) -> None:
    with db.session() as session:
        session.add(AppMeta(key="sneaky", value="x", updated_at=utc_now()))
        with pytest.raises(OperationalError, match="readonly"):
            session.flush()


def test_write_from_inside_a_write_is_refused_instead_of_deadlocking(db: Database) -> None:
    with pytest.raises(RuntimeError, match="inside a write"):
        db.write(lambda s: db.write(lambda inner: None))


def _increment(session: Session) -> int:
    value = int(get_meta(session, "counter") or "0") + 1
    set_meta(session, "counter", str(value))
    return value


def test_concurrent_writers_from_many_threads_are_serialised_without_lost_updates(db: Database) -> None:
    threads_n, writes_n = 16, 20
    with concurrent.futures.ThreadPoolExecutor(threads_n) as pool:
        results = list(pool.map(lambda _: [db.write(_increment) for _ in range(writes_n)], range(threads_n)))
    seen = sorted(v for per_thread in results for v in per_thread)
    assert seen == list(range(1, threads_n * writes_n + 1))
    with db.session() as session:
        assert get_meta(session, "counter") == str(threads_n * writes_n)


def test_two_databases_on_one_file_do_not_hit_database_is_locked(tmp_path: Path) -> None:
    # Two kiosk processes (e.g. the app and a technician tool) share the file: BEGIN IMMEDIATE
    # plus busy_timeout make the second wait instead of failing on a lock upgrade.
    path = tmp_path / "shared.sqlite3"
    first, second = open_database(path), open_database(path)
    try:
        futures = [
            database.write_async(_increment) for _ in range(60) for database in (first, second)
        ]
        values = sorted(f.result(timeout=60) for f in futures)
        assert values == list(range(1, 121))
    finally:
        first.close()
        second.close()


def test_write_is_durable_after_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    database = open_database(path)
    database.write(lambda s: s.add(SessionLog(started_at=utc_now(), how_started="qr")))
    database.close()
    reopened = open_database(path)
    try:
        with reopened.session() as session:
            assert session.scalar(select(func.count()).select_from(SessionLog)) == 1
            assert session.scalars(select(SessionLog.how_started)).one() == "qr"
    finally:
        reopened.close()


def test_install_identity_is_created_once_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.sqlite3"
    first = open_database(path)
    first.close()
    second = open_database(path)
    second.close()
    assert first.identity is not None and second.identity == first.identity
    assert len(first.identity.install_id) == 36
    assert first.identity.first_started_at.tzinfo is not None


def test_utc_timestamps_come_back_aware_and_naive_ones_are_refused(db: Database) -> None:
    started = utc_now()

    def add(when: datetime) -> Callable[[Session], int]:
        def job(session: Session) -> int:
            row = SessionLog(started_at=when, how_started="t")
            session.add(row)
            session.flush()
            return row.id

        return job

    row_id = db.write(add(started))
    with db.session() as session:
        assert session.get(SessionLog, row_id).started_at == started
    with pytest.raises(StatementError, match="aware"):
        db.write(add(started.replace(tzinfo=None)))


def test_integrity_check_passes_on_a_healthy_database(db: Database) -> None:
    assert db.integrity_check() is True


def test_close_stops_the_writer_thread_and_refuses_later_writes(tmp_path: Path) -> None:
    database = open_database(tmp_path / "kiosk.sqlite3")
    writer = database._writer.thread
    pending = [database.write_async(_increment) for _ in range(20)]
    database.close()
    assert not writer.is_alive()
    assert [f.result(timeout=0) for f in pending] == list(range(1, 21))
    with pytest.raises(RuntimeError, match="closed"):
        database.write_async(_increment)
    database.close()
