"""Typed vitals readings (units in field names) and the plausibility gate every reading passes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, Union

from devices.errors import ImplausibleValue
from devices.messages import N_

# Timestamps are naive datetimes in the device's own clock: the GATT date-time carries no zone.

# Plausibility limits: values no living adult can show (inclusive bounds). Not screening
# thresholds (those live in configuration); these only catch decoding or sensor faults.
SYSTOLIC_MMHG_RANGE = (50.0, 280.0)
DIASTOLIC_MMHG_RANGE = (30.0, 180.0)
MEAN_ARTERIAL_MMHG_RANGE = (30.0, 250.0)
PULSE_BPM_RANGE = (25.0, 250.0)
SPO2_PCT_RANGE = (50.0, 100.0)
TEMPERATURE_C_RANGE = (30.0, 44.0)
WEIGHT_KG_RANGE = (20.0, 300.0)
HEIGHT_M_RANGE = (1.0, 2.3)
BMI_RANGE = (5.0, 100.0)
GLUCOSE_MMOL_L_RANGE = (1.0, 35.0)

IMPLAUSIBLE_KEY = N_("vitals.implausible")

TEMPERATURE_SITES = (
    "armpit", "body", "ear", "finger", "gi_tract", "mouth", "rectum", "toe", "tympanum",
)
PULSE_RANGES = ("in_range", "above", "below", "reserved")


@dataclass(frozen=True)
class BloodPressureStatus:
    """Measurement status bits of 0x2A35 (bit 0 body movement ... bit 5 improper position)."""

    body_movement: bool = False
    cuff_too_loose: bool = False
    irregular_pulse: bool = False
    improper_position: bool = False
    pulse_range: str = "in_range"


@dataclass(frozen=True)
class BloodPressureReading:
    kind: ClassVar[str] = "bp"

    systolic_mmhg: float
    diastolic_mmhg: float
    mean_arterial_mmhg: float | None = None
    pulse_bpm: float | None = None
    timestamp: datetime | None = None
    user_id: int | None = None
    status: BloodPressureStatus | None = None


@dataclass(frozen=True)
class CuffPressure:
    """Live cuff pressure while inflating/deflating (0x2A36): progress, not a result."""

    kind: ClassVar[str] = "cuff"

    cuff_mmhg: float


@dataclass(frozen=True)
class TemperatureReading:
    kind: ClassVar[str] = "temperature"

    temperature_c: float
    timestamp: datetime | None = None
    site: str | None = None  # one of TEMPERATURE_SITES


@dataclass(frozen=True)
class WeightReading:
    kind: ClassVar[str] = "weight"

    weight_kg: float
    height_m: float | None = None
    bmi: float | None = None
    timestamp: datetime | None = None
    user_id: int | None = None


# PLX Measurement Status (16 bit) and Device and Sensor Status (24 bit) bit names.
PLX_MEASUREMENT_STATUS_BITS = {
    5: "measurement_ongoing", 6: "early_estimate", 7: "validated", 8: "fully_qualified",
    9: "from_storage", 10: "for_demonstration", 11: "for_testing", 12: "calibration_ongoing",
    13: "unavailable", 14: "questionable", 15: "invalid",
}
PLX_DEVICE_STATUS_BITS = {
    0: "extended_display_update", 1: "equipment_malfunction", 2: "signal_irregularity",
    3: "inadequate_signal", 4: "poor_signal", 5: "low_perfusion", 6: "erratic_signal",
    7: "nonpulsatile_signal", 8: "questionable_pulse", 9: "signal_analysis_ongoing",
    10: "sensor_interference", 11: "sensor_unconnected", 12: "unknown_sensor",
    13: "sensor_displaced", 14: "sensor_malfunction", 15: "sensor_disconnected",
}


def _bit_names(raw: int, names: dict[int, str]) -> frozenset[str]:
    return frozenset(name for bit, name in names.items() if raw >> bit & 1)


@dataclass(frozen=True)
class PlxMeasurementStatus:
    raw: int

    @property
    def flags(self) -> frozenset[str]:
        return _bit_names(self.raw, PLX_MEASUREMENT_STATUS_BITS)

    @property
    def trustworthy(self) -> bool:
        """False when the oximeter itself flags the value unavailable, questionable or invalid."""
        return not self.flags & {"unavailable", "questionable", "invalid"}


@dataclass(frozen=True)
class PlxDeviceStatus:
    raw: int

    @property
    def flags(self) -> frozenset[str]:
        return _bit_names(self.raw, PLX_DEVICE_STATUS_BITS)


@dataclass(frozen=True)
class SpO2Reading:
    """Spot-check (0x2A5E) or continuous (0x2A5F) oximetry; fast/slow only from continuous."""

    kind: ClassVar[str] = "spo2"

    spo2_pct: float
    pulse_bpm: float | None = None
    timestamp: datetime | None = None
    measurement_status: PlxMeasurementStatus | None = None
    device_status: PlxDeviceStatus | None = None
    pulse_amplitude_index: float | None = None
    device_clock_not_set: bool = False
    continuous: bool = False
    spo2_fast_pct: float | None = None
    pulse_fast_bpm: float | None = None
    spo2_slow_pct: float | None = None
    pulse_slow_bpm: float | None = None


GLUCOSE_SAMPLE_TYPES = {
    1: "capillary_whole_blood", 2: "capillary_plasma", 3: "venous_whole_blood",
    4: "venous_plasma", 5: "arterial_whole_blood", 6: "arterial_plasma",
    7: "undetermined_whole_blood", 8: "undetermined_plasma", 9: "interstitial_fluid",
    10: "control_solution",
}
GLUCOSE_SAMPLE_LOCATIONS = {
    1: "finger", 2: "alternate_site", 3: "earlobe", 4: "control_solution",
}


@dataclass(frozen=True)
class GlucoseReading:
    """One stored glucose record; ``glucose_mmol_l`` is None for records without a value."""

    kind: ClassVar[str] = "glucose"

    glucose_mmol_l: float | None
    sequence: int
    timestamp: datetime | None = None  # the record's base time
    time_offset_min: int | None = None
    sample_type: str | None = None
    sample_location: str | None = None
    sensor_status: int | None = None
    context_follows: bool = False

    @property
    def effective_timestamp(self) -> datetime | None:
        """Base time plus the time offset: when the sample was taken by the meter's clock."""
        if self.timestamp is None:
            return None
        return self.timestamp + timedelta(minutes=self.time_offset_min or 0)


