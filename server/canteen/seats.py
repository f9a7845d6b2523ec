"""Seat counters and offline seat holds: every change is one conditional UPDATE under the menu's row lock.

Lock order, kept by every canteen transaction on PostgreSQL so they never deadlock each other:
the booking row or unique-index entry, then the menu's ``canteen_seats`` row, then a hold row,
then ledger accounts, then the changes feed's advisory lock (taken by the first record_change).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from kiosk.protocol import ChangeKind, SeatHold, SeatHoldAnswer, SeatHoldRequest
from server.canteen import config
from server.canteen.models import SeatCount, SeatHoldRow
from server.changes import record_change
from server.handlers import Rejected
from server.models import Kiosk, Menu

_SEATS = SeatCount.__table__
_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def ensure_seats(session: Session, menu: Menu) -> None:
    """Create the menu's seat counter (capacity from the menu) unless it exists."""
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(insert(_SEATS).values(menu_id=menu.id, capacity=menu.capacity, booked=0, held=0)
                    .on_conflict_do_nothing(index_elements=["menu_id"]))


_TAKE_FREE = (update(_SEATS).where(_SEATS.c.menu_id == bindparam("m"), _SEATS.c.booked + _SEATS.c.held < _SEATS.c.capacity)
              .values(booked=_SEATS.c.booked + 1).returning(_SEATS.c.capacity, _SEATS.c.booked, _SEATS.c.held))


def take_free_seat(session: Session, menu: Menu) -> bool:
    """Book one seat from the free pool; False when ``booked + held`` already reached the capacity.

    The conditional UPDATE takes the menu's row lock; PostgreSQL re-checks its condition on the
    row a concurrent booking just committed, so two bookings can never take the last seat.
    """
    row = session.execute(_TAKE_FREE, {"m": menu.id}).one_or_none()
    if row is None and session.execute(select(_SEATS.c.menu_id).where(_SEATS.c.menu_id == menu.id)).first() is None:
        ensure_seats(session, menu)  # the menu's first booking
        row = session.execute(_TAKE_FREE, {"m": menu.id}).one_or_none()
    if row is not None:
        session.info[_SEEN] = {**session.info.get(_SEEN, {}), menu.id: tuple(row)}
    return row is not None


def take_held_seat(session: Session, menu: Menu, hold_id: str | None, kiosk_id: str) -> str | None:
    """Book one seat out of the kiosk's open hold on this menu; returns the hold id used, or None."""
    ensure_seats(session, menu)
    query = select(SeatHoldRow.id).where(SeatHoldRow.menu_id == menu.id, SeatHoldRow.kiosk_id == kiosk_id,
                                         SeatHoldRow.status == "open", SeatHoldRow.seats > 0)
    if hold_id is not None:
        query = query.where(SeatHoldRow.id == hold_id)
    hold = session.scalar(query)
    if hold is None:
        return None
    try:
        with session.begin_nested():
            moved = session.execute(update(_SEATS).where(_SEATS.c.menu_id == menu.id, _SEATS.c.held > 0)
                                    .values(held=_SEATS.c.held - 1, booked=_SEATS.c.booked + 1)).rowcount
            used = session.execute(update(SeatHoldRow).where(SeatHoldRow.id == hold, SeatHoldRow.status == "open",
                                                             SeatHoldRow.seats > 0)
                                   .values(seats=SeatHoldRow.seats - 1, used=SeatHoldRow.used + 1)).rowcount
            if moved != 1 or used != 1:
                raise _NoSeat()
    except _NoSeat:
        return None
    return hold


class _NoSeat(Exception):
    """Rolls the savepoint back when the hold turned out empty."""


def free_seat(session: Session, menu_id: int) -> None:
    """Give one booked seat back to the free pool (a cancellation)."""
    session.execute(update(_SEATS).where(_SEATS.c.menu_id == menu_id, _SEATS.c.booked > 0)
                    .values(booked=_SEATS.c.booked - 1))


_SEEN = "canteen.seats_seen"  # session.info: menu id -> (capacity, booked, held) right after this transaction's update


@event.listens_for(Session, "after_soft_rollback")
def _forget_seen_on_rollback(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_SEEN, None)  # a rolled-back savepoint's seat figures never happened


@event.listens_for(Session, "after_transaction_end")
def _forget_seen_at_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_SEEN, None)


