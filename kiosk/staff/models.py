"""Operations tables of the kiosk: the pulled staff directory, PIN lockouts and help calls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.storage.column_types import UtcDateTime, utc_now
from kiosk.storage.models import Base


class StaffEntry(Base):
    """A staff member or technician from the server's STAFF changes: masked name, never a phone."""

    __tablename__ = "staff_directory"

    staff_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    masked_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))  # staff | technician
    community_id: Mapped[str] = mapped_column(String(32))
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PinLockout(Base):
    """Failed PIN attempts of one sign-in (``who``: "technician" or "staff:<id>"), kept across restarts."""

    __tablename__ = "pin_lockouts"

    who: Mapped[str] = mapped_column(String(48), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # consecutive, since the last success
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class HelpCallRow(Base):
    """A "call staff" request raised here (``local``) or pulled for a kiosk of this community."""

    __tablename__ = "help_calls"

    call_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32), default="")  # "" until the server has it
    kiosk_name: Mapped[str] = mapped_column(String(100))
    where: Mapped[str] = mapped_column(String(64))
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | cancelled | done
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(48))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
