"""Spends pushed in one chunk: per-transaction account cache, in-chunk repeats, busy keys mid-batch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.protocol import OutboxRecord, RecordKind
from server.changes import ChangeRow
from server.db import make_engine, make_sessionmaker, utc_now
from server.handlers import HandlerRegistry, Rejected, RecordContext
from server.ledger.handlers import handle_points_spend
from server.ledger.movements import award, check_invariants, resident_balance
from server.models.idempotency import IdempotencyKey
from server.push import push_records

SPEND = RecordKind.POINTS_SPEND.value


def _registry() -> HandlerRegistry:
    reg = HandlerRegistry()
    reg.register(SPEND)(handle_points_spend)

    @reg.register("test.spend_then_refuse")
    def spend_then_refuse(session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:  # noqa: ANN001
        handle_points_spend(session, ctx, payload)  # writes, then refuses: its savepoint rolls back
        raise Rejected("test.refused")

    return reg


def _record(kind: str = SPEND, amount: int = 1, key: uuid.UUID | None = None) -> OutboxRecord:
    payload = {"payer_id": "R-1", "beneficiary_id": "R-1", "amount": amount, "purpose": "canteen",
               "merchant_id": "canteen:C-01"}
    return OutboxRecord(key=key or uuid.uuid4(), kind=kind, payload=payload, created_at=datetime.now(UTC))


def _fund(sessions, points: int) -> None:  # noqa: ANN001
    with sessions() as s, s.begin():
        award(s, "R-1", points, "harmony", "test", "system", "test")


def test_a_refused_record_mid_chunk_leaves_no_trace_in_the_balances_of_later_records(sessions):
    _fund(sessions, 10)
    records = [_record(amount=1), _record("test.spend_then_refuse", amount=5), _record(amount=1)]
    results = push_records(sessions, "K-1", records, now=utc_now, registry=_registry())
    assert [r.outcome.value for r in results] == ["applied", "rejected", "applied"]
    assert [r.result["balance"] for r in (results[0], results[2])] == [9, 8]
    with sessions() as s:
        assert resident_balance(s, "R-1") == 8
        assert check_invariants(s) == []
        balances = s.scalars(select(ChangeRow.data).where(ChangeRow.kind == "balance").order_by(ChangeRow.seq))
        assert [d["balance"] for d in balances] == [10, 9, 8]


def test_a_key_repeated_within_one_push_is_applied_once_then_replayed_or_refused_as_reused(sessions):
    _fund(sessions, 10)
    first = _record(amount=2)
    clash = _record(amount=3, key=first.key)
    results = push_records(sessions, "K-1", [first, first, clash], now=utc_now, registry=_registry())
    assert [(r.outcome.value, r.status_code) for r in results] == [("applied", 200), ("replayed", 200),
                                                                    ("conflict", 422)]
    assert results[1].result == results[0].result
    assert results[2].error.code == "sync.key_reused"
    with sessions() as s:
        assert resident_balance(s, "R-1") == 8


@pytest.fixture
def pg_sessions(pg_url):  # noqa: ANN001, ANN201 - only PostgreSQL has two writers at once
    engine = make_engine(pg_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def test_a_key_in_flight_elsewhere_mid_batch_answers_409_after_the_records_before_it_apply(pg_sessions):
    sessions = pg_sessions
    _fund(sessions, 10)
    before, busy, after = _record(), _record(), _record()
    with sessions() as holder, holder.begin():  # another request is applying ``busy`` right now
        holder.add(IdempotencyKey(key=busy.key, kiosk_id="K-2", kind=SPEND, payload_hash="x", status_code=0,
                                  response={}, created_at=utc_now()))
        holder.flush()
        results = push_records(sessions, "K-1", [before, busy, after], now=utc_now, registry=_registry())
        holder.rollback()  # it failed: the key is free again
    assert [(r.outcome.value, r.status_code) for r in results] == [("applied", 200), ("retry", 409)]
    assert results[1].error.code == "sync.in_flight"
    again = push_records(sessions, "K-1", [before, busy, after], now=utc_now, registry=_registry())
    assert [r.outcome.value for r in again] == ["replayed", "applied", "applied"]
    with sessions() as s:
        assert resident_balance(s, "R-1") == 7
        assert s.scalar(select(func.count()).select_from(IdempotencyKey)) == 3
        assert check_invariants(s) == []
