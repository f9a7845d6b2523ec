"""The request workflow on the server: transitions, SLA timers (injected clock), hazard points,
ratings and the reopen window, with what kiosks are told."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.protocol import ChangeKind
from server.changes import ChangeRow
from server.handlers import Rejected
from server.kiosk_config import set_setting
from server.ledger.models import LedgerTx
from server.ledger.movements import resident_balance
from server.models import Community, Kiosk, ServiceRequest, ServiceRequestEvent
from server.requests import workflow
from server.requests.workflow import TransitionRefused, overdue_flags
from requests_server_helpers import T0

STATUSES = ("submitted", "accepted", "dispatched", "in_progress", "resolved", "closed", "returned", "reopened")
# The workflow of issue #6, written out here (not read from the code under test).
ALLOWED = {
    ("submitted", "accepted"), ("submitted", "returned"),
    ("accepted", "dispatched"), ("accepted", "in_progress"), ("accepted", "returned"),
    ("dispatched", "in_progress"), ("dispatched", "returned"),
    ("in_progress", "resolved"), ("in_progress", "returned"),
    ("resolved", "closed"), ("resolved", "reopened"),
    ("closed", "reopened"),
    ("returned", "closed"), ("returned", "reopened"),
    ("reopened", "accepted"), ("reopened", "dispatched"), ("reopened", "in_progress"),
}
_numbers = itertools.count(1)


def file(db, *, category="repair", resident="R-000001", kiosk="K-TEST", urgency="normal", at=T0) -> str:  # noqa: ANN001
    tracking_no = f"T{next(_numbers):05d}"
    db.run(lambda s: workflow.new_request(
        s, tracking_no=tracking_no, category=category, location="葛巷社区", description="灯不亮", urgency=urgency,
        resident_id=resident, kiosk_id=kiosk, receipt_code="ABCD23", created_at=at, now=at))
    return tracking_no


def move(db, tracking_no: str, *steps: str, at=T0, actor="S-0001") -> None:  # noqa: ANN001
    for i, status in enumerate(steps):
        db.run(lambda s, st=status, n=i: workflow.transition(
            s, tracking_no, st, note=f"{st} note", actor=actor, operator_id=actor, now=at + timedelta(minutes=n)))


def snapshots(db, tracking_no: str) -> list[dict]:  # noqa: ANN001
    return db.run(lambda s: [r.data for r in s.scalars(
        select(ChangeRow).where(ChangeRow.kind == ChangeKind.REQUEST_STATUS.value, ChangeRow.key == tracking_no)
        .order_by(ChangeRow.seq))])


@pytest.mark.parametrize("start", STATUSES)
def test_every_transition_from_a_status_is_allowed_or_refused_as_the_workflow_says(module_db, start):
    db = module_db
    for target in STATUSES:
        tracking_no = file(db)
        db.run(lambda s, n=tracking_no: setattr(s.get(ServiceRequest, n), "status", start))
        events_before = db.run(lambda s, n=tracking_no: len(workflow.events_of(s, n)))
        changes_before = len(snapshots(db, tracking_no))
        if (start, target) in ALLOWED:
            db.run(lambda s, n=tracking_no, t=target: workflow.transition(s, n, t, note="ok", actor="S-0001", now=T0))
            assert db.run(lambda s, n=tracking_no: s.get(ServiceRequest, n).status) == target, (start, target)
            assert db.run(lambda s, n=tracking_no: workflow.events_of(s, n)[-1].status) == target, (start, target)
            assert snapshots(db, tracking_no)[-1]["status"] == target, (start, target)
        else:
            with pytest.raises(TransitionRefused, match=f"{start} -> {target}"):
                db.run(lambda s, n=tracking_no, t=target: workflow.transition(s, n, t, note="no", now=T0))
            assert db.run(lambda s, n=tracking_no: s.get(ServiceRequest, n).status) == start, (start, target)
            assert db.run(lambda s, n=tracking_no: len(workflow.events_of(s, n))) == events_before, (start, target)
            assert len(snapshots(db, tracking_no)) == changes_before, (start, target)


def test_unknown_status_and_unknown_request_are_refused(db):
    tracking_no = file(db)
    with pytest.raises(ValueError):
        db.run(lambda s: workflow.transition(s, tracking_no, "done", now=T0))
    with pytest.raises(LookupError):
        db.run(lambda s: workflow.transition(s, "NOPE", "accepted", now=T0))


def flags_at(db, tracking_no: str, when) -> tuple[str, ...]:  # noqa: ANN001
    return db.run(lambda s: overdue_flags(s.get(ServiceRequest, tracking_no), when))


def test_accept_is_overdue_after_two_hours_and_after_fifteen_minutes_when_urgent(db):
    normal, urgent = file(db), file(db, urgency="urgent")
    assert flags_at(db, normal, T0 + timedelta(hours=2)) == ()
    assert flags_at(db, normal, T0 + timedelta(hours=2, seconds=1)) == ("accept",)
    assert flags_at(db, urgent, T0 + timedelta(minutes=15)) == ()
    assert flags_at(db, urgent, T0 + timedelta(minutes=16)) == ("accept",)
    move(db, normal, "accepted", at=T0 + timedelta(hours=1))
    assert flags_at(db, normal, T0 + timedelta(hours=5)) == ()  # accepted in time stays fine
    move(db, urgent, "accepted", at=T0 + timedelta(minutes=40))
    assert flags_at(db, urgent, T0 + timedelta(hours=5)) == ("accept",)  # accepted late stays flagged


def test_resolve_is_overdue_after_72_hours_and_call_back_48_hours_after_closing(db):
    late, on_time = file(db), file(db)
    move(db, late, "accepted", "in_progress", at=T0 + timedelta(minutes=30))
    assert flags_at(db, late, T0 + timedelta(hours=72)) == ()
    assert flags_at(db, late, T0 + timedelta(hours=72, minutes=1)) == ("resolve",)
    move(db, late, "resolved", "closed", at=T0 + timedelta(hours=80))
    closed_at = T0 + timedelta(hours=80, minutes=1)
    assert flags_at(db, late, closed_at + timedelta(hours=48)) == ("resolve",)
    assert flags_at(db, late, closed_at + timedelta(hours=48, minutes=1)) == ("resolve", "callback")
    db.run(lambda s: workflow.record_callback(s, late, "回访满意", now=closed_at + timedelta(hours=50)))
    assert flags_at(db, late, closed_at + timedelta(days=9)) == ("resolve", "callback")  # called back late

    move(db, on_time, "accepted", "in_progress", "resolved", "closed", at=T0 + timedelta(hours=1))
    db.run(lambda s: workflow.record_callback(s, on_time, "回访满意", now=T0 + timedelta(hours=20)))
    assert flags_at(db, on_time, T0 + timedelta(days=30)) == ()


def test_a_call_back_is_only_recorded_after_closing(db):
    tracking_no = file(db)
    with pytest.raises(TransitionRefused):
        db.run(lambda s: workflow.record_callback(s, tracking_no, "x", now=T0))


def test_reopening_restarts_the_accept_and_resolve_timers(db):
    tracking_no = file(db)
    move(db, tracking_no, "accepted", "in_progress", "resolved", at=T0 + timedelta(minutes=10))
    reopened_at = T0 + timedelta(days=2)
    db.run(lambda s: workflow.reopen(s, tracking_no, "还是漏水", resident_id="R-000001", acted_at=reopened_at,
                                     now=reopened_at))
    assert flags_at(db, tracking_no, reopened_at + timedelta(hours=2)) == ()
    assert flags_at(db, tracking_no, reopened_at + timedelta(hours=2, minutes=1)) == ("accept",)
    assert flags_at(db, tracking_no, reopened_at + timedelta(hours=73)) == ("accept", "resolve")


def test_a_confirmed_safety_hazard_earns_governance_points_once_with_the_reason_in_the_feed(db):
    tracking_no = file(db, category="safety_hazard")
    before = db.run(lambda s: resident_balance(s, "R-000001"))
    move(db, tracking_no, "accepted", "in_progress", "resolved")
    db.run(lambda s: workflow.reopen(s, tracking_no, "又堵了", resident_id="R-000001", acted_at=T0 + timedelta(hours=1),
                                     now=T0 + timedelta(hours=1)))
    move(db, tracking_no, "accepted", at=T0 + timedelta(hours=2))  # accepted a second time: no second award
    assert db.run(lambda s: resident_balance(s, "R-000001")) == before + workflow.DEFAULT_HAZARD_POINTS
    awards = db.run(lambda s: [(t.category, t.amount, t.reason) for t in s.scalars(
        select(LedgerTx).where(LedgerTx.resident_id == "R-000001", LedgerTx.rule == "request_hazard"))])
    assert awards == [("governance", 20, f"safety_hazard_confirmed:{tracking_no}")]
    last = snapshots(db, tracking_no)[-1]
    assert last["points_awarded"] == 20 and last["points_reason"] == "safety_hazard_confirmed"


def test_no_hazard_points_for_other_categories_guests_or_a_return(db):
    repair = file(db, category="repair")
    guest = file(db, category="safety_hazard", resident=None)
    returned = file(db, category="safety_hazard", resident="R-000003")
    move(db, repair, "accepted")
    move(db, guest, "accepted")
    move(db, returned, "returned")
    assert db.run(lambda s: s.scalars(select(LedgerTx).where(LedgerTx.rule == "request_hazard")).all()) == []


def test_the_hazard_award_follows_the_configured_points(db):
    db.run(lambda s: set_setting(s, workflow.HAZARD_POINTS_KEY, 50, now=T0))
    tracking_no = file(db, category="safety_hazard", resident="R-000003")
    move(db, tracking_no, "accepted")
    assert db.run(lambda s: resident_balance(s, "R-000003")) == 50


def resolved(db, **kw) -> str:  # noqa: ANN001, ANN003
    tracking_no = file(db, **kw)
    move(db, tracking_no, "accepted", "in_progress", "resolved")
    return tracking_no


def rate(db, tracking_no, stars, reason="", *, after=timedelta(hours=1), resident="R-000001"):  # noqa: ANN001, ANN201
    when = T0 + after
    return db.run(lambda s: workflow.rate(s, tracking_no, stars, reason, resident_id=resident, acted_at=when, now=when))


def test_a_low_rating_with_a_reason_reopens_and_a_good_one_closes(db):
    low, good = resolved(db), resolved(db)
    with pytest.raises(Rejected, match="request.rating_needs_reason"):
        rate(db, low, 2, "  ")
    answer = rate(db, low, 2, "灯还是不亮")
    assert answer["reopened"] is True and answer["status"] == "reopened"
    events = db.run(lambda s: [(e.status, e.note, e.actor) for e in workflow.events_of(s, low)])
    assert events[-1] == ("reopened", "灯还是不亮", "resident")
    assert rate(db, good, 4)["status"] == "closed"
    assert db.run(lambda s: s.get(ServiceRequest, good).rating) == 4
    with pytest.raises(Rejected, match="request.already_rated"):
        rate(db, good, 5)


def test_rating_is_refused_before_resolution_and_for_someone_else(db):
    tracking_no = file(db)
    with pytest.raises(Rejected, match="request.not_rateable"):
        rate(db, tracking_no, 5)
    done = resolved(db)
    with pytest.raises(Rejected, match="request.not_yours"):
        rate(db, done, 5, resident="R-000002")
    with pytest.raises(Rejected, match="request.rating_invalid"):
        rate(db, done, 6)


def test_reopening_is_allowed_only_within_the_configured_window(db):
    db.run(lambda s: set_setting(s, workflow.REOPEN_WINDOW_KEY, 3, now=T0))
    inside, outside, low_late = resolved(db), resolved(db), resolved(db)
    resolved_at = db.run(lambda s: s.get(ServiceRequest, inside).finished_at)
    db.run(lambda s: workflow.reopen(s, inside, "没修好", resident_id="R-000001",
                                     acted_at=resolved_at + timedelta(days=3) - timedelta(seconds=1),
                                     now=resolved_at + timedelta(days=4)))  # acted offline in time, synced later
    assert db.run(lambda s: s.get(ServiceRequest, inside).status) == "reopened"
    late = resolved_at + timedelta(days=3, minutes=1)
    with pytest.raises(Rejected, match="request.reopen_window_passed"):
        db.run(lambda s: workflow.reopen(s, outside, "没修好", resident_id="R-000001", acted_at=late, now=late))
    answer = db.run(lambda s: workflow.rate(s, low_late, 1, "太慢", resident_id="R-000001", acted_at=late, now=late))
    assert answer == {"tracking_no": low_late, "status": "resolved", "rating": 1, "reopened": False,
                      "window_passed": True}
    assert snapshots(db, inside)[-1]["reopen_until"] is None  # reopened: no window while it is worked on
    assert snapshots(db, outside)[-1]["reopen_until"].startswith((resolved_at + timedelta(days=3)).date().isoformat())


def test_reopen_needs_a_reason_and_a_finished_request(db):
    open_one, done = file(db), resolved(db)
    with pytest.raises(Rejected, match="request.not_reopenable"):
        db.run(lambda s: workflow.reopen(s, open_one, "x", resident_id="R-000001", acted_at=T0, now=T0))
    with pytest.raises(Rejected, match="request.reason_missing"):
        db.run(lambda s: workflow.reopen(s, done, " ", resident_id="R-000001", acted_at=T0, now=T0))


def test_status_changes_go_to_the_filing_kiosk_and_the_kiosks_of_the_residents_community(db):
    def add_kiosks(session) -> None:  # noqa: ANN001
        session.add(Community(id="C-02", sub_district_id="SD-CQ", name="朱庙社区"))
        session.flush()
        for kid, community, revoked in (("K-AAAA0001", "C-01", None), ("K-AAAA0002", "C-01", T0),
                                        ("K-AAAA0003", "C-02", None)):
            session.add(Kiosk(id=kid, name=kid, community_id=community, secret_hash="0" * 64, install_id="i",
                              version="1", revoked_at=revoked))

    db.run(add_kiosks)
    resident_request = file(db, kiosk="K-FILER")
    guest_request = file(db, kiosk="K-FILER", resident=None)
    audiences = db.run(lambda s: [(r.key, r.audience_kiosk_id) for r in s.scalars(
        select(ChangeRow).where(ChangeRow.kind == ChangeKind.REQUEST_STATUS.value).order_by(ChangeRow.seq))])
    assert audiences == [(resident_request, "K-FILER"), (resident_request, "K-AAAA0001"), (guest_request, "K-FILER")]
    data = snapshots(db, resident_request)[0]
    assert data["status"] == "submitted" and data["events"][0]["actor"] == "resident"
    assert "description" not in data and "灯不亮" not in str(data)  # the resident's words stay on the server


def test_events_keep_the_order_they_happened_in(db):
    tracking_no = file(db)
    move(db, tracking_no, "accepted", "dispatched", "in_progress", "resolved", "closed")
    statuses = db.run(lambda s: [e.status for e in s.scalars(
        select(ServiceRequestEvent).where(ServiceRequestEvent.tracking_no == tracking_no).order_by(ServiceRequestEvent.id))])
    assert statuses == ["submitted", "accepted", "dispatched", "in_progress", "resolved", "closed"]
