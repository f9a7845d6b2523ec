"""Commits per second through Database.write with WAL and synchronous=FULL."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from kiosk.storage import SessionLog, open_database
from kiosk.storage.column_types import utc_now

DURATION_S = 3.0
MAX_COMMITS = 20_000


def _insert(session) -> None:  # type: ignore[no-untyped-def]
    session.add(SessionLog(started_at=utc_now(), how_started="bench"))


def _blocking_rate(db) -> float:  # type: ignore[no-untyped-def]
    count, start = 0, time.perf_counter()
    while count < MAX_COMMITS and time.perf_counter() - start < DURATION_S:
        db.write(_insert)
        count += 1
    return count / (time.perf_counter() - start)


def _queued_rate(db, commits: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    futures = [db.write_async(_insert) for _ in range(commits)]
    for future in futures:
        future.result()
    return commits / (time.perf_counter() - start)


def _raw_sqlite_rate(path: Path) -> float:
    """Baseline: the same PRAGMAs and BEGIN IMMEDIATE on bare sqlite3, no ORM, no thread hop."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        count, start = 0, time.perf_counter()
        while count < MAX_COMMITS and time.perf_counter() - start < DURATION_S:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (v) VALUES ('bench')")
            conn.execute("COMMIT")
            count += 1
        return count / (time.perf_counter() - start)
    finally:
        conn.close()


def run() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        try:
            for _ in range(50):  # warm the pool, the page cache and the WAL file
                db.write(_insert)
            blocking = _blocking_rate(db)
            queued = _queued_rate(db, max(100, int(blocking * DURATION_S)))
        finally:
            db.close()
        raw = _raw_sqlite_rate(Path(tmp) / "raw.sqlite3")
    return [
        ("storage: commits per second (WAL, synchronous=FULL)", round(blocking, 1), "1/s"),
        ("storage: commits per second queued via write_async", round(queued, 1), "1/s"),
        ("storage: bare sqlite3 commits per second, same PRAGMAs (baseline)", round(raw, 1), "1/s"),
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<60} {value:>10} {unit}")
