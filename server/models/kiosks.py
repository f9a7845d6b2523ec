"""Enrolled kiosks, their one-time enrollment codes and their configuration settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now


class Kiosk(Base):
    __tablename__ = "kiosks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # "K-1A2B3C4D"
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of a 256-bit random secret
    install_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen: Mapped[datetime | None] = mapped_column(UtcDateTime)


class EnrollmentCode(Base):
    """A one-time code; only its sha256 is stored."""

    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    kiosk_id: Mapped[str | None] = mapped_column(String(32))


class KioskSetting(Base):
    """One configuration value; ``kiosk_id`` NULL means every kiosk (a kiosk's own value wins)."""

    __tablename__ = "kiosk_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(32), index=True)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
