"""HL7 FHIR R4 Observation resources (vital-signs profile, LOINC codes, UCUM units) of a measurement."""

from __future__ import annotations

from typing import Any

from kiosk.health.measurement import Measurement
from kiosk.health.ranges import Assessment

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
SCREENING_SYSTEM = "urn:community-kiosk:screening-category"  # our category codes (bp.grade2, ...)
CHECK_SYSTEM = "urn:community-kiosk:health-check"
DEVICE_SYSTEM = "urn:community-kiosk:device"
CRITICAL_CODES = frozenset({"HH", "LL", "AA"})

# name -> (LOINC code, display, UCUM code, unit text)
CODES = {
    "bp": ("85354-9", "Blood pressure panel with all children optional", "mm[Hg]", "mmHg"),
    "systolic": ("8480-6", "Systolic blood pressure", "mm[Hg]", "mmHg"),
    "diastolic": ("8462-4", "Diastolic blood pressure", "mm[Hg]", "mmHg"),
    "pulse": ("8867-4", "Heart rate", "/min", "beats/minute"),
    "spo2": ("2708-6", "Oxygen saturation in Arterial blood", "%", "%"),
    "spo2_oximetry": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "%"),
    "temperature": ("8310-5", "Body temperature", "Cel", "C"),
    "weight": ("29463-7", "Body weight", "kg", "kg"),
    "height": ("8302-2", "Body height", "cm", "cm"),
    "bmi": ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "kg/m2"),
    "glucose": ("15074-8", "Glucose [Moles/volume] in Blood", "mmol/L", "mmol/L"),
}
_INTERPRETATION_DISPLAY = {"N": "Normal", "H": "High", "L": "Low", "HH": "Critical high", "LL": "Critical low"}


def _coding(name: str) -> dict[str, str]:
    code, display, _unit, _text = CODES[name]
    return {"system": LOINC, "code": code, "display": display}


def _quantity(name: str, value: float) -> dict[str, Any]:
    _code, _display, ucum, text = CODES[name]
    number: float | int = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": text, "system": UCUM, "code": ucum}


def interpretation_code(a: Assessment) -> str:
    """N normal; H/L attention or worse; HH/LL when it goes to the doctor's follow-up list."""
    if a.level == 0:
        return "N"
    base = "L" if a.low else "H"
    return base * 2 if a.alert else base


def _interpretation(a: Assessment) -> list[dict[str, Any]]:
    code = interpretation_code(a)
    return [{
        "coding": [
            {"system": INTERPRETATION_SYSTEM, "code": code, "display": _INTERPRETATION_DISPLAY[code]},
            {"system": SCREENING_SYSTEM, "code": a.category, "display": a.label},
        ],
        "text": a.label,
    }]


def observations(m: Measurement, assessments: list[Assessment], *, patient_id: str, kiosk_id: str,
                 check_id: str, first_index: int = 1) -> list[dict[str, Any]]:
    """The Observation JSON of ``m``: bp -> BP panel (+ heart rate); spo2 -> SpO2 (+ heart rate);
    weight -> weight (+ height, BMI); temperature; glucose. Each names the patient, the device,
    the check and the screening interpretation of its assessment. Resources are numbered from
    ``first_index`` within the check (id ``<check id>-<n>``): pass on the count for the next kind.
    """
    by_kind = {a.kind: a for a in assessments}
    v = m.values
    when = m.measured_at.isoformat(timespec="seconds")
    made: list[dict[str, Any]] = []

    def add(codings: list[dict[str, str]], text: str, body: dict[str, Any], assessed: str | None) -> None:
        index = first_index + len(made)
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"{check_id.lower()}-{index}",
            "meta": {"profile": [VITAL_SIGNS_PROFILE]},
            "identifier": [{"system": CHECK_SYSTEM, "value": f"{check_id}/{index}"}],
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "vital-signs", "display": "Vital Signs"}],
                          "text": "Vital Signs"}],
            "code": {"coding": codings, "text": text},
            "subject": {"reference": f"Patient/{patient_id}"},
            "effectiveDateTime": when,
            "issued": when,
            "device": {"identifier": {"system": DEVICE_SYSTEM, "value": f"{kiosk_id}/{m.device_role}"},
                       "display": f"{m.device_role} ({m.device_driver})"},
        }
        resource.update(body)
        if assessed and assessed in by_kind:
            resource["interpretation"] = _interpretation(by_kind[assessed])
        made.append(resource)

    if m.kind == "bp":
        add([_coding("bp")], "Blood pressure", {"component": [
            {"code": {"coding": [_coding("systolic")]}, "valueQuantity": _quantity("systolic", v["systolic_mmhg"])},
            {"code": {"coding": [_coding("diastolic")]}, "valueQuantity": _quantity("diastolic", v["diastolic_mmhg"])},
        ]}, "bp")
    elif m.kind == "spo2":
        add([_coding("spo2"), _coding("spo2_oximetry")], "Oxygen saturation",
            {"valueQuantity": _quantity("spo2", v["spo2_pct"])}, "spo2")
    elif m.kind == "temperature":
        body: dict[str, Any] = {"valueQuantity": _quantity("temperature", v["temperature_c"])}
        if m.site:
            body["bodySite"] = {"text": m.site}
        add([_coding("temperature")], "Body temperature", body, "temperature")
    elif m.kind == "weight":
        add([_coding("weight")], "Body weight", {"valueQuantity": _quantity("weight", v["weight_kg"])}, None)
        if "height_m" in v:
            add([_coding("height")], "Body height",
                {"valueQuantity": _quantity("height", round(v["height_m"] * 100, 1))}, None)
        if "bmi" in v:
            add([_coding("bmi")], "BMI", {"valueQuantity": _quantity("bmi", v["bmi"])}, "bmi")
    elif m.kind == "glucose":
        add([_coding("glucose")], "Blood glucose", {"valueQuantity": _quantity("glucose", v["glucose_mmol_l"])},
            "glucose")
    if m.kind in ("bp", "spo2") and "pulse_bpm" in v:
        add([_coding("pulse")], "Heart rate", {"valueQuantity": _quantity("pulse", v["pulse_bpm"])}, "pulse")
    return made
