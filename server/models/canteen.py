"""Canteen menus: one row per community, day and meal (age discounts are a kiosk setting)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

MEALS = ("lunch", "dinner")


class Menu(Base):
    __tablename__ = "menus"
    __table_args__ = (UniqueConstraint("community_id", "day", "meal", name="uq_menus_community_day_meal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(8))  # lunch | dinner
    dishes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # name, allergens[], tags[]
    capacity: Mapped[int] = mapped_column(Integer)
    base_price_points: Mapped[int] = mapped_column(Integer)
    cutoff_time: Mapped[time] = mapped_column(Time)  # local time on ``day`` when booking closes

    def feed_data(self) -> dict[str, Any]:
        """The MENU change payload."""
        return {
            "menu_id": self.id, "community_id": self.community_id, "date": self.day.isoformat(),
            "meal": self.meal, "dishes": self.dishes, "capacity": self.capacity,
            "base_price_points": self.base_price_points, "cutoff_time": self.cutoff_time.strftime("%H:%M"),
        }
