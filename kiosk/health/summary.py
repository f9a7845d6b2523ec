"""Words for a measurement in the current language: value rows, change since last time, spoken summary."""

from __future__ import annotations

from datetime import datetime

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment
from kiosk.i18n import N_, _, current_language, tr

LABELS = {
    "bp": N_("Blood pressure"), "pulse": N_("Pulse"), "spo2": N_("Blood oxygen"),
    "temperature": N_("Temperature"), "weight": N_("Weight"), "height": N_("Height"), "bmi": N_("BMI"),
    "glucose": N_("Blood sugar"),
}
UNIT_BPM, UNIT_KG, UNIT_CM = N_("bpm"), N_("kg"), N_("cm")
# Differences smaller than these read as "about the same" (the main value of each kind).
SAME_WITHIN = {"systolic_mmhg": 5.0, "diastolic_mmhg": 5.0, "spo2_pct": 1.0, "temperature_c": 0.3,
               "weight_kg": 0.5, "glucose_mmol_l": 0.3}
MAIN_VALUES = {"bp": ("systolic_mmhg", "diastolic_mmhg"), "spo2": ("spo2_pct",), "temperature": ("temperature_c",),
               "weight": ("weight_kg",), "glucose": ("glucose_mmol_l",)}


def _label(name: str) -> str:
    msgid = LABELS[name]
    return _(msgid)


def _int(value: float) -> str:
    return str(int(round(value)))


def _one(value: float) -> str:
    return f"{value:.1f}"


def number_text(m: Measurement) -> str:
    """The main number as shown: "135/85", "98", "36.5", "62.5", "5.4"."""
    v = m.values
    if m.kind == "bp":
        return f"{_int(v['systolic_mmhg'])}/{_int(v['diastolic_mmhg'])}"
    if m.kind == "spo2":
        return _int(v["spo2_pct"])
    return _one(v[MAIN_VALUES[m.kind][0]])


def value_rows(m: Measurement) -> list[tuple[str, str, str]]:
    """(label, number text, unit) per value shown, translated: ("血压", "135/85", "mmHg")."""
    v = m.values
    rows: list[tuple[str, str, str]] = []
    if m.kind == "bp":
        rows.append((_label("bp"), number_text(m), "mmHg"))
    elif m.kind == "spo2":
        rows.append((_label("spo2"), number_text(m), "%"))
    elif m.kind == "temperature":
        rows.append((_label("temperature"), number_text(m), "°C"))
    elif m.kind == "weight":
        rows.append((_label("weight"), number_text(m), _(UNIT_KG)))
        if "height_m" in v:
            rows.append((_label("height"), _int(v["height_m"] * 100), _(UNIT_CM)))
        if "bmi" in v:
            rows.append((_label("bmi"), _one(v["bmi"]), ""))
    elif m.kind == "glucose":
        rows.append((_label("glucose"), number_text(m), "mmol/L"))
    if m.kind in ("bp", "spo2") and "pulse_bpm" in v:
        rows.append((_label("pulse"), _int(v["pulse_bpm"]), _(UNIT_BPM)))
    return rows


def day_text(when: datetime) -> str:
    """A short local date: "3月5日" / "3/5"."""
    local = when.astimezone()
    return tr("{month}/{day}", month=local.month, day=local.day)


def change_since(m: Measurement, previous: Measurement | None) -> str:
    """Calm words comparing with the last measurement of the same kind; "" without one."""
    if previous is None or previous.kind != m.kind:
        return ""
    names = [n for n in MAIN_VALUES[m.kind] if n in m.values and n in previous.values]
    if not names:
        return ""
    diffs = [m.values[n] - previous.values[n] for n in names]
    params = {"when": day_text(previous.measured_at), "previous": number_text(previous)}
    if all(abs(d) < SAME_WITHIN[n] for n, d in zip(names, diffs)):
        return tr("About the same as last time ({when}: {previous}).", **params)
    if sum(diffs) > 0:
        return tr("Higher than last time ({when}: {previous}).", **params)
    return tr("Lower than last time ({when}: {previous}).", **params)


def _spoken_value(m: Measurement, kind: str) -> str:
    v = m.values
    if kind == "bp":
        return tr("Your blood pressure is {systolic} over {diastolic}.",
                  systolic=_int(v["systolic_mmhg"]), diastolic=_int(v["diastolic_mmhg"]))
    if kind == "pulse":
        return tr("Your pulse is {value} beats a minute.", value=_int(v["pulse_bpm"]))
    if kind == "spo2":
        return tr("Your blood oxygen is {value} percent.", value=_int(v["spo2_pct"]))
    if kind == "temperature":
        return tr("Your temperature is {value} degrees.", value=_one(v["temperature_c"]))
    if kind == "bmi":
        return tr("Your weight is {weight} kilograms, and your BMI is {value}.",
                  weight=_one(v["weight_kg"]), value=_one(v["bmi"]))
    if kind == "weight":
        return tr("Your weight is {weight} kilograms.", weight=_one(v["weight_kg"]))
    return tr("Your blood sugar is {value} millimoles per litre.", value=_one(v["glucose_mmol_l"]))


def spoken_summary(m: Measurement, assessments: list[Assessment], previous: Measurement | None) -> str:
    """What the kiosk says: the value, its category, the advice, then the change since last time.

    A normal pulse is left out to keep it short; the change comes last.
    """
    parts: list[str] = []
    if not assessments:
        parts.append(_spoken_value(m, m.kind))
    for a in assessments:
        if a.kind == "pulse" and a.level == 0:
            continue
        parts.append(_spoken_value(m, a.kind))
        parts.append(tr("That is {category}.", category=_(a.label)))
        parts.append(_(a.advice))
    change = change_since(m, previous)
    if change:
        parts.append(change)
    # Chinese sentences follow each other without spaces; English ones need one.
    return "".join(parts) if current_language().startswith("zh") else " ".join(parts)
