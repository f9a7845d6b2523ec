"""The community doctor's side: the follow-up list, a resident's observations, one check's view."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import HEALTH_CHECK_ID_PATTERN
from server.health.models import HealthAlert, HealthCheck, HealthObservation
from server.models import Resident
from server.residents import mask_name

_CHECK_ID = re.compile(HEALTH_CHECK_ID_PATTERN)


@dataclass(frozen=True)
class AlertRow:
    id: int
    status: str
    created_at: datetime
    resident_id: str
    masked_name: str
    check_id: str
    reasons: list[str]


@dataclass(frozen=True)
class CheckView:
    """What the receipt's QR page shows: masked name, time, and each value with its category."""

    check_id: str
    masked_name: str
    measured_at: datetime
    rows: list[tuple[str, str, str | None, str | None]]  # (loinc, value text, category, interpretation)
    alert: bool


def _masked(session: Session, resident_id: str) -> str:
    resident = session.get(Resident, resident_id)
    return mask_name(resident.name) if resident is not None else "-"


def list_alerts(session: Session, open_only: bool = False) -> list[AlertRow]:
    """The follow-up list, oldest first (open ones only with ``open_only``)."""
    query = select(HealthAlert).order_by(HealthAlert.created_at, HealthAlert.id)
    if open_only:
        query = query.where(HealthAlert.status == "open")
    return [AlertRow(a.id, a.status, a.created_at, a.resident_id, _masked(session, a.resident_id), a.check_id,
                     list(a.reasons)) for a in session.scalars(query)]


def mark_alert_done(session: Session, alert_id: int, *, now: datetime, note: str = "") -> HealthAlert:
    """Close an alert after the doctor followed up; LookupError when unknown, ValueError when done."""
    alert = session.get(HealthAlert, alert_id, with_for_update=True)
    if alert is None:
        raise LookupError(f"unknown alert {alert_id}")
    if alert.status == "done":
        raise ValueError(f"alert {alert_id} is already done")
    alert.status, alert.done_at, alert.note = "done", now, note[:200]
    return alert


def observations_of(session: Session, resident_id: str) -> list[HealthObservation]:
    """Every stored Observation of a resident, oldest first."""
    return list(session.scalars(
        select(HealthObservation).where(HealthObservation.resident_id == resident_id)
        .order_by(HealthObservation.effective_at, HealthObservation.check_id, HealthObservation.position)
    ))


def check_view(session: Session, check_id: str) -> CheckView | None:
    """The page data of ``check_id``; None when malformed, unknown, or the resident has since
    withdrawn consent (the page answers 404)."""
    from server.health.handlers import consent_in_force

    if not _CHECK_ID.fullmatch(check_id):
        return None
    check = session.get(HealthCheck, check_id)
    if check is None or consent_in_force(session, check.resident_id) is not True:
        return None
    observations = session.scalars(
        select(HealthObservation).where(HealthObservation.check_id == check_id).order_by(HealthObservation.position)
    )
    rows = [(o.loinc, o.value_text, o.category, o.interpretation) for o in observations]
    return CheckView(check.id, _masked(session, check.resident_id), check.measured_at, rows, check.alert)
