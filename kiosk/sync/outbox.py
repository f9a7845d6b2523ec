"""The outbox: resident actions committed with their domain rows, delivered in order by the relay."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from kiosk.protocol import OutboxRecord, Outcome, RecordResult
from kiosk.storage.column_types import utc_now
from kiosk.sync.models import DEAD, DELIVERED, PENDING, OutboxRow

DELIVERED_OUTCOMES = (Outcome.APPLIED, Outcome.REPLAYED)
DEAD_OUTCOMES = (Outcome.REJECTED, Outcome.CONFLICT)


@dataclass(frozen=True)
class DeadLetter:
    """A record the server refused for good, for the staff view (issue #8)."""

    seq: int
    key: str
    kind: str
    created_at: datetime
    error: str | None
    attempts: int


def enqueue(session: Session, kind: str, payload: dict[str, Any], operator_id: str | None = None) -> UUID:
    """Add a record in the caller's write transaction (inside ``db.write(fn)``); returns its key.

    The record commits or rolls back together with the domain rows of the same transaction.
    ``payload`` must be JSON-serialisable (use ``model.model_dump(mode="json")``).
    """
    key = uuid.uuid4()
    session.add(
        OutboxRow(key=str(key), kind=kind, payload=payload, created_at=utc_now(), operator_id=operator_id,
                  state=PENDING, attempts=0)
    )
    session.flush()
    return key


def pending_count(session: Session) -> int:
    """How many records still wait for delivery."""
    return session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state == PENDING)) or 0


def dead_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state == DEAD)) or 0


def next_batch(session: Session, limit: int) -> list[OutboxRecord]:
    """The oldest ``limit`` pending records in seq order, as wire records (same key every time)."""
    rows = session.scalars(
        select(OutboxRow).where(OutboxRow.state == PENDING).order_by(OutboxRow.seq).limit(limit)
    ).all()
    return [
        OutboxRecord(key=UUID(r.key), kind=r.kind, payload=r.payload, created_at=r.created_at,
                     operator_id=r.operator_id)
        for r in rows
    ]


_OUTBOX = OutboxRow.__table__
_PENDING_AMONG = select(_OUTBOX.c.key).where(
    _OUTBOX.c.key.in_(bindparam("keys", expanding=True)), _OUTBOX.c.state == PENDING
)
_MARK = (  # one executemany per answer shape; "WHERE state = pending" leaves other rows alone
    _OUTBOX.update()
    .where(_OUTBOX.c.key == bindparam("b_key"), _OUTBOX.c.state == PENDING)
    .values(
        attempts=_OUTBOX.c.attempts + 1,
        state=bindparam("b_state"),
        delivered_at=bindparam("b_delivered_at", type_=_OUTBOX.c.delivered_at.type),
        result=bindparam("b_result", type_=_OUTBOX.c.result.type),
        last_error=bindparam("b_last_error"),
    )
)
_NOTE_RETRY = (
    _OUTBOX.update()
    .where(_OUTBOX.c.key == bindparam("b_key"), _OUTBOX.c.state == PENDING)
    .values(attempts=_OUTBOX.c.attempts + 1, last_error=bindparam("b_last_error"))
)


def mark(session: Session, results: Iterable[RecordResult]) -> tuple[int, int]:
    """Apply the server's answers in a write transaction; returns (delivered, dead) counts.

    APPLIED/REPLAYED -> delivered (with the result), REJECTED/CONFLICT -> dead (with the error
    code, never deleted), RETRY -> stays pending. Rows already out of pending are left alone.
    One SELECT for the whole batch and one executemany UPDATE per kind of answer.
    """
    results = list(results)
    session.flush()
    conn = session.connection()
    pending = set(conn.execute(_PENDING_AMONG, {"keys": [str(r.key) for r in results]}).scalars())
    now = utc_now()
    done: list[dict[str, Any]] = []
    retry: list[dict[str, Any]] = []
    delivered = dead = 0
    for res in results:
        key = str(res.key)
        if key not in pending:
            continue
        pending.discard(key)  # a key twice in one answer counts once, like row-by-row marking did
        if res.outcome in DELIVERED_OUTCOMES:
            done.append({"b_key": key, "b_state": DELIVERED, "b_delivered_at": now, "b_result": res.result,
                         "b_last_error": None})
            delivered += 1
        elif res.outcome in DEAD_OUTCOMES:
            done.append({"b_key": key, "b_state": DEAD, "b_delivered_at": None,
                         "b_result": res.model_dump(mode="json"),
                         "b_last_error": (res.error.code if res.error else res.outcome.value)[:64]})
            dead += 1
        else:
            retry.append({"b_key": key, "b_last_error": (res.error.code if res.error else Outcome.RETRY.value)[:64]})
    if done:
        conn.execute(_MARK, done)
    if retry:
        conn.execute(_NOTE_RETRY, retry)
    if done or retry:
        session.expire_all()  # rows changed behind the ORM's back
    return delivered, dead


def note_failure(session: Session, keys: Iterable[UUID], error_key: str) -> None:
    """Count a failed send of these records (they stay pending) and remember why."""
    key_list = [str(k) for k in keys]
    if key_list:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.key.in_(key_list), OutboxRow.state == PENDING)
            .values(attempts=OutboxRow.attempts + 1, last_error=error_key[:64])
        )


def dead_letters(session: Session) -> list[DeadLetter]:
    """Every dead-lettered record, oldest first."""
    rows = session.scalars(select(OutboxRow).where(OutboxRow.state == DEAD).order_by(OutboxRow.seq)).all()
    return [DeadLetter(r.seq, r.key, r.kind, r.created_at, r.last_error, r.attempts) for r in rows]


def requeue_dead(session: Session, key: str | UUID) -> bool:
    """Put a dead record back in the queue with the SAME key (staff action); False if not dead.

    It keeps its seq, so it is sent before every later record still pending.
    """
    row = session.scalar(select(OutboxRow).where(OutboxRow.key == str(key)))
    if row is None or row.state != DEAD:
        return False
    row.state, row.last_error, row.result = PENDING, None, None
    return True
