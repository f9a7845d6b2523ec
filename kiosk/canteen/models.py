"""Canteen tables of the kiosk: bookings (own and pulled), seat holds, ticket key, servings, counter claims."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base


class LocalBooking(Base):
    """A booking as this kiosk knows it: made here (online or offline) or pulled (CANTEEN_BOOKING)."""

    __tablename__ = "canteen_bookings"
    __table_args__ = (Index("ix_canteen_bookings_person_meal", "beneficiary_id", "day", "meal"),)

    booking_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    menu_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(8))
    payer_id: Mapped[str] = mapped_column(String(64), index=True)
    beneficiary_id: Mapped[str] = mapped_column(String(64))
    masked_name: Mapped[str] = mapped_column(String(64), default="")
    payment: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(8))  # online | offline
    tier: Mapped[str] = mapped_column(String(16), default="")
    discount_percent: Mapped[int] = mapped_column(Integer, default=0)
    subsidy_points: Mapped[int] = mapped_column(Integer, default=0)
    base_points: Mapped[int] = mapped_column(Integer, default=0)
    price_points: Mapped[int] = mapped_column(Integer)
    paid_points: Mapped[int] = mapped_column(Integer)
    cash_points: Mapped[int] = mapped_column(Integer)
    counter_no: Mapped[int] = mapped_column(Integer, default=1)
    ticket: Mapped[str] = mapped_column(String(400))
    outbox_key: Mapped[str | None] = mapped_column(String(36))  # the canteen.book record of an offline booking
    hold_id: Mapped[str | None] = mapped_column(String(32))
    reserve_id: Mapped[str | None] = mapped_column(String(64))
    refused_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LocalSeatHold(Base):
    """Seats of one menu the server holds for this kiosk's offline bookings.

    ``seats`` is what the last grant said is still held, as of ``granted_as_of``; offline bookings
    from the hold delivered before that are already inside it (as for a points reserve).
    """

    __tablename__ = "canteen_seat_holds"

    hold_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    menu_id: Mapped[int] = mapped_column(Integer, index=True)
    seats: Mapped[int] = mapped_column(Integer)
    granted_as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TicketKeyRow(Base):
    """This kiosk's own Ed25519 key for offline tickets; usable once the server registered it."""

    __tablename__ = "canteen_ticket_key"

    kid: Mapped[str] = mapped_column(String(40), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class LocalServing(Base):
    """A ticket this counter served (online or offline): the counter's own served list."""

    __tablename__ = "canteen_servings"
    __table_args__ = (Index("ix_canteen_servings_person_meal", "beneficiary_id", "day", "meal"),)

    booking_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    beneficiary_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(8))
    counter_id: Mapped[str] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(8))  # online | offline
    outbox_key: Mapped[str | None] = mapped_column(String(36))
    served_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class CounterClaimRow(Base):
    """A counter number this kiosk holds for a day (granted by the server while online)."""

    __tablename__ = "canteen_counter_claims"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[str] = mapped_column(String(32))
    counter_id: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    released_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
