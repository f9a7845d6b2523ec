"""Measurements from every reading type, including the simulated devices' real decoded readings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from devices.base import CancelToken, NullPromptHandler
from devices.errors import ImplausibleValue
from devices.vitals.readings import (
    BloodPressureReading,
    CuffPressure,
    GlucoseReading,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
)
from devices.vitals.sim_bp import SimBloodPressure
from devices.vitals.sim_spot import SimGlucoseMeter, SimOximeter, SimScale, SimThermometer
from kiosk.health.measurement import KINDS, ROLE_OF, Measurement, bmi, from_reading

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("weight", "height", "expected"), [
    (70.0, 1.75, 22.9), (62.5, 1.62, 23.8), (41.0, 1.62, 15.6), (92.0, 1.62, 35.1), (55.0, 1.5, 24.4),
])
def test_bmi_is_weight_over_height_squared_to_one_decimal(weight, height, expected):
    assert bmi(weight, height) == expected


@pytest.mark.parametrize(("weight", "height"), [(0, 1.7), (70, 0), (-1, 1.7)])
def test_bmi_refuses_non_positive_inputs(weight, height):
    with pytest.raises(ValueError):
        bmi(weight, height)


def test_blood_pressure_reading_keeps_whole_numbers_and_pulse():
    reading = BloodPressureReading(135.4, 84.6, 101.0, 71.6, timestamp=datetime(2001, 1, 1))
    got = from_reading(reading, role="bp", driver_id="ble", now=NOW)
    assert got == Measurement("bp", {"systolic_mmhg": 135.0, "diastolic_mmhg": 85.0, "pulse_bpm": 72.0}, NOW,
                              "bp", "ble")


def test_the_kiosk_clock_is_used_not_the_device_clock():
    reading = SpO2Reading(97.0, 66.0, timestamp=datetime(2001, 1, 1))
    before = datetime.now(timezone.utc)
    got = from_reading(reading, role="spo2", driver_id="ble")
    assert before <= got.measured_at <= datetime.now(timezone.utc)
    assert got.measured_at.tzinfo is not None
    local = datetime(2026, 3, 5, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    assert from_reading(reading, role="spo2", driver_id="ble", now=local).measured_at == NOW


def test_each_reading_type_maps_to_its_kind_and_values():
    cases = [
        (SpO2Reading(96.0), "spo2", {"spo2_pct": 96.0}, None),
        (TemperatureReading(36.549, site="armpit"), "temperature", {"temperature_c": 36.5}, "armpit"),
        (WeightReading(70.0, height_m=1.75, bmi=99.0), "weight", {"weight_kg": 70.0, "height_m": 1.75, "bmi": 22.9}, None),
        (GlucoseReading(5.43, sequence=3), "glucose", {"glucose_mmol_l": 5.4}, None),
    ]
    for reading, kind, values, site in cases:
        got = from_reading(reading, role=ROLE_OF[kind], driver_id="ble", now=NOW)
        assert (got.kind, got.values, got.site, got.device_role) == (kind, values, site, ROLE_OF[kind])


def test_weight_takes_the_height_given_when_the_scale_has_none():
    got = from_reading(WeightReading(62.5), role="scale", driver_id="ble", height_m=1.62, now=NOW)
    assert got.values == {"weight_kg": 62.5, "height_m": 1.62, "bmi": 23.8}
    assert from_reading(WeightReading(62.5), role="scale", driver_id="ble", now=NOW).values == {"weight_kg": 62.5}


@pytest.mark.parametrize("reading", [
    BloodPressureReading(300.0, 80.0), SpO2Reading(42.0), TemperatureReading(47.0), WeightReading(320.0),
    GlucoseReading(None, sequence=1), GlucoseReading(40.0, sequence=1), WeightReading(20.0, height_m=2.3),
])
def test_implausible_values_are_refused(reading):
    with pytest.raises(ImplausibleValue) as caught:
        from_reading(reading, role="x", driver_id="ble", now=NOW)
    assert caught.value.key == "vitals.implausible"


def test_progress_is_not_a_result():
    with pytest.raises(TypeError):
        from_reading(CuffPressure(120.0), role="bp", driver_id="sim", now=NOW)


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        from_reading(SpO2Reading(97.0), role="spo2", driver_id="sim", now=datetime(2026, 3, 5))


def test_measurements_round_trip_through_json():
    original = Measurement("temperature", {"temperature_c": 38.6}, NOW, "thermometer", "sim", "armpit")
    assert Measurement.from_json(original.to_json()) == original
    assert set(KINDS) == set(ROLE_OF)


@pytest.mark.parametrize(("device", "scenario", "kind", "values"), [
    (SimBloodPressure, "normal", "bp", {"systolic_mmhg": 118.0, "diastolic_mmhg": 76.0, "pulse_bpm": 72.0}),
    (SimBloodPressure, "high", "bp", {"systolic_mmhg": 165.0, "diastolic_mmhg": 102.0, "pulse_bpm": 88.0}),
    (SimOximeter, "low", "spo2", {"spo2_pct": 88.0, "pulse_bpm": 64.0}),
    (SimThermometer, "high", "temperature", {"temperature_c": 38.6}),
    (SimScale, "normal", "weight", {"weight_kg": 62.5, "height_m": 1.62, "bmi": 23.8}),
    (SimGlucoseMeter, "high", "glucose", {"glucose_mmol_l": 9.8}),
])
def test_simulated_devices_real_readings_become_measurements(device, scenario, kind, values):
    twin = device(scenario=scenario, time_scale=0.001)
    try:
        reading = twin.measure(NullPromptHandler(), CancelToken())
    finally:
        twin.close()
    got = from_reading(reading, role=twin.role, driver_id=twin.driver_id, now=NOW)
    assert (got.kind, got.values, got.device_role, got.device_driver) == (kind, values, twin.role, "sim")
    if kind == "temperature":
        assert got.site == reading.site == "body"  # the forehead twin reports GATT type 2 (body)
