"""Consent, checks, history and purge on the real kiosk database (one writer, one transaction)."""

from __future__ import annotations

import random
import re
import time
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import func, select

from kiosk.health import store
from kiosk.health.measurement import Measurement
from kiosk.health.models import HealthConsentRow, HealthMeasurementRow
from kiosk.protocol import HEALTH_CHECK_ID_PATTERN, HealthObservations, Outcome, RecordKind, RecordResult
from kiosk.sync import outbox
from kiosk.sync.models import DELIVERED, OutboxRow

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)
RID = "R-000001"


def bp(when: datetime = NOW, systolic: float = 135, diastolic: float = 85) -> Measurement:
    return Measurement("bp", {"systolic_mmhg": float(systolic), "diastolic_mmhg": float(diastolic), "pulse_bpm": 72.0},
                       when, "bp", "sim")


def spo2(when: datetime = NOW, pct: float = 97) -> Measurement:
    return Measurement("spo2", {"spo2_pct": float(pct), "pulse_bpm": 70.0}, when, "spo2", "sim")


def counts(db) -> tuple[int, int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(HealthMeasurementRow)),
                s.scalar(select(func.count()).select_from(OutboxRow)),
                s.scalar(select(func.count()).select_from(HealthConsentRow)))


def consent(db, granted: bool = True, rid: str = RID) -> None:
    db.write(lambda s: store.record_consent(s, rid, granted, retention_days=30))


def test_consent_is_never_asked_then_granted_then_withdrawn_with_outbox_records(health_db):
    with health_db.session() as s:
        assert store.consent_state(s, RID) is None
    consent(health_db, True)
    with health_db.session() as s:
        assert store.consent_state(s, RID) is True
    consent(health_db, False)
    with health_db.session() as s:
        assert store.consent_state(s, RID) is False
        records = s.scalars(select(OutboxRow).order_by(OutboxRow.seq)).all()
    assert [r.kind for r in records] == [RecordKind.HEALTH_CONSENT.value] * 2
    assert [(r.payload["resident_id"], r.payload["granted"], r.payload["retention_days"]) for r in records] == [
        (RID, True, 30), (RID, False, 30)]


def test_a_guest_check_stores_nothing_but_still_reports_the_alert(health_db, thresholds):
    saved = health_db.write(lambda s: store.save_check(s, None, [bp(systolic=170, diastolic=95)], thresholds))
    assert saved == store.SavedCheck(None, True, False)
    assert counts(health_db) == (0, 0, 0)


@pytest.mark.parametrize("decision", [None, False])
def test_a_resident_without_consent_stores_nothing(health_db, thresholds, decision):
    if decision is not None:
        consent(health_db, decision)
    before = counts(health_db)
    saved = health_db.write(lambda s: store.save_check(s, RID, [bp()], thresholds))
    assert saved == store.SavedCheck(None, False, False)
    assert counts(health_db) == before


def test_save_check_writes_a_row_per_measurement_and_one_outbox_record(health_db, thresholds):
    consent(health_db)
    saved = health_db.write(lambda s: store.save_check(s, RID, [bp(), spo2(pct=88)], thresholds))
    assert saved.stored and saved.alert and re.fullmatch(HEALTH_CHECK_ID_PATTERN, saved.check_id)
    with health_db.session() as s:
        rows = s.scalars(select(HealthMeasurementRow).order_by(HealthMeasurementRow.id)).all()
        records = s.scalars(select(OutboxRow).where(OutboxRow.kind == RecordKind.HEALTH_OBSERVATIONS.value)).all()
    assert [(r.kind, r.check_id, r.resident_id) for r in rows] == [("bp", saved.check_id, RID),
                                                                  ("spo2", saved.check_id, RID)]
    assert len(records) == 1 and {r.outbox_key for r in rows} == {records[0].key}
    message = HealthObservations.model_validate(records[0].payload)
    assert (message.check_id, message.resident_id) == (saved.check_id, RID)
    # bp panel + heart rate, SpO2 + heart rate; numbered through the whole check
    assert [o["id"] for o in message.observations] == [f"{saved.check_id.lower()}-{n}" for n in range(1, 5)]


def test_rows_and_outbox_record_commit_or_roll_back_together(health_db, thresholds):
    consent(health_db)
    before = counts(health_db)

    def fails_after_saving(session):
        store.save_check(session, RID, [bp()], thresholds)
        raise RuntimeError("power cut before commit")

    with pytest.raises(RuntimeError):
        health_db.write(fails_after_saving)
    assert counts(health_db) == before


