"""Book a meal (online: the server arbitrates; offline: within this kiosk's seat hold and points
reserve), cancel before the cut-off, list a resident's bookings, and print the ticket."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.canteen import errors as e
from kiosk.canteen import remote
from kiosk.canteen.errors import CanteenError
from kiosk.canteen.link import Link, as_link
from kiosk.canteen.menus import LOCAL_TZ, MenuView, Price, counters, cutoff_of, menu_by_id, price_for
from kiosk.canteen.models import LocalBooking
from kiosk.canteen.offline import usable_hold
from kiosk.canteen.tickets import sign, usable_key
from kiosk.canteen.ticket_print import ticket_document
from kiosk.points.wallet import PointsError
from kiosk.protocol import (
    ACTIVE_BOOKING_STATUSES,
    PAYMENTS,
    BookingRequest,
    BookingView,
    CancelRequest,
    CanteenBooking,
    RecordKind,
    TicketClaims,
    counter_for,
    yuan_text,
)
from kiosk.residents import Resident, lookup
from kiosk.sync import outbox
from kiosk.sync.errors import Offline, ServerBusy, ServerFault, SyncError
from kiosk.sync.models import PENDING, BalanceCache, OutboxRow

log = logging.getLogger(__name__)

__all__ = ["PAYMENTS", "Ticket", "book", "cancel", "my_bookings", "ticket_document", "CanteenError"]


@dataclass(frozen=True)
class Ticket:
    booking_id: str
    menu_id: int
    day: date
    meal: str
    beneficiary_id: str
    masked_name: str
    price: Price
    paid_points: int
    paid_cash_yuan: str  # to pay in cash at the counter, "0.00" when nothing
    payload: str  # the signed QR text
    status: str  # booked, cancelled, served, no_show, refused
    counter_no: int = 1  # the serving counter printed on the ticket
    payer_id: str = ""
    offline: bool = False  # booked while offline (signed by this kiosk; the server confirms later)
    refused_code: str | None = None  # why the server refused an offline booking


def _ticket(row: LocalBooking) -> Ticket:
    price = Price(row.price_points, yuan_text(row.price_points), row.tier, row.discount_percent, row.subsidy_points,
                  row.base_points)
    return Ticket(row.booking_id, row.menu_id, row.day, row.meal, row.beneficiary_id, row.masked_name, price,
                  row.paid_points, yuan_text(row.cash_points), row.ticket, row.status, row.counter_no, row.payer_id,
                  row.origin == "offline", row.refused_code)


def store_view(session: Session, v: BookingView, *, masked_name: str | None = None) -> LocalBooking:
    """Insert or update the local copy of a server booking (feed or answer) in a write transaction."""
    row = session.get(LocalBooking, v.booking_id)
    name = masked_name
    if name is None:
        entry = lookup(session, v.beneficiary_id)
        name = entry.masked_name if entry else (row.masked_name if row else "")
    values = dict(menu_id=v.menu_id, community_id=v.community_id, day=v.day, meal=v.meal, payer_id=v.payer_id,
                  beneficiary_id=v.beneficiary_id, masked_name=name or "", payment=v.payment, status=v.status,
                  origin=v.origin, tier=v.tier, discount_percent=v.discount_percent, subsidy_points=v.subsidy_points,
                  base_points=v.base_points, price_points=v.price_points, paid_points=v.paid_points,
                  cash_points=v.cash_points, counter_no=v.counter_no, refused_code=v.refused_code,
                  updated_at=datetime.now(LOCAL_TZ))
    if row is None:
        row = LocalBooking(booking_id=v.booking_id, ticket=v.ticket, **values)
        session.add(row)
    else:
        for name_, value in values.items():
            setattr(row, name_, value)
        if not row.ticket:
            row.ticket = v.ticket
    session.flush()
    return row


def _active(session: Session, beneficiary_id: str, day: date, meal: str) -> LocalBooking | None:
    return session.scalar(select(LocalBooking).where(
        LocalBooking.beneficiary_id == beneficiary_id, LocalBooking.day == day, LocalBooking.meal == meal,
        LocalBooking.status.in_(ACTIVE_BOOKING_STATUSES)))


def _same_family(payer: Resident, beneficiary: Resident) -> bool:
    return payer.resident_id == beneficiary.resident_id or (
        payer.family_id is not None and payer.family_id == beneficiary.family_id)


def _set_balance(link: Link, resident_id: str, balance: int | None) -> None:
    if balance is None:
        return

    def work(session: Session) -> None:
        row = session.get(BalanceCache, resident_id)
        if row is None:
            session.add(BalanceCache(resident_id=resident_id, balance=balance))
        else:
            row.balance = balance

    link.db.write(work)


def book(source: object, *, menu: MenuView, payer: Resident, beneficiary: Resident, payment: str,
         operator_id: str | None = None, points_part: int | None = None, pool_family: bool = False,
         now: datetime | None = None) -> Ticket:
    """Book ``menu`` for ``beneficiary`` (the payer or a bound family member) and return the ticket.

    Online the server arbitrates seats, one meal per person and points, and signs the ticket. When
    the server cannot be reached the booking is made offline under kiosk.canteen.offline's rules
    (same booking id, so a booking that reached the server after all is not made twice).
    ``points_part`` (points + cash) caps the points used; by default as many as the payer has.
    ``pool_family`` (online) lets the family's balances help the payer's. Blocking: worker thread.

    Raises CanteenError: canteen.payment_unknown, points.not_family, canteen.after_cutoff,
    canteen.already_booked, canteen.full, points.insufficient, canteen.price_changed (points),
    canteen.offline_limit (offline and no seat held or no ticket key), the wallet's points.* keys
    offline (points.no_reserve, points.reserve_exceeded, points.daily_cap ...), canteen.not_enrolled.
    """
    link = as_link(source)
    now = now or link.clock()
    if payment not in PAYMENTS:
        raise CanteenError(e.PAYMENT_UNKNOWN, payment=payment)
    if not _same_family(payer, beneficiary):
        raise CanteenError("points.not_family")
    if now >= menu.cutoff:
        raise CanteenError(e.AFTER_CUTOFF, cutoff=menu.cutoff.astimezone(LOCAL_TZ).strftime("%H:%M"))
    with link.db.session() as session:
        if _active(session, beneficiary.resident_id, menu.day, menu.meal) is not None:
            raise CanteenError(e.ALREADY_BOOKED)
        price = price_for(session, menu, beneficiary)
    booking_id = uuid.uuid4().hex.upper()
    wish = CanteenBooking(booking_id=booking_id, menu_id=menu.menu_id, payer_id=payer.resident_id,
                          beneficiary_id=beneficiary.resident_id, payment=payment, quoted_points=price.points,
                          points_part=points_part, pool_family=pool_family)
    if link.client is not None and link.credentials() is not None:
        try:
            answer = remote.book(link.client, BookingRequest(key=uuid.uuid4(), booking=wish, operator_id=operator_id))
        except (Offline, ServerBusy, ServerFault) as exc:
            log.info("booking online failed (%s): booking offline", exc.key)
        except SyncError as exc:
            raise CanteenError(exc.key) from None
        else:
            if answer.error is not None:
                raise CanteenError(answer.error.code, **answer.error.params)
            row = link.db.write(lambda s: store_view(s, answer.booking, masked_name=beneficiary.masked_name or None))
            _set_balance(link, payer.resident_id, answer.balance)
            return _ticket(row)
    return _book_offline(link, wish, menu, beneficiary, price, operator_id, now)


def _book_offline(link: Link, wish: CanteenBooking, menu: MenuView, beneficiary: Resident, price: Price,
                  operator_id: str | None, now: datetime) -> Ticket:
    wallet = link.wallet

    def work(session: Session) -> LocalBooking:
        if _active(session, wish.beneficiary_id, menu.day, menu.meal) is not None:
            raise CanteenError(e.ALREADY_BOOKED)
        hold, key_row = usable_hold(session, menu.menu_id, now), usable_key(session)
        if hold is None or key_row is None:
            raise CanteenError(e.OFFLINE_LIMIT)
        if wish.payment == "points":
            paid = price.points
        elif wish.payment == "cash":
            paid = 0
        else:
            can = wallet.spendable(session, wish.payer_id, now)
            paid = min(price.points, can if wish.points_part is None else min(can, wish.points_part))
        reserve = None
        if paid > 0:
            try:
                reserve, _ = wallet.check_spend(session, wish.payer_id, wish.beneficiary_id, paid, now)
            except PointsError as exc:
                raise CanteenError(exc.key, **exc.params) from None
        counter_no = counter_for(wish.beneficiary_id, counters(session))
        claims = TicketClaims(key_row.kid, wish.booking_id, menu.menu_id, menu.day, menu.meal, counter_no,
                              wish.beneficiary_id, int(now.timestamp()))
        ticket = sign(key_row, claims)
        record = wish.model_copy(update={"points_part": paid, "hold_id": hold.hold_id, "ticket": ticket,
                                         "reserve_id": reserve.reserve_id if reserve else None, "booked_at": now,
                                         "pool_family": False})
        key = outbox.enqueue(session, RecordKind.CANTEEN_BOOK.value, record.model_dump(mode="json"), operator_id)
        if reserve is not None:
            wallet.record_spend(session, reserve, key, wish.payer_id, wish.beneficiary_id, paid, "canteen",
                                f"canteen:{menu.community_id}", now)
        row = LocalBooking(
            booking_id=wish.booking_id, menu_id=menu.menu_id, community_id=menu.community_id, day=menu.day,
            meal=menu.meal, payer_id=wish.payer_id, beneficiary_id=wish.beneficiary_id,
            masked_name=beneficiary.masked_name, payment=wish.payment, status="booked", origin="offline",
            tier=price.tier, discount_percent=price.discount_pct, subsidy_points=price.subsidy_points,
            base_points=price.base_points, price_points=price.points, paid_points=paid,
            cash_points=price.points - paid, counter_no=counter_no, ticket=ticket, outbox_key=str(key),
            hold_id=hold.hold_id, reserve_id=reserve.reserve_id if reserve else None, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        return row

    row = link.db.write(work)
    link.committed()
    return _ticket(row)


def cancel(source: object, booking_id: str, reason: str = "", *, resident: Resident | None = None,
           operator_id: str | None = None, now: datetime | None = None) -> int:
    """Cancel a booking before its cut-off; returns the points given back (a reversing movement).

    Needs the server. Raises CanteenError canteen.cancel_after_cutoff (param cutoff),
    canteen.cancel_needs_network, canteen.cancel_not_synced (an offline booking still on its way:
    try again in a moment), canteen.cancel_not_booked, canteen.cancel_not_yours, canteen.booking_unknown.
    """
    link = as_link(source)
    now = now or link.clock()
    with link.db.session() as session:
        row = session.get(LocalBooking, booking_id)
        if row is not None:
            menu = menu_by_id(session, row.menu_id, now)
            cutoff = menu.cutoff if menu is not None else cutoff_of(row.day, "23:59")
            if now >= cutoff:
                raise CanteenError(e.CANCEL_AFTER_CUTOFF, cutoff=cutoff.astimezone(LOCAL_TZ).strftime("%H:%M"))
            if row.status != "booked":
                raise CanteenError(e.CANCEL_NOT_BOOKED, status=row.status)
            waiting = row.outbox_key is not None and session.scalar(
                select(OutboxRow.state).where(OutboxRow.key == row.outbox_key)) == PENDING
    if row is not None and waiting:
        link.committed()
        raise CanteenError(e.CANCEL_NOT_SYNCED)
    if link.client is None:
        raise CanteenError(e.CANCEL_NEEDS_NETWORK)
    request = CancelRequest(key=uuid.uuid4(), reason=reason[:200],
                            resident_id=resident.resident_id if resident else None, operator_id=operator_id)
    try:
        answer = remote.cancel(link.client, booking_id, request)
    except (Offline, ServerBusy, ServerFault):
        raise CanteenError(e.CANCEL_NEEDS_NETWORK) from None
    except SyncError as exc:
        raise CanteenError(exc.key) from None
    if answer.error is not None:
        raise CanteenError(answer.error.code, **answer.error.params)
    link.db.write(lambda s: store_view(s, answer.booking))
    _set_balance(link, answer.booking.payer_id, answer.balance)
    return answer.returned_points


def my_bookings(session: Session, resident_id: str, *, today: date | None = None,
                include_past: bool = False) -> list[Ticket]:
    """The resident's bookings (as payer or as the one who eats) from today on, soonest first."""
    query = select(LocalBooking).where(or_(LocalBooking.payer_id == resident_id,
                                           LocalBooking.beneficiary_id == resident_id))
    if not include_past:
        query = query.where(LocalBooking.day >= (today or datetime.now(LOCAL_TZ).date()))
    rows = session.scalars(query).all()
    return [_ticket(r) for r in sorted(rows, key=lambda r: (r.day, r.meal != "lunch", r.created_at))]
