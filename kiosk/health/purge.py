"""Forget synced health data on schedule: at start-up and after each sync that emptied the queue."""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from datetime import datetime
from typing import Callable

from kiosk.events import SyncStatus, sync_status_did_change
from kiosk.health.store import purge
from kiosk.storage.column_types import utc_now

log = logging.getLogger(__name__)

# While records keep arriving the queue may never be empty: purge at least this often then.
BUSY_INTERVAL_S = 300.0


class HealthPurger:
    """Runs ``store.purge`` on the database writer (never blocking the caller).

    ``start()`` purges once and subscribes to ``sync_status_did_change``: a status that is
    online with nothing pending (everything delivered) purges again, as does any online status
    ``BUSY_INTERVAL_S`` after the last purge. ``close()`` unsubscribes and waits for a purge in
    progress. Logs only counts.
    """

    def __init__(self, db, retention_days: int, *, clock: Callable[[], datetime] = utc_now,  # noqa: ANN001
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.db = db
        self.retention_days = retention_days
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._last_run = -float("inf")
        self._pending: concurrent.futures.Future[int] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @classmethod
    def start(cls, db, config) -> HealthPurger:  # noqa: ANN001
        """Purge now for ``config.health.retention_days`` and after each successful sync."""
        purger = cls(db, config.health.retention_days)
        purger._unsubscribe = sync_status_did_change.subscribe(purger.on_sync_status)
        purger.purge_soon()
        return purger

    def on_sync_status(self, status: SyncStatus) -> None:
        """Listener (relay thread): a sync that left nothing pending means rows were delivered."""
        if not status.online:
            return
        if status.pending == 0 or self._monotonic() - self._last_run >= BUSY_INTERVAL_S:
            self.purge_soon()

    def purge_soon(self) -> concurrent.futures.Future[int] | None:
        """Queue one purge unless one is already queued; returns its Future (rows deleted)."""
        with self._lock:
            if self._pending is not None and not self._pending.done():
                return self._pending
            self._last_run = self._monotonic()
            now = self._clock()
            try:
                future = self.db.write_async(lambda s: purge(s, now, self.retention_days))
            except Exception as exc:  # noqa: BLE001 - a closed database: nothing left to purge here
                log.warning("health purge not queued: %s", type(exc).__name__)
                return None
            self._pending = future
        future.add_done_callback(self._done)
        return future

    @staticmethod
    def _done(future: concurrent.futures.Future[int]) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            log.error("health purge failed: %s", type(exc).__name__)
        elif future.result():
            log.info("health purge deleted %d synced measurements", future.result())

    def close(self, timeout_s: float = 10.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        with self._lock:
            pending = self._pending
        if pending is not None:
            concurrent.futures.wait([pending], timeout=timeout_s)
