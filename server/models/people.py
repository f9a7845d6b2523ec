"""Residents, their families (a holder binds members to redeem together) and community staff."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now


class Family(Base):
    """A family account; members are the residents whose ``family_id`` points here."""

    __tablename__ = "families"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Resident(Base):
    __tablename__ = "residents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # "R-000123"
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[date] = mapped_column(Date)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    family_id: Mapped[str | None] = mapped_column(ForeignKey("families.id"), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)  # resident, talent, volunteer, leader
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # "S-0001"
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # staff | technician
