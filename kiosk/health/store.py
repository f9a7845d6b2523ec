"""Keep a resident's consent and measurements with their outbox records; guests leave nothing.

Every function takes the Session of the caller's transaction: writes run inside
``db.write(fn)`` / ``db.write_async(fn)`` so the rows and the outbox record commit together.
"""

from __future__ import annotations

import base64
import concurrent.futures
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kiosk.config import HealthSection
from kiosk.health.fhir import observations
from kiosk.health.measurement import Measurement
from kiosk.health.models import HealthConsentRow, HealthMeasurementRow
from kiosk.health.ranges import HealthThresholds, any_alert, assess
from kiosk.i18n import N_
from kiosk.protocol import HealthConsent, HealthObservations, RecordKind
from kiosk.storage.column_types import utc_now
from kiosk.storage.meta import INSTALL_ID, get_meta
from kiosk.sync import outbox
from kiosk.sync.models import DELIVERED, OutboxRow
from kiosk.sync.state import KIOSK_ID

DEFAULT_RETENTION_DAYS: int = HealthSection.model_fields["retention_days"].default
CONSENT_VERSION = 1
# Codes the server answers when it refuses a health record (shown to staff with dead letters).
REJECTION_KEYS = (
    N_("health.no_consent"), N_("health.invalid_fhir"), N_("health.subject_mismatch"),
    N_("health.duplicate_check"), N_("health.unknown_resident"), N_("health.invalid_record"),
)


@dataclass(frozen=True)
class SavedCheck:
    check_id: str | None  # None when nothing was stored (guest, no consent)
    alert: bool  # some value is in the alert range (the doctor's list, once it syncs)
    stored: bool


def new_check_id() -> str:
    """128 random bits as 26 base32 characters: unguessable, and in the QR alphanumeric set."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


def kiosk_ref(session: Session) -> str:
    """This kiosk as the Observations' device reference: its server id, else its install id."""
    return get_meta(session, KIOSK_ID) or f"install-{get_meta(session, INSTALL_ID) or 'unknown'}"


# --- consent ------------------------------------------------------------------------------------


def consent_state(session: Session, resident_id: str) -> bool | None:
    """True granted, False declined or withdrawn, None never asked on this kiosk."""
    row = session.get(HealthConsentRow, resident_id)
    return None if row is None else row.granted


def record_consent(session: Session, resident_id: str, granted: bool, *,
                   retention_days: int = DEFAULT_RETENTION_DAYS, now: datetime | None = None,
                   operator_id: str | None = None) -> None:
    """Store the decision and queue a ``health.consent`` record (one transaction).

    Withdrawing a consent (False after True) deletes the resident's measurements on this kiosk;
    records already queued were made under the consent and are still delivered.
    """
    now = now or utc_now()
    previous = consent_state(session, resident_id)
    message = HealthConsent(resident_id=resident_id, granted=granted, decided_at=now,
                            retention_days=retention_days, version=CONSENT_VERSION)
    key = outbox.enqueue(session, RecordKind.HEALTH_CONSENT.value, message.model_dump(mode="json"),
                         operator_id=operator_id)
    row = session.get(HealthConsentRow, resident_id)
    if row is None:
        session.add(HealthConsentRow(resident_id=resident_id, granted=granted, decided_at=now, outbox_key=str(key)))
    else:
        row.granted, row.decided_at, row.outbox_key = granted, now, str(key)
    if previous and not granted:
        session.execute(delete(HealthMeasurementRow).where(HealthMeasurementRow.resident_id == resident_id))


# --- checks -------------------------------------------------------------------------------------


def save_check(session: Session, resident_id: str | None, measurements: list[Measurement],
               thresholds: HealthThresholds, *, operator_id: str | None = None) -> SavedCheck:
    """Keep a consenting resident's check: a row per measurement and ONE ``health.observations``
    outbox record with the FHIR Observations. A guest (None) or a resident without consent:
    nothing is stored and ``SavedCheck(None, alert, stored=False)`` comes back.
    """
    assessed = [(m, assess(m, thresholds)) for m in measurements]
    alert = any(any_alert(a) for _m, a in assessed)
    if resident_id is None or not measurements or consent_state(session, resident_id) is not True:
        return SavedCheck(None, alert, False)
    check_id = new_check_id()
    kiosk_id = kiosk_ref(session)
    resources: list[dict] = []
    for m, assessments in assessed:
        resources += observations(m, assessments, patient_id=resident_id, kiosk_id=kiosk_id, check_id=check_id,
                                  first_index=len(resources) + 1)
    message = HealthObservations(check_id=check_id, resident_id=resident_id,
                                 measured_at=min(m.measured_at for m in measurements), observations=resources)
    key = str(outbox.enqueue(session, RecordKind.HEALTH_OBSERVATIONS.value, message.model_dump(mode="json"),
                             operator_id=operator_id))  # the staff member who helped, if any
    for m in measurements:
        session.add(HealthMeasurementRow(
            check_id=check_id, resident_id=resident_id, kind=m.kind, values=dict(m.values),
            measured_at=m.measured_at, device_role=m.device_role, device_driver=m.device_driver, site=m.site,
            outbox_key=key,
        ))
    session.flush()
    return SavedCheck(check_id, alert, True)


