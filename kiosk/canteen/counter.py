"""Canteen-counter mode (staff): serve tickets exactly once, with the server or, offline, by the claim rules.

Online the server decides (kiosk.canteen's server side: one serving row per booking). Offline a
counter serves only tickets of the counter numbers it claimed while online, checks its own served
list by booking and by person and meal, and queues ``canteen.redeem`` records. A counter that
holds no claim refuses every ticket offline (``other_counter``): another counter may be serving.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.canteen import remote
from kiosk.canteen.booking import store_view
from kiosk.canteen.link import Link, as_link
from kiosk.canteen.menus import LOCAL_TZ
from kiosk.canteen.models import CounterClaimRow, LocalBooking, LocalServing
from kiosk.canteen.tickets import check
from kiosk.i18n import N_
from kiosk.protocol import (
    CanteenRedeemRecord,
    CounterClaimRequest,
    CounterRelease,
    RecordKind,
    RedeemRequest,
    yuan_text,
)
from kiosk.residents import lookup
from kiosk.sync import outbox
from kiosk.sync.errors import SyncError

log = logging.getLogger(__name__)

DINNER_FROM_HOUR = 15  # a scan before 15:00 local time is for lunch, after it for dinner


class RedeemOutcome(StrEnum):
    SERVED = "served"
    ALREADY_SERVED = "already_served"
    WRONG_DAY = "wrong_day"
    WRONG_MEAL = "wrong_meal"
    CANCELLED = "cancelled"
    FORGED = "forged"
    UNKNOWN = "unknown"
    OTHER_COUNTER = "other_counter"  # added: this ticket is served at another counter (counter_no)


DETAIL_KEYS = {
    RedeemOutcome.SERVED: N_("canteen.redeem_served"),
    RedeemOutcome.ALREADY_SERVED: N_("canteen.redeem_already_served"),
    RedeemOutcome.WRONG_DAY: N_("canteen.redeem_wrong_day"),
    RedeemOutcome.WRONG_MEAL: N_("canteen.redeem_wrong_meal"),
    RedeemOutcome.CANCELLED: N_("canteen.redeem_cancelled"),
    RedeemOutcome.FORGED: N_("canteen.redeem_forged"),
    RedeemOutcome.UNKNOWN: N_("canteen.redeem_unknown"),
    RedeemOutcome.OTHER_COUNTER: N_("canteen.redeem_other_counter"),
}
REFUSED_DETAIL = N_("canteen.redeem_refused")
NO_CLAIM_DETAIL = N_("canteen.redeem_no_claim")


@dataclass(frozen=True)
class Redemption:
    """What the counter shows: ``detail_key`` is a message without placeholders (``_(detail_key)``)."""

    outcome: RedeemOutcome
    masked_name: str
    meal: str
    day: date
    detail_key: str
    counter_no: int | None = None  # the ticket's serving counter
    cash_due_yuan: str = ""  # to collect in cash before serving ("" when nothing)
    booking_id: str = ""
    offline: bool = False  # decided by this counter's own rules (the server was unreachable)


@dataclass(frozen=True)
class CounterState:
    day: date
    counters: int
    held: tuple[int, ...]  # counter numbers this kiosk serves today
    others: dict[str, str] = field(default_factory=dict)  # counter number -> the other counter holding it
    online: bool = True


def current_meal(now: datetime) -> str:
    return "lunch" if now.astimezone(LOCAL_TZ).hour < DINNER_FROM_HOUR else "dinner"


def _numbers(counter_id: str) -> list[int]:
    digits = "".join(ch for ch in counter_id if ch.isdigit())
    return [int(digits)] if digits else [1]


def open_counter(source: object, counter_id: str, *, counter_nos: list[int] | None = None,
                 today: date | None = None) -> CounterState:
    """While online, claim the counter numbers this counter serves today (default: the number in
    ``counter_id``, e.g. "2"); offline, answer the claims held from before. Worker thread."""
    link = as_link(source)
    day = today or link.clock().astimezone(LOCAL_TZ).date()
    if link.client is not None:
        try:
            answer = remote.claim(link.client, CounterClaimRequest(day=day, counter_nos=counter_nos or _numbers(counter_id),
                                                                   counter_id=counter_id[:32]))
        except SyncError as exc:
            log.info("counter claim failed (%s): offline rules", exc.key)
        else:
            def store(session: Session) -> None:
                for number in answer.held:
                    row = session.get(CounterClaimRow, (day, number))
                    if row is None:
                        session.add(CounterClaimRow(day=day, counter_no=number, community_id=answer.community_id,
                                                    counter_id=counter_id[:32], claimed_at=link.clock()))
                    else:
                        row.released_at = None
            link.db.write(store)
            return CounterState(day, answer.counters, tuple(answer.held), dict(answer.others), True)
    with link.db.session() as session:
        held = tuple(session.scalars(select(CounterClaimRow.counter_no).where(
            CounterClaimRow.day == day, CounterClaimRow.released_at.is_(None)).order_by(CounterClaimRow.counter_no)))
    return CounterState(day, 0, held, {}, False)


def close_counter(source: object, *, today: date | None = None) -> int:
    """Give back today's claims (a ``canteen.counter_release`` record after the servings); returns how many."""
    link = as_link(source)
    day = today or link.clock().astimezone(LOCAL_TZ).date()

    def work(session: Session) -> int:
        rows = session.scalars(select(CounterClaimRow).where(CounterClaimRow.day == day,
                                                             CounterClaimRow.released_at.is_(None))).all()
        if rows:
            for row in rows:
                row.released_at = link.clock()
            outbox.enqueue(session, RecordKind.CANTEEN_COUNTER_RELEASE.value,
                           CounterRelease(day=day, counter_nos=[r.counter_no for r in rows]).model_dump(mode="json"))
        return len(rows)

    count = link.db.write(work)
    if count:
        link.committed()
    return count


