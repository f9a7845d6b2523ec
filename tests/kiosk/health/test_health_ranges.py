"""Screening categories at every boundary of the Chinese reference ranges, from configuration."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk.config import ConfigError, parse
from kiosk.health.categories import CATEGORIES, DEFAULT_ALERT_CATEGORIES
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import assess, make_assessment, thresholds_from_config, worst_level
from kiosk.i18n import _, set_language

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)


def m(kind: str, **values: float) -> Measurement:
    return Measurement(kind, {k: float(v) for k, v in values.items()}, NOW, kind, "sim")


@pytest.mark.parametrize(("systolic", "diastolic", "category"), [
    (119, 79, "bp.normal"),
    (120, 79, "bp.high_normal"), (119, 80, "bp.high_normal"), (139, 89, "bp.high_normal"),
    (140, 89, "bp.grade1"), (139, 90, "bp.grade1"), (159, 99, "bp.grade1"),
    (160, 99, "bp.grade2"), (159, 100, "bp.grade2"), (179, 109, "bp.grade2"),
    (180, 109, "bp.grade3"), (179, 110, "bp.grade3"), (200, 120, "bp.grade3"),
    (125, 105, "bp.grade2"),  # the higher of the two grades wins
    (165, 70, "bp.grade2"),
])
def test_blood_pressure_boundaries(thresholds, systolic, diastolic, category):
    assert assess(m("bp", systolic_mmhg=systolic, diastolic_mmhg=diastolic), thresholds)[0].category == category


@pytest.mark.parametrize(("pulse", "category"), [
    (59, "pulse.slow"), (60, "pulse.normal"), (100, "pulse.normal"), (101, "pulse.fast"),
])
def test_pulse_boundaries_with_blood_pressure_and_oximetry(thresholds, pulse, category):
    bp = assess(m("bp", systolic_mmhg=118, diastolic_mmhg=76, pulse_bpm=pulse), thresholds)
    spo2 = assess(m("spo2", spo2_pct=98, pulse_bpm=pulse), thresholds)
    assert [a.category for a in bp] == ["bp.normal", category]
    assert [a.category for a in spo2] == ["spo2.normal", category]


@pytest.mark.parametrize(("spo2", "category"), [
    (89, "spo2.see_doctor"), (90, "spo2.remeasure"), (94, "spo2.remeasure"), (95, "spo2.normal"), (100, "spo2.normal"),
])
def test_spo2_boundaries(thresholds, spo2, category):
    assert [a.category for a in assess(m("spo2", spo2_pct=spo2), thresholds)] == [category]


@pytest.mark.parametrize(("celsius", "category"), [
    (37.2, "temperature.normal"), (37.3, "temperature.low_fever"), (38.0, "temperature.low_fever"),
    (38.1, "temperature.moderate_fever"), (39.0, "temperature.moderate_fever"), (39.1, "temperature.high_fever"),
])
def test_temperature_boundaries(thresholds, celsius, category):
    assert [a.category for a in assess(m("temperature", temperature_c=celsius), thresholds)] == [category]


@pytest.mark.parametrize(("bmi", "category"), [
    (18.4, "bmi.underweight"), (18.5, "bmi.normal"), (23.9, "bmi.normal"), (24.0, "bmi.overweight"),
    (27.9, "bmi.overweight"), (28.0, "bmi.obese"),
])
def test_bmi_boundaries(thresholds, bmi, category):
    assert [a.category for a in assess(m("weight", weight_kg=60, height_m=1.6, bmi=bmi), thresholds)] == [category]


def test_weight_without_height_has_no_category(thresholds):
    assert assess(m("weight", weight_kg=60), thresholds) == []


@pytest.mark.parametrize(("mmol_l", "category"), [
    (3.8, "glucose.low"), (3.9, "glucose.normal"), (6.0, "glucose.normal"), (6.1, "glucose.impaired"),
    (6.9, "glucose.impaired"), (7.0, "glucose.diabetic"),
])
def test_glucose_boundaries(thresholds, mmol_l, category):
    assert [a.category for a in assess(m("glucose", glucose_mmol_l=mmol_l), thresholds)] == [category]


def test_levels_icons_and_alerts_follow_the_guideline(thresholds):
    for category in CATEGORIES:
        a = make_assessment(category, thresholds)
        assert a.icon == {0: "ok", 1: "attention", 2: "doctor", 3: "doctor"}[a.level]
        assert a.alert == (category in DEFAULT_ALERT_CATEGORIES)
        assert a.alert == (a.level >= 2)  # by default: exactly the "see the community doctor" ones
    assert make_assessment("bp.grade3", thresholds).level == 3
    assert make_assessment("spo2.see_doctor", thresholds).level == 2
    assert make_assessment("bp.high_normal", thresholds).level == 1
    assert worst_level(assess(m("bp", systolic_mmhg=165, diastolic_mmhg=102, pulse_bpm=72), thresholds)) == 2
    assert worst_level([]) == 0


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_advice_is_calm_and_sends_to_the_doctor_when_due(thresholds, lang):
    set_language(lang)
    doctor = {"zh_CN": "医生", "en": "doctor"}[lang]
    for category in CATEGORIES:
        a = make_assessment(category, thresholds)
        advice, label = _(a.advice), _(a.label)
        assert advice != a.advice or lang == "en"  # translated
        assert "!" not in advice and "！" not in advice
        for word in ("danger", "emergency", "immediately", "危险", "紧急", "立即"):
            assert word not in advice.lower()
        if a.level >= 2:
            assert doctor in advice, (category, advice)
        assert label


def test_thresholds_come_from_the_configuration():
    config = parse({"health": {
        "bp_grade1_systolic_mmhg": 135, "temperature_fever_from_c": 37.5, "spo2_normal_from_pct": 96,
        "glucose_diabetic_from_mmol_l": 7.5, "bmi_overweight_from": 25.0, "pulse_fast_above_bpm": 110,
        "alert_categories": "bp.grade1, spo2.remeasure", "retention_days": 7,
    }})
    t = thresholds_from_config(config)
    assert t.retention_days == 7
    grade1 = assess(m("bp", systolic_mmhg=135, diastolic_mmhg=70), t)[0]
    assert (grade1.category, grade1.alert) == ("bp.grade1", True)
    assert assess(m("bp", systolic_mmhg=165, diastolic_mmhg=70), t)[0].alert is False
    assert assess(m("temperature", temperature_c=37.4), t)[0].category == "temperature.normal"
    spo2 = assess(m("spo2", spo2_pct=95, pulse_bpm=105), t)
    assert [(a.category, a.alert) for a in spo2] == [("spo2.remeasure", True), ("pulse.normal", False)]
    assert assess(m("glucose", glucose_mmol_l=7.2), t)[0].category == "glucose.impaired"
    assert assess(m("weight", weight_kg=70, height_m=1.7, bmi=24.5), t)[0].category == "bmi.normal"


@pytest.mark.parametrize(("raw", "key", "problem"), [
    ({"alert_categories": "bp.grade2,bp.grade7"}, "health.alert_categories", "unknown category bp.grade7"),
    ({"bp_grade2_systolic_mmhg": 130}, "health.bp_grade2_systolic_mmhg",
     "must be more than health.bp_grade1_systolic_mmhg (140)"),
    ({"spo2_doctor_below_pct": 96}, "health.spo2_normal_from_pct",
     "must be more than health.spo2_doctor_below_pct (96)"),
    ({"retention_days": 0}, "health.retention_days", "must be at least 1"),
])
def test_bad_health_settings_name_their_key(raw, key, problem):
    with pytest.raises(ConfigError) as caught:
        parse({"health": raw}, "kiosk.toml")
    assert (caught.value.key, caught.value.problem) == (key, problem)
