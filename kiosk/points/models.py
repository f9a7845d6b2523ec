"""Wallet tables: reserves granted to this kiosk and the spends made from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base


class Reserve(Base):
    """Points of one resident held by this kiosk.

    ``granted_amount`` is what the last grant said the kiosk holds, as of ``granted_as_of``
    (local time just before that request); local spends delivered before then are already in
    it. ``server_amount`` is the newest amount from the changes feed: an upper bound.
    """

    __tablename__ = "reserves"

    reserve_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resident_id: Mapped[str] = mapped_column(String(64), index=True)
    granted_amount: Mapped[int] = mapped_column(Integer)
    granted_as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    server_amount: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PointsSpendRow(Base):
    """A spend committed on this kiosk (domain row of a POINTS_SPEND outbox record)."""

    __tablename__ = "points_spends"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_key: Mapped[str] = mapped_column(String(36), unique=True)
    reserve_id: Mapped[str] = mapped_column(String(64), index=True)
    payer_id: Mapped[str] = mapped_column(String(64), index=True)
    beneficiary_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(32))
    merchant_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    local_day: Mapped[str] = mapped_column(String(10), index=True)  # YYYY-MM-DD, kiosk time zone


class CheckInRow(Base):
    """An activity check-in made here: one per person and activity (``status`` awarded, already,
    pending while its outbox record waits, refused with ``error``)."""

    __tablename__ = "points_checkins"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    points: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(64))
    outbox_key: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PointsProfileCache(Base):
    """The last points profile fetched from the server (kiosk.protocol.PointsProfile JSON)."""

    __tablename__ = "points_profiles"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LeaderboardChoice(Base):
    """A resident's leaderboard choice made here (sent as a points.leaderboard_opt_in record)."""

    __tablename__ = "points_leaderboard_choices"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
