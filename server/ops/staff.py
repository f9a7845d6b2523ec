"""Staff PINs: salted scrypt hashes kept on the server and sent to every kiosk (STAFF changes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import ChangeKind, StaffEntryData, pin_hash
from server.changes import record_change
from server.models import Staff
from server.ops.models import StaffPin
from server.residents import mask_name

MIN_PIN_DIGITS = 6
MAX_PIN_DIGITS = 12


def check_pin(pin: str) -> str:
    """``pin`` when it is 6-12 ASCII digits; ValueError otherwise (a 6-digit PIN is the minimum)."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS):
        raise ValueError(f"a PIN is {MIN_PIN_DIGITS}-{MAX_PIN_DIGITS} digits")
    return pin


def staff_entry(staff: Staff, pin: StaffPin | None) -> dict:
    """The STAFF change data of one person: masked name, role, community and PIN hash only."""
    return StaffEntryData(
        staff_id=staff.id, masked_name=mask_name(staff.name), role=staff.role, community_id=staff.community_id,
        pin_hash=pin.pin_hash if pin is not None else None,
    ).model_dump(mode="json")


def publish_staff(session: Session, staff: Staff) -> None:
    """Send the staff member's directory entry to every kiosk (in the caller's transaction)."""
    record_change(session, ChangeKind.STAFF, staff.id, staff_entry(staff, session.get(StaffPin, staff.id)))


def set_pin(session: Session, staff_id: str, pin: str, *, now: datetime) -> Staff:
    """Store a fresh salted hash of ``pin`` for ``staff_id`` and publish it; LookupError for an
    unknown staff member, ValueError for a PIN that is not 6-12 digits. The PIN itself is never kept."""
    staff_id = staff_id.strip().upper()
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise LookupError(f"unknown staff member {staff_id}")
    encoded = pin_hash(check_pin(pin))
    row = session.get(StaffPin, staff_id, with_for_update=True)
    if row is None:
        session.add(StaffPin(staff_id=staff_id, pin_hash=encoded, updated_at=now))
    else:
        row.pin_hash, row.updated_at = encoded, now
    session.flush()
    publish_staff(session, staff)
    return staff


def list_staff(session: Session, community_id: str | None = None) -> list[tuple[Staff, StaffPin | None]]:
    """Every staff member (of one community when given) with their PIN row, by id."""
    query = select(Staff, StaffPin).outerjoin(StaffPin, StaffPin.staff_id == Staff.id).order_by(Staff.id)
    if community_id:
        query = query.where(Staff.community_id == community_id)
    return [(staff, pin) for staff, pin in session.execute(query)]


DEMO_PIN = "246810"  # demo data only: every demo staff member and technician signs in with it


def seed_demo_pins(session: Session, *, now: datetime, pin: str = DEMO_PIN) -> dict[str, int]:
    """Give every staff member without a PIN the demo PIN (demo seed only); returns counts."""
    done = 0
    for staff, existing in list_staff(session):
        if existing is None:
            set_pin(session, staff.id, pin, now=now)
            done += 1
    return {"staff_pins": done}
