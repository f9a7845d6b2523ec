"""The changes feed: every change a kiosk must pull gets a row with a growing sequence number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kiosk.protocol import Change, ChangeKind
from server.db import Base, UtcDateTime, utc_now


class ChangeRow(Base):
    """One change; ``audience_kiosk_id`` NULL means every kiosk pulls it."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    audience_kiosk_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


def record_change(
    session: Session, kind: ChangeKind, key: str, data: dict[str, Any], audience_kiosk_id: str | None = None
) -> None:
    """Append a change in the caller's transaction (it becomes visible when that commits)."""
    session.add(ChangeRow(kind=kind.value, key=key, data=data, audience_kiosk_id=audience_kiosk_id))


def changes_after(session: Session, kiosk_id: str, cursor: int, limit: int) -> list[Change]:
    """Changes for ``kiosk_id`` (its own and everyone's) with seq > cursor, oldest first."""
    rows = session.scalars(
        select(ChangeRow)
        .where(ChangeRow.seq > cursor)
        .where(or_(ChangeRow.audience_kiosk_id.is_(None), ChangeRow.audience_kiosk_id == kiosk_id))
        .order_by(ChangeRow.seq)
        .limit(limit)
    ).all()
    return [Change(seq=r.seq, kind=ChangeKind(r.kind), key=r.key, data=r.data) for r in rows]
