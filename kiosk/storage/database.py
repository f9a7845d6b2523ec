"""Open, migrate and use the kiosk database: many readers, one writer thread."""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from kiosk.storage import migrate
from kiosk.storage.engine import make_engine, writer_engine
from kiosk.storage.errors import StorageError
from kiosk.storage.meta import InstallIdentity, ensure_install_identity
from kiosk.storage.writer import WriterThread

T = TypeVar("T")

log = logging.getLogger(__name__)


class Database:
    """The kiosk's SQLite database after migration; create it with :func:`open_database`.

    ``engine`` serves readers (any thread); every write goes through the one writer thread.
    ``identity`` holds the install id and first start time from app_meta.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = WriterThread(writer_engine(engine))
        self._closed = False
        self.identity: InstallIdentity | None = None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read-only session (one consistent snapshot); writes in it fail, use :meth:`write`."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def write_async(self, fn: Callable[[Session], T]) -> concurrent.futures.Future[T]:
        """Queue ``fn(session)`` for the writer thread without waiting (safe from the Qt thread).

        The transaction commits when ``fn`` returns and rolls back when it raises; the Future
        carries the return value or the exception.
        """
        return self._writer.submit(fn)

    def write(self, fn: Callable[[Session], T], timeout_s: float | None = 30.0) -> T:
        """Run ``fn(session)`` in one BEGIN IMMEDIATE transaction on the writer thread and wait.

        Blocks the calling thread: never call from the Qt thread (use :meth:`write_async`) or
        from inside another write (that would wait for itself). Raises what ``fn`` raised,
        SQLAlchemy errors from SQLite, or TimeoutError after ``timeout_s`` (a job that had
        already started still finishes and may commit).
        """
        if threading.current_thread() is self._writer.thread:
            raise RuntimeError("Database.write called from inside a write; use the session given")
        future = self._writer.submit(fn)
        try:
            return future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"database write did not finish within {timeout_s} s") from None

    def integrity_check(self) -> bool:
        """True when ``PRAGMA integrity_check`` says 'ok'; reads the whole file, so run it in a worker."""
        try:
            with self.engine.connect() as conn:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        except DatabaseError as exc:  # a badly damaged file fails the check itself
            log.error("integrity check of %s failed: %s", self.path, str(exc.orig).splitlines()[0])
            return False
        problems = [row[0] for row in rows if row[0] != "ok"]
        if problems:
            log.error("integrity check of %s: %d problems, first: %s", self.path, len(problems), problems[0])
        return not problems

    def schema_revision(self) -> str:
        """The Alembic revision the file is at (equals :func:`migrate.head_revision` after open)."""
        with self.engine.connect() as conn:
            return migrate.current_revision(conn) or ""

    def close(self, timeout_s: float = 10.0) -> None:
        """Finish queued writes, stop the writer thread and close every connection."""
        if self._closed:
            return
        self._closed = True
        self._writer.close(timeout_s)
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _storage_error(path: Path, exc: BaseException) -> StorageError:
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    detail = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if isinstance(orig, sqlite3.DatabaseError) and ("not a database" in detail or "malformed" in detail):
        key = StorageError.DAMAGED
    elif isinstance(orig, sqlite3.OperationalError) and "unable to open" in detail:
        key = StorageError.CANNOT_OPEN
    elif isinstance(exc, CommandError) and "unknown revision" in detail:
        key = StorageError.UNKNOWN_SCHEMA
    else:
        key = StorageError.MIGRATION_FAILED
    return StorageError(key, path, detail)


def open_database(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at ``path`` to the newest schema.

    Blocking; call at start-up before the UI appears or from a worker. Raises StorageError
    (message key + path) when the file cannot be opened, is not a database, carries a schema
    from a newer kiosk, or a migration fails; the file is left as it was in that case.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(StorageError.CANNOT_OPEN, path, exc.strerror or str(exc)) from None
    # Batch migrations copy tables, which foreign keys would block: migrate with them OFF.
    migration_engine = make_engine(path, foreign_keys=False, pool_size=1)
    try:
        migrate.upgrade_to_head(writer_engine(migration_engine))
    except (SQLAlchemyError, sqlite3.Error, CommandError) as exc:
        error = _storage_error(path, exc)
        log.error("cannot use database: %s", error)
        raise error from None
    finally:
        migration_engine.dispose()
    db = Database(path, make_engine(path))
    try:
        db.identity = db.write(ensure_install_identity)
    except SQLAlchemyError as exc:
        db.close()
        raise _storage_error(path, exc) from None
    return db
