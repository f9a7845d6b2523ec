"""Bookings: online (the server arbitrates seats, one meal per person, points), offline arrivals, cancel.

Every function works in the caller's transaction. A refusal is an answer, not an exception: the
work done for it runs in a savepoint that is rolled back, and the answer (stored with the
request's idempotency key by the caller) carries the message key. Offline bookings that the
server cannot honour are kept as ``refused`` rows, so their tickets are refused at the counter.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.protocol import (
    BookingAnswer,
    BookingView,
    CancelAnswer,
    CancelRequest,
    CanteenBooking,
    ChangeKind,
    ErrorBody,
    PriceQuote,
    counter_for,
    parse_ticket,
    pricing_age,
    quote_price,
)
from server.canteen import config, seats
from server.canteen.models import Booking, Serving
from server.canteen.tickets import sign_ticket, verify_ticket
from server.changes import record_change
from server.handlers import Rejected
from server.ledger.directory import same_family
from server.ledger.family import spend_family
from server.ledger.movements import resident_balance, reverse, spend_with_balance
from server.ledger.reserves import spend_from_reserve
from server.models import Menu, Resident

log = logging.getLogger(__name__)

OFFLINE_CLOCK_SKEW = timedelta(minutes=5)  # a kiosk clock this far ahead still books before the cut-off


def new_booking_id() -> str:
    return uuid.uuid4().hex.upper()


def view(b: Booking) -> BookingView:
    return BookingView(
        booking_id=b.id, menu_id=b.menu_id, community_id=b.community_id, day=b.day, meal=b.meal, payer_id=b.payer_id,
        beneficiary_id=b.beneficiary_id, payment=b.payment, status=b.status, tier=b.tier,
        discount_percent=b.discount_percent, subsidy_points=b.subsidy_points, base_points=b.base_points,
        price_points=b.price_points, paid_points=b.paid_points, cash_points=b.cash_points, counter_no=b.counter_no,
        ticket=b.ticket, origin=b.origin, refused_code=b.refused_code,
    )


def publish(session: Session, b: Booking) -> None:
    """Every kiosk learns the booking and its status (tickets, my bookings, counters offline)."""
    record_change(session, ChangeKind.CANTEEN_BOOKING, b.id, view(b).model_dump(mode="json"))


def quote(session: Session, menu: Menu, beneficiary: Resident) -> PriceQuote:
    return quote_price(menu.base_price_points, pricing_age(beneficiary.birth_date.year, menu.day), config.tiers(session))


def _error(code: str, **params: Any) -> ErrorBody:
    return ErrorBody(code=code, params=params)


def _operator(kiosk_id: str, operator_id: str | None) -> tuple[str, str]:
    return ("staff", operator_id) if operator_id else ("kiosk", kiosk_id)


def _check(session: Session, b: CanteenBooking, now: datetime) -> tuple[Menu, Resident]:
    """The menu and the beneficiary, or Rejected with why the booking cannot be made."""
    menu = session.get(Menu, b.menu_id)
    if menu is None:
        raise Rejected("canteen.menu_unknown", menu_id=b.menu_id)
    if now >= config.cutoff_of(menu):
        raise Rejected("canteen.after_cutoff", cutoff=menu.cutoff_time.strftime("%H:%M"))
    beneficiary = session.get(Resident, b.beneficiary_id)
    if beneficiary is None or session.get(Resident, b.payer_id) is None:
        raise Rejected("canteen.resident_unknown")
    if not same_family(session, b.payer_id, b.beneficiary_id):
        raise Rejected("points.not_family", 403)
    return menu, beneficiary


def _insert(session: Session, row: Booking) -> None:
    """Add the booking; the partial unique index refuses a second active one for the person and meal."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Rejected("canteen.already_booked") from None


def book_online(session: Session, kiosk_id: str, b: CanteenBooking, *, operator_id: str | None,
                now: datetime) -> BookingAnswer:
    """Book a seat and pay now; the answer holds the server-signed ticket or the refusal's key.

    Refusals: canteen.menu_unknown, canteen.after_cutoff, canteen.resident_unknown, points.not_family,
    canteen.price_changed (param points), canteen.already_booked, canteen.full, points.insufficient.
    """
    existing = session.get(Booking, b.booking_id)
    if existing is not None:  # the same booking asked again (a lost answer, then a new key)
        if (existing.beneficiary_id, existing.menu_id) != (b.beneficiary_id, b.menu_id):
            return BookingAnswer(error=_error("canteen.booking_id_reused"))
        return BookingAnswer(booking=view(existing), balance=resident_balance(session, existing.payer_id))
    try:
        with session.begin_nested():
            row, balance = _book_online(session, kiosk_id, b, operator_id, now)
    except Rejected as exc:
        return BookingAnswer(error=_error(exc.code, **exc.params))
    return BookingAnswer(booking=view(row), balance=balance)


