"""Where residents live: sub-district, communities, buildings and units (households)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class SubDistrict(Base):
    __tablename__ = "sub_districts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sub_district_id: Mapped[str] = mapped_column(ForeignKey("sub_districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Building(Base):
    __tablename__ = "buildings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Unit(Base):
    """One household's flat in a building."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
