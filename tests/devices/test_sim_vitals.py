"""Simulated vitals twins: prompts, progress, scripted outcomes and faults, chosen by config."""

from __future__ import annotations

import logging

import pytest

from devices import registry
from devices.base import CancelToken, RecordingPromptHandler
from devices.errors import Cancelled, ImplausibleValue
from devices.state import DeviceState
from devices.vitals import gatt
from devices.vitals.base import (
    OPENING_PROMPTS,
    PROGRESS_COUNTDOWN,
    PROGRESS_CUFF_PRESSURE,
    PROMPT_SPO2_FINGER_IN,
    PROMPT_SPO2_KEEP_STILL,
    PROMPT_THERMOMETER_ARMPIT,
    BodyMovement,
    CuffTooLoose,
    FingerOut,
    MeasurementDisconnected,
    MeasurementTimeout,
)
from devices.vitals.readings import (
    BloodPressureReading,
    GlucoseReading,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)

FAST = 0.001  # time_scale: a 30 s blood-pressure run takes ~30 ms
HANG_GUARD_S = 10.0
ROLES = ("bp", "spo2", "thermometer", "scale", "glucose")
READING_TYPES = {
    "bp": BloodPressureReading, "spo2": SpO2Reading, "thermometer": TemperatureReading,
    "scale": WeightReading, "glucose": GlucoseReading,
}


@pytest.fixture
def make():
    """Create twins through the registry, as config does, and close them all afterwards."""
    created = []

    def factory(role: str, **options):
        options.setdefault("time_scale", FAST)
        dev = registry.create(role, "sim", **options)
        created.append(dev)
        return dev

    yield factory
    for dev in created:
        dev.close()


def run(dev, handler=None, cancel=None, timeout_s: float = 5000.0):
    # a twin scales the time-out too: 5000 simulated seconds is 5 s real at FAST
    handler = handler or RecordingPromptHandler()
    future = dev.measure_async(handler, cancel or CancelToken(), timeout_s)
    return future.result(HANG_GUARD_S), handler


def cuff_pressures(handler: RecordingPromptHandler) -> list[float]:
    return [p["cuff_mmhg"] for t, k, p in handler.events if k == PROGRESS_CUFF_PRESSURE]


@pytest.mark.parametrize("role", ROLES)
def test_every_vitals_role_has_a_sim_driver_chosen_by_id(role):
    info = registry.get(role, "sim")
    assert info.simulated and info.usable() == (True, "")
    assert {o.name for o in info.options} >= {"scenario", "time_scale"}


@pytest.mark.parametrize("role", ROLES)
def test_normal_measurement_returns_the_roles_reading_and_ends_ready(make, role):
    dev = make(role)
    states: list[DeviceState] = []
    dev.state.subscribe(lambda r: states.append(r.state))
    dev.open()
    reading, handler = run(dev)
    assert isinstance(reading, READING_TYPES[role])
    assert states == [DeviceState.CONNECTING, DeviceState.READY, DeviceState.BUSY,
                      DeviceState.READY]


@pytest.mark.parametrize("role", ["bp", "spo2", "scale", "glucose"])
def test_prompts_come_first_and_in_the_roles_order(make, role):
    dev = make(role)
    _, handler = run(dev)
    expected = list(OPENING_PROMPTS[role])
    if role == "spo2":  # the real CMS50D+ driver also says "keep still" once the finger is in
        expected.append(PROMPT_SPO2_KEEP_STILL)
    assert handler.keys("prompt") == expected
    kinds = [t for t, _, _ in handler.events]
    assert kinds[:len(expected)] == ["prompt"] * len(expected)


@pytest.mark.parametrize(("site", "gatt_site"), [("forehead", "body"), ("armpit", "armpit")])
def test_thermometer_prompts_for_its_site_and_reports_it(make, site, gatt_site):
    dev = make("thermometer", site=site)
    reading, handler = run(dev)
    assert handler.keys("prompt") == list(OPENING_PROMPTS[f"thermometer.{site}"])
    assert reading.site == gatt_site


