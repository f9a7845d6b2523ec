"""Synced health data is forgotten at start-up and after each sync, by the runtime's purger."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

from sqlalchemy import func, select

from kiosk import paths
from kiosk.config import load
from kiosk.events import SyncStatus, sync_status_did_change
from kiosk.health import store
from kiosk.health.measurement import Measurement
from kiosk.health.models import HealthMeasurementRow
from kiosk.health.purge import BUSY_INTERVAL_S, HealthPurger
from kiosk.protocol import Outcome, RecordResult
from kiosk.runtime import start_runtime
from kiosk.storage import open_database
from kiosk.sync import outbox

RID = "R-000001"


def _old_delivered_check(db, thresholds, days_old: int = 40) -> str:
    when = datetime.now(timezone.utc) - timedelta(days=days_old)
    m = Measurement("spo2", {"spo2_pct": 97.0}, when, "spo2", "sim")
    db.write(lambda s: store.record_consent(s, RID, True) if store.consent_state(s, RID) is None else None)
    saved = db.write(lambda s: store.save_check(s, RID, [m], thresholds))
    with db.session() as s:
        key = s.scalar(select(HealthMeasurementRow.outbox_key).where(HealthMeasurementRow.check_id == saved.check_id))
    db.write(lambda s: outbox.mark(s, [RecordResult(key=UUID(key), outcome=Outcome.APPLIED, status_code=200)]))
    return saved.check_id


def _rows(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(HealthMeasurementRow))


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_purger_runs_after_a_sync_that_emptied_the_queue_and_when_busy_for_long(health_db, thresholds):
    clock = FakeMonotonic()
    purger = HealthPurger(health_db, 30, monotonic=clock)
    try:
        _old_delivered_check(health_db, thresholds)
        purger.on_sync_status(SyncStatus(online=False, pending=0))
        purger.on_sync_status(SyncStatus(online=True, pending=3))  # busy, never purged yet: runs
        purger.close()
        assert _rows(health_db) == 0

        _old_delivered_check(health_db, thresholds)
        purger.on_sync_status(SyncStatus(online=True, pending=3))  # busy, purged a moment ago: waits
        purger.on_sync_status(SyncStatus(online=False, pending=0))  # offline: nothing was delivered
        purger.close()
        assert _rows(health_db) == 1
        clock.now += BUSY_INTERVAL_S
        purger.on_sync_status(SyncStatus(online=True, pending=3))
        purger.close()
        assert _rows(health_db) == 0

        _old_delivered_check(health_db, thresholds)
        purger.on_sync_status(SyncStatus(online=True, pending=0))  # queue drained: runs at once
        purger.close()
        assert _rows(health_db) == 0
    finally:
        purger.close()


def test_recent_or_undelivered_measurements_survive_the_purger(health_db, thresholds):
    _old_delivered_check(health_db, thresholds, days_old=5)
    m = Measurement("spo2", {"spo2_pct": 96.0}, datetime.now(timezone.utc) - timedelta(days=90), "spo2", "sim")
    health_db.write(lambda s: store.save_check(s, RID, [m], thresholds))  # never delivered
    purger = HealthPurger(health_db, 30)
    assert purger.purge_soon().result(10) == 0
    purger.close()
    assert _rows(health_db) == 2


def test_runtime_purges_at_start_up_and_after_sync_and_unsubscribes_on_close(thresholds):
    config = load(None)
    config.health.retention_days = 30
    db = open_database(paths.database_path(config))
    try:
        _old_delivered_check(db, thresholds)
        _old_delivered_check(db, thresholds, days_old=2)
    finally:
        db.close()
    listeners = sync_status_did_change.count()
    runtime = start_runtime(config, speech=False, database=True, logs=False)
    try:
        runtime.open_database_async().result(60)
        assert runtime.wait_for_sync_start(60)
        assert runtime.health_purge is not None
        runtime.health_purge.close()  # waits for the start-up purge
        assert _rows(runtime.database) == 1
        assert sync_status_did_change.count() == listeners  # close() unsubscribed it

        _old_delivered_check(runtime.database, thresholds)
        runtime.health_purge = HealthPurger.start(runtime.database, config)
        runtime.health_purge.close()  # its own start-up purge
        assert _rows(runtime.database) == 1
        runtime.health_purge = HealthPurger.start(runtime.database, config)
        _old_delivered_check(runtime.database, thresholds)
        sync_status_did_change.emit(SyncStatus(online=True, pending=0))
        runtime.health_purge.close()
        assert _rows(runtime.database) == 1
    finally:
        runtime.close()
    assert runtime.health_purge is None and sync_status_did_change.count() == listeners
