"""The screening categories (``kind.name``) and which ones reach the doctor's list by default."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "bp.normal", "bp.high_normal", "bp.grade1", "bp.grade2", "bp.grade3",
    "pulse.normal", "pulse.slow", "pulse.fast",
    "spo2.normal", "spo2.remeasure", "spo2.see_doctor",
    "temperature.normal", "temperature.low_fever", "temperature.moderate_fever", "temperature.high_fever",
    "bmi.underweight", "bmi.normal", "bmi.overweight", "bmi.obese",
    "glucose.low", "glucose.normal", "glucose.impaired", "glucose.diabetic",
)

# Every category whose advice is "see the community doctor" (level 2 and 3).
DEFAULT_ALERT_CATEGORIES: tuple[str, ...] = (
    "bp.grade2", "bp.grade3", "spo2.see_doctor", "temperature.moderate_fever",
    "temperature.high_fever", "glucose.low", "glucose.diabetic",
)


def parse_category_list(text: str) -> tuple[str, ...]:
    """``"bp.grade2, spo2.see_doctor"`` -> the categories; ValueError names an unknown one."""
    found = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [c for c in found if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown categor{'ies' if len(unknown) > 1 else 'y'} {', '.join(unknown)}")
    return found
