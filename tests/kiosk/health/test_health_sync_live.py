"""A resident's check travels kiosk -> outbox -> relay -> real server; the server flags the alert."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from kiosk.health import store
from kiosk.health.measurement import Measurement
from kiosk.protocol import RecordKind
from kiosk.sync.models import DELIVERED, OutboxRow
from kiosk.sync.relay import Relay
from support.sync_fixtures import enrolled, kiosk_db, live, live_db_url, seed  # noqa: F401
from tests.server.health.health_helpers import alerts, table_counts

RID = "R-000003"


def test_consent_and_an_abnormal_check_sync_and_reach_the_doctors_list(kiosk_db, enrolled, live, thresholds):
    now = datetime.now(timezone.utc)
    check = [
        Measurement("bp", {"systolic_mmhg": 168.0, "diastolic_mmhg": 96.0, "pulse_bpm": 80.0}, now, "bp", "sim"),
        Measurement("weight", {"weight_kg": 62.5, "height_m": 1.62, "bmi": 23.8}, now, "scale", "sim"),
    ]
    kiosk_db.write(lambda s: store.record_consent(s, RID, True))
    guest = kiosk_db.write(lambda s: store.save_check(s, None, check, thresholds))
    saved = kiosk_db.write(lambda s: store.save_check(s, RID, check, thresholds))
    assert (guest.stored, saved.stored, saved.alert) == (False, True, True)

    Relay(kiosk_db, enrolled).step()

    with kiosk_db.session() as s:
        rows = s.scalars(select(OutboxRow).order_by(OutboxRow.seq)).all()
    assert [(r.kind, r.state) for r in rows] == [(RecordKind.HEALTH_CONSENT.value, DELIVERED),
                                                 (RecordKind.HEALTH_OBSERVATIONS.value, DELIVERED)]
    assert rows[1].result == {"check_id": saved.check_id, "alert": True, "observations": 5}
    assert alerts(live.db_url) == [(saved.check_id, "open", ["bp.grade2"])]
    assert table_counts(live.db_url)["health_observation"] == 5

    # Forget: a month and a day later the purge removes the synced rows and the outbox copy.
    assert kiosk_db.write(lambda s: store.purge(s, now + timedelta(days=31), 30)) == 2
    with kiosk_db.session() as s:
        assert store.history(s, RID, "bp") == []
        assert s.get(OutboxRow, rows[1].seq).payload == {"check_id": saved.check_id, "purged": True}
