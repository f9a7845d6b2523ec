"""Health UI parts: prompts cross to the Qt thread, readiness and faults in words, chart bands from config."""

from __future__ import annotations

import gc
import sys
import threading
from datetime import datetime, timezone

from PySide6.QtCore import QObject

from devices.state import DeviceState, StateReport
from kiosk.config import load
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import thresholds_from_config
from kiosk.i18n import _, translator
from ui.app import application
from ui.health_device import GENERIC_FAULT, NOT_CONFIGURED, QtPromptHandler, readiness, translated
from ui.health_printing import fallback_payload, values_text
from ui.screens.health_choose import first_sentence
from ui.widgets.vitals_chart import bands_for, nice_step


def test_driver_prompts_from_a_worker_thread_arrive_on_the_qt_thread_in_order(qtbot):
    application()
    parent = QObject()
    got: list[tuple[str, str, bool]] = []
    handler = QtPromptHandler(parent, lambda h, what, key, fraction, params: got.append(
        (what, key, threading.current_thread() is threading.main_thread())))

    def driver() -> None:
        handler.prompt("vitals.prompt.bp.cuff_on")
        for step in range(50):
            handler.progress("vitals.progress.cuff_pressure", step / 50, cuff_mmhg=float(step))

    gc.collect()
    true_refs = sys.getrefcount(True)
    worker = threading.Thread(target=driver)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(got) == 51, timeout=5000)
    assert got[0] == ("prompt", "vitals.prompt.bp.cuff_on", True)
    assert all(on_qt for _w, _k, on_qt in got)
    gc.collect()
    assert sys.getrefcount(True) >= true_refs  # no Signal.emit: PySide 6.12 drops a True per emit
    handler.close()
    parent.deleteLater()


def test_readiness_says_why_and_only_error_or_missing_devices_are_not_ready():
    assert readiness(StateReport(DeviceState.DISCONNECTED, "device.state.not_started"), True).ready
    assert readiness(StateReport(DeviceState.BUSY, "vitals.state.measuring"), True).ready
    missing = readiness(None, False)
    assert (missing.ready, missing.reason) == (False, _(NOT_CONFIGURED))
    broken = readiness(StateReport(DeviceState.ERROR, "vitals.error.probe_error"), True)
    assert (broken.ready, broken.reason) == (False, _("vitals.error.probe_error"))


def test_a_device_key_without_words_never_reaches_the_screen_as_a_raw_key():
    unknown = "vitals.error.from_a_newer_driver"  # a key no catalogue has (yet)
    assert translated(unknown, {"role": "bp"}) == _(GENERIC_FAULT)
    assert ("zh_CN", unknown) not in translator.missing
    assert translated("vitals.error.timeout") == _("vitals.error.timeout") != "vitals.error.timeout"


def test_a_tile_shows_the_first_sentence_of_a_long_reason():
    assert first_sentence("设备没有连接好。请找工作人员帮忙。") == "设备没有连接好。"
    assert first_sentence("The oximeter probe has a fault. Please ask a member of staff.") == \
        "The oximeter probe has a fault."
    assert first_sentence("No stop here") == "No stop here"


def test_chart_bands_follow_the_configured_thresholds():
    config = load(None)
    default = bands_for("bp", thresholds_from_config(config))
    assert [(b.low, b.high, b.level) for b in default][:2] == [(0, 120.0, 0), (120.0, 160.0, 1)]
    config.health.bp_high_normal_systolic_mmhg = 125.0
    moved = bands_for("bp", thresholds_from_config(config))
    assert moved[0].high == 125.0 and moved[1].low == 125.0
    # weight is shaded by BMI at the resident's height: 18.5 and 24 kg/m2 at 1.60 m
    weight = bands_for("weight", thresholds_from_config(config), height_m=1.6)
    assert [round(b.low, 2) for b in weight[1:]] == [47.36, 61.44]
    assert bands_for("weight", thresholds_from_config(config)) == []
    assert nice_step(120, 6) == 20 and nice_step(120, 3) == 50 and nice_step(1.2, 6) == 0.2


def test_a_guests_fallback_qr_holds_only_ascii_values_and_a_kept_check_its_record_link():
    when = datetime(2025, 3, 18, 2, 30, tzinfo=timezone.utc)
    check = [Measurement("bp", {"systolic_mmhg": 165.0, "diastolic_mmhg": 102.0, "pulse_bpm": 88.0}, when, "bp", "sim"),
             Measurement("weight", {"weight_kg": 62.5, "height_m": 1.62, "bmi": 23.8}, when, "scale", "sim")]
    text = values_text(check, when)
    assert text.isascii()
    assert "BP 165/102 mmHg, pulse 88/min" in text and "Weight 62.5 kg, BMI 23.8" in text
    assert fallback_payload("", "ABC", check, when) == text  # no server: nothing to link to
    assert fallback_payload("http://10.0.0.5:8000/", "ABC123", check, when) == "http://10.0.0.5:8000/h/ABC123"
