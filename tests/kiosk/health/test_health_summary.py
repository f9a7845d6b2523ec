"""Value rows, change since last time and the spoken summary, in Chinese and in English."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import assess
from kiosk.health.summary import change_since, spoken_summary, value_rows
from kiosk.i18n import set_language

NOW = datetime(2026, 3, 5, 4, 0, tzinfo=timezone.utc)
LAST = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)  # noon in Beijing, early morning in UTC: same date


def m(kind: str, when: datetime = NOW, **values: float) -> Measurement:
    return Measurement(kind, {k: float(v) for k, v in values.items()}, when, kind, "sim")


BP = m("bp", systolic_mmhg=135, diastolic_mmhg=85, pulse_bpm=72)


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh_CN", {
        "bp": [("血压", "135/85", "mmHg"), ("脉搏", "72", "次/分")],
        "spo2": [("血氧", "97", "%")],
        "temperature": [("体温", "36.5", "°C")],
        "weight": [("体重", "62.5", "公斤"), ("身高", "162", "厘米"), ("体质指数", "23.8", "")],
        "glucose": [("血糖", "5.4", "mmol/L")],
    }),
    ("en", {
        "bp": [("Blood pressure", "135/85", "mmHg"), ("Pulse", "72", "bpm")],
        "spo2": [("Blood oxygen", "97", "%")],
        "temperature": [("Temperature", "36.5", "°C")],
        "weight": [("Weight", "62.5", "kg"), ("Height", "162", "cm"), ("BMI", "23.8", "")],
        "glucose": [("Blood sugar", "5.4", "mmol/L")],
    }),
])
def test_value_rows_are_translated_with_units(lang, expected):
    set_language(lang)
    measurements = {
        "bp": BP, "spo2": m("spo2", spo2_pct=97), "temperature": m("temperature", temperature_c=36.5),
        "weight": m("weight", weight_kg=62.5, height_m=1.62, bmi=23.8), "glucose": m("glucose", glucose_mmol_l=5.4),
    }
    assert {kind: value_rows(x) for kind, x in measurements.items()} == expected


def test_no_previous_measurement_means_no_change_text():
    assert change_since(BP, None) == ""
    assert change_since(BP, m("spo2", LAST, spo2_pct=97)) == ""


@pytest.mark.parametrize(("previous", "zh", "en"), [
    (m("bp", LAST, systolic_mmhg=132, diastolic_mmhg=83), "和上次（3月2日，132/83）差不多。",
     "About the same as last time (3/2: 132/83)."),
    (m("bp", LAST, systolic_mmhg=125, diastolic_mmhg=80), "比上次（3月2日，125/80）高一些。",
     "Higher than last time (3/2: 125/80)."),
    (m("bp", LAST, systolic_mmhg=150, diastolic_mmhg=95), "比上次（3月2日，150/95）低一些。",
     "Lower than last time (3/2: 150/95)."),
])
def test_change_since_last_time_in_both_languages(previous, zh, en):
    set_language("zh_CN")
    assert change_since(BP, previous) == zh
    set_language("en")
    assert change_since(BP, previous) == en


def test_small_temperature_changes_read_as_the_same():
    now, before = m("temperature", temperature_c=36.7), m("temperature", LAST, temperature_c=36.5)
    set_language("en")
    assert change_since(now, before) == "About the same as last time (3/2: 36.5)."
    assert change_since(m("temperature", temperature_c=37.0), before).startswith("Higher")


def test_spoken_summary_of_blood_pressure_in_chinese(thresholds):
    set_language("zh_CN")
    previous = m("bp", LAST, systolic_mmhg=125, diastolic_mmhg=80)
    text = spoken_summary(BP, assess(BP, thresholds), previous)
    assert text == (
        "您的血压是高压135，低压85。属于正常高值。"
        "比理想值稍高一点。建议少吃盐、多活动，过几天再测一次。"
        "比上次（3月2日，125/80）高一些。"
    )


def test_spoken_summary_in_english_mentions_an_unusual_pulse_and_the_doctor(thresholds):
    set_language("en")
    high = m("bp", systolic_mmhg=165, diastolic_mmhg=102, pulse_bpm=105)
    text = spoken_summary(high, assess(high, thresholds), None)
    assert text == (
        "Your blood pressure is 165 over 102. That is Moderately high (grade 2). "
        "Your blood pressure is high. Please see the community doctor in the next few days. "
        "Your pulse is 105 beats a minute. That is Fast. "
        "Your pulse is a little fast. Sit and rest for a few minutes, then measure again."
    )


@pytest.mark.parametrize(("measurement", "zh_start", "en_start"), [
    (m("spo2", spo2_pct=88), "您的血氧是百分之88。属于偏低。", "Your blood oxygen is 88 percent. That is Low."),
    (m("temperature", temperature_c=38.6), "您的体温是38.6度。属于中度发热。",
     "Your temperature is 38.6 degrees. That is Moderate fever."),
    (m("weight", weight_kg=62.5, height_m=1.62, bmi=23.8), "您的体重是62.5公斤，体质指数是23.8。属于正常。",
     "Your weight is 62.5 kilograms, and your BMI is 23.8. That is Normal."),
    (m("weight", weight_kg=62.5), "您的体重是62.5公斤。", "Your weight is 62.5 kilograms."),
    (m("glucose", glucose_mmol_l=9.8), "您的血糖是每升9.8毫摩尔。属于偏高。",
     "Your blood sugar is 9.8 millimoles per litre. That is High."),
])
def test_spoken_summary_of_each_kind(thresholds, measurement, zh_start, en_start):
    set_language("zh_CN")
    assert spoken_summary(measurement, assess(measurement, thresholds), None).startswith(zh_start)
    set_language("en")
    assert spoken_summary(measurement, assess(measurement, thresholds), None).startswith(en_start)
