"""The relay: one thread that sends the outbox in order and pulls the changes feed."""

from __future__ import annotations

import concurrent.futures
import logging
import random
import threading
import time
from enum import Enum
from typing import Callable

from kiosk.events import SyncStatus, sync_status_did_change
from kiosk.protocol import Outcome, OutboxRecord, PushResponse
from kiosk.storage import Database
from kiosk.sync import outbox, pull
from kiosk.sync.backoff import Backoff
from kiosk.sync.errors import BadRequest, NotEnrolled, Offline, Refused, ServerBusy, ServerFault, SyncError
from kiosk.sync.state import is_revoked
from kiosk.sync.transport import ServerClient

log = logging.getLogger(__name__)

REFUSED_RETRY_S = 300.0


class _Mode(Enum):
    IDLE = "idle"  # healthy: next cycle at the pull interval or on wake()
    BACKOFF = "backoff"  # failing: next cycle after the backoff delay (wake() does not shorten it)
    REFUSED = "refused"  # 401/403: rarely, or on wake()/sync_now()


class Relay:
    """Delivers pending outbox records in seq order, in batches, then pulls; on its own thread.

    ``wake()`` (a new record) starts a cycle at once unless the relay is backing off;
    ``sync_now()`` always does and returns a Future of the resulting SyncStatus.
    ``step()`` runs one cycle on the calling thread and returns the delay it chose before the
    next one: tests drive it directly instead of sleeping. Every change of status is
    published through ``events.sync_status_did_change`` from the relay thread.
    """

    def __init__(
        self,
        db: Database,
        client: ServerClient,
        *,
        push_batch: int = 200,
        pull_interval_s: float = 60.0,
        pull_limit: int = pull.DEFAULT_PAGE,
        refused_retry_s: float = REFUSED_RETRY_S,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.push_batch = push_batch
        self.pull_interval_s = pull_interval_s
        self.pull_limit = pull_limit
        self.refused_retry_s = refused_retry_s
        self.backoff = backoff or Backoff(rng=rng or random.Random())
        self._clock = clock
        self._mode = _Mode.IDLE
        self._next_due = 0.0
        self._online = False
        self._refused: str | None = None
        self._last_error: str | None = None
        self._published: SyncStatus | None = None
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._cycle = threading.Lock()
        self._force = False
        self._woken = False
        self._stopping = False
        self._futures: list[concurrent.futures.Future[SyncStatus]] = []
        self._thread: threading.Thread | None = None

    # --- control (any thread) ------------------------------------------------------------------

    def start(self) -> None:
        """Start the relay thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync-relay", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """A record was committed: send soon (now, unless backing off after failures)."""
        with self._lock:
            self._woken = True
        self._event.set()

    def sync_now(self) -> concurrent.futures.Future[SyncStatus]:
        """Run a cycle now, ignoring backoff; the Future gets the status after it."""
        future: concurrent.futures.Future[SyncStatus] = concurrent.futures.Future()
        with self._lock:
            if self._stopping:
                future.cancel()
                return future
            self._futures.append(future)
            self._force = True
        self._event.set()
        return future

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop after the request in flight (bounded by the client's deadline); cancels waiting futures."""
        with self._lock:
            self._stopping = True
            futures, self._futures = self._futures, []
        self._event.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("sync relay did not stop within %.1f s", timeout_s)
        for future in futures:
            future.cancel()

    @property
    def status(self) -> SyncStatus:
        return self._published or SyncStatus(online=False, pending=0)

    # --- the thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        delay = 0.0
        while True:
            self._event.wait(timeout=max(0.0, delay))
            self._event.clear()
            with self._lock:
                if self._stopping:
                    return
                force, woken = self._force, self._woken
                self._woken = False
                futures = self._futures if force else []
                if force:
                    self._futures, self._force = [], False
            due = self._clock() >= self._next_due
            if force or due or (woken and self._mode is not _Mode.BACKOFF):
                try:
                    delay = self.step()
                except Exception:  # a bug must not kill the relay: log it and back off
                    log.exception("sync cycle failed")
                    delay = self._fail("sync.server_fault", None)
                for future in futures:
                    if future.set_running_or_notify_cancel():
                        future.set_result(self.status)
            else:
                self._publish()  # a record arrived while backing off: the count changed
                delay = self._next_due - self._clock()

    # --- one cycle -----------------------------------------------------------------------------

    def step(self) -> float:
        """Push everything pending, then pull; returns the delay before the next cycle (seconds)."""
        with self._cycle:
            try:
                with self.db.session() as session:
                    if is_revoked(session):
                        raise Refused("kiosk revoked (pulled)", status=403, key="auth.revoked")
                retry = self._push_all()
                pull.pull_all(self.db, self.client, self.pull_limit)
            except (Refused, NotEnrolled) as exc:
                return self._refuse(exc.key)
            except ServerBusy as exc:
                return self._fail(exc.key, exc.retry_after_s)
            except (Offline, ServerFault, BadRequest) as exc:
                return self._fail(exc.key, None)
            self._online, self._refused = True, None
            if retry:  # the server asked to send a record again later (409 / transient)
                return self._fail("sync.server_busy", None, online=True)
            self.backoff.reset()
            self._last_error = None
            self._mode = _Mode.IDLE
            self._next_due = self._clock() + self.pull_interval_s
            self._publish()
            return self.pull_interval_s

    def _push_all(self) -> bool:
        """Send batches until the outbox is empty; True when the server answered RETRY."""
        while not self._stopping:
            with self.db.session() as session:
                batch = outbox.next_batch(session, self.push_batch)
            if not batch:
                return False
            try:
                response = self.client.push(batch)
                self._check(batch, response)
            except SyncError as exc:
                self.db.write(lambda s: outbox.note_failure(s, [r.key for r in batch], exc.key))
                raise
            self.db.write(lambda s: outbox.mark(s, response.results))
            self._online = True
            self._publish()
            if any(r.outcome is Outcome.RETRY for r in response.results):
                return True
        return False

    @staticmethod
    def _check(batch: list[OutboxRecord], response: PushResponse) -> None:
        """The answer must cover a non-empty prefix of the batch, key by key, in order."""
        results = response.results
        if not results or len(results) > len(batch):
            raise ServerFault(f"push answered {len(results)} results for {len(batch)} records")
        for record, result in zip(batch, results):
            if result.key != record.key:
                raise ServerFault("push results out of order")

    def _fail(self, key: str, retry_after_s: float | None, *, online: bool = False) -> float:
        delay = self.backoff.next_delay_s(retry_after_s)
        self._online, self._last_error, self._mode = online, key, _Mode.BACKOFF
        self._next_due = self._clock() + delay
        log.info("sync attempt failed (%s); next in %.1f s", key, delay)
        self._publish()
        return delay

    def _refuse(self, key: str) -> float:
        if self._refused != key:
            log.warning("server refused this kiosk: %s", key)
        self._online, self._refused, self._last_error, self._mode = False, key, key, _Mode.REFUSED
        self._next_due = self._clock() + self.refused_retry_s
        self._publish()
        return self.refused_retry_s

    def _publish(self) -> None:
        with self.db.session() as session:
            pending, dead = outbox.pending_count(session), outbox.dead_count(session)
        status = SyncStatus(self._online, pending, self._refused, dead, self._last_error)
        if status != self._published:
            self._published = status
            sync_status_did_change.emit(status)
