"""One resident's (or guest's) visit to the health cabin, the words for each measurement, sample data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kiosk.health.measurement import KINDS, ROLE_OF, Measurement
from kiosk.health.ranges import Assessment, HealthThresholds, assess, thresholds_from_config
from kiosk.i18n import N_, _

KIND_TITLES = {
    "bp": N_("Blood pressure"),
    "spo2": N_("Blood oxygen"),
    "temperature": N_("Temperature"),
    "weight": N_("Weight and BMI"),
    "glucose": N_("Blood sugar"),
}
KIND_SHORT = {  # the history's kind selector: five in one row at 1.5x
    "bp": N_("Blood pressure"),
    "spo2": N_("Oxygen"),
    "temperature": N_("Temperature"),
    "weight": N_("Weight"),
    "glucose": N_("Blood sugar"),
}
KIND_HINTS = {
    "bp": N_("Blood pressure and pulse, sitting down"),
    "spo2": N_("A finger in a small clip"),
    "temperature": N_("A few seconds at the forehead"),
    "weight": N_("Stand on the scale, shoes off"),
    "glucose": N_("One small drop of blood"),
}
PICTURE_WORDS = {
    "bp": N_("Picture: a seated person with the cuff on the upper arm, level with the heart"),
    "spo2": N_("Picture: a finger slid into the oximeter clip"),
    "temperature": N_("Picture: a thermometer held in front of the forehead"),
    "weight": N_("Picture: a person standing still in the middle of the scale"),
    "glucose": N_("Picture: a test strip in the meter with a small drop of blood"),
}


def kind_title(kind: str) -> str:
    return _(KIND_TITLES[kind])


@dataclass
class HealthVisit:
    """Who is measuring and whether their results may be kept (PIPL consent given)."""

    resident: Any = None  # kiosk.residents.Resident, or None for a guest (or a resident who said no)
    keep: bool = False  # True only for an identified resident who consented
    measurements: list[Measurement] = field(default_factory=list)  # of the current check

    @property
    def guest(self) -> bool:
        return self.resident is None

    @property
    def resident_id(self) -> str | None:
        return self.resident.resident_id if self.resident is not None and self.keep else None


def thresholds(config: Any) -> HealthThresholds:
    return thresholds_from_config(config)


def assessments_of(measurements: list[Measurement], limits: HealthThresholds) -> dict[str, list[Assessment]]:
    """Assessments per measurement kind, in the order measured."""
    return {m.kind: assess(m, limits) for m in measurements}


def role_of(kind: str) -> str:
    return ROLE_OF[kind]


# -- sample data: what screenshots and the audit render without a database ---------------------
SAMPLE_NOW = datetime(2025, 3, 18, 2, 30, tzinfo=timezone.utc)  # 10:30 in Hangzhou
SAMPLE_VALUES: dict[str, dict[str, float]] = {
    "bp": {"systolic_mmhg": 165.0, "diastolic_mmhg": 102.0, "pulse_bpm": 88.0},
    "spo2": {"spo2_pct": 97.0, "pulse_bpm": 76.0},
    "temperature": {"temperature_c": 36.6},
    "weight": {"weight_kg": 62.5, "height_m": 1.62, "bmi": 23.8},
    "glucose": {"glucose_mmol_l": 6.4},
}
SAMPLE_PREVIOUS: dict[str, dict[str, float]] = {
    "bp": {"systolic_mmhg": 138.0, "diastolic_mmhg": 86.0, "pulse_bpm": 80.0},
    "spo2": {"spo2_pct": 96.0, "pulse_bpm": 74.0},
    "temperature": {"temperature_c": 36.5},
    "weight": {"weight_kg": 63.4, "height_m": 1.62, "bmi": 24.2},
    "glucose": {"glucose_mmol_l": 5.8},
}


def sample_resident() -> Any:
    """A sample resident for screenshots, their masked name written as in the shown language."""
    from kiosk.i18n import current_language
    from kiosk.residents import Resident

    return Resident("R-SAMPLE", "王*国" if current_language().startswith("zh") else "Wang J.", 1953)


def sample_measurement(kind: str, *, previous: bool = False, days_ago: float = 0.0) -> Measurement:
    values = (SAMPLE_PREVIOUS if previous else SAMPLE_VALUES)[kind]
    when = SAMPLE_NOW - timedelta(days=days_ago or (7.0 if previous else 0.0))
    return Measurement(kind, dict(values), when, ROLE_OF[kind], "sim",
                       "forehead" if kind == "temperature" else None)


def sample_check(kinds: tuple[str, ...] = KINDS) -> list[Measurement]:
    return [sample_measurement(kind) for kind in kinds]


WHOLE_NUMBERS = ("systolic_mmhg", "diastolic_mmhg", "pulse_bpm", "spo2_pct")


def sample_history(kind: str, count: int = 30) -> list[Measurement]:
    """A plausible month of readings (oldest first) that wander around the sample values."""
    import math

    base = SAMPLE_VALUES[kind]
    out = []
    for i in range(count):
        wave = math.sin(i / 3.0) + 0.5 * math.sin(i / 1.7)
        values = {}
        for name, value in base.items():
            spread = {"systolic_mmhg": 12, "diastolic_mmhg": 7, "pulse_bpm": 6, "spo2_pct": 1.5,
                      "temperature_c": 0.3, "weight_kg": 0.8, "height_m": 0.0, "bmi": 0.3,
                      "glucose_mmol_l": 0.5}[name]
            digits = 2 if name == "height_m" else 0 if name in WHOLE_NUMBERS else 1
            values[name] = round(value - spread + spread * wave, digits)
        when = SAMPLE_NOW - timedelta(days=count - 1 - i, hours=(i % 3) * 2)
        out.append(Measurement(kind, values, when, ROLE_OF[kind], "sim"))
    return out
