"""One vital-sign measurement as the health cabin keeps it, made from a driver's typed reading."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from devices.errors import ImplausibleValue
from devices.vitals.readings import (
    BMI_RANGE,
    IMPLAUSIBLE_KEY,
    BloodPressureReading,
    GlucoseReading,
    SpO2Reading,
    TemperatureReading,
    WeightReading,
    validate_plausible,
)

KINDS = ("bp", "spo2", "temperature", "weight", "glucose")
ROLE_OF = {"bp": "bp", "spo2": "spo2", "temperature": "thermometer", "weight": "scale", "glucose": "glucose"}

# Decimals kept per value: what the screen shows is what the ranges classify.
DECIMALS = {
    "systolic_mmhg": 0, "diastolic_mmhg": 0, "pulse_bpm": 0, "spo2_pct": 0, "temperature_c": 1,
    "weight_kg": 1, "height_m": 2, "bmi": 1, "glucose_mmol_l": 1,
}


@dataclass(frozen=True)
class Measurement:
    kind: str  # one of KINDS
    values: dict[str, float] = field(hash=False)
    measured_at: datetime  # timezone-aware UTC, the kiosk's clock (device clocks are unreliable)
    device_role: str
    device_driver: str
    site: str | None = None  # temperature site (armpit, forehead, ...)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown measurement kind {self.kind!r}")
        if self.measured_at.tzinfo is None:
            raise ValueError("measured_at must be timezone-aware")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "values": dict(self.values), "measured_at": self.measured_at.isoformat(),
                "device_role": self.device_role, "device_driver": self.device_driver, "site": self.site}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Measurement:
        return cls(data["kind"], {k: float(v) for k, v in data["values"].items()},
                   datetime.fromisoformat(data["measured_at"]), data["device_role"], data["device_driver"],
                   data.get("site"))


def _rounded(name: str, value: float) -> float:
    return float(round(value, DECIMALS[name]))


def bmi(weight_kg: float, height_m: float) -> float:
    """Body-mass index (kg/m2) to one decimal; ValueError for a non-positive weight or height."""
    if weight_kg <= 0 or height_m <= 0:
        raise ValueError("weight and height must be positive")
    return round(weight_kg / (height_m * height_m), 1)


def from_reading(reading: Any, *, role: str, driver_id: str, height_m: float | None = None,
                 now: datetime | None = None) -> Measurement:
    """The Measurement of a driver's reading (devices.vitals.readings), timed by the kiosk clock.

    Weight gets height (the reading's, else ``height_m``) and BMI computed from both. Raises
    ImplausibleValue (key ``vitals.implausible``) for values no living adult shows or a glucose
    record without a value, and TypeError for anything that is not a result (cuff pressure).
    """
    measured_at = now or datetime.now(timezone.utc)
    if measured_at.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    measured_at = measured_at.astimezone(timezone.utc)
    validate_plausible(reading)
    site = None
    if isinstance(reading, BloodPressureReading):
        kind = "bp"
        raw = {"systolic_mmhg": reading.systolic_mmhg, "diastolic_mmhg": reading.diastolic_mmhg,
               "pulse_bpm": reading.pulse_bpm}
    elif isinstance(reading, SpO2Reading):
        kind = "spo2"
        raw = {"spo2_pct": reading.spo2_pct, "pulse_bpm": reading.pulse_bpm}
    elif isinstance(reading, TemperatureReading):
        kind, site = "temperature", reading.site
        raw = {"temperature_c": reading.temperature_c}
    elif isinstance(reading, WeightReading):
        kind = "weight"
        height = reading.height_m or height_m
        raw = {"weight_kg": reading.weight_kg, "height_m": height}
        if height:
            raw["bmi"] = bmi(reading.weight_kg, height)
            low, high = BMI_RANGE
            if not low <= raw["bmi"] <= high:
                raise ImplausibleValue(f"bmi outside {low:g}..{high:g}", key=IMPLAUSIBLE_KEY, field="bmi")
    elif isinstance(reading, GlucoseReading):
        kind = "glucose"
        if reading.glucose_mmol_l is None:
            raise ImplausibleValue("glucose record without a value", key=IMPLAUSIBLE_KEY, field="glucose_mmol_l")
        raw = {"glucose_mmol_l": reading.glucose_mmol_l}
    else:
        raise TypeError(f"{type(reading).__name__} is not a vitals result")
    values = {name: _rounded(name, value) for name, value in raw.items() if value is not None}
    if kind == "bp" and values["systolic_mmhg"] <= values["diastolic_mmhg"]:
        raise ImplausibleValue("systolic_mmhg not above diastolic_mmhg", key=IMPLAUSIBLE_KEY, field="systolic_mmhg")
    return Measurement(kind, values, measured_at, role, driver_id, site)
