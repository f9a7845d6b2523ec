"""Health tables: consent decisions (history kept), checks with their FHIR Observations, and alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now

ALERT_STATUSES = ("open", "done")


class HealthConsent(Base):
    """One consent decision as a kiosk recorded it; the latest (decided_at, id) is in force."""

    __tablename__ = "health_consent"
    __table_args__ = (Index("ix_health_consent_latest", "resident_id", "decided_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    resident_id: Mapped[str] = mapped_column(String(64))
    granted: Mapped[bool] = mapped_column(Boolean)
    purpose: Mapped[str] = mapped_column(String(32))
    retention_days: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(36), unique=True)


class HealthCheck(Base):
    """One visit's measurements; ``id`` is the kiosk's unguessable check id (the receipt QR)."""

    __tablename__ = "health_check"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    resident_id: Mapped[str] = mapped_column(String(64), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    measured_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    alert: Mapped[bool] = mapped_column(Boolean)
    record_key: Mapped[str] = mapped_column(String(36), unique=True)


class HealthObservation(Base):
    """One validated FHIR R4 Observation (``resource``) with the fields lists and pages need."""

    __tablename__ = "health_observation"
    __table_args__ = (Index("ix_health_observation_resident", "resident_id", "effective_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("health_check.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    resident_id: Mapped[str] = mapped_column(String(64))
    loinc: Mapped[str] = mapped_column(String(16))
    effective_at: Mapped[datetime] = mapped_column(UtcDateTime)
    value_text: Mapped[str] = mapped_column(String(32))  # "135/85 mm[Hg]", "98 %"
    category: Mapped[str | None] = mapped_column(String(40))  # screening category (bp.grade2) if any
    interpretation: Mapped[str | None] = mapped_column(String(4))  # N, H, L, HH, LL, AA
    resource: Mapped[dict[str, Any]] = mapped_column(JSON)


class HealthAlert(Base):
    """A check on the community doctor's follow-up list; ``status`` open until followed up."""

    __tablename__ = "health_alert"
    __table_args__ = (CheckConstraint("status IN ('open', 'done')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("health_check.id"), unique=True)
    resident_id: Mapped[str] = mapped_column(String(64), index=True)
    reasons: Mapped[list[str]] = mapped_column(JSON)  # screening categories in the alert range
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")