def _book_online(session: Session, kiosk_id: str, b: CanteenBooking, operator_id: str | None,
                 now: datetime) -> tuple[Booking, int]:
    menu, beneficiary = _check(session, b, now)
    price = quote(session, menu, beneficiary)
    if b.quoted_points != price.points:
        raise Rejected("canteen.price_changed", points=price.points)
    payer_has: int | None = None
    if b.payment == "points":
        paid = price.points
    elif b.payment == "cash":
        paid = 0
    else:
        payer_has = resident_balance(session, b.payer_id)
        paid = min(price.points, b.points_part if b.points_part is not None else payer_has)
    row = Booking(
        id=b.booking_id, menu_id=menu.id, community_id=menu.community_id, day=menu.day, meal=menu.meal,
        payer_id=b.payer_id, beneficiary_id=b.beneficiary_id, kiosk_id=kiosk_id, operator_id=operator_id,
        payment=b.payment, status="booked", origin="online", tier=price.tier, discount_percent=price.discount_percent,
        subsidy_points=price.subsidy_points, base_points=price.base_points, price_points=price.points,
        paid_points=paid, cash_points=price.points - paid, counter_no=counter_for(b.beneficiary_id, config.counters(session)),
        ticket="", created_at=now,
    )
    _insert(session, row)
    if not seats.take_free_seat(session, menu) and seats.take_held_seat(session, menu, None, kiosk_id) is None:
        raise Rejected("canteen.full")
    balance = payer_has
    if paid > 0:
        operator_kind, operator = _operator(kiosk_id, operator_id)
        key = f"canteen:{b.booking_id}"
        if b.pool_family:
            row.spend_tx_id = spend_family(session, b.payer_id, paid, "canteen", config.merchant_of(menu.community_id),
                                           operator_kind, operator, key, beneficiary_id=b.beneficiary_id,
                                           kiosk_id=kiosk_id, now=now)
            balance = resident_balance(session, b.payer_id)
        else:
            row.spend_tx_id, balance = spend_with_balance(
                session, b.payer_id, paid, "canteen", config.merchant_of(menu.community_id), operator_kind, operator,
                key, beneficiary_id=b.beneficiary_id, kiosk_id=kiosk_id, now=now)
    if balance is None:
        balance = resident_balance(session, b.payer_id)
    row.ticket = sign_ticket(session, booking_id=row.id, menu_id=menu.id, day=menu.day, meal=menu.meal,
                             counter_no=row.counter_no, beneficiary_id=row.beneficiary_id, now=now)
    session.flush()
    seats.publish_seats(session, menu.id)
    publish(session, row)
    return row, balance


def apply_offline(session: Session, kiosk_id: str, b: CanteenBooking, *, operator_id: str | None,
                  now: datetime) -> dict[str, Any]:
    """An offline booking arriving from a kiosk's outbox: honour it from the kiosk's seat hold and
    points reserve, or keep it as ``refused`` (with the key) so its ticket is refused at the counter.

    Raises Rejected ``canteen.ticket_invalid`` when the ticket was not signed by this kiosk's
    ticket key for this booking (the record is dead-lettered). Result: {"booking": BookingView}.
    """
    existing = session.get(Booking, b.booking_id)
    if existing is not None:  # its online attempt committed after all: nothing more to charge
        return {"booking": view(existing).model_dump(mode="json"), "duplicate": True}
    verified = verify_ticket(session, b.ticket or "")
    if verified is None or verified.by_kiosk != kiosk_id:
        raise Rejected("canteen.ticket_invalid")
    claims = verified.claims
    if (claims.booking_id, claims.menu_id, claims.beneficiary_id) != (b.booking_id, b.menu_id, b.beneficiary_id):
        raise Rejected("canteen.ticket_invalid")
    menu = session.get(Menu, b.menu_id)
    if menu is None:
        raise Rejected("canteen.menu_unknown", menu_id=b.menu_id)
    beneficiary = session.get(Resident, b.beneficiary_id)
    price = quote(session, menu, beneficiary) if beneficiary is not None else None
    paid = min(b.points_part or 0, b.quoted_points) if b.payment != "cash" else 0
    row = Booking(
        id=b.booking_id, menu_id=menu.id, community_id=menu.community_id, day=menu.day, meal=menu.meal,
        payer_id=b.payer_id, beneficiary_id=b.beneficiary_id, kiosk_id=kiosk_id, operator_id=operator_id,
        payment=b.payment, status="booked", origin="offline", tier=price.tier if price else "",
        discount_percent=price.discount_percent if price else 0, subsidy_points=price.subsidy_points if price else 0,
        base_points=menu.base_price_points, price_points=b.quoted_points, paid_points=paid,
        cash_points=b.quoted_points - paid, counter_no=claims.counter_no, ticket=b.ticket or "", created_at=now,
    )
    try:
        with session.begin_nested():
            _apply_offline(session, kiosk_id, b, menu, row, operator_id, now)
    except Rejected as exc:
        log.info("offline booking refused: %s", exc.code)
        row = Booking(**{c.key: getattr(row, c.key) for c in Booking.__table__.columns})
        row.status, row.refused_code, row.paid_points, row.cash_points = "refused", exc.code, 0, 0
        row.spend_tx_id, row.hold_id = None, None
        session.add(row)
        session.flush()
    publish(session, row)
    return {"booking": view(row).model_dump(mode="json"), "duplicate": False}