def test_armpit_thermometer_counts_down_longer_than_forehead(make):
    counts = {}
    for site in ("forehead", "armpit"):
        _, handler = run(make("thermometer", site=site))
        counts[site] = [p["seconds_left"] for t, k, p in handler.events if k == PROGRESS_COUNTDOWN]
        assert counts[site][-1] == 0 and counts[site] == sorted(counts[site], reverse=True)
    assert counts["armpit"][0] > counts["forehead"][0]
    assert handler.keys("prompt") == [PROMPT_THERMOMETER_ARMPIT]


def test_bp_cuff_pressure_rises_to_about_180_then_deflates(make):
    _, handler = run(make("bp"))
    pressures = cuff_pressures(handler)
    peak_at = pressures.index(max(pressures))
    assert max(pressures) >= 180
    assert pressures[:peak_at + 1] == sorted(pressures[:peak_at + 1])
    assert pressures[peak_at:] == sorted(pressures[peak_at:], reverse=True)
    assert pressures[-1] == 0
    fractions = [p["fraction"] for t, k, p in handler.events if k == PROGRESS_CUFF_PRESSURE]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_bp_measurement_lasts_about_thirty_simulated_seconds(make):
    _, handler = run(make("bp"))
    steps = len(cuff_pressures(handler))
    # two notifications a second (0x2A36) over inflation plus deflation
    assert 25 <= steps / 2 <= 35


def test_high_bp_inflates_above_the_systolic(make):
    reading, handler = run(make("bp", scenario="high"))
    assert max(cuff_pressures(handler)) >= reading.systolic_mmhg + 20


@pytest.mark.parametrize(
    ("scenario", "check"),
    [("normal", lambda r: r.systolic_mmhg < 120 and r.diastolic_mmhg < 80),
     ("high", lambda r: r.systolic_mmhg >= 140 or r.diastolic_mmhg >= 90),
     ("low", lambda r: r.systolic_mmhg < 90)],
)
def test_bp_scenarios_fall_in_their_screening_grade(make, scenario, check):
    reading, _ = run(make("bp", scenario=scenario))
    assert check(reading)
    assert reading.mean_arterial_mmhg is not None and reading.pulse_bpm is not None


@pytest.mark.parametrize(
    ("role", "low_high"),
    [("spo2", lambda r: r.spo2_pct), ("thermometer", lambda r: r.temperature_c),
     ("scale", lambda r: r.weight_kg), ("glucose", lambda r: r.glucose_mmol_l)],
)
def test_low_normal_high_scenarios_are_ordered(make, role, low_high):
    dev = make(role, scenario=["low", "normal", "high"])
    values = [low_high(run(dev)[0]) for _ in range(3)]
    assert values == sorted(values) and len(set(values)) == 3


def test_scripted_outcomes_play_in_turn_and_cycle(make):
    dev = make("glucose", scenario=["low", "high"])
    values = [run(dev)[0].glucose_mmol_l for _ in range(3)]
    assert values[0] == values[2] < values[1]


def test_glucose_records_carry_rising_sequence_numbers(make):
    dev = make("glucose")
    assert [run(dev)[0].sequence for _ in range(2)] == [1, 2]


def test_scale_reports_bmi_from_its_height(make):
    reading, _ = run(make("scale", height_m=1.70))
    assert reading.height_m == pytest.approx(1.70)
    assert reading.bmi == pytest.approx(reading.weight_kg / 1.70**2, abs=0.06)


@pytest.mark.parametrize(
    ("role", "fault", "error", "key"),
    [("bp", "cuff_error", CuffTooLoose, "vitals.error.cuff_too_loose"),
     ("bp", "body_movement", BodyMovement, "vitals.error.body_movement"),
     ("spo2", "finger_out", FingerOut, "vitals.error.finger_out")]
    + [(role, "implausible", ImplausibleValue, "vitals.implausible") for role in ROLES],
)
def test_measurement_faults_raise_their_keyed_error_and_leave_the_device_ready(
    make, role, fault, error, key
):
    dev = make(role, scenario=fault)
    with pytest.raises(error) as err:
        run(dev)
    assert err.value.key == key
    assert dev.state.report.state is DeviceState.READY
    assert dev.state.report.reason_key == key


