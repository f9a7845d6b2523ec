"""Operations tables (revision 0006_ops): staff PIN hashes, kiosk heartbeats, help calls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime, utc_now

BIGINT = BigInteger().with_variant(Integer, "sqlite")


class StaffPin(Base):
    """A staff member's or technician's PIN hash ("scrypt$n$r$p$salt$hash"), sent to kiosks."""

    __tablename__ = "staff_pins"

    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class KioskHeartbeat(Base):
    """One heartbeat as received (kiosk_protocol.Heartbeat fields); the last N per kiosk are kept."""

    __tablename__ = "kiosk_heartbeats"
    __table_args__ = (Index("ix_kiosk_heartbeats_kiosk_received", "kiosk_id", "received_at"),)

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HelpCall(Base):
    """A resident's "call staff" at a kiosk; open until they cancel it or staff mark it done."""

    __tablename__ = "help_calls"

    call_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    community_id: Mapped[str] = mapped_column(String(32), index=True)
    where: Mapped[str] = mapped_column(String(64))
    resident_id: Mapped[str | None] = mapped_column(String(32))
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | cancelled | done
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(48))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
