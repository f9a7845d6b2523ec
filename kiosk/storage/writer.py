"""The one database writer: a thread that runs write jobs in order, each in BEGIN IMMEDIATE."""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from typing import Any, Callable, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

T = TypeVar("T")
_STOP = object()

log = logging.getLogger(__name__)


class WriterThread:
    """Serialises every write of one database; callers get a Future for each job."""

    def __init__(self, engine: Engine, name: str = "db-writer") -> None:
        self._engine = engine
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._closing = threading.Lock()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def submit(self, fn: Callable[[Session], T]) -> concurrent.futures.Future[T]:
        """Queue ``fn``; it runs on the writer thread inside its own committed transaction."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._closing:
            if self._closed:
                raise RuntimeError("database is closed")
            self._jobs.put((fn, future))
        return future

    def _run(self) -> None:
        conn: Connection | None = None  # held for the thread's life: no pool round trip per job
        try:
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    return
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if conn is None:
                        conn = self._engine.connect()
                    # expire_on_commit=False: objects returned to the caller stay readable.
                    with Session(bind=conn, expire_on_commit=False) as session:
                        with session.begin():
                            result = fn(session)
                    future.set_result(result)
                except BaseException as exc:  # handed to the caller through the future
                    if conn is not None and (conn.invalidated or conn.in_transaction()):
                        conn.close()
                        conn = None
                    future.set_exception(exc)
        finally:
            if conn is not None:
                conn.close()

    def close(self, timeout_s: float = 10.0) -> None:
        """Run the jobs already queued, then stop the thread and wait for it."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            self._jobs.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("database writer did not stop within %.1f s", timeout_s)
