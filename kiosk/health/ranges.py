"""Screening categories of a measurement from the configured Chinese reference ranges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from kiosk.config import KioskConfig
from kiosk.health.categories import parse_category_list
from kiosk.health.measurement import Measurement
from kiosk.i18n import N_

LEVEL_NORMAL, LEVEL_ATTENTION, LEVEL_DOCTOR, LEVEL_DOCTOR_SOON = 0, 1, 2, 3
ICONS = {LEVEL_NORMAL: "ok", LEVEL_ATTENTION: "attention", LEVEL_DOCTOR: "doctor", LEVEL_DOCTOR_SOON: "doctor"}
# Categories below the normal band: FHIR interpretation L/LL instead of H/HH.
LOW_CATEGORIES = frozenset({"pulse.slow", "spo2.remeasure", "spo2.see_doctor", "bmi.underweight", "glucose.low"})


@dataclass(frozen=True)
class Assessment:
    kind: str  # "bp", "pulse", "spo2", "temperature", "bmi", "glucose"
    category: str  # "bp.high_normal", ... (kiosk.health.categories.CATEGORIES)
    level: int  # 0 normal, 1 attention, 2 see the community doctor, 3 see a doctor soon
    label: str  # msgid of the category words; show _(label)
    advice: str  # msgid of calm advice; show _(advice)
    icon: str  # "ok" | "attention" | "doctor": never colour alone
    alert: bool  # goes to the community doctor's follow-up list

    @property
    def low(self) -> bool:
        """Below the normal band (for FHIR interpretation and arrows)."""
        return self.category in LOW_CATEGORIES


@dataclass(frozen=True)
class HealthThresholds:
    """The [health] thresholds (see kiosk.config.HealthSection for what each means)."""

    bp_high_normal_systolic_mmhg: float
    bp_high_normal_diastolic_mmhg: float
    bp_grade1_systolic_mmhg: float
    bp_grade1_diastolic_mmhg: float
    bp_grade2_systolic_mmhg: float
    bp_grade2_diastolic_mmhg: float
    bp_grade3_systolic_mmhg: float
    bp_grade3_diastolic_mmhg: float
    pulse_slow_below_bpm: float
    pulse_fast_above_bpm: float
    spo2_normal_from_pct: float
    spo2_doctor_below_pct: float
    temperature_fever_from_c: float
    temperature_moderate_above_c: float
    temperature_high_above_c: float
    bmi_underweight_below: float
    bmi_overweight_from: float
    bmi_obese_from: float
    glucose_low_below_mmol_l: float
    glucose_impaired_above_mmol_l: float
    glucose_diabetic_from_mmol_l: float
    alert_categories: frozenset[str]
    retention_days: int


def thresholds_from_config(config: KioskConfig) -> HealthThresholds:
    """The thresholds of ``config.health`` (defaults: STANDARDS.md section 7)."""
    section = config.health
    values = {name: getattr(section, name) for name in HealthThresholds.__dataclass_fields__
              if name != "alert_categories"}
    return HealthThresholds(**values, alert_categories=frozenset(parse_category_list(section.alert_categories)))


# category -> (level, label msgid, advice msgid)
_INFO: dict[str, tuple[int, str, str]] = {
    "bp.normal": (0, N_("Normal"), N_("Your blood pressure is in the normal range. Keep up your good habits.")),
    "bp.high_normal": (1, N_("High-normal"), N_(
        "Slightly above the ideal. Eat less salt, stay active, and measure again in a few days.")),
    "bp.grade1": (1, N_("Mildly high (grade 1)"), N_(
        "A little high today. Rest, and measure again on another day. "
        "If it stays high, please talk with the community doctor.")),
    "bp.grade2": (2, N_("Moderately high (grade 2)"), N_(
        "Your blood pressure is high. Please see the community doctor in the next few days.")),
    "bp.grade3": (3, N_("Clearly high (grade 3)"), N_(
        "Your blood pressure is quite high. Please sit and rest quietly, and see a doctor today.")),
    "pulse.normal": (0, N_("Normal"), N_("Your pulse is in the normal range.")),
    "pulse.slow": (1, N_("Slow"), N_(
        "Your pulse is a little slow. If you feel dizzy or tired, please talk with the community doctor.")),
    "pulse.fast": (1, N_("Fast"), N_("Your pulse is a little fast. Sit and rest for a few minutes, then measure again.")),
    "spo2.normal": (0, N_("Normal"), N_("Your blood oxygen is in the normal range.")),
    "spo2.remeasure": (1, N_("A little low"), N_(
        "A little low. Warm your hand, keep it still, and measure again.")),
    "spo2.see_doctor": (2, N_("Low"), N_(
        "Your blood oxygen is low. Please rest, and see the community doctor today.")),
    "temperature.normal": (0, N_("Normal"), N_("Your temperature is normal.")),
    "temperature.low_fever": (1, N_("Low fever"), N_(
        "A slight fever. Drink warm water, rest, and measure again later.")),
    "temperature.moderate_fever": (2, N_("Moderate fever"), N_(
        "You have a fever. Please rest, and see the community doctor.")),
    "temperature.high_fever": (3, N_("High fever"), N_(
        "You have a high fever. Please see a doctor soon, and let your family know.")),
    "bmi.underweight": (1, N_("Underweight"), N_(
        "You are a little light for your height. Eat regular, nourishing meals.")),
    "bmi.normal": (0, N_("Normal"), N_("Your weight suits your height. Keep it up.")),
    "bmi.overweight": (1, N_("Overweight"), N_(
        "A little above the healthy weight. A daily walk and lighter meals help.")),
    "bmi.obese": (1, N_("Obese"), N_(
        "Above the healthy weight. The community doctor can help you plan meals and exercise.")),
    "glucose.low": (2, N_("Low"), N_(
        "Your blood sugar is low. Please eat or drink something sweet now, and see the community doctor.")),
    "glucose.normal": (0, N_("Normal"), N_("Your blood sugar is in the normal range.")),
    "glucose.impaired": (1, N_("Slightly high"), N_(
        "A little high. If you had not eaten, measure again on another morning before breakfast.")),
    "glucose.diabetic": (2, N_("High"), N_(
        "Your blood sugar is high. If you had not eaten, please see the community doctor.")),
}


def make_assessment(category: str, thresholds: HealthThresholds) -> Assessment:
    level, label, advice = _INFO[category]
    return Assessment(category.split(".", 1)[0], category, level, label, advice, ICONS[level],
                      category in thresholds.alert_categories)


def _bp_grade(value: float, t: HealthThresholds, side: str) -> int:
    bounds = (getattr(t, f"bp_high_normal_{side}_mmhg"), getattr(t, f"bp_grade1_{side}_mmhg"),
              getattr(t, f"bp_grade2_{side}_mmhg"), getattr(t, f"bp_grade3_{side}_mmhg"))
    return sum(value >= bound for bound in bounds)


def bp_category(systolic_mmhg: float, diastolic_mmhg: float, t: HealthThresholds) -> str:
    """The higher of the systolic and diastolic grades wins."""
    grade = max(_bp_grade(systolic_mmhg, t, "systolic"), _bp_grade(diastolic_mmhg, t, "diastolic"))
    return ("bp.normal", "bp.high_normal", "bp.grade1", "bp.grade2", "bp.grade3")[grade]


def pulse_category(pulse_bpm: float, t: HealthThresholds) -> str:
    if pulse_bpm < t.pulse_slow_below_bpm:
        return "pulse.slow"
    if pulse_bpm > t.pulse_fast_above_bpm:
        return "pulse.fast"
    return "pulse.normal"


def spo2_category(spo2_pct: float, t: HealthThresholds) -> str:
    if spo2_pct < t.spo2_doctor_below_pct:
        return "spo2.see_doctor"
    if spo2_pct < t.spo2_normal_from_pct:
        return "spo2.remeasure"
    return "spo2.normal"


def temperature_category(temperature_c: float, t: HealthThresholds) -> str:
    if temperature_c > t.temperature_high_above_c:
        return "temperature.high_fever"
    if temperature_c > t.temperature_moderate_above_c:
        return "temperature.moderate_fever"
    if temperature_c >= t.temperature_fever_from_c:
        return "temperature.low_fever"
    return "temperature.normal"


def bmi_category(bmi: float, t: HealthThresholds) -> str:
    if bmi < t.bmi_underweight_below:
        return "bmi.underweight"
    if bmi >= t.bmi_obese_from:
        return "bmi.obese"
    if bmi >= t.bmi_overweight_from:
        return "bmi.overweight"
    return "bmi.normal"


def glucose_category(glucose_mmol_l: float, t: HealthThresholds) -> str:
    if glucose_mmol_l < t.glucose_low_below_mmol_l:
        return "glucose.low"
    if glucose_mmol_l >= t.glucose_diabetic_from_mmol_l:
        return "glucose.diabetic"
    if glucose_mmol_l > t.glucose_impaired_above_mmol_l:
        return "glucose.impaired"
    return "glucose.normal"


def assess(m: Measurement, thresholds: HealthThresholds) -> list[Assessment]:
    """bp -> [bp, pulse?]; spo2 -> [spo2, pulse?]; weight -> [bmi] when BMI is known; else one."""
    v, t = m.values, thresholds
    categories: list[str] = []
    if m.kind == "bp":
        categories.append(bp_category(v["systolic_mmhg"], v["diastolic_mmhg"], t))
    elif m.kind == "spo2":
        categories.append(spo2_category(v["spo2_pct"], t))
    elif m.kind == "temperature":
        categories.append(temperature_category(v["temperature_c"], t))
    elif m.kind == "weight" and "bmi" in v:
        categories.append(bmi_category(v["bmi"], t))
    elif m.kind == "glucose":
        categories.append(glucose_category(v["glucose_mmol_l"], t))
    if m.kind in ("bp", "spo2") and "pulse_bpm" in v:
        categories.append(pulse_category(v["pulse_bpm"], t))
    return [make_assessment(c, t) for c in categories]


def worst_level(assessments: Iterable[Assessment]) -> int:
    return max((a.level for a in assessments), default=LEVEL_NORMAL)


def any_alert(assessments: Iterable[Assessment]) -> bool:
    return any(a.alert for a in assessments)
