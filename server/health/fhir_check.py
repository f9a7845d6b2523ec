"""Validate a kiosk's Observation with fhir.resources (R4B) and the vital-signs rules we rely on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from server.handlers import Rejected

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
SCREENING_SYSTEM = "urn:community-kiosk:screening-category"
CRITICAL = frozenset({"HH", "LL", "AA"})
STATUSES = frozenset({"preliminary", "final", "amended", "corrected"})
BP_PANEL, SYSTOLIC, DIASTOLIC = "85354-9", "8480-6", "8462-4"
# LOINC code -> UCUM unit its value must carry (STANDARDS.md section 7).
UNITS = {
    SYSTOLIC: "mm[Hg]", DIASTOLIC: "mm[Hg]", "8867-4": "/min", "2708-6": "%", "59408-5": "%",
    "8310-5": "Cel", "29463-7": "kg", "8302-2": "cm", "39156-5": "kg/m2", "15074-8": "mmol/L", "2339-0": "mg/dL",
}
NAMES = {
    BP_PANEL: "bp", "8867-4": "pulse", "2708-6": "spo2", "59408-5": "spo2", "8310-5": "temperature",
    "29463-7": "weight", "8302-2": "height", "39156-5": "bmi", "15074-8": "glucose", "2339-0": "glucose",
}


@dataclass(frozen=True)
class CheckedObservation:
    loinc: str
    value_text: str  # "135/85 mm[Hg]"
    effective_at: datetime
    category: str | None  # screening category code, when the kiosk assessed it
    interpretation: str | None  # v3 ObservationInterpretation code

    @property
    def critical(self) -> bool:
        return self.interpretation in CRITICAL


def _invalid(index: int, problem: str, fields: list[str] | None = None) -> Rejected:
    return Rejected("health.invalid_fhir", index=index, problem=problem, fields=fields or [])


def _number(value: Decimal | float | int) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _quantity(index: int, quantity: Any, loinc: str) -> str:
    if quantity is None or quantity.value is None:
        raise _invalid(index, f"{loinc} has no valueQuantity")
    if quantity.system != UCUM or quantity.code != UNITS[loinc]:
        raise _invalid(index, f"{loinc} must be in UCUM {UNITS[loinc]}")
    return _number(quantity.value)


def _coding(concept: Any, system: str) -> list[str]:
    return [c.code for c in (concept.coding or []) if c.system == system and c.code] if concept else []


def check_observation(resource: Any, index: int, resident_id: str) -> CheckedObservation:
    """The parts of a valid Observation we keep; raises Rejected ``health.invalid_fhir`` (with
    ``index``, ``problem`` and ``fields``) or ``health.subject_mismatch``."""
    from fhir.resources.R4B.observation import Observation  # ~0.3 s to import: only when a check arrives

    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        raise _invalid(index, "not an Observation resource")
    try:
        obs = Observation.model_validate(resource)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors()})[:10]
        raise _invalid(index, "does not validate as FHIR R4 Observation", fields) from None
    if obs.status not in STATUSES:
        raise _invalid(index, f"status {obs.status!r} is not a result")
    if not any("vital-signs" in _coding(c, CATEGORY_SYSTEM) for c in obs.category or []):
        raise _invalid(index, "category vital-signs is missing")
    codes = [c for c in _coding(obs.code, LOINC) if c in NAMES]
    if not codes:
        raise _invalid(index, "no known LOINC code")
    loinc = codes[0]
    if obs.subject is None or obs.subject.reference != f"Patient/{resident_id}":
        raise Rejected("health.subject_mismatch", index=index)
    effective = obs.effectiveDateTime
    if not isinstance(effective, datetime) or effective.tzinfo is None:
        raise _invalid(index, "effectiveDateTime must be a date and time with a zone")
    if loinc == BP_PANEL:
        parts = {}
        for component in obs.component or []:
            for code in _coding(component.code, LOINC):
                if code in (SYSTOLIC, DIASTOLIC):
                    parts[code] = _quantity(index, component.valueQuantity, code)
        if set(parts) != {SYSTOLIC, DIASTOLIC}:
            raise _invalid(index, "blood pressure panel needs systolic and diastolic components")
        value_text = f"{parts[SYSTOLIC]}/{parts[DIASTOLIC]} mm[Hg]"
    else:
        value_text = f"{_quantity(index, obs.valueQuantity, loinc)} {UNITS[loinc]}"
    interpretation = category = None
    for concept in obs.interpretation or []:
        interpretation = interpretation or next(iter(_coding(concept, INTERPRETATION_SYSTEM)), None)
        category = category or next(iter(_coding(concept, SCREENING_SYSTEM)), None)
    return CheckedObservation(loinc, value_text, effective.astimezone(UTC), category and category[:40],
                              interpretation and interpretation[:4])
