"""Serving tickets at canteen counters: served exactly once, online and offline.

Rules (the offline part mirrors the points reserve: a right moved to a kiosk while online):

- Every ticket of a person goes to one serving counter (``counter_no`` on the ticket; the
  community has ``canteen.counters`` of them). A counter kiosk claims its counter number for the
  day while online; the claim is exclusive until it is released.
- Online, the server arbitrates: a ``canteen_servings`` row per booking (primary key) is written
  once; a scan at a kiosk that does not hold the ticket's claimed counter is refused
  (``other_counter``), because the claim holder may be serving offline at that moment.
- Offline, only the claim holder serves a ticket, against its own served list (by booking and by
  person and meal), and sends ``canteen.redeem`` records when back online; they are facts and
  are never refused (a second serving is logged by booking id).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.protocol import CounterClaimAnswer, CounterClaimRequest, CounterRelease, RedeemAnswer, RedeemRequest
from server.canteen import config
from server.canteen.bookings import publish, view
from server.canteen.models import Booking, CounterClaim, Serving
from server.canteen.tickets import verify_ticket
from server.handlers import Rejected
from server.models import Kiosk, Menu

log = logging.getLogger(__name__)

DETAIL = {
    "served": "canteen.redeem_served",
    "already_served": "canteen.redeem_already_served",
    "wrong_day": "canteen.redeem_wrong_day",
    "wrong_meal": "canteen.redeem_wrong_meal",
    "cancelled": "canteen.redeem_cancelled",
    "refused": "canteen.redeem_refused",
    "forged": "canteen.redeem_forged",
    "unknown": "canteen.redeem_unknown",
    "other_counter": "canteen.redeem_other_counter",
}


def _answer(outcome: str, booking: Booking | None = None, counter_no: int | None = None,
            detail: str | None = None) -> RedeemAnswer:
    return RedeemAnswer(outcome=outcome, detail_key=detail or DETAIL[outcome],
                        booking=view(booking) if booking is not None else None, counter_no=counter_no)


def _kiosk_community(session: Session, kiosk_id: str) -> str:
    kiosk = session.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise Rejected("auth.unknown_kiosk", 401)
    return kiosk.community_id


def claim_holder(session: Session, community_id: str, day: date, counter_no: int) -> CounterClaim | None:
    return session.scalar(select(CounterClaim).where(
        CounterClaim.community_id == community_id, CounterClaim.day == day, CounterClaim.counter_no == counter_no,
        CounterClaim.released_at.is_(None)))


def redeem(session: Session, kiosk_id: str, request: RedeemRequest, now: datetime) -> RedeemAnswer:
    """Serve the ticket ``request.payload`` at this kiosk's counter, or say why not. Caller commits."""
    verified = verify_ticket(session, request.payload)
    if verified is None:
        return _answer("forged")
    t = verified.claims
    # Locked (until commit) so a cancel of the same booking waits for this serving, or the other way round.
    booking = session.scalar(select(Booking).where(Booking.id == t.booking_id).with_for_update()
                             .execution_options(populate_existing=True))
    if booking is not None and (booking.beneficiary_id, booking.menu_id) != (t.beneficiary_id, t.menu_id):
        return _answer("forged")
    if t.day != request.day:
        return _answer("wrong_day", booking, t.counter_no)
    if t.meal != request.meal:
        return _answer("wrong_meal", booking, t.counter_no)
    if session.get(Serving, t.booking_id) is not None:
        return _answer("already_served", booking, t.counter_no)
    if booking is not None and booking.status in ("cancelled", "refused"):
        return _answer("cancelled", booking, t.counter_no, DETAIL[booking.status])
    if booking is None and verified.by_kiosk is None:
        return _answer("unknown", None, t.counter_no)  # a server ticket the server does not know
    menu = session.get(Menu, t.menu_id)
    community = menu.community_id if menu is not None else _kiosk_community(session, kiosk_id)
    holder = claim_holder(session, community, t.day, t.counter_no)
    if holder is not None and holder.kiosk_id != kiosk_id:
        return _answer("other_counter", booking, t.counter_no)
    if not _serve(session, t.booking_id, t.beneficiary_id, t.day, t.meal, kiosk_id, request.counter_id, "online", now):
        return _answer("already_served", booking, t.counter_no)
    if booking is not None:
        session.refresh(booking)
        publish(session, booking)
    return _answer("served", booking, t.counter_no)


