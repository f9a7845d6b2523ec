"""Reading types and the plausibility gate: values no living adult can show are rejected."""

from __future__ import annotations

import dataclasses

import pytest

from devices.errors import ImplausibleValue, InvalidMeasurement
from devices.vitals import readings as rd
from devices.vitals.readings import (
    BloodPressureReading,
    CuffPressure,
    GlucoseReading,
    PlxDeviceStatus,
    PlxMeasurementStatus,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
    validate_plausible,
)

TYPICAL = [
    BloodPressureReading(128.0, 84.0, 99.0, 72.0),
    SpO2Reading(97.0, 70.0),
    TemperatureReading(36.6, site="armpit"),
    WeightReading(62.5, 1.62, 23.8),
    GlucoseReading(5.4, sequence=3),
    GlucoseReading(None, sequence=4),  # a record without a concentration has nothing to check
    CuffPressure(150.0),
]


@pytest.mark.parametrize("reading", TYPICAL, ids=lambda r: type(r).__name__)
def test_typical_adult_readings_pass(reading) -> None:
    assert validate_plausible(reading) is None


def test_each_reading_type_names_its_kind() -> None:
    kinds = {cls: cls.kind for cls in (BloodPressureReading, SpO2Reading, TemperatureReading,
                                       WeightReading, GlucoseReading)}
    assert sorted(kinds.values()) == ["bp", "glucose", "spo2", "temperature", "weight"]
    assert "kind" not in {f.name for f in dataclasses.fields(BloodPressureReading)}


def test_readings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        TYPICAL[0].systolic_mmhg = 1.0  # type: ignore[misc]


CASES = [
    ("systolic_mmhg", lambda v: BloodPressureReading(v, 40.0), rd.SYSTOLIC_MMHG_RANGE),
    ("diastolic_mmhg", lambda v: BloodPressureReading(279.0, v), rd.DIASTOLIC_MMHG_RANGE),
    ("pulse_bpm", lambda v: BloodPressureReading(120.0, 80.0, pulse_bpm=v), rd.PULSE_BPM_RANGE),
    ("spo2_pct", lambda v: SpO2Reading(v), rd.SPO2_PCT_RANGE),
    ("pulse_bpm", lambda v: SpO2Reading(97.0, v), rd.PULSE_BPM_RANGE),
    ("temperature_c", lambda v: TemperatureReading(v), rd.TEMPERATURE_C_RANGE),
    ("weight_kg", lambda v: WeightReading(v), rd.WEIGHT_KG_RANGE),
    ("height_m", lambda v: WeightReading(70.0, v), rd.HEIGHT_M_RANGE),
    ("glucose_mmol_l", lambda v: GlucoseReading(v, 1), rd.GLUCOSE_MMOL_L_RANGE),
]


@pytest.mark.parametrize("field, make, bounds", CASES, ids=[c[0] for c in CASES])
def test_values_at_the_limits_pass_and_beyond_them_are_implausible(field, make, bounds) -> None:
    low, high = bounds
    validate_plausible(make(low))
    validate_plausible(make(high))
    for bad in (low - 0.5, high + 0.5, float("nan"), float("inf")):
        with pytest.raises(ImplausibleValue) as info:
            validate_plausible(make(bad))
        assert info.value.key == "vitals.implausible"
        assert info.value.params == {"field": field}


def test_the_documented_thresholds_are_the_module_constants() -> None:
    assert rd.SYSTOLIC_MMHG_RANGE == (50.0, 280.0)
    assert rd.DIASTOLIC_MMHG_RANGE == (30.0, 180.0)
    assert rd.PULSE_BPM_RANGE == (25.0, 250.0)
    assert rd.SPO2_PCT_RANGE == (50.0, 100.0)
    assert rd.TEMPERATURE_C_RANGE == (30.0, 44.0)
    assert rd.WEIGHT_KG_RANGE == (20.0, 300.0)
    assert rd.HEIGHT_M_RANGE == (1.0, 2.3)
    assert rd.GLUCOSE_MMOL_L_RANGE == (1.0, 35.0)


@pytest.mark.parametrize("systolic, diastolic", [(80.0, 80.0), (90.0, 110.0)])
def test_systolic_not_above_diastolic_is_implausible(systolic, diastolic) -> None:
    with pytest.raises(ImplausibleValue):
        validate_plausible(BloodPressureReading(systolic, diastolic))


def test_implausible_is_an_invalid_measurement_and_its_detail_carries_no_value() -> None:
    with pytest.raises(InvalidMeasurement) as info:
        validate_plausible(TemperatureReading(47.3))
    assert "47.3" not in str(info.value)


def test_plx_status_names_its_bits_and_flags_untrustworthy_values() -> None:
    assert PlxMeasurementStatus(0x0080).flags == {"validated"}
    assert PlxMeasurementStatus(0x0080).trustworthy
    for bit in (13, 14, 15):
        assert not PlxMeasurementStatus(1 << bit).trustworthy
    assert PlxDeviceStatus(0x0003).flags == {"extended_display_update", "equipment_malfunction"}
    assert PlxDeviceStatus(0xFF0000).flags == frozenset()