def _name(session: Session, beneficiary_id: str, booking: LocalBooking | None) -> str:
    entry = lookup(session, beneficiary_id)
    return (entry.masked_name if entry else "") or (booking.masked_name if booking else "")


def redeem(source: object, payload: str, counter_id: str, now: datetime | None = None, *,
           meal: str | None = None) -> Redemption:
    """Serve the scanned ticket ``payload`` here, or say why not (served exactly once).

    ``meal`` defaults to lunch before 15:00 local time, dinner after. Worker thread.
    """
    link = as_link(source)
    now = now or link.clock()
    day, meal = now.astimezone(LOCAL_TZ).date(), meal or current_meal(now)
    payload = payload.strip()
    if link.client is not None and link.credentials() is not None:
        try:
            answer = remote.redeem(link.client, RedeemRequest(key=uuid.uuid4(), payload=payload[:400],
                                                              counter_id=counter_id[:32], day=day, meal=meal))
        except SyncError as exc:
            log.info("redeem online failed (%s): offline rules", exc.key)
        else:
            return _from_answer(link, answer, payload, counter_id, day, meal, now)
    return _redeem_offline(link, payload, counter_id, day, meal, now)


def _from_answer(link: Link, answer, payload: str, counter_id: str, day: date, meal: str,  # noqa: ANN001
                 now: datetime) -> Redemption:
    outcome = RedeemOutcome(answer.outcome)
    b = answer.booking

    def work(session: Session) -> str:
        name = ""
        if b is not None:
            store_view(session, b)
            name = _name(session, b.beneficiary_id, session.get(LocalBooking, b.booking_id))
        if outcome is RedeemOutcome.SERVED:
            checked = check(session, payload)
            if checked is not None and session.get(LocalServing, checked.claims.booking_id) is None:
                t = checked.claims
                session.add(LocalServing(booking_id=t.booking_id, beneficiary_id=t.beneficiary_id, day=t.day,
                                         meal=t.meal, counter_id=counter_id[:32], via="online", served_at=now))
                name = name or _name(session, t.beneficiary_id, None)
        return name

    name = link.db.write(work)
    return Redemption(outcome, name, b.meal if b else meal, b.day if b else day, answer.detail_key, answer.counter_no,
                      yuan_text(b.cash_points) if b is not None and b.cash_points else "",
                      b.booking_id if b else "", False)


