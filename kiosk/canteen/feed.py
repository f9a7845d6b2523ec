"""Pulled canteen changes: bookings (their status, for my bookings and for counters offline)."""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from kiosk.protocol import BookingView, Change

log = logging.getLogger(__name__)


def apply_booking_change(session: Session, change: Change, as_of: datetime) -> None:
    """Store a CANTEEN_BOOKING change in the local bookings (inside the pull's write transaction)."""
    from kiosk.canteen.booking import store_view

    try:
        view = BookingView.model_validate(change.data)
    except ValidationError:
        log.warning("booking change %s is malformed; skipped", change.seq)
        return
    store_view(session, view)