def _serve(session: Session, booking_id: str, beneficiary_id: str, day: date, meal: str, kiosk_id: str,
           counter_id: str, via: str, served_at: datetime) -> bool:
    """Insert the serving row (False when it was already there) and mark the booking served."""
    try:
        with session.begin_nested():
            session.add(Serving(booking_id=booking_id, beneficiary_id=beneficiary_id, day=day, meal=meal,
                                kiosk_id=kiosk_id, counter_id=counter_id, via=via, served_at=served_at))
            session.flush()
    except IntegrityError:
        return False
    session.execute(update(Booking).where(Booking.id == booking_id, Booking.status == "booked").values(status="served"))
    return True


def apply_offline_serving(session: Session, kiosk_id: str, *, payload: str, counter_id: str,
                          served_at: datetime) -> dict:
    """A ticket served offline, arriving from the counter's outbox; never refused for business reasons.

    Raises Rejected ``canteen.ticket_invalid`` for a ticket no known key signed.
    """
    verified = verify_ticket(session, payload)
    if verified is None:
        raise Rejected("canteen.ticket_invalid")
    t = verified.claims
    first = _serve(session, t.booking_id, t.beneficiary_id, t.day, t.meal, kiosk_id, counter_id, "offline", served_at)
    if not first:
        earlier = session.get(Serving, t.booking_id)
        if earlier is not None and earlier.kiosk_id != kiosk_id:
            log.warning("ticket %s served again offline (first at another counter)", t.booking_id)
    booking = session.get(Booking, t.booking_id)
    if booking is not None:
        session.refresh(booking)
        publish(session, booking)
    return {"booking_id": t.booking_id, "outcome": "served" if first else "already_served"}


def claim(session: Session, kiosk_id: str, request: CounterClaimRequest, now: datetime) -> CounterClaimAnswer:
    """Claim counter numbers for a day (those free, or already this kiosk's); caller commits."""
    community = _kiosk_community(session, kiosk_id)
    total = config.counters(session)
    for number in sorted(set(request.counter_nos)):
        if not 1 <= number <= total or claim_holder(session, community, request.day, number) is not None:
            continue
        try:
            with session.begin_nested():
                session.add(CounterClaim(community_id=community, day=request.day, counter_no=number,
                                         kiosk_id=kiosk_id, counter_id=request.counter_id, claimed_at=now))
                session.flush()
        except IntegrityError:  # claimed at the same moment by another kiosk
            continue
    held: list[int] = []
    others: dict[str, str] = {}
    for row in session.scalars(select(CounterClaim).where(
            CounterClaim.community_id == community, CounterClaim.day == request.day,
            CounterClaim.released_at.is_(None)).order_by(CounterClaim.counter_no)):
        if row.kiosk_id == kiosk_id:
            held.append(row.counter_no)
        else:
            others[str(row.counter_no)] = row.counter_id
    return CounterClaimAnswer(day=request.day, community_id=community, counters=total, held=held, others=others)


def release_claims(session: Session, kiosk_id: str | None, release: CounterRelease, now: datetime,
                   community_id: str | None = None) -> int:
    """End claims of a day (this kiosk's, or any kiosk's in ``community_id`` for staff); returns how many."""
    query = update(CounterClaim).where(CounterClaim.day == release.day, CounterClaim.released_at.is_(None),
                                       CounterClaim.counter_no.in_(release.counter_nos))
    if kiosk_id is not None:
        query = query.where(CounterClaim.kiosk_id == kiosk_id)
    if community_id is not None:
        query = query.where(CounterClaim.community_id == community_id)
    return session.execute(query.values(released_at=now)).rowcount or 0
