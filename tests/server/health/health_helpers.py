"""Helpers of the server health tests: real kiosk-made health records and database look-ups."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select

from kiosk.config import KioskConfig
from kiosk.health.fhir import observations
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import assess, thresholds_from_config
from kiosk.health.store import new_check_id
from kiosk.protocol import HealthConsent, HealthObservations, RecordKind
from server.db import make_engine, make_sessionmaker
from tests.server.server_helpers import record

RESIDENT = "R-000001"  # 王建国 in seed_minimal
THRESHOLDS = thresholds_from_config(KioskConfig())
WHEN = datetime(2026, 3, 5, 2, 30, tzinfo=timezone.utc)


def bp(systolic: float = 135, diastolic: float = 85, pulse: float = 72) -> Measurement:
    return Measurement("bp", {"systolic_mmhg": float(systolic), "diastolic_mmhg": float(diastolic),
                              "pulse_bpm": float(pulse)}, WHEN, "bp", "sim")


def spo2(pct: float = 97, pulse: float = 66) -> Measurement:
    return Measurement("spo2", {"spo2_pct": float(pct), "pulse_bpm": float(pulse)}, WHEN + timedelta(minutes=2),
                       "spo2", "sim")


def consent_record(resident_id: str = RESIDENT, granted: bool = True, key: uuid.UUID | None = None) -> dict[str, Any]:
    msg = HealthConsent(resident_id=resident_id, granted=granted, decided_at=datetime.now(timezone.utc),
                        retention_days=30)
    return record(RecordKind.HEALTH_CONSENT.value, msg.model_dump(mode="json"), key)


def check_payload(measurements: list[Measurement], resident_id: str = RESIDENT,
                  check_id: str | None = None) -> dict[str, Any]:
    """What the kiosk's store sends: one check's Observations, numbered through the check."""
    check_id = check_id or new_check_id()
    resources: list[dict[str, Any]] = []
    for m in measurements:
        resources += observations(m, assess(m, THRESHOLDS), patient_id=resident_id, kiosk_id="K-TEST",
                                  check_id=check_id, first_index=len(resources) + 1)
    msg = HealthObservations(check_id=check_id, resident_id=resident_id,
                             measured_at=min(m.measured_at for m in measurements), observations=resources)
    return msg.model_dump(mode="json")


def check_record(payload: dict[str, Any], key: uuid.UUID | None = None) -> dict[str, Any]:
    return record(RecordKind.HEALTH_OBSERVATIONS.value, copy.deepcopy(payload), key)


def table_counts(db_url: str) -> dict[str, int]:
    from server.health.models import HealthAlert, HealthCheck, HealthConsent as ConsentRow, HealthObservation

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            return {model.__tablename__: s.scalar(select(func.count()).select_from(model))
                    for model in (ConsentRow, HealthCheck, HealthObservation, HealthAlert)}
    finally:
        engine.dispose()


def alerts(db_url: str) -> list[tuple[str, str, list[str]]]:
    from server.health.models import HealthAlert

    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            return [(a.check_id, a.status, list(a.reasons))
                    for a in s.scalars(select(HealthAlert).order_by(HealthAlert.id))]
    finally:
        engine.dispose()
