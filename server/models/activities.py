"""Community activities residents can book (classes, venues, events)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UtcDateTime


class Activity(Base):
    __tablename__ = "activities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # "A-0001"
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    leader_id: Mapped[str | None] = mapped_column(String(32))
    capacity: Mapped[int] = mapped_column(Integer)
    cost_points: Mapped[int] = mapped_column(Integer, default=0)
