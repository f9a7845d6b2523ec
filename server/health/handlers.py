"""Push handlers of health.consent and health.observations (importing this module registers them)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import HealthConsent as ConsentMessage
from kiosk.protocol import HealthObservations, HealthResult, RecordKind
from server.db import utc_now
from server.handlers import Rejected, RecordContext, registry
from server.health.fhir_check import check_observation
from server.health.models import HealthAlert, HealthCheck, HealthConsent, HealthObservation
from server.models import Resident


def _parse(model: type, payload: dict[str, Any]) -> Any:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise Rejected("health.invalid_record", fields=[".".join(map(str, e["loc"])) for e in exc.errors()]) from None


def consent_in_force(session: Session, resident_id: str) -> bool | None:
    """The resident's latest consent decision (None: never recorded)."""
    row = session.scalars(
        select(HealthConsent).where(HealthConsent.resident_id == resident_id)
        .order_by(HealthConsent.decided_at.desc(), HealthConsent.id.desc()).limit(1)
    ).first()
    return None if row is None else row.granted


@registry.register(RecordKind.HEALTH_CONSENT.value)
def handle_consent(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Keep a consent decision (history: every decision is a row). Rejects unknown residents."""
    msg: ConsentMessage = _parse(ConsentMessage, payload)
    if session.get(Resident, msg.resident_id) is None:
        raise Rejected("health.unknown_resident", 404)
    session.add(HealthConsent(
        resident_id=msg.resident_id, granted=msg.granted, purpose=msg.purpose, retention_days=msg.retention_days,
        version=msg.version, decided_at=msg.decided_at, received_at=utc_now(), kiosk_id=ctx.kiosk_id,
        record_key=str(ctx.key),
    ))
    session.flush()
    return {"resident_id": msg.resident_id, "granted": msg.granted}


@registry.register(RecordKind.HEALTH_OBSERVATIONS.value)
def handle_observations(session: Session, ctx: RecordContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate and keep one check's Observations; a critical interpretation (HH/LL/AA) puts the
    check on the doctor's follow-up list. Result: HealthResult (``alert``, ``check_id``).

    Rejected: ``health.invalid_record`` (payload shape), ``health.no_consent`` (403: the latest
    consent is absent or withdrawn), ``health.duplicate_check`` (409), ``health.invalid_fhir``
    and ``health.subject_mismatch`` (any Observation; nothing of the check is kept).
    """
    msg: HealthObservations = _parse(HealthObservations, payload)
    if consent_in_force(session, msg.resident_id) is not True:
        raise Rejected("health.no_consent", 403)
    if session.get(HealthCheck, msg.check_id) is not None:
        raise Rejected("health.duplicate_check", 409)
    checked = [check_observation(resource, i, msg.resident_id) for i, resource in enumerate(msg.observations)]
    reasons = sorted({c.category or c.loinc for c in checked if c.critical})
    now = utc_now()
    session.add(HealthCheck(id=msg.check_id, resident_id=msg.resident_id, kiosk_id=ctx.kiosk_id,
                            measured_at=msg.measured_at, received_at=now, alert=bool(reasons),
                            record_key=str(ctx.key)))
    session.flush()
    for position, (c, resource) in enumerate(zip(checked, msg.observations)):
        session.add(HealthObservation(
            check_id=msg.check_id, position=position, resident_id=msg.resident_id, loinc=c.loinc,
            effective_at=c.effective_at, value_text=c.value_text, category=c.category,
            interpretation=c.interpretation, resource=resource,
        ))
    if reasons:
        session.add(HealthAlert(check_id=msg.check_id, resident_id=msg.resident_id, reasons=reasons,
                                status="open", created_at=now, note=""))
    session.flush()
    return HealthResult(check_id=msg.check_id, alert=bool(reasons), observations=len(checked)).model_dump(mode="json")
