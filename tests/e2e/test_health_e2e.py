"""Issue #5 done-when, end to end: a resident's QR card, consent, a full check on simulated devices with an
abnormal value and a recovered fault, results, chart, receipt, then FHIR Observations and an alert on the
real server over HTTP; and a guest run that leaves nothing personal on the kiosk."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from fhir.resources.R4B.observation import Observation
from sqlalchemy import func, select

from kiosk.config import load
from kiosk.health.models import HealthConsentRow, HealthMeasurementRow
from kiosk.i18n import _
from kiosk.protocol import RecordKind
from kiosk.runtime import start_runtime
from kiosk.sync.models import DELIVERED, OutboxRow
from server.db import make_engine, make_sessionmaker
from server.health.models import HealthAlert, HealthCheck, HealthObservation
from server.identity_admin import issue_identity_token
from server.testing import seed_minimal
from server.txn import in_transaction
from support.health_ui_world import button, click, close_window, measure_current, open_window, sim_devices, wait_screen
from support.kiosk_world import config_with_devices, kiosk_runtime
from support.live_server import live_server

RESIDENT = "R-000001"  # 王建国 in the minimal seed
MASKED = "王*国"
DEVICES = sim_devices(bp="high", spo2=["finger_out", "normal"])


@pytest.fixture
def server(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_minimal(db_url)
    with live_server(db_url, migrate=False) as srv:
        yield srv, db_url, seed


def _on_server(db_url: str, fn):  # noqa: ANN001, ANN202
    engine = make_engine(db_url)
    try:
        return in_transaction(make_sessionmaker(engine), fn)
    finally:
        engine.dispose()


def _card(db_url: str) -> str:
    return _on_server(db_url, lambda s: issue_identity_token(s, RESIDENT, days=30, now=datetime.now(timezone.utc))[0])


def _full_check(qtbot, win) -> list[str]:
    """Touch Full check, then Start on each ready device; "Try again" after a fault. The states seen."""
    click(qtbot, win, "healthTile_full")
    seen = []
    while True:
        outcome = measure_current(qtbot, win)
        seen.append(outcome)
        if outcome == "health_results":
            return seen


def test_a_resident_keeps_a_full_check_that_reaches_the_server_as_fhir_with_an_alert(qtbot, server):
    srv, db_url, seed = server
    config = config_with_devices(DEVICES, load(None))
    config.server.url = srv.base_url
    config.server.enrollment_code = seed["enroll_code"]
    runtime = start_runtime(config, speech=False, database=True, logs=False)
    win = None
    try:
        assert runtime.wait_for_sync_start(60) and runtime.sync is not None
        assert runtime.sync.relay.sync_now().result(timeout=60).online  # keys and the directory pulled
        win = open_window(qtbot, runtime)

        # The resident scans their card (a real server-signed token) and consents.
        click(qtbot, win, "tile_health")
        click(qtbot, win, "healthScanButton")
        identify = wait_screen(qtbot, win, "identify")
        identify.submit_payload(_card(db_url))
        wait_screen(qtbot, win, "health_consent", "default")
        click(qtbot, win, "healthConsentYes")
        choose = wait_screen(qtbot, win, "health_choose")
        assert MASKED in choose.who.text()

        # A full check: blood pressure is high; the oximeter first finds no finger, "Try again" works.
        seen = _full_check(qtbot, win)
        # after bp; spo2's fault; after spo2; after temperature; after weight; after glucose
        assert seen == ["ready", "error", "ready", "ready", "ready", "health_results"]
        results = wait_screen(qtbot, win, "health_results", "saved")
        assert [m.kind for m in results.measurements] == ["bp", "spo2", "temperature", "weight", "glucose"]
        bp = results.rows[0]
        assert bp.value.text() == "165/102" and bp.badge.property("category") == "doctor"
        assert results.notice_text.text() == _("Saved, and shared with your community doctor for follow-up.")
        check_id = results.saved.check_id

        # The chart of the history, then back.
        click(qtbot, win, "healthResultsHistory")
        history = wait_screen(qtbot, win, "health_history", "bp")
        qtbot.waitUntil(lambda: history.chart.isVisible(), timeout=10_000)
        systolic = next(s for s in history.chart.chart().series() if s.name() == _("Systolic (upper)"))
        assert [p.y() for p in systolic.points()] == [165.0]
        click(qtbot, win, "healthHistoryBack")
        results = wait_screen(qtbot, win, "health_results")

        # The receipt: masked name, values, and the QR of the record page.
        click(qtbot, win, "healthResultsPrint")
        qtbot.waitUntil(lambda: results.action == "printed", timeout=20_000)
        paper = runtime.devices.get("printer").transport.output
        assert MASKED.encode("gb18030") in paper and b"165/102" in paper
        view_url = f"{srv.base_url}/h/{check_id}"
        assert view_url.encode("ascii") in paper

        # Sync: the server keeps valid FHIR Observations and puts the check on the doctor's list.
        assert runtime.sync.relay.sync_now().result(timeout=60).online
        with runtime.database.session() as s:
            kinds = [(r.kind, r.state) for r in s.scalars(select(OutboxRow).order_by(OutboxRow.seq))
                     if r.kind.startswith("health.")]
        assert kinds == [(RecordKind.HEALTH_CONSENT.value, DELIVERED),
                         (RecordKind.HEALTH_OBSERVATIONS.value, DELIVERED)]

        def stored(s):  # noqa: ANN001, ANN202
            check = s.get(HealthCheck, check_id)
            observations = s.scalars(select(HealthObservation).where(HealthObservation.check_id == check_id)
                                     .order_by(HealthObservation.position)).all()
            alert = s.scalars(select(HealthAlert).where(HealthAlert.check_id == check_id)).one()
            return check.resident_id, [o.resource for o in observations], (alert.status, list(alert.reasons))

        resident_id, resources, alert = _on_server(db_url, stored)
        assert resident_id == RESIDENT
        assert alert == ("open", ["bp.grade2"])
        parsed = [Observation.model_validate(json.loads(json.dumps(r))) for r in resources]
        assert len(parsed) >= 5 and all(o.subject.reference == f"Patient/{RESIDENT}" for o in parsed)
        assert all(o.category[0].coding[0].code == "vital-signs" for o in parsed)
        assert {c.code for o in parsed for c in o.code.coding} >= {"85354-9", "2708-6", "8310-5", "29463-7", "15074-8"}
        page = requests.get(view_url, timeout=10)
        assert page.status_code == 200 and MASKED in page.text and "165/102" in page.text
    finally:
        if win is not None:
            close_window(win)
        runtime.close()


def test_a_guest_full_check_shows_and_prints_but_keeps_nothing_personal(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, DEVICES) as runtime:
        win = open_window(qtbot, runtime)
        try:
            click(qtbot, win, "tile_health")
            click(qtbot, win, "healthGuestButton")
            wait_screen(qtbot, win, "health_choose")
            assert _full_check(qtbot, win)[-1] == "health_results"
            results = wait_screen(qtbot, win, "health_results", "guest")
            assert len(results.measurements) == 5 and results.saved.alert and not results.saved.stored
            assert not button(win, "healthResultsHistory").isVisible()
            click(qtbot, win, "healthResultsPrint")
            qtbot.waitUntil(lambda: results.action == "printed", timeout=20_000)
            paper = runtime.devices.get("printer").transport.output
            assert _("Guest").encode("gb18030") in paper and b"165/102" in paper
            with runtime.database.session() as s:
                assert s.scalar(select(func.count()).select_from(HealthMeasurementRow)) == 0
                assert s.scalar(select(func.count()).select_from(HealthConsentRow)) == 0
                assert s.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.kind.like("health.%"))) == 0
        finally:
            close_window(win)
