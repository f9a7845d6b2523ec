"""Help desk core without Qt: the award record, the sync health view and retry, the reprint journal."""

from __future__ import annotations

import pytest

from devices.printer.document import ReceiptDocument, TextLine
from devices.printer.render import ReceiptRenderer
from kiosk.protocol import ErrorBody, Outcome, RecordKind, RecordResult, points_for_hours
from kiosk.staff.awards import AwardRefused, build_award, queue_award
from kiosk.staff.reprints import PrintJournal, reprint_document
from kiosk.staff.sync_health import retry_dead, sync_health
from kiosk.storage import open_database
from kiosk.sync import outbox
from kiosk.sync.models import OutboxRow


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "kiosk.sqlite3")
    yield database
    database.close()


def test_an_award_of_three_hours_is_thirty_points_queued_with_the_staff_member_as_operator(db):
    award = build_award("R-000001", "governance", "patrol", 3.0)
    assert award.points == points_for_hours(3.0) == 30
    key = db.write(lambda s: queue_award(s, award, "S-0001"))
    with db.session() as s:
        row = s.get(OutboxRow, s.query(OutboxRow.seq).filter(OutboxRow.key == str(key)).scalar())
        assert (row.kind, row.operator_id, row.state) == (RecordKind.POINTS_AWARD.value, "S-0001", "pending")
        assert row.payload == {"award_id": award.award_id, "resident_id": "R-000001", "dimension": "governance",
                               "reason": "patrol", "hours": 3.0, "points": 30}


@pytest.mark.parametrize("dimension, reason, hours", [
    ("kindness", "patrol", 1.0),  # not one of the five dimensions
    ("harmony", "shopping", 1.0),  # not a reason staff can choose
    ("harmony", "patrol", 0.0),
    ("harmony", "patrol", 1.25),  # half hours only
    ("harmony", "patrol", 50.5),  # beyond the ledger's 500-point cap
])
def test_an_award_outside_the_rules_is_refused_before_anything_is_queued(db, dimension, reason, hours):
    with pytest.raises(AwardRefused) as refused:
        build_award("R-000001", dimension, reason, hours)
    assert refused.value.key == "points.award_invalid"


def test_an_award_without_a_signed_in_staff_member_is_not_queued(db):
    award = build_award("R-000001", "harmony", "patrol", 1.0)
    with pytest.raises(AwardRefused):
        db.write(lambda s: queue_award(s, award, ""))
    with db.session() as s:
        assert outbox.pending_count(s) == 0


def _refuse(db, key, code: str) -> None:
    result = RecordResult(key=key, outcome=Outcome.REJECTED, status_code=422, error=ErrorBody(code=code))
    db.write(lambda s: outbox.mark(s, [result]))


def test_sync_health_shows_kinds_tries_and_errors_and_retry_requeues_the_dead_with_their_keys(db):
    keys = [db.write(lambda s, n=n: outbox.enqueue(s, "health.observations", {"secret": f"value-{n}"}))
            for n in range(4)]
    _refuse(db, keys[0], "staff.resident_unknown")
    _refuse(db, keys[1], "sync.key_reused")
    db.write(lambda s: outbox.note_failure(s, [keys[2]], "sync.offline"))
    with db.session() as s:
        health = sync_health(s)
    assert health.pending == 2 and health.dead_total == 2
    assert [(i.key, i.error, i.attempts, i.dead) for i in health.dead] == [
        (str(keys[0]), "staff.resident_unknown", 1, True), (str(keys[1]), "sync.key_reused", 1, True)]
    assert [(i.key, i.error, i.dead) for i in health.failing] == [(str(keys[2]), "sync.offline", False)]
    assert "value" not in repr(health)  # nothing of a payload reaches the staff view

    assert db.write(retry_dead) == 2
    with db.session() as s:
        after = sync_health(s)
        batch = outbox.next_batch(s, 10)
    assert after.pending == 4 and after.dead_total == 0
    assert [r.key for r in batch] == keys  # same keys, original order: the server replays, never doubles
    assert db.write(retry_dead) == 0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _doc(n: int) -> ReceiptDocument:
    return ReceiptDocument().title("健康小票").text(f"slip {n}").cut()


def test_the_journal_keeps_the_last_twenty_prints_newest_first_and_forgets_old_ones():
    clock = Clock()
    journal = PrintJournal(clock=clock)
    for n in range(25):
        journal.remember(_doc(n), "health", f"L{n}")
        clock.now += 60
    recent = journal.recent()
    assert [s.label for s in recent] == [f"L{n}" for n in range(24, 4, -1)]
    assert [s.label for s in journal.recent("request")] == []
    clock.now += 4 * 3600 - 60 * 10  # the first 10 kept are now older than 4 h
    assert [s.label for s in journal.recent()] == [f"L{n}" for n in range(24, 14, -1)]
    journal.clear()
    assert journal.recent() == []


def test_a_reprint_is_the_same_slip_with_a_reprint_line_on_top():
    journal = PrintJournal()
    original = _doc(7)
    slip = journal.remember(original, "request", "GX-251121-0042K")
    original.text("added after printing")  # the journal kept its own copy
    again = reprint_document(journal.get(slip.slip_id), "重印")
    assert isinstance(again.blocks[0], TextLine) and again.blocks[0].text == "重印"
    assert again.blocks[1:] == _doc(7).blocks
    printed = ReceiptRenderer(58).render(again)  # the ESC/POS bytes a Dummy printer collects
    assert "重印".encode("gb18030") in printed
    assert printed.index("重印".encode("gb18030")) < printed.index("健康小票".encode("gb18030"))
