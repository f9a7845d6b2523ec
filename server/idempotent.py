"""Apply a request exactly once by its idempotency key and replay the stored answer (Stripe model)."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable
from uuid import UUID

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.protocol import ErrorBody, Outcome
from server.handlers import Rejected
from server.models.idempotency import IdempotencyKey
from server.txn import DEFAULT_ATTEMPTS, LOCK_NOT_AVAILABLE, backoff_sleep, is_retryable, sqlstate

log = logging.getLogger(__name__)

MIN_KEY_RETENTION_DAYS = 90
IN_FLIGHT_WAIT = "2s"  # PostgreSQL: how long to wait on a key another transaction is applying
# After a chunk's claim waited IN_FLIGHT_WAIT in vain, its keys are claimed one by one with this
# short wait, so the records before the busy key still apply and the busy one answers 409 soon.
RECLAIM_WAIT = "100ms"


@dataclass(frozen=True)
class Answer:
    """The answer to one keyed request; ``response`` is {"result": ...} or {"error": ErrorBody dict}."""

    outcome: Outcome
    status_code: int
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def error(self) -> ErrorBody | None:
        err = self.response.get("error")
        return ErrorBody.model_validate(err) if err is not None else None

    @property
    def result(self) -> dict[str, Any] | None:
        return self.response.get("result")


def request_hash(kind: str, payload: dict[str, Any], operator_id: str | None = None) -> str:
    """sha256 hex of the canonical JSON of what the request asks (not when it was made)."""
    canonical = json.dumps(
        {"kind": kind, "payload": payload, "operator_id": operator_id},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _error(code: str, **params: Any) -> dict[str, Any]:
    return {"error": ErrorBody(code=code, params=params).model_dump(mode="json")}


def _replay(stored: Any, payload_hash: str) -> Answer:
    """The stored answer (anything with payload_hash, status_code, response) for a repeated key."""
    if stored.payload_hash != payload_hash:
        return Answer(Outcome.CONFLICT, 422, _error("sync.key_reused"))
    outcome = Outcome.REPLAYED if stored.status_code < 400 else Outcome.REJECTED
    return Answer(outcome, stored.status_code, stored.response)


def apply_once(
    factory: sessionmaker,
    *,
    key: UUID,
    kiosk_id: str,
    kind: str,
    payload_hash: str,
    apply: Callable[[Session], dict[str, Any]],
    now: Callable[[], datetime],
) -> Answer:
    """Run ``apply(session)`` at most once for ``key`` and store its answer in the same transaction.

    ``apply`` runs inside a savepoint: raising handlers.Rejected rolls its effects back and stores
    the rejection (replayed later). A key committed by someone else is replayed; a key still in
    flight elsewhere (PostgreSQL, after IN_FLIGHT_WAIT) answers RETRY 409. Serialization
    failures and deadlocks rerun the transaction. Any other exception propagates after rollback
    (nothing stored): the caller answers RETRY. Runs on the caller's (worker) thread.
    """
    for attempt in range(DEFAULT_ATTEMPTS):
        try:
            with factory() as session, session.begin():
                stored = session.get(IdempotencyKey, key)
                if stored is not None:
                    return _replay(stored, payload_hash)
                postgres = session.get_bind().dialect.name == "postgresql"
                if postgres:
                    session.execute(text(f"SET LOCAL lock_timeout = '{IN_FLIGHT_WAIT}'"))
                row = IdempotencyKey(
                    key=key, kiosk_id=kiosk_id, kind=kind, payload_hash=payload_hash,
                    status_code=0, response={}, created_at=now(),
                )
                session.add(row)
                try:
                    session.flush()
                except IntegrityError:
                    raise _KeyTaken() from None
                if postgres:
                    session.execute(text("SET LOCAL lock_timeout = 0"))
                try:
                    with session.begin_nested():
                        result = apply(session)
                    answer = Answer(Outcome.APPLIED, 200, {"result": result})
                except Rejected as exc:
                    answer = Answer(Outcome.REJECTED, exc.status_code, _error(exc.code, **exc.params))
                row.status_code = answer.status_code
                row.response = answer.response
            return answer
        except _KeyTaken:
            continue  # committed by a concurrent request: the next round replays it
        except DBAPIError as exc:
            if sqlstate(exc) == LOCK_NOT_AVAILABLE:
                return Answer(Outcome.RETRY, 409, _error("sync.in_flight"))
            if not is_retryable(exc) or attempt == DEFAULT_ATTEMPTS - 1:
                raise
            backoff_sleep(attempt)
    raise RuntimeError("idempotency key kept conflicting")


class _KeyTaken(Exception):
    pass


@dataclass(frozen=True)
class Keyed:
    """One keyed request of a batch for :func:`apply_batch`."""

    key: UUID
    kind: str
    payload_hash: str
    apply: Callable[[Session], dict[str, Any]]


@dataclass(frozen=True)
class _Decided:
    """An answer decided in this chunk, replayed to a repeat of its key later in the chunk."""

    payload_hash: str
    status_code: int
    response: dict[str, Any]


class _InFlight(Exception):
    """PostgreSQL: a key to claim is held by another transaction for longer than IN_FLIGHT_WAIT."""


_KEYS = IdempotencyKey.__table__
_CLAIM = {  # placeholder rows (status 0) that the answers later fill in; a taken key is skipped
    "postgresql": pg_insert(_KEYS).on_conflict_do_nothing(index_elements=["key"]).returning(_KEYS.c.key),
    "sqlite": sqlite_insert(_KEYS).on_conflict_do_nothing(index_elements=["key"]).returning(_KEYS.c.key),
}
_STORED = select(_KEYS.c.key, _KEYS.c.payload_hash, _KEYS.c.status_code, _KEYS.c.response).where(
    _KEYS.c.key.in_(bindparam("keys", expanding=True))
)
_ANSWER = (
    _KEYS.update().where(_KEYS.c.key == bindparam("b_key"))
    .values(status_code=bindparam("b_status"), response=bindparam("b_response", type_=_KEYS.c.response.type))
)
_UNCLAIM = _KEYS.delete().where(_KEYS.c.key.in_(bindparam("keys", expanding=True)))


def _claim(
    session: Session, items: list[Keyed], kiosk_id: str, now: datetime, postgres: bool, wait: str = IN_FLIGHT_WAIT,
) -> set[UUID]:
    """Insert placeholder rows for the distinct keys of ``items``; returns the keys inserted.

    A key not returned is already stored by someone else (replay it). On PostgreSQL a key that
    another transaction is applying is waited for at most ``wait``, then :class:`_InFlight`
    is raised with nothing claimed (the claim runs in its own savepoint).
    """
    rows = {i.key: {"key": i.key, "kiosk_id": kiosk_id, "kind": i.kind, "payload_hash": i.payload_hash,
                    "status_code": 0, "response": {}, "created_at": now} for i in items}
    ordered = [rows[k] for k in sorted(rows)]  # one order for every claimer: fewer deadlocks
    stmt = _CLAIM["postgresql" if postgres else "sqlite"]
    if not postgres:
        return set(session.connection().execute(stmt, ordered).scalars())
    try:
        with session.begin_nested():
            conn = session.connection()
            conn.execute(text(f"SET LOCAL lock_timeout = '{wait}'"))
            claimed = set(conn.execute(stmt, ordered).scalars())
            conn.execute(text("SET LOCAL lock_timeout = 0"))
    except DBAPIError as exc:
        if sqlstate(exc) == LOCK_NOT_AVAILABLE:
            raise _InFlight() from None
        raise
    return claimed


def _stored(session: Session, keys: list[UUID]) -> dict[UUID, Any]:
    """Stored answers of ``keys`` (rows with payload_hash, status_code, response) by key."""
    if not keys:
        return {}
    return {row.key: row for row in session.connection().execute(_STORED, {"keys": keys})}


def _apply_chunk(
    session: Session, items: list[Keyed], kiosk_id: str, now: Callable[[], datetime], postgres: bool,
    on_error: Callable[[Keyed, BaseException], None] | None,
) -> list[Answer]:
    """Inside the chunk's transaction: claim all keys at once, apply each unclaimed one in its own
    savepoint, then store every answer. Stops after the first RETRY."""
    bulk = True
    try:
        claimed = _claim(session, items, kiosk_id, now(), postgres)
    except _InFlight:  # some key is busy elsewhere: claim one by one to apply the prefix before it
        bulk, claimed = False, set()
    stored = _stored(session, [i.key for i in items if i.key not in claimed]) if bulk else {}
    answers: list[Answer] = []
    decided: dict[UUID, _Decided] = {}  # applied in this chunk (a key repeated in the chunk replays)
    for item in items:
        if item.key in decided or item.key in stored:
            answers.append(_replay(decided.get(item.key) or stored[item.key], item.payload_hash))
            continue
        if item.key not in claimed:
            try:
                claimed |= _claim(session, [item], kiosk_id, now(), postgres, RECLAIM_WAIT)
            except _InFlight:
                answers.append(Answer(Outcome.RETRY, 409, _error("sync.in_flight")))
                break
            if item.key not in claimed:  # committed elsewhere meanwhile: replay what it stored
                stored.update(_stored(session, [item.key]))
                if item.key not in stored:
                    answers.append(Answer(Outcome.RETRY, 409, _error("sync.in_flight")))
                    break
                answers.append(_replay(stored[item.key], item.payload_hash))
                continue
        try:
            with session.begin_nested():
                answer = Answer(Outcome.APPLIED, 200, {"result": item.apply(session)})
        except Rejected as exc:
            answer = Answer(Outcome.REJECTED, exc.status_code, _error(exc.code, **exc.params))
        except DBAPIError:
            raise  # serialization failure or deadlock: the whole chunk runs again
        except Exception as exc:  # noqa: BLE001 - a handler bug: stop here, the kiosk retries later
            if on_error is not None:
                on_error(item, exc)
            answers.append(Answer(Outcome.RETRY, 503, _error("sync.transient")))
            break
        decided[item.key] = _Decided(item.payload_hash, answer.status_code, answer.response)
        answers.append(answer)
    conn = session.connection()
    if unanswered := [k for k in claimed if k not in decided]:  # after a stop: not stored, sent again later
        conn.execute(_UNCLAIM, {"keys": unanswered})
    if decided:
        conn.execute(_ANSWER, [{"b_key": k, "b_status": a.status_code, "b_response": a.response}
                               for k, a in decided.items()])
    return answers


def apply_batch(
    factory: sessionmaker, items: list[Keyed], *, kiosk_id: str, now: Callable[[], datetime],
    on_error: Callable[[Keyed, BaseException], None] | None = None,
) -> list[Answer]:
    """Answers for a prefix of ``items``, applied in order with one commit for the whole chunk.

    One commit per record cost ~4 ms of fsync each on SQLite (synchronous=FULL): a 10,000-record
    backlog took 42 s. Here the chunk's keys are claimed with one insert (placeholder rows), every
    unclaimed record runs in its own savepoint, and all answers are stored before the one commit,
    so each answer commits with its effects and exactly-once holds. A key stored elsewhere is
    replayed; on PostgreSQL a key still in flight elsewhere (after IN_FLIGHT_WAIT) answers RETRY
    409. The batch stops at the first RETRY (also a handler failing unexpectedly, whose savepoint
    is rolled back and whose key is not stored); what came before it commits. Serialization
    failures and deadlocks rerun the whole chunk. Runs on the caller's (worker) thread.
    """
    for attempt in range(DEFAULT_ATTEMPTS):
        try:
            with factory() as session, session.begin():
                postgres = session.get_bind().dialect.name == "postgresql"
                return _apply_chunk(session, items, kiosk_id, now, postgres, on_error)
        except DBAPIError as exc:
            if not is_retryable(exc) or attempt == DEFAULT_ATTEMPTS - 1:
                raise
            backoff_sleep(attempt)
    raise RuntimeError("batch kept conflicting")


def purge_keys(session: Session, *, older_than_days: int, now: datetime) -> int:
    """Delete stored answers older than ``older_than_days`` (>= 90); returns how many.

    Raises ValueError below the 90-day minimum (a kiosk may stay offline that long).
    """
    if older_than_days < MIN_KEY_RETENTION_DAYS:
        raise ValueError(f"keys are kept at least {MIN_KEY_RETENTION_DAYS} days")
    cutoff = now - timedelta(days=older_than_days)
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return result.rowcount or 0