def _redeem_offline(link: Link, payload: str, counter_id: str, day: date, meal: str, now: datetime) -> Redemption:
    def refuse(outcome: RedeemOutcome, name: str = "", t=None, detail: str | None = None,  # noqa: ANN001
               booking: LocalBooking | None = None) -> Redemption:
        return Redemption(outcome, name, t.meal if t else meal, t.day if t else day, detail or DETAIL_KEYS[outcome],
                          t.counter_no if t else None,
                          yuan_text(booking.cash_points) if booking is not None and booking.cash_points else "",
                          t.booking_id if t else "", True)

    def work(session: Session) -> Redemption:
        checked = check(session, payload)
        if checked is None:
            return refuse(RedeemOutcome.FORGED)
        t = checked.claims
        booking = session.get(LocalBooking, t.booking_id)
        name = _name(session, t.beneficiary_id, booking)
        if t.day != day:
            return refuse(RedeemOutcome.WRONG_DAY, name, t, booking=booking)
        if t.meal != meal:
            return refuse(RedeemOutcome.WRONG_MEAL, name, t, booking=booking)
        if session.get(LocalServing, t.booking_id) is not None:
            return refuse(RedeemOutcome.ALREADY_SERVED, name, t, booking=booking)
        if booking is not None and booking.status in ("cancelled", "refused"):
            detail = REFUSED_DETAIL if booking.status == "refused" else None
            return refuse(RedeemOutcome.CANCELLED, name, t, detail, booking)
        claim = session.get(CounterClaimRow, (day, t.counter_no))
        if claim is None or claim.released_at is not None:
            held = session.scalar(select(CounterClaimRow).where(CounterClaimRow.day == day,
                                                                CounterClaimRow.released_at.is_(None)))
            return refuse(RedeemOutcome.OTHER_COUNTER, name, t, None if held else NO_CLAIM_DETAIL, booking)
        same_person = session.scalar(select(LocalServing).where(
            LocalServing.beneficiary_id == t.beneficiary_id, LocalServing.day == t.day, LocalServing.meal == t.meal))
        if same_person is not None:  # a second ticket of the same person for this meal
            return refuse(RedeemOutcome.ALREADY_SERVED, name, t, booking=booking)
        record = CanteenRedeemRecord(booking_id=t.booking_id, payload=payload, counter_id=counter_id[:32], served_at=now)
        key = outbox.enqueue(session, RecordKind.CANTEEN_REDEEM.value, record.model_dump(mode="json"))
        session.add(LocalServing(booking_id=t.booking_id, beneficiary_id=t.beneficiary_id, day=t.day, meal=t.meal,
                                 counter_id=counter_id[:32], via="offline", outbox_key=str(key), served_at=now))
        if booking is not None and booking.status == "booked":
            booking.status = "served"
        session.flush()
        return Redemption(RedeemOutcome.SERVED, name, t.meal, t.day, DETAIL_KEYS[RedeemOutcome.SERVED], t.counter_no,
                          yuan_text(booking.cash_points) if booking is not None and booking.cash_points else "",
                          t.booking_id, True)

    try:
        result = link.db.write(work)
    except IntegrityError:  # the same ticket scanned twice at once here: the first write won
        return Redemption(RedeemOutcome.ALREADY_SERVED, "", meal, day, DETAIL_KEYS[RedeemOutcome.ALREADY_SERVED],
                          offline=True)
    if result.outcome is RedeemOutcome.SERVED:
        link.committed()
    return result
