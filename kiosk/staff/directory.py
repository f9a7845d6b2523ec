"""The staff directory pulled from the server (STAFF changes): who may sign in, with which PIN hash."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import Change, StaffEntryData
from kiosk.staff.models import StaffEntry
from kiosk.storage.column_types import utc_now

log = logging.getLogger(__name__)


def apply_staff_change(session: Session, change: Change, as_of: datetime) -> None:
    """Pull handler for ChangeKind.STAFF (in the page's write transaction); a malformed entry is skipped."""
    try:
        data = StaffEntryData.model_validate(change.data)
    except ValidationError:
        log.warning("staff change %s is malformed; skipped", change.seq)
        return
    row = session.get(StaffEntry, data.staff_id)
    values = dict(masked_name=data.masked_name, role=data.role, community_id=data.community_id,
                  pin_hash=data.pin_hash, active=data.active, updated_at=utc_now())
    if row is None:
        session.add(StaffEntry(staff_id=data.staff_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def lookup_staff(session: Session, staff_id: str) -> StaffEntry | None:
    """The directory entry of ``staff_id`` (case-insensitive id), or None."""
    return session.get(StaffEntry, staff_id.strip().upper())


def list_staff(session: Session, role: str | None = None) -> list[StaffEntry]:
    """Active staff (of ``role`` when given), by id: for a "who are you" picker at the help desk."""
    query = select(StaffEntry).where(StaffEntry.active.is_(True)).order_by(StaffEntry.staff_id)
    if role is not None:
        query = query.where(StaffEntry.role == role)
    return list(session.scalars(query))
