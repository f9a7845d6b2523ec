"""The vitals driver base: state machine, plausibility gate, error translation, catalogue."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from devices import registry
from devices.base import CancelToken, RecordingPromptHandler
from devices.errors import Cancelled, DeviceError, ImplausibleValue, ProtocolError
from devices.state import DeviceState
from devices.vitals import base
from devices.vitals.base import (
    BodyMovement,
    CuffTooLoose,
    Deadline,
    ImproperPosition,
    MeasurementDisconnected,
    MeasurementTimeout,
    PortUnavailable,
    VitalsDevice,
    check_bp_status,
)
from devices.vitals.readings import BloodPressureStatus, SpO2Reading

REPO = Path(__file__).resolve().parents[2]
HANG_GUARD_S = 10.0


class ScriptedOximeter(VitalsDevice):
    """A vitals driver whose connect and measure steps are scripted by the test."""

    role = "spo2"
    driver_id = "scripted"

    def __init__(self, results, connect_error=None):
        super().__init__()
        self.results = list(results)
        self.connect_error = connect_error
        self.connects = 0
        self.disconnects = 0
        self.measure_threads: list[str] = []

    def _connect(self):
        self.connects += 1
        if self.connect_error is not None:
            raise self.connect_error

    def _disconnect(self):
        self.disconnects += 1

    def _measure(self, handler, cancel, deadline):
        self.measure_threads.append(threading.current_thread().name)
        result = self.results.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def scripted():
    made = []

    def make(results, **kwargs):
        dev = ScriptedOximeter(results, **kwargs)
        made.append(dev)
        return dev

    yield make
    for dev in made:
        dev.close()


def measure(dev, cancel=None):
    return dev.measure_async(RecordingPromptHandler(), cancel or CancelToken(), 5.0).result(
        HANG_GUARD_S)


def test_measure_runs_on_the_devices_port_worker(scripted):
    dev = scripted([SpO2Reading(97.0, 70.0)])
    dev.open()
    assert measure(dev).spo2_pct == 97.0
    assert dev.measure_threads == ["port-spo2.scripted"]


def test_an_implausible_reading_is_never_returned(scripted):
    dev = scripted([SpO2Reading(30.0, 70.0)])
    dev.open()
    with pytest.raises(ImplausibleValue):
        measure(dev)
    assert dev.state.report.state is DeviceState.READY
    assert dev.state.report.reason_key == "vitals.implausible"


def test_an_os_error_mid_measurement_becomes_disconnected_and_error_state(scripted):
    dev = scripted([OSError(5, "Input/output error")])
    dev.open()
    with pytest.raises(MeasurementDisconnected) as err:
        measure(dev)
    assert isinstance(err.value.__cause__, OSError)
    assert (dev.state.report.state, dev.state.report.reason_key) == (
        DeviceState.ERROR, "vitals.error.disconnected")
    assert dev.disconnects == 1  # the transport is released so the next measure reopens


def test_an_os_error_on_connect_becomes_port_unavailable(scripted):
    dev = scripted([], connect_error=PermissionError(13, "Permission denied"))
    with pytest.raises(PortUnavailable) as err:
        dev.open()
    assert err.value.params == {"reason": "Permission denied"}
    assert (dev.state.report.state, dev.state.report.reason_key) == (
        DeviceState.ERROR, "vitals.error.port_unavailable")


def test_device_faults_go_to_error_and_the_next_measure_reconnects(scripted):
    dev = scripted([ProtocolError("garbled"), SpO2Reading(96.0, 66.0)])
    states: list[DeviceState] = []
    dev.state.subscribe(lambda r: states.append(r.state))
    with pytest.raises(ProtocolError):
        measure(dev)  # opens first: the driver starts disconnected
    assert measure(dev).spo2_pct == 96.0
    assert dev.connects == 2
    assert states == [DeviceState.CONNECTING, DeviceState.READY, DeviceState.BUSY,
                      DeviceState.ERROR, DeviceState.CONNECTING, DeviceState.READY,
                      DeviceState.BUSY, DeviceState.READY]


def test_a_cancelled_token_stops_before_measuring(scripted):
    dev = scripted([SpO2Reading(97.0, 70.0)])
    dev.open()
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        measure(dev, cancel)
    assert dev.measure_threads == [] and dev.state.state is DeviceState.READY


def test_close_is_idempotent_and_stops_the_worker(scripted):
    dev = scripted([SpO2Reading(97.0, 70.0)])
    measure(dev)
    worker = dev.worker
    dev.close()
    dev.close()
    assert not worker.alive and dev.state.state is DeviceState.DISCONNECTED


def test_deadline_sleep_raises_cancelled_when_cancelled_from_another_thread():
    cancel = CancelToken()
    timer = threading.Timer(0.01, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(Cancelled):
            Deadline(HANG_GUARD_S).sleep(cancel, HANG_GUARD_S)
    finally:
        timer.join()


def test_deadline_sleep_past_the_deadline_raises_timeout():
    deadline = Deadline(0.01)
    with pytest.raises(MeasurementTimeout):
        deadline.sleep(CancelToken(), 1.0)
    assert deadline.expired


def test_deadline_sleep_within_the_deadline_returns():
    deadline = Deadline(HANG_GUARD_S)
    deadline.sleep(CancelToken(), 0.0)
    assert not deadline.expired


@pytest.mark.parametrize(
    ("status", "error"),
    [(BloodPressureStatus(cuff_too_loose=True), CuffTooLoose),
     (BloodPressureStatus(body_movement=True), BodyMovement),
     (BloodPressureStatus(improper_position=True), ImproperPosition)],
)
def test_bp_status_bits_become_keyed_errors(status, error):
    with pytest.raises(error):
        check_bp_status(status)


@pytest.mark.parametrize(
    "status",
    [None, BloodPressureStatus(), BloodPressureStatus(irregular_pulse=True, pulse_range="above")],
)
def test_bp_status_without_a_measurement_fault_passes(status):
    assert check_bp_status(status) is None


@pytest.mark.parametrize("role", base.VITALS_ROLES)
def test_ble_driver_is_registered_and_says_why_it_cannot_run(role):
    info = registry.get(role, "ble")
    ok, why = info.usable()
    assert ok or why  # never unusable without a readable reason
    if not ok:
        with pytest.raises(DeviceError):
            registry.create(role, "ble")


def test_cms50d_is_registered_for_spo2_with_its_port_option():
    info = registry.get("spo2", "cms50d")
    assert not info.simulated
    assert "port" in {o.name for o in info.options}
    assert info.load().__name__ == "Cms50dOximeter"


def _vitals_keys() -> set[str]:
    """Every "vitals.*" string literal in the modules this catalogue covers."""
    keys: set[str] = set()
    for name in ("base.py", "cms50d.py", "cms50d_frames.py", "sim.py", "sim_bp.py", "sim_spot.py"):
        tree = ast.parse((REPO / "devices" / "vitals" / name).read_text(encoding="utf-8"))
        keys |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                 and isinstance(n.value, str) and n.value.startswith("vitals.")
                 and " " not in n.value}
    return keys - {"vitals.implausible"}  # owned by the GATT catalogue (vitals_gatt.po)


def _catalogue(lang: str) -> dict[str, str]:
    with (REPO / "locales" / lang / "LC_MESSAGES" / "vitals.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale=lang) if m.id}


def test_every_vitals_key_is_translated_with_the_same_placeholders():
    from kiosk.i18n import placeholders  # the one placeholder rule the UI formats with

    keys = _vitals_keys()
    assert "vitals.prompt.bp.cuff_on" in keys and "vitals.error.probe_error" in keys
    zh, en = _catalogue("zh_CN"), _catalogue("en")
    for key in sorted(keys):
        assert zh.get(key) and en.get(key), f"{key} lacks a translation"
        assert placeholders(zh[key]) == placeholders(en[key]), key
    assert placeholders(zh["vitals.progress.cuff_pressure"]) == {"cuff_mmhg"}
    assert placeholders(zh["vitals.progress.countdown"]) == {"seconds_left"}
    assert "您" in zh["vitals.prompt.bp.cuff_on"]