@pytest.mark.parametrize("role", ROLES)
def test_timeout_fault_raises_timeout_and_sets_error_state(make, role):
    dev = make(role, scenario="timeout")
    with pytest.raises(MeasurementTimeout) as err:
        run(dev, timeout_s=60.0)
    assert err.value.key == "vitals.error.timeout"
    assert (dev.state.report.state, dev.state.report.reason_key) == (
        DeviceState.ERROR, "vitals.error.timeout")


@pytest.mark.parametrize("role", ROLES)
def test_disconnect_mid_measurement_then_next_measurement_reconnects(make, role):
    dev = make(role, scenario=["disconnect", "normal"])
    handler = RecordingPromptHandler()
    with pytest.raises(MeasurementDisconnected) as err:
        run(dev, handler)
    assert err.value.key == "vitals.error.disconnected"
    assert handler.keys("progress"), "the link drops mid-measurement, after progress began"
    assert dev.state.report.state is DeviceState.ERROR
    reading, _ = run(dev)
    assert isinstance(reading, READING_TYPES[role])
    assert dev.state.state is DeviceState.READY


def test_finger_out_asks_for_the_finger_again_before_failing(make):
    dev = make("spo2", scenario="finger_out")
    handler = RecordingPromptHandler()
    with pytest.raises(FingerOut):
        run(dev, handler)
    assert handler.keys("prompt") == [
        PROMPT_SPO2_FINGER_IN, PROMPT_SPO2_KEEP_STILL, PROMPT_SPO2_FINGER_IN]


def test_cancel_mid_bp_measurement_raises_cancelled_and_returns_to_ready(make):
    dev = make("bp", time_scale=0.1)  # ~3 s and 57 cuff notifications unless cancelled
    cancel = CancelToken()

    class CancelAtFirstCuffPressure(RecordingPromptHandler):
        def progress(self, key, fraction=None, **params):
            super().progress(key, fraction, **params)
            cancel.cancel()

    handler = CancelAtFirstCuffPressure()
    with pytest.raises(Cancelled):
        run(dev, handler, cancel)
    assert len(cuff_pressures(handler)) == 1
    assert dev.state.state is DeviceState.READY


def test_twin_speaks_gatt_bytes_that_the_real_parser_decodes(make, caplog):
    dev = make("bp")
    with caplog.at_level(logging.DEBUG, logger="devices.wire.bp.sim"):
        reading, _ = run(dev)
    rx = [r.getMessage()[3:] for r in caplog.records if r.getMessage().startswith("rx ")]
    assert len(rx) > 1
    assert gatt.parse_blood_pressure(bytes.fromhex(rx[-1])) == reading
    assert all(gatt.parse_intermediate_cuff_pressure(bytes.fromhex(h)).cuff_mmhg >= 0
               for h in rx[:-1])


@pytest.mark.parametrize(
    ("role", "options", "bad"),
    [("bp", {"scenario": "finger_out"}, "scenario"),
     ("scale", {"scenario": ["normal", "cuff_error"]}, "scenario"),
     ("spo2", {"scenario": []}, "scenario"),
     ("glucose", {"time_scale": 0}, "time_scale"),
     ("thermometer", {"site": "mouth"}, "site")],
)
def test_bad_options_are_refused_naming_the_option(role, options, bad):
    with pytest.raises(ValueError, match=bad):
        registry.create(role, "sim", **options)


def test_close_stops_the_worker_thread(make):
    dev = make("scale")
    run(dev)
    worker = dev.worker
    assert worker.alive and worker.name == "scale.sim"
    dev.close()
    assert not worker.alive
    assert dev.state.state is DeviceState.DISCONNECTED


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_prompt_and_progress_a_twin_sends_formats_in_the_catalogue(make, lang):
    from kiosk.i18n import load_catalog  # merges every .po of the language, as the UI does

    messages = load_catalog(lang)._catalog
    for role in ROLES:
        _, handler = run(make(role))
        for _, key, params in handler.events:
            assert messages.get(key), f"{lang}: no translation for {key}"
            messages[key].format(**params)  # raises on a placeholder the driver does not send