Reading = Union[
    BloodPressureReading, TemperatureReading, WeightReading, SpO2Reading, GlucoseReading
]


def _check(name: str, value: float | None, bounds: tuple[float, float]) -> None:
    if value is None:
        return
    low, high = bounds
    if not (math.isfinite(value) and low <= value <= high):
        # The detail names the field and bounds only: it may be logged, the value may not.
        raise ImplausibleValue(
            f"{name} outside {low:g}..{high:g}", key=IMPLAUSIBLE_KEY, field=name
        )


def validate_plausible(reading: object) -> None:
    """Raise ImplausibleValue (key ``vitals.implausible``) if no living adult could show this.

    Returns None for plausible readings and for progress objects such as CuffPressure.
    """
    if isinstance(reading, BloodPressureReading):
        _check("systolic_mmhg", reading.systolic_mmhg, SYSTOLIC_MMHG_RANGE)
        _check("diastolic_mmhg", reading.diastolic_mmhg, DIASTOLIC_MMHG_RANGE)
        if reading.systolic_mmhg <= reading.diastolic_mmhg:
            raise ImplausibleValue(
                "systolic_mmhg not above diastolic_mmhg", key=IMPLAUSIBLE_KEY,
                field="systolic_mmhg",
            )
        _check("mean_arterial_mmhg", reading.mean_arterial_mmhg, MEAN_ARTERIAL_MMHG_RANGE)
        _check("pulse_bpm", reading.pulse_bpm, PULSE_BPM_RANGE)
    elif isinstance(reading, SpO2Reading):
        _check("spo2_pct", reading.spo2_pct, SPO2_PCT_RANGE)
        _check("pulse_bpm", reading.pulse_bpm, PULSE_BPM_RANGE)
        _check("spo2_fast_pct", reading.spo2_fast_pct, SPO2_PCT_RANGE)
        _check("spo2_slow_pct", reading.spo2_slow_pct, SPO2_PCT_RANGE)
        _check("pulse_fast_bpm", reading.pulse_fast_bpm, PULSE_BPM_RANGE)
        _check("pulse_slow_bpm", reading.pulse_slow_bpm, PULSE_BPM_RANGE)
    elif isinstance(reading, TemperatureReading):
        _check("temperature_c", reading.temperature_c, TEMPERATURE_C_RANGE)
    elif isinstance(reading, WeightReading):
        _check("weight_kg", reading.weight_kg, WEIGHT_KG_RANGE)
        _check("height_m", reading.height_m, HEIGHT_M_RANGE)
        _check("bmi", reading.bmi, BMI_RANGE)
    elif isinstance(reading, GlucoseReading):
        _check("glucose_mmol_l", reading.glucose_mmol_l, GLUCOSE_MMOL_L_RANGE)
