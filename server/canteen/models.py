"""Canteen and points tables (revision 0005_canteen): seats, bookings, servings, holds, claims, keys, check-ins.

Capacity is one counter row per menu (``canteen_seats``): ``booked + held <= capacity`` is a CHECK
and every change is a conditional UPDATE, so concurrent bookings can never overbook. One active
booking per person and meal is a partial unique index. A ticket is served at most once because
``canteen_servings`` has the booking id as its primary key.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now

BIGINT = BigInteger().with_variant(Integer, "sqlite")
ACTIVE = "status IN ('booked', 'served', 'no_show')"


class SeatCount(Base):
    """Seats of one menu: booked by residents, held by kiosks for offline booking."""

    __tablename__ = "canteen_seats"
    __table_args__ = (
        CheckConstraint("booked >= 0 AND held >= 0", name="non_negative"),
        CheckConstraint("booked + held <= capacity", name="within_capacity"),
    )

    menu_id: Mapped[int] = mapped_column(ForeignKey("menus.id"), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    __tablename__ = "canteen_bookings"
    __table_args__ = (
        CheckConstraint("status IN ('booked', 'cancelled', 'served', 'no_show', 'refused')", name="status"),
        CheckConstraint("paid_points >= 0 AND cash_points >= 0 AND price_points >= 0", name="amounts"),
        Index("uq_canteen_bookings_active", "beneficiary_id", "menu_id", unique=True,
              sqlite_where=text(ACTIVE), postgresql_where=text(ACTIVE)),
        Index("ix_canteen_bookings_menu_status", "menu_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # 32 upper-case hex digits
    menu_id: Mapped[int] = mapped_column(ForeignKey("menus.id"))
    community_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date, index=True)
    meal: Mapped[str] = mapped_column(String(8))
    payer_id: Mapped[str] = mapped_column(String(64), index=True)
    beneficiary_id: Mapped[str] = mapped_column(String(64), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str | None] = mapped_column(String(64))
    payment: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(8))  # online | offline
    tier: Mapped[str] = mapped_column(String(16), default="")
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    subsidy_points: Mapped[int] = mapped_column(Integer, default=0)
    base_points: Mapped[int] = mapped_column(Integer)
    price_points: Mapped[int] = mapped_column(Integer)
    paid_points: Mapped[int] = mapped_column(Integer, default=0)
    cash_points: Mapped[int] = mapped_column(Integer, default=0)
    counter_no: Mapped[int] = mapped_column(Integer, default=1)
    spend_tx_id: Mapped[int | None] = mapped_column(BIGINT)
    refund_tx_id: Mapped[int | None] = mapped_column(BIGINT)
    hold_id: Mapped[str | None] = mapped_column(String(32))
    ticket: Mapped[str] = mapped_column(String(400), default="")
    refused_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Serving(Base):
    """A ticket served: at most one row per booking (the primary key arbitrates between counters)."""

    __tablename__ = "canteen_servings"
    __table_args__ = (Index("ix_canteen_servings_person_meal", "beneficiary_id", "day", "meal"),)

    booking_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    beneficiary_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(8))
    kiosk_id: Mapped[str] = mapped_column(String(32))
    counter_id: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(8))  # online | offline
    served_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class SeatHoldRow(Base):
    """Seats of one menu held for one kiosk's offline bookings (at most one open per kiosk and menu)."""

    __tablename__ = "canteen_seat_holds"
    __table_args__ = (
        CheckConstraint("seats >= 0 AND used >= 0", name="non_negative"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("uq_canteen_seat_holds_open", "menu_id", "kiosk_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    menu_id: Mapped[int] = mapped_column(ForeignKey("menus.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    seats: Mapped[int] = mapped_column(Integer, default=0)  # still held
    used: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(8), default="open")
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CounterClaim(Base):
    """A kiosk's exclusive right to serve the tickets of one counter number on one day."""

    __tablename__ = "canteen_counter_claims"
    __table_args__ = (
        Index("uq_canteen_counter_claims_open", "community_id", "day", "counter_no", unique=True,
              sqlite_where=text("released_at IS NULL"), postgresql_where=text("released_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    counter_no: Mapped[int] = mapped_column(Integer)
    kiosk_id: Mapped[str] = mapped_column(String(32), index=True)
    counter_id: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TicketKey(Base):
    """A kiosk's own Ed25519 public key for tickets it signs offline."""

    __tablename__ = "canteen_ticket_keys"

    kid: Mapped[str] = mapped_column(String(40), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ActivityReward(Base):
    """Points for checking in at an activity (set when its QR is made)."""

    __tablename__ = "activity_rewards"

    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    points: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CheckIn(Base):
    """One check-in per person per activity (the primary key)."""

    __tablename__ = "activity_checkins"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)
    tx_id: Mapped[int | None] = mapped_column(BIGINT)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LeaderboardOptInRow(Base):
    __tablename__ = "points_leaderboard_opt_in"

    resident_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
