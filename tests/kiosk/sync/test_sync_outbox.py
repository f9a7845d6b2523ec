"""The outbox table: atomic with domain rows, ordered, marked from the server's answers, never dropped."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiosk.protocol import ErrorBody, Outcome, RecordResult
from kiosk.storage import SessionLog
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.models import DEAD, DELIVERED, PENDING, OutboxRow


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_domain_row_and_outbox_row_commit_together(kiosk_db):
    def action(session):
        session.add(SessionLog(started_at=utc_now(), how_started="touch"))
        return outbox.enqueue(session, "test.count", {"n": 1})

    key = kiosk_db.write(action)
    assert _count(kiosk_db, SessionLog) == 1
    with kiosk_db.session() as s:
        row = s.scalar(select(OutboxRow))
    assert (row.key, row.state, row.attempts) == (str(key), PENDING, 0)


def test_a_failing_domain_write_leaves_no_outbox_row(kiosk_db):
    def action(session):
        outbox.enqueue(session, "test.count", {"n": 1})
        session.add(SessionLog(started_at=utc_now(), how_started=None))  # NOT NULL violation at flush
        session.flush()

    with pytest.raises(Exception):
        kiosk_db.write(action)
    assert _count(kiosk_db, OutboxRow) == 0
    assert _count(kiosk_db, SessionLog) == 0


def test_a_failing_outbox_write_leaves_no_domain_row(kiosk_db):
    def action(session):
        session.add(SessionLog(started_at=utc_now(), how_started="touch"))
        outbox.enqueue(session, "test.count", {"bad": object()})  # not JSON: fails at flush

    with pytest.raises(Exception):
        kiosk_db.write(action)
    assert _count(kiosk_db, OutboxRow) == 0
    assert _count(kiosk_db, SessionLog) == 0


def test_next_batch_is_in_commit_order_and_limited(kiosk_db):
    keys = [kiosk_db.write(lambda s, i=i: outbox.enqueue(s, "test.count", {"n": i})) for i in range(7)]
    with kiosk_db.session() as s:
        batch = outbox.next_batch(s, 5)
        assert outbox.pending_count(s) == 7
    assert [r.key for r in batch] == keys[:5]
    assert [r.payload["n"] for r in batch] == [0, 1, 2, 3, 4]


def test_mark_delivers_dead_letters_and_keeps_retries_pending(kiosk_db):
    keys = [kiosk_db.write(lambda s, i=i: outbox.enqueue(s, "test.count", {"n": i})) for i in range(4)]
    results = [
        RecordResult(key=keys[0], outcome=Outcome.APPLIED, status_code=200, result={"ok": 1}),
        RecordResult(key=keys[1], outcome=Outcome.REPLAYED, status_code=200, result={"ok": 2}),
        RecordResult(key=keys[2], outcome=Outcome.REJECTED, status_code=422,
                     error=ErrorBody(code="points.insufficient")),
        RecordResult(key=keys[3], outcome=Outcome.RETRY, status_code=409, error=ErrorBody(code="sync.in_flight")),
    ]
    assert kiosk_db.write(lambda s: outbox.mark(s, results)) == (2, 1)
    with kiosk_db.session() as s:
        states = {r.key: (r.state, r.last_error, r.attempts) for r in s.scalars(select(OutboxRow))}
        dead = outbox.dead_letters(s)
        assert outbox.pending_count(s) == 1
    assert states[str(keys[0])] == (DELIVERED, None, 1)
    assert states[str(keys[2])] == (DEAD, "points.insufficient", 1)
    assert states[str(keys[3])] == (PENDING, "sync.in_flight", 1)
    assert [d.key for d in dead] == [str(keys[2])]


def test_a_dead_letter_can_be_requeued_with_the_same_key_and_place(kiosk_db):
    first = kiosk_db.write(lambda s: outbox.enqueue(s, "test.count", {"n": 0}))
    second = kiosk_db.write(lambda s: outbox.enqueue(s, "test.count", {"n": 1}))
    kiosk_db.write(lambda s: outbox.mark(s, [RecordResult(key=first, outcome=Outcome.CONFLICT, status_code=422)]))
    assert kiosk_db.write(lambda s: outbox.requeue_dead(s, first)) is True
    assert kiosk_db.write(lambda s: outbox.requeue_dead(s, second)) is False  # not dead
    with kiosk_db.session() as s:
        assert [r.key for r in outbox.next_batch(s, 10)] == [first, second]