def seats_data(session: Session, menu_id: int) -> dict[str, int]:
    seen = session.info.get(_SEEN, {}).pop(menu_id, None)
    if seen is not None:
        capacity, booked, held = seen
        return {"menu_id": menu_id, "capacity": capacity, "booked": booked, "held": held,
                "seats_left": max(0, capacity - booked - held)}
    row = session.execute(select(_SEATS).where(_SEATS.c.menu_id == menu_id)).one_or_none()
    if row is None:
        menu = session.get(Menu, menu_id)
        capacity = menu.capacity if menu else 0
        return {"menu_id": menu_id, "capacity": capacity, "booked": 0, "held": 0, "seats_left": capacity}
    return {"menu_id": menu_id, "capacity": row.capacity, "booked": row.booked, "held": row.held,
            "seats_left": max(0, row.capacity - row.booked - row.held)}


def publish_seats(session: Session, menu_id: int) -> None:
    """Tell every kiosk how many seats are left (a CANTEEN_SEATS change in this transaction)."""
    record_change(session, ChangeKind.CANTEEN_SEATS, str(menu_id), seats_data(session, menu_id))


def _hold_view(hold: SeatHoldRow) -> SeatHold:
    return SeatHold(hold_id=hold.id, menu_id=hold.menu_id, seats=hold.seats if hold.status == "open" else 0,
                    used=hold.used, expires_at=hold.expires_at)


def grant_holds(session: Session, kiosk_id: str, request: SeatHoldRequest, now: datetime) -> SeatHoldAnswer:
    """Top this kiosk's hold on each open menu of its community up to ``min(seats, canteen.offline_seats)``.

    Idempotent (a repeat finds the hold already topped up). Menus of other communities and menus
    past their cut-off are skipped. Caller commits.
    """
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise Rejected("auth.unknown_kiosk", 401)
    target = min(request.seats, config.offline_seats(session))
    holds: list[SeatHold] = []
    for menu_id in sorted(set(request.menu_ids)):
        menu = session.get(Menu, menu_id)
        if menu is None or menu.community_id != kiosk.community_id or now >= config.cutoff_of(menu):
            continue
        ensure_seats(session, menu)
        seats = session.execute(select(_SEATS).where(_SEATS.c.menu_id == menu.id).with_for_update()).one()
        hold = session.scalar(select(SeatHoldRow).where(SeatHoldRow.menu_id == menu.id, SeatHoldRow.kiosk_id == kiosk_id,
                                                        SeatHoldRow.status == "open").with_for_update())
        if hold is None:
            hold = SeatHoldRow(id=uuid.uuid4().hex.upper(), menu_id=menu.id, kiosk_id=kiosk_id, seats=0, used=0,
                               status="open", expires_at=config.cutoff_of(menu), created_at=now)
            session.add(hold)
            session.flush()
        add = max(0, min(target - hold.seats, seats.capacity - seats.booked - seats.held))
        if add > 0:
            session.execute(update(_SEATS).where(_SEATS.c.menu_id == menu.id).values(held=_SEATS.c.held + add))
            hold.seats += add
            session.flush()
            publish_seats(session, menu.id)
        holds.append(_hold_view(hold))
    return SeatHoldAnswer(holds=holds)


def release_hold(session: Session, hold_id: str, *, kiosk_id: str | None, now: datetime) -> SeatHold:
    """Give the seats left in a hold back to the free pool and close it (a closed one answers the same).

    Raises Rejected ``canteen.hold_unknown`` or ``canteen.hold_foreign`` (403).
    """
    hold = session.get(SeatHoldRow, hold_id)
    if hold is None:
        raise Rejected("canteen.hold_unknown", hold_id=hold_id)
    if kiosk_id is not None and hold.kiosk_id != kiosk_id:
        raise Rejected("canteen.hold_foreign", 403)
    session.execute(select(_SEATS).where(_SEATS.c.menu_id == hold.menu_id).with_for_update()).one_or_none()
    session.refresh(hold, with_for_update=True)
    if hold.status == "open":
        if hold.seats:
            session.execute(update(_SEATS).where(_SEATS.c.menu_id == hold.menu_id)
                            .values(held=_SEATS.c.held - hold.seats))
        hold.seats, hold.status, hold.closed_at = 0, "closed", now
        session.flush()
        publish_seats(session, hold.menu_id)
    return _hold_view(hold)


def release_expired_holds(session: Session, now: datetime) -> list[str]:
    """Close every open hold whose menu's cut-off is more than HOLD_GRACE_S ago; returns their ids."""
    cutoff = now - timedelta(seconds=config.HOLD_GRACE_S)
    ids = list(session.scalars(select(SeatHoldRow.id).where(SeatHoldRow.status == "open",
                                                            SeatHoldRow.expires_at <= cutoff).order_by(SeatHoldRow.id)))
    for hold_id in ids:
        release_hold(session, hold_id, kiosk_id=None, now=now)
    return ids