def test_check_ids_are_unguessable_and_unique():
    ids = {store.new_check_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(re.fullmatch(HEALTH_CHECK_ID_PATTERN, i) for i in ids)


def test_history_is_the_last_30_oldest_first(health_db, thresholds):
    consent(health_db)
    times = [NOW - timedelta(days=d) for d in range(35)]
    random.Random(5).shuffle(times)
    for when in times:
        health_db.write(lambda s, w=when: store.save_check(s, RID, [bp(w, systolic=100 + w.day)], thresholds))
    health_db.write(lambda s: store.save_check(s, RID, [spo2()], thresholds))
    with health_db.session() as s:
        got = store.history(s, RID, "bp")
        assert [x.measured_at for x in got] == sorted(times)[-30:]
        assert [x.measured_at for x in store.history(s, RID, "bp", limit=3)] == sorted(times)[-3:]
        assert store.history(s, "R-000002", "bp") == []
        assert [x.kind for x in store.history(s, RID, "spo2")] == ["spo2"]


def test_previous_is_the_latest_before_the_given_time(health_db, thresholds):
    consent(health_db)
    for days, systolic in ((10, 120), (3, 130), (0, 140)):
        health_db.write(lambda s, d=days, v=systolic: store.save_check(s, RID, [bp(NOW - timedelta(days=d), v)],
                                                                       thresholds))
    with health_db.session() as s:
        assert store.previous(s, RID, "bp", NOW).values["systolic_mmhg"] == 130
        assert store.previous(s, RID, "bp", NOW - timedelta(days=3)).values["systolic_mmhg"] == 120
        assert store.previous(s, RID, "bp", NOW - timedelta(days=10)) is None
        assert store.previous(s, RID, "spo2", NOW) is None


def test_withdrawing_consent_deletes_the_residents_measurements(health_db, thresholds):
    consent(health_db)
    consent(health_db, rid="R-000002")
    health_db.write(lambda s: store.save_check(s, RID, [bp()], thresholds))
    health_db.write(lambda s: store.save_check(s, "R-000002", [bp()], thresholds))
    consent(health_db, False)
    with health_db.session() as s:
        assert store.history(s, RID, "bp") == []
        assert len(store.history(s, "R-000002", "bp")) == 1


def _deliver(db, keys: list[str], outcome: Outcome = Outcome.APPLIED) -> None:
    results = [RecordResult(key=UUID(k), outcome=outcome, status_code=200 if outcome is Outcome.APPLIED else 422,
                            result={"alert": False}) for k in keys]
    db.write(lambda s: outbox.mark(s, results))


def _key_of(db, check_id: str) -> str:
    with db.session() as s:
        return s.scalar(select(HealthMeasurementRow.outbox_key).where(HealthMeasurementRow.check_id == check_id))


def test_purge_deletes_only_delivered_measurements_older_than_the_retention(health_db, thresholds):
    consent(health_db)
    old = NOW - timedelta(days=31)
    checks = {}
    for name, when in (("old_delivered", old), ("new_delivered", NOW - timedelta(days=29)),
                       ("old_pending", old), ("old_dead", old)):
        checks[name] = health_db.write(lambda s, w=when: store.save_check(s, RID, [bp(w), spo2(w)], thresholds)).check_id
    _deliver(health_db, [_key_of(health_db, checks["old_delivered"]), _key_of(health_db, checks["new_delivered"])])
    _deliver(health_db, [_key_of(health_db, checks["old_dead"])], Outcome.REJECTED)
    old_key = _key_of(health_db, checks["old_delivered"])

    assert health_db.write(lambda s: store.purge(s, NOW, 30)) == 2
    with health_db.session() as s:
        left = set(s.scalars(select(HealthMeasurementRow.check_id)).all())
        purged = s.scalar(select(OutboxRow).where(OutboxRow.key == old_key))
        kept = s.scalars(select(OutboxRow).where(OutboxRow.kind == RecordKind.HEALTH_OBSERVATIONS.value,
                                                 OutboxRow.key != old_key)).all()
    assert left == {checks["new_delivered"], checks["old_pending"], checks["old_dead"]}
    assert (purged.state, purged.payload) == (DELIVERED, {"check_id": checks["old_delivered"], "purged": True})
    assert all("observations" in r.payload for r in kept)
    assert health_db.write(lambda s: store.purge(s, NOW, 30)) == 0
    assert health_db.write(lambda s: store.purge(s, NOW, 28)) == 2  # a shorter window reaches the newer check


def test_submit_check_wakes_the_relay_only_after_a_stored_check(health_db, thresholds):
    woken = []
    consent(health_db)
    assert store.submit_check(health_db, None, [bp()], thresholds, wake=lambda: woken.append("guest")).result(10).stored \
        is False
    saved = store.submit_check(health_db, RID, [bp()], thresholds, wake=lambda: woken.append("resident")).result(10)
    store.submit_consent(health_db, "R-000003", True, wake=lambda: woken.append("consent")).result(10)
    deadline = time.monotonic() + 5  # callbacks run on the writer thread just after the result is set
    while len(woken) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert saved.stored and woken == ["resident", "consent"]
    with health_db.session() as s:
        assert store.consent_state(s, "R-000003") is True


def test_a_staff_member_helping_is_recorded_as_operator_on_the_consent_and_the_check(health_db, thresholds):
    health_db.write(lambda s: store.record_consent(s, RID, True, retention_days=30, operator_id="S-0001"))
    saved = health_db.write(lambda s: store.save_check(s, RID, [bp()], thresholds, operator_id="S-0001"))
    assert saved.stored
    store.submit_check(health_db, RID, [spo2()], thresholds).result(timeout=10)  # alone: no operator
    with health_db.session() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.seq)).all()
    assert [(r.kind, r.operator_id) for r in rows] == [
        (RecordKind.HEALTH_CONSENT.value, "S-0001"), (RecordKind.HEALTH_OBSERVATIONS.value, "S-0001"),
        (RecordKind.HEALTH_OBSERVATIONS.value, None)]
