"""Health cabin (健康小屋) records: consent, the observations of one check, results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from kiosk.protocol.wire import WireModel


HEALTH_CHECK_ID_PATTERN = r"^[A-Z2-7]{26}$"  # 128 random bits in base32: unguessable, QR-friendly
MAX_HEALTH_OBSERVATIONS = 20


class HealthConsent(WireModel):
    """A resident's separate consent (PIPL) to keep health data, or its refusal/withdrawal."""

    resident_id: str = Field(max_length=64)
    granted: bool
    decided_at: datetime
    purpose: str = Field("health_cabin", max_length=32)
    retention_days: int = Field(ge=1, le=3650)
    version: int = 1  # of the consent text the resident was shown


class HealthObservations(WireModel):
    """One health check of a consenting resident: FHIR R4 Observation resources (JSON)."""

    check_id: str = Field(pattern=HEALTH_CHECK_ID_PATTERN)
    resident_id: str = Field(max_length=64)
    measured_at: datetime
    observations: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_HEALTH_OBSERVATIONS)


class HealthResult(WireModel):
    """The server's answer to HealthObservations: ``alert`` when it went on the doctor's list."""

    check_id: str
    alert: bool
    observations: int
