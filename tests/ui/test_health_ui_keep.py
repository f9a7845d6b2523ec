"""An identified resident: separate consent, the check saved before "saved", history chart, PDF report."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone

import pypdf
from sqlalchemy import select

from kiosk.health import store
from kiosk.health.measurement import Measurement
from kiosk.health.models import HealthMeasurementRow
from kiosk.health.ranges import thresholds_from_config
from kiosk.i18n import _
from kiosk.protocol import RecordKind
from kiosk.residents import Resident
from kiosk.sync.models import OutboxRow
from support.health_ui_world import button, click, close_window, measure_current, open_window, sim_devices, wait_screen
from support.kiosk_world import kiosk_runtime

RESIDENT = Resident("R-000042", "王*国", 1950, "F-0042", "C-01")


def _start_as_resident(qtbot, win):
    win.ctx.session.identify(RESIDENT)
    win.navigate("health_consent", identified=True)


def _outbox(runtime, kind: str) -> list[OutboxRow]:
    with runtime.database.session() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.kind == kind)))


def test_first_use_asks_for_consent_and_yes_is_recorded_with_its_outbox_record(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices()) as runtime:
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            consent = wait_screen(qtbot, win, "health_consent", "default")
            days = str(runtime.config.health.retention_days)
            assert days in consent.retention.text() and days in consent.prompt()
            assert _("May we keep your health results?") in win.ctx.voice.last_prompt.text
            click(qtbot, win, "healthConsentYes")
            choose = wait_screen(qtbot, win, "health_choose")
            assert choose.visit.keep and choose.visit.resident_id == RESIDENT.resident_id
            with runtime.database.session() as s:
                assert store.consent_state(s, RESIDENT.resident_id) is True
            (record,) = _outbox(runtime, RecordKind.HEALTH_CONSENT.value)
            assert record.payload["granted"] is True
            assert record.payload["retention_days"] == runtime.config.health.retention_days
            # the next visit goes straight on: asked once
            win.navigate("home")
            _start_as_resident(qtbot, win)
            wait_screen(qtbot, win, "health_choose")
            assert len(_outbox(runtime, RecordKind.HEALTH_CONSENT.value)) == 1
        finally:
            close_window(win)


def test_no_still_lets_the_resident_measure_and_nothing_is_kept(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices()) as runtime:
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            wait_screen(qtbot, win, "health_consent", "default")
            click(qtbot, win, "healthConsentNo")
            choose = wait_screen(qtbot, win, "health_choose")
            assert choose.visit.guest and not choose.visit.keep
            click(qtbot, win, "healthTile_temperature")
            measure_current(qtbot, win)
            results = wait_screen(qtbot, win, "health_results", "guest")
            assert results.kept.text() == _("Not kept. Print them or scan them with your phone.")
            with runtime.database.session() as s:
                assert store.consent_state(s, RESIDENT.resident_id) is False
                assert s.scalars(select(HealthMeasurementRow)).all() == []
            assert _outbox(runtime, RecordKind.HEALTH_OBSERVATIONS.value) == []
        finally:
            close_window(win)


def test_a_consenting_residents_check_is_saved_before_saved_is_said_and_shows_the_change(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high")) as runtime:
        limits = thresholds_from_config(runtime.config)
        earlier = Measurement("bp", {"systolic_mmhg": 128.0, "diastolic_mmhg": 82.0, "pulse_bpm": 70.0},
                              datetime.now(timezone.utc) - timedelta(days=7), "bp", "sim")

        def before(s):
            store.record_consent(s, RESIDENT.resident_id, True)
            store.save_check(s, RESIDENT.resident_id, [earlier], limits)

        runtime.database.write(before)
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_bp")
            measure_current(qtbot, win)
            results = wait_screen(qtbot, win, "health_results", "saved")
            with runtime.database.session() as s:
                rows = s.scalars(select(HealthMeasurementRow).order_by(HealthMeasurementRow.id)).all()
            assert [r.values["systolic_mmhg"] for r in rows] == [128.0, 165.0]
            assert rows[-1].check_id == results.saved.check_id and results.saved.stored and results.saved.alert
            assert len(_outbox(runtime, RecordKind.HEALTH_OBSERVATIONS.value)) == 2
            assert "128/82" in results.rows[0].change.text()
            assert results.notice_text.text() == _("Saved, and shared with your community doctor for follow-up.")
            assert button(win, "healthResultsHistory").isVisible()
        finally:
            close_window(win)


def test_history_draws_the_kept_measurements_over_the_reference_bands(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices()) as runtime:
        limits = thresholds_from_config(runtime.config)
        now = datetime.now(timezone.utc)
        series = [Measurement("bp", {"systolic_mmhg": 120.0 + 10 * i, "diastolic_mmhg": 80.0 + 5 * i},
                              now - timedelta(days=3 - i), "bp", "sim") for i in range(3)]
        oxygen = Measurement("spo2", {"spo2_pct": 96.0, "pulse_bpm": 70.0}, now, "spo2", "sim")

        def before(s):
            store.record_consent(s, RESIDENT.resident_id, True)
            for m in series:
                store.save_check(s, RESIDENT.resident_id, [m], limits)
            store.save_check(s, RESIDENT.resident_id, [oxygen], limits)

        runtime.database.write(before)
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            choose = wait_screen(qtbot, win, "health_choose")
            win.navigate("health_history", visit=choose.visit, kind="bp")
            history = wait_screen(qtbot, win, "health_history", "bp")
            qtbot.waitUntil(lambda: history.chart.isVisible(), timeout=10_000)
            lines = {s.name(): s for s in history.chart.chart().series() if s.name() in
                     (_("Systolic (upper)"), _("Diastolic (lower)"))}
            assert [p.y() for p in lines[_("Systolic (upper)")].points()] == [120.0, 130.0, 140.0]
            assert [p.y() for p in lines[_("Diastolic (lower)")].points()] == [80.0, 85.0, 90.0]
            assert history.chart.band_levels == [0, 1, 2]
            assert "140/90" in history.latest.text()
            click(qtbot, win, "healthHistoryKind_spo2")
            qtbot.waitUntil(lambda: history.kind == "spo2" and history.chart.line_names == ["spo2_pct"], timeout=10_000)
            assert button(win, "healthHistoryKind_spo2").property("selected") is True
        finally:
            close_window(win)


def test_the_pdf_report_holds_the_masked_name_and_the_values(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high")) as runtime:
        runtime.database.write(lambda s: store.record_consent(s, RESIDENT.resident_id, True))
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_bp")
            measure_current(qtbot, win)
            results = wait_screen(qtbot, win, "health_results", "saved")
            click(qtbot, win, "healthResultsPdf")
            qtbot.waitUntil(lambda: results.action == "pdf_saved", timeout=20_000)
            path = results.report_path
            assert path.parent.name == "reports" and path.suffix == ".pdf"
            text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
            compact = "".join(text.split())
            assert "王*国" in compact and "165/102" in compact
            assert path.name in results.kept.text()
        finally:
            close_window(win)


def test_the_end_of_the_session_forgets_the_resident_their_results_and_their_chart(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high")) as runtime:
        runtime.database.write(lambda s: store.record_consent(s, RESIDENT.resident_id, True))
        win = open_window(qtbot, runtime)
        try:
            _start_as_resident(qtbot, win)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_bp")
            measure_current(qtbot, win)
            results = wait_screen(qtbot, win, "health_results", "saved")
            click(qtbot, win, "healthResultsHistory")
            history = wait_screen(qtbot, win, "health_history", "bp")
            qtbot.waitUntil(lambda: bool(history.chart.line_names), timeout=10_000)
            win.ctx.session.end("idle")  # what the idle countdown does, then the window forgets
            win.end_session()
            assert win.screens.current.name == "home" and win.ctx.session.resident is None
            assert results.visit is None and results.measurements == [] and results.saved is None
            assert all(row.value.text() == "" for row in results.rows)
            assert history.series == {} and history.chart.chart().series() == []
            choose = win.screens.screens["health_choose"]
            assert choose.visit is None
        finally:
            close_window(win)
