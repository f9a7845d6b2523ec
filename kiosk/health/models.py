"""Health cabin tables: residents' consent decisions and their measurements (never a guest's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base


class HealthConsentRow(Base):
    """The latest consent decision of a resident on this kiosk (the server keeps the history)."""

    __tablename__ = "health_consents"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    outbox_key: Mapped[str] = mapped_column(String(36))


class HealthMeasurementRow(Base):
    """One measurement of a consenting resident; purged after delivery plus the retention window."""

    __tablename__ = "health_measurements"
    __table_args__ = (Index("ix_health_measurements_history", "resident_id", "kind", "measured_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[str] = mapped_column(String(32), index=True)
    resident_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    measured_at: Mapped[datetime] = mapped_column(UtcDateTime)
    device_role: Mapped[str] = mapped_column(String(32))
    device_driver: Mapped[str] = mapped_column(String(64))
    site: Mapped[str | None] = mapped_column(String(16))
    outbox_key: Mapped[str] = mapped_column(String(36), index=True)
