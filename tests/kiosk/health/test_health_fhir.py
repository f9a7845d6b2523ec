"""FHIR R4 Observations of every kind validate with fhir.resources (R4B) and carry LOINC + UCUM."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from fhir.resources.R4B.observation import Observation

from kiosk.health.fhir import interpretation_code, observations
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import assess, make_assessment

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=timezone.utc)
CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXY2"


def m(kind: str, role: str, **values: float) -> Measurement:
    return Measurement(kind, {k: float(v) for k, v in values.items()}, NOW, role, "sim",
                       "armpit" if kind == "temperature" else None)


# kind -> (measurement, [(LOINC codes, UCUM code, value)])
CASES = {
    "bp": (m("bp", "bp", systolic_mmhg=135, diastolic_mmhg=85, pulse_bpm=72),
           [(["85354-9"], None, None), (["8867-4"], "/min", 72)]),
    "spo2": (m("spo2", "spo2", spo2_pct=97, pulse_bpm=66), [(["2708-6", "59408-5"], "%", 97), (["8867-4"], "/min", 66)]),
    "temperature": (m("temperature", "thermometer", temperature_c=36.8), [(["8310-5"], "Cel", 36.8)]),
    "weight": (m("weight", "scale", weight_kg=62.5, height_m=1.62, bmi=23.8),
               [(["29463-7"], "kg", 62.5), (["8302-2"], "cm", 162), (["39156-5"], "kg/m2", 23.8)]),
    "glucose": (m("glucose", "glucose", glucose_mmol_l=5.4), [(["15074-8"], "mmol/L", 5.4)]),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_validates_as_r4_vital_signs_with_loinc_and_ucum(kind, thresholds):
    measurement, expected = CASES[kind]
    resources = observations(measurement, assess(measurement, thresholds), patient_id="R-000001",
                             kiosk_id="K-7", check_id=CHECK)
    assert len(resources) == len(expected)
    for n, (resource, (codes, ucum, value)) in enumerate(zip(resources, expected), start=1):
        parsed = Observation.model_validate(json.loads(json.dumps(resource)))  # what the wire carries
        assert parsed.status == "final"
        assert parsed.category[0].coding[0].code == "vital-signs"
        assert [c.code for c in parsed.code.coding] == codes
        assert all(c.system == "http://loinc.org" for c in parsed.code.coding)
        assert parsed.subject.reference == "Patient/R-000001"
        assert parsed.device.identifier.value == f"K-7/{measurement.device_role}"
        assert parsed.effectiveDateTime == NOW
        assert parsed.id == f"{CHECK.lower()}-{n}"
        if ucum is not None:
            assert (parsed.valueQuantity.system, parsed.valueQuantity.code) == ("http://unitsofmeasure.org", ucum)
            assert float(parsed.valueQuantity.value) == value


def test_blood_pressure_is_a_panel_with_systolic_and_diastolic_components(thresholds):
    measurement, _ = CASES["bp"]
    panel = Observation.model_validate(observations(measurement, assess(measurement, thresholds),
                                                    patient_id="R-1", kiosk_id="K", check_id=CHECK)[0])
    assert panel.valueQuantity is None
    parts = {c.code.coding[0].code: (c.valueQuantity.code, float(c.valueQuantity.value)) for c in panel.component}
    assert parts == {"8480-6": ("mm[Hg]", 135.0), "8462-4": ("mm[Hg]", 85.0)}


def test_interpretation_carries_the_screening_category_and_criticality(thresholds):
    high = m("bp", "bp", systolic_mmhg=165, diastolic_mmhg=102, pulse_bpm=55)
    panel, pulse = observations(high, assess(high, thresholds), patient_id="R-1", kiosk_id="K", check_id=CHECK)
    codes = {c["system"].rsplit(":", 1)[-1].rsplit("/", 1)[-1]: c["code"] for c in panel["interpretation"][0]["coding"]}
    assert codes == {"v3-ObservationInterpretation": "HH", "screening-category": "bp.grade2"}
    assert [c["code"] for c in pulse["interpretation"][0]["coding"]] == ["L", "pulse.slow"]


@pytest.mark.parametrize(("category", "code"), [
    ("bp.normal", "N"), ("bp.high_normal", "H"), ("bp.grade3", "HH"), ("spo2.remeasure", "L"),
    ("spo2.see_doctor", "LL"), ("glucose.low", "LL"), ("glucose.diabetic", "HH"), ("bmi.underweight", "L"),
    ("temperature.low_fever", "H"), ("temperature.high_fever", "HH"),
])
def test_interpretation_codes(thresholds, category, code):
    assert interpretation_code(make_assessment(category, thresholds)) == code


def test_numbering_continues_across_kinds_of_one_check(thresholds):
    measurement, _ = CASES["weight"]
    resources = observations(measurement, assess(measurement, thresholds), patient_id="R-1", kiosk_id="K",
                             check_id=CHECK, first_index=4)
    assert [r["id"] for r in resources] == [f"{CHECK.lower()}-{n}" for n in (4, 5, 6)]
    assert [r["identifier"][0]["value"] for r in resources] == [f"{CHECK}/{n}" for n in (4, 5, 6)]
