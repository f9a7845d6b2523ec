"""Resident directory: add and list residents, bind families, publish masked entries to kiosks."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind
from server.changes import record_change
from server.models import Community, Family, Resident, Staff


def mask_name(name: str) -> str:
    """A name as kiosks and receipts show it: 张*明, 李*, 欧**明 (PIPL de-identification)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def directory_entry(resident: Resident) -> dict[str, Any]:
    """The RESIDENT change data: never the phone number or the full name or birth date."""
    return {
        "resident_id": resident.id, "masked_name": mask_name(resident.name),
        "birth_year": resident.birth_date.year, "family_id": resident.family_id,
        "community_id": resident.community_id,
    }


def publish_resident(session: Session, resident: Resident) -> None:
    record_change(session, ChangeKind.RESIDENT, resident.id, directory_entry(resident))


def next_resident_id(session: Session) -> str:
    """The next free id of the form R-000123."""
    ids = session.scalars(select(Resident.id).where(Resident.id.like("R-%"))).all()
    numbers = [int(i[2:]) for i in ids if i[2:].isdigit()]
    return f"R-{max(numbers, default=0) + 1:06d}"


def add_resident(
    session: Session, *, name: str, birth_date: date, community_id: str, phone: str | None = None,
    unit_id: str | None = None, family_id: str | None = None, roles: list[str] | None = None,
    resident_id: str | None = None,
) -> Resident:
    """Create a resident (id R-nnnnnn unless given) and publish its masked entry.

    A ``family_id`` that does not exist yet is created with this resident as its holder.
    Raises LookupError for an unknown community.
    """
    if session.get(Community, community_id) is None:
        raise LookupError(f"unknown community {community_id}")
    rid = resident_id or next_resident_id(session)
    if family_id is not None and session.get(Family, family_id) is None:
        session.add(Family(id=family_id, holder_id=rid))
        session.flush()
    resident = Resident(
        id=rid, name=name, phone=phone, birth_date=birth_date, community_id=community_id,
        unit_id=unit_id, family_id=family_id, roles=list(roles or ["resident"]),
    )
    session.add(resident)
    session.flush()
    publish_resident(session, resident)
    return resident


def list_residents(session: Session, community_id: str | None = None) -> list[Resident]:
    query = select(Resident).order_by(Resident.id)
    if community_id:
        query = query.where(Resident.community_id == community_id)
    return list(session.scalars(query))


def add_staff(session: Session, *, name: str, community_id: str, role: str = "staff",
              staff_id: str | None = None) -> Staff:
    """Create a staff member (id S-nnnn unless given); ``role`` is staff or technician (else ValueError)."""
    if role not in ("staff", "technician"):
        raise ValueError(f"staff role must be staff or technician, not {role}")
    if staff_id is None:
        count = session.scalar(select(func.count()).select_from(Staff)) or 0
        staff_id = f"S-{count + 1:04d}"
    member = Staff(id=staff_id, name=name, community_id=community_id, role=role)
    session.add(member)
    session.flush()
    return member


def age_on(birth_date: date, day: date) -> int:
    """Whole years between ``birth_date`` and ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
