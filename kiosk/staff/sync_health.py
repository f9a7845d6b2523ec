"""Sync health for staff: waiting, failing and dead-lettered outbox records, never their payloads."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.sync.models import DEAD, PENDING, OutboxRow
from kiosk.sync.outbox import DeadLetter, dead_letters, pending_count, requeue_dead

MAX_LISTED = 50  # a screenful; counts are always complete


@dataclass(frozen=True)
class QueueItem:
    """One outbox record as staff may see it: what kind, when, how often tried and why it failed."""

    seq: int
    key: str
    kind: str
    created_at: datetime
    attempts: int
    error: str | None
    dead: bool


@dataclass(frozen=True)
class SyncHealth:
    pending: int  # waiting to be sent (including the failing ones)
    failing: list[QueueItem]  # still pending, but at least one send failed
    dead: list[QueueItem]  # refused by the server for good: staff may send them again
    dead_total: int


def _item(row: OutboxRow | DeadLetter, dead: bool) -> QueueItem:
    error = row.error if isinstance(row, DeadLetter) else row.last_error
    return QueueItem(row.seq, row.key, row.kind, row.created_at, row.attempts, error, dead)


def sync_health(session: Session, limit: int = MAX_LISTED) -> SyncHealth:
    """The queue as the staff sync view shows it (oldest first)."""
    failing = session.scalars(
        select(OutboxRow).where(OutboxRow.state == PENDING, OutboxRow.attempts > 0, OutboxRow.last_error.is_not(None))
        .order_by(OutboxRow.seq).limit(limit)
    ).all()
    dead = dead_letters(session)
    return SyncHealth(pending_count(session), [_item(r, False) for r in failing],
                      [_item(d, True) for d in dead[:limit]], len(dead))


def retry_dead(session: Session) -> int:
    """Put every dead-lettered record back in the queue with its own key (a write transaction)."""
    keys = session.scalars(select(OutboxRow.key).where(OutboxRow.state == DEAD).order_by(OutboxRow.seq)).all()
    return sum(1 for key in keys if requeue_dead(session, key))


def retry_dead_async(runtime: Any) -> concurrent.futures.Future:
    """Requeue the dead letters from the UI and wake the relay; a Future of how many were requeued."""
    future = runtime.database.write_async(retry_dead)

    def wake(done: concurrent.futures.Future) -> None:
        sync = getattr(runtime, "sync", None)
        if not done.cancelled() and done.exception() is None and done.result() and sync is not None:
            sync.relay.wake()

    future.add_done_callback(wake)
    return future
