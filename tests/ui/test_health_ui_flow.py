"""Health cabin screens on simulated devices: guest flow, readiness in words, device faults, cancel, progress."""

from __future__ import annotations

from sqlalchemy import func, select

from devices.state import DeviceState
from devices.vitals.base import PROGRESS_CUFF_PRESSURE
from kiosk.health.models import HealthMeasurementRow
from kiosk.health.ranges import assess, thresholds_from_config
from kiosk.i18n import _, tr
from kiosk.sync.models import OutboxRow
from support.health_ui_world import button, click, close_window, measure_current, open_window, sim_devices, wait_screen
from support.kiosk_world import kiosk_runtime
from ui.health_device import NOT_CONFIGURED


def _counts(runtime) -> tuple[int, int]:
    with runtime.database.session() as s:
        rows = s.scalar(select(func.count()).select_from(HealthMeasurementRow))
        health = s.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.kind.like("health.%")))
    return rows, health


def test_a_guest_measures_blood_pressure_sees_words_colour_and_icon_and_nothing_is_kept(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(bp="high")) as runtime:
        win = open_window(qtbot, runtime)
        try:
            click(qtbot, win, "tile_health")
            wait_screen(qtbot, win, "health")
            click(qtbot, win, "healthGuestButton")
            choose = wait_screen(qtbot, win, "health_choose")
            assert choose.visit.guest and not choose.visit.keep
            click(qtbot, win, "healthTile_bp")
            assert measure_current(qtbot, win) == "health_results"
            results = wait_screen(qtbot, win, "health_results", "guest")
            row = results.rows[0]
            assert row.value.text() == "165/102"
            (bp, pulse) = assess(results.measurements[0], thresholds_from_config(runtime.config))
            assert bp.category == "bp.grade2" and bp.alert
            # colour + words + icon: the badge's category names its colour rule and its icon; words are shown
            assert row.badge.property("category") == "doctor"
            assert row.badge.words.text() == _(bp.label)
            assert not row.badge.icon.pixmap().isNull()
            assert results.notice.isVisible()
            assert results.notice_text.text() == _("Not kept. Please show these results to the community doctor.")
            assert not button(win, "healthResultsHistory").isVisible()  # a guest has no history
            spoken = win.ctx.voice.last_prompt.text
            assert "165" in spoken and _(bp.label) in spoken
            assert _counts(runtime) == (0, 0)
        finally:
            close_window(win)


def test_a_device_that_is_not_set_up_or_broken_is_shown_disabled_with_its_reason(qtbot, tmp_path):
    devices = {"bp": {"driver": "sim", "time_scale": 0.02},
               "spo2": {"driver": "no-such-driver"}}
    with kiosk_runtime(tmp_path, devices) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("health_choose", guest=True)
            screen = wait_screen(qtbot, win, "health_choose")
            tiles = {tile.kind: tile for tile in screen.tiles}
            assert tiles["bp"].isEnabled()
            scale = tiles["weight"]
            assert not scale.isEnabled()
            assert scale.status_label.text() == tr("Not ready: {reason}", reason=_(NOT_CONFIGURED))
            assert _(NOT_CONFIGURED) in scale.accessibleName()
            broken = tiles["spo2"]
            assert not broken.isEnabled()
            assert broken.status_label.text().startswith(tr("Not ready: {reason}", reason="").strip())
            assert broken.status_label.text() != tr("Not ready: {reason}", reason="")
            full = tiles["full"]
            assert full.isEnabled()
            assert full.status_label.text() == tr("All {count} ready devices, one after another", count=1)
        finally:
            close_window(win)


def test_a_finger_out_fault_is_explained_in_words_and_try_again_recovers(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(spo2=["finger_out", "normal"])) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("health_choose", guest=True)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_spo2")
            assert measure_current(qtbot, win) == "error"
            screen = win.screens.current
            assert screen.text.text() == _("vitals.error.finger_out")
            assert button(win, "healthMeasureStart").text() == _("Try again")
            assert _("vitals.error.finger_out") in win.ctx.voice.last_prompt.text
            assert measure_current(qtbot, win) == "health_results"
            results = wait_screen(qtbot, win, "health_results")
            assert results.rows[0].value.text() == "98"
        finally:
            close_window(win)


def test_the_cuff_pressure_is_shown_live_while_the_monitor_inflates(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(time_scale=0.06)) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("health_choose", guest=True)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_bp")
            screen = wait_screen(qtbot, win, "health_measure")
            seen: list[int] = []
            original = screen._progress

            def record(key, fraction, params):  # noqa: ANN001 - the screen's own slot, observed
                original(key, fraction, params)
                if key == PROGRESS_CUFF_PRESSURE:
                    seen.append(int(screen.value.text()))

            screen._progress = record
            click(qtbot, win, "healthMeasureStart")
            qtbot.waitUntil(lambda: len(seen) >= 5 and screen.value.isVisible(), timeout=20_000)
            assert screen.unit.text() == _("mmHg")
            assert seen[1] > seen[0]  # rising while it inflates
            assert screen.bar.value() > 0
            assert _("vitals.prompt.bp.sit_still") == screen.text.text()
            wait_screen(qtbot, win, "health_results")
            assert max(seen) >= 180 and seen[-1] < max(seen)  # then falling while it deflates
        finally:
            close_window(win)


def test_leaving_the_measure_screen_cancels_the_measurement(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices(time_scale=0.2)) as runtime:
        win = open_window(qtbot, runtime)
        try:
            win.navigate("health_choose", guest=True)
            wait_screen(qtbot, win, "health_choose")
            click(qtbot, win, "healthTile_bp")
            screen = wait_screen(qtbot, win, "health_measure")
            click(qtbot, win, "healthMeasureStart")
            driver = runtime.devices.get("bp")
            qtbot.waitUntil(lambda: driver.state.state is DeviceState.BUSY, timeout=10_000)
            win.navigate("home")
            qtbot.waitUntil(lambda: driver.state.state is DeviceState.READY, timeout=5_000)  # cancelled, not 6 s later
            qtbot.wait(100)
            assert win.screens.current.name == "home"
            assert screen.state == "ready"
        finally:
            close_window(win)


def test_the_identify_screens_guest_button_leads_to_measuring_as_a_guest(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, sim_devices()) as runtime:
        win = open_window(qtbot, runtime)
        try:
            click(qtbot, win, "tile_health")
            click(qtbot, win, "healthScanButton")
            identify = wait_screen(qtbot, win, "identify")
            assert (identify.purpose, identify.next_screen, identify.allow_guest) == ("health", "health_consent", True)
            click(qtbot, win, "identifyGuest")
            choose = wait_screen(qtbot, win, "health_choose")
            assert choose.visit.guest and win.ctx.session.resident is None
            assert win.screens.history[-1] == "identify"  # the consent step is not a place to go back to
        finally:
            close_window(win)