def _apply_offline(session: Session, kiosk_id: str, b: CanteenBooking, menu: Menu, row: Booking,
                   operator_id: str | None, now: datetime) -> None:
    booked_at = b.booked_at or now
    if booked_at > config.cutoff_of(menu) + OFFLINE_CLOCK_SKEW:
        raise Rejected("canteen.after_cutoff", cutoff=menu.cutoff_time.strftime("%H:%M"))
    if session.get(Resident, b.beneficiary_id) is None or not same_family(session, b.payer_id, b.beneficiary_id):
        raise Rejected("points.not_family", 403)
    _insert(session, row)
    row.hold_id = seats.take_held_seat(session, menu, b.hold_id, kiosk_id)
    if row.hold_id is None and not seats.take_free_seat(session, menu):
        raise Rejected("canteen.full")
    if row.paid_points > 0:
        if b.reserve_id is None:
            raise Rejected("points.no_reserve")
        operator_kind, operator = _operator(kiosk_id, operator_id)
        result = spend_from_reserve(session, reserve_id=b.reserve_id, kiosk_id=kiosk_id, payer_id=b.payer_id,
                                    beneficiary_id=b.beneficiary_id, amount=row.paid_points, purpose="canteen",
                                    merchant_id=config.merchant_of(menu.community_id), key=f"canteen:{b.booking_id}",
                                    operator_kind=operator_kind, operator_id=operator, now=now)
        row.spend_tx_id = result["tx_id"]
    if session.get(Serving, row.id) is not None:  # a counter served its ticket before the booking arrived
        row.status = "served"
    session.flush()
    seats.publish_seats(session, menu.id)


def cancel(session: Session, kiosk_id: str, booking_id: str, request: CancelRequest, now: datetime) -> CancelAnswer:
    """Cancel before the cut-off: the seat goes back and the points come back as a reversal.

    Refusals: canteen.booking_unknown, canteen.cancel_not_yours (403), canteen.cancel_after_cutoff
    (param cutoff), canteen.cancel_not_booked (served, no-show or refused). Cancelling a cancelled
    booking answers the same as the first time.
    """
    b = session.scalar(select(Booking).where(Booking.id == booking_id).with_for_update())
    if b is None:
        return CancelAnswer(error=_error("canteen.booking_unknown"))
    if request.resident_id and not (request.resident_id in (b.payer_id, b.beneficiary_id)
                                    or same_family(session, request.resident_id, b.payer_id)):
        return CancelAnswer(error=_error("canteen.cancel_not_yours"))
    if b.status == "cancelled":
        return CancelAnswer(booking=view(b), returned_points=b.paid_points if b.refund_tx_id else 0,
                            balance=resident_balance(session, b.payer_id))
    if b.status != "booked":
        return CancelAnswer(error=_error("canteen.cancel_not_booked", status=b.status))
    menu = session.get(Menu, b.menu_id)
    if now >= config.cutoff_of(menu):
        return CancelAnswer(error=_error("canteen.cancel_after_cutoff", cutoff=menu.cutoff_time.strftime("%H:%M")))
    seats.free_seat(session, b.menu_id)  # the seat row before the ledger's locks (one lock order)
    if b.spend_tx_id is not None:
        operator_kind, operator = _operator(kiosk_id, request.operator_id)
        b.refund_tx_id = reverse(session, b.spend_tx_id, operator_kind, operator, request.reason or "canteen cancel",
                                 key=f"canteen-cancel:{b.id}", now=now)
    b.status, b.cancelled_at = "cancelled", now
    session.flush()
    seats.publish_seats(session, b.menu_id)
    publish(session, b)
    return CancelAnswer(booking=view(b), returned_points=b.paid_points if b.refund_tx_id else 0,
                        balance=resident_balance(session, b.payer_id))


def record_no_shows(session: Session, now: datetime, *, meal_end_hours: dict[str, int] | None = None) -> int:
    """Mark ``booked`` bookings of meals that have ended (lunch 14:00, dinner 20:00 local) as
    ``no_show`` (no refund); returns how many. A job or ``kiosk-server canteen no-shows``."""
    ends = meal_end_hours or {"lunch": 14, "dinner": 20}
    local = now.astimezone(config.LOCAL_TZ)
    rows = session.scalars(select(Booking).where(Booking.status == "booked", Booking.day <= local.date())
                           .order_by(Booking.id).with_for_update()).all()
    count = 0
    for b in rows:
        if b.day < local.date() or local.hour >= ends.get(b.meal, 24):
            session.execute(update(Booking).where(Booking.id == b.id, Booking.status == "booked").values(status="no_show"))
            session.refresh(b)
            publish(session, b)
            count += 1
    return count


def ticket_booking_id(payload: str) -> str | None:
    """The booking id a ticket text names (unverified), for logs and look-ups."""
    try:
        return parse_ticket(payload)[0].booking_id
    except ValueError:
        return None