def _measurement(row: HealthMeasurementRow) -> Measurement:
    return Measurement(row.kind, {k: float(v) for k, v in row.values.items()}, row.measured_at, row.device_role,
                       row.device_driver, row.site)


def history(session: Session, resident_id: str, kind: str, limit: int = 30) -> list[Measurement]:
    """The resident's last ``limit`` measurements of ``kind`` on this kiosk, oldest first."""
    rows = session.scalars(
        select(HealthMeasurementRow)
        .where(HealthMeasurementRow.resident_id == resident_id, HealthMeasurementRow.kind == kind)
        .order_by(HealthMeasurementRow.measured_at.desc(), HealthMeasurementRow.id.desc())
        .limit(limit)
    ).all()
    return [_measurement(r) for r in reversed(rows)]


def previous(session: Session, resident_id: str, kind: str, before: datetime) -> Measurement | None:
    """The resident's latest measurement of ``kind`` taken before ``before``, or None."""
    row = session.scalars(
        select(HealthMeasurementRow)
        .where(HealthMeasurementRow.resident_id == resident_id, HealthMeasurementRow.kind == kind,
               HealthMeasurementRow.measured_at < before)
        .order_by(HealthMeasurementRow.measured_at.desc(), HealthMeasurementRow.id.desc())
        .limit(1)
    ).first()
    return _measurement(row) if row is not None else None


# --- forgetting ---------------------------------------------------------------------------------


def purge(session: Session, now: datetime, retention_days: int) -> int:
    """Delete measurements whose outbox record was delivered and that are older than
    ``retention_days``; their delivered outbox payloads are cut down to the check id.
    Returns the number of measurements deleted. Undelivered and dead-lettered ones stay.
    """
    cutoff = now - timedelta(days=retention_days)
    delivered = select(OutboxRow.key).where(OutboxRow.state == DELIVERED)
    doomed = (HealthMeasurementRow.measured_at < cutoff) & HealthMeasurementRow.outbox_key.in_(delivered)
    checks = dict(session.execute(
        select(HealthMeasurementRow.outbox_key, HealthMeasurementRow.check_id).where(doomed).distinct()
    ).all())
    if not checks:
        return 0
    deleted = session.execute(delete(HealthMeasurementRow).where(doomed)).rowcount or 0
    for key, check_id in checks.items():
        session.execute(update(OutboxRow).where(OutboxRow.key == key, OutboxRow.state == DELIVERED)
                        .values(payload={"check_id": check_id, "purged": True}))
    session.expire_all()
    return deleted


# --- from the UI: write on the writer thread, then wake the relay -------------------------------


def submit_check(db, resident_id: str | None, measurements: list[Measurement], thresholds: HealthThresholds,
                 wake: Callable[[], None] | None = None, *,
                 operator_id: str | None = None) -> concurrent.futures.Future[SavedCheck]:  # noqa: ANN001
    """``save_check`` on ``db``'s writer thread (safe from the Qt thread); ``wake`` (e.g.
    ``runtime.sync.relay.wake``) runs after a check was committed, so it syncs at once."""
    future = db.write_async(lambda s: save_check(s, resident_id, measurements, thresholds, operator_id=operator_id))
    if wake is not None:
        future.add_done_callback(lambda f: wake() if not f.cancelled() and f.exception() is None
                                 and f.result().stored else None)
    return future


def submit_consent(db, resident_id: str, granted: bool, *, retention_days: int = DEFAULT_RETENTION_DAYS,  # noqa: ANN001
                   wake: Callable[[], None] | None = None,
                   operator_id: str | None = None) -> concurrent.futures.Future[None]:
    """``record_consent`` on ``db``'s writer thread; ``wake`` runs after the commit."""
    future = db.write_async(lambda s: record_consent(s, resident_id, granted, retention_days=retention_days,
                                                     operator_id=operator_id))
    if wake is not None:
        future.add_done_callback(lambda f: wake() if not f.cancelled() and f.exception() is None else None)
    return future
