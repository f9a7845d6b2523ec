"""What this kiosk may do for the canteen while offline, and getting ready for it while online.

Offline rules (the seat counterpart of the points reserve):

- **Seats.** While online the kiosk asks the server to hold a few seats of every open menu of its
  community for it (``canteen.offline_seats``, default 2 per menu, server configuration). Held
  seats count as taken for everyone else. Offline, the kiosk books only from its own hold, one
  seat per booking, never more than the hold had at the last grant minus its own bookings not yet
  inside that grant. Holds are given back after the menu's cut-off (``canteen.seats_release``
  records, sent after the bookings; the server also releases them a day after the cut-off).
- **Points.** Offline bookings paid with points spend from the resident's points reserve at this
  kiosk, within the wallet's caps (kiosk.points.wallet), in the same transaction as the booking.
  Cash at the counter needs no reserve. Points + cash uses what the reserve allows, the rest cash.
- **Tickets.** Offline tickets are signed with this kiosk's registered ticket key
  (kiosk.canteen.tickets); no registered key, no offline booking.
- **One meal per person.** Checked against the bookings this kiosk knows (its own and pulled);
  two kiosks cut off at once may both book one person: the server keeps the first and refuses
  the second (``refused``), and since every ticket of a person goes to the same counter, that
  counter serves the person once per meal even offline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.canteen import menus as menus_mod
from kiosk.canteen import remote
from kiosk.canteen.link import Link, as_link
from kiosk.canteen.models import LocalBooking, LocalSeatHold
from kiosk.canteen.tickets import ensure_ticket_key, usable_key
from kiosk.points.wallet import PointsError
from kiosk.protocol import RecordKind, SeatHoldAnswer, SeatHoldRequest, SeatsRelease
from kiosk.residents import Resident
from kiosk.storage.column_types import utc_now
from kiosk.sync import outbox
from kiosk.sync.errors import SyncError
from kiosk.sync.models import DEAD, DELIVERED, OutboxRow

log = logging.getLogger(__name__)

HOLD_SEATS = 2  # asked for per menu; the server caps it with canteen.offline_seats
RESERVE_POINTS = 300  # asked for per resident: one meal at full price, the wallet's per-spend cap
PREPARE_DAYS = 2


@dataclass(frozen=True)
class Readiness:
    """How ready this kiosk is to book offline: its ticket key, seats per menu, the resident's points."""

    ticket_key: bool
    seats: dict[int, int]  # menu id -> seats this kiosk may still book offline
    reserve_points: int | None = None  # for the resident asked about


def hold_left(session: Session, hold: LocalSeatHold) -> int:
    """Seats of the hold still free here: the grant minus own offline bookings not inside it."""
    used = session.scalar(
        select(func.count()).select_from(LocalBooking)
        .join(OutboxRow, OutboxRow.key == LocalBooking.outbox_key)
        .where(LocalBooking.hold_id == hold.hold_id, OutboxRow.state != DEAD)
        .where(or_(OutboxRow.state != DELIVERED, OutboxRow.delivered_at >= hold.granted_as_of))
    ) or 0
    return max(0, hold.seats - int(used))


def usable_hold(session: Session, menu_id: int, now: datetime) -> LocalSeatHold | None:
    hold = session.scalar(select(LocalSeatHold).where(LocalSeatHold.menu_id == menu_id,
                                                      LocalSeatHold.released_at.is_(None)))
    if hold is None or now >= hold.expires_at or hold_left(session, hold) <= 0:
        return None
    return hold


def _store_holds(session: Session, answer: SeatHoldAnswer, as_of: datetime) -> None:
    for grant in answer.holds:
        row = session.get(LocalSeatHold, grant.hold_id)
        if row is None:
            session.add(LocalSeatHold(hold_id=grant.hold_id, menu_id=grant.menu_id, seats=grant.seats,
                                      granted_as_of=as_of, expires_at=grant.expires_at))
        else:
            row.seats, row.granted_as_of, row.expires_at = grant.seats, as_of, grant.expires_at


def _release_past(session: Session, now: datetime) -> int:
    """Queue the release of holds whose menus are past their cut-off (after their own bookings)."""
    rows = session.scalars(select(LocalSeatHold).where(LocalSeatHold.released_at.is_(None),
                                                       LocalSeatHold.expires_at <= now)).all()
    for hold in rows:
        hold.released_at = now
        outbox.enqueue(session, RecordKind.CANTEEN_SEATS_RELEASE.value,
                       SeatsRelease(hold_id=hold.hold_id).model_dump(mode="json"))
    return len(rows)


def readiness(link: Link, now: datetime, resident: Resident | None = None) -> Readiness:
    with link.db.session() as session:
        seats = {}
        for hold in session.scalars(select(LocalSeatHold).where(LocalSeatHold.released_at.is_(None))):
            if now < hold.expires_at:
                seats[hold.menu_id] = hold_left(session, hold)
        has_key = usable_key(session) is not None
    points = link.wallet.available(resident.resident_id) if resident is not None else None
    return Readiness(has_key, seats, points)


def prepare_offline(source: object, *, resident: Resident | None = None, community_id: str | None = None,
                    now: datetime | None = None, days: int = PREPARE_DAYS) -> Readiness:
    """While online: register the ticket key, top up seat holds for the open menus of the coming
    ``days`` days, give back holds past their cut-off, and (for ``resident``) move a points
    reserve here. Call it when the canteen screen opens (worker thread). Never raises for a
    network failure: it answers what is ready.
    """
    link = as_link(source)
    now = now or link.clock()
    creds = link.credentials()
    community_id = community_id or (creds.community_id if creds else None)
    released = link.db.write(lambda s: _release_past(s, now))
    if released:
        link.committed()
    if link.client is not None and creds is not None:
        try:
            ensure_ticket_key(link)
            with link.db.session() as session:
                open_menus = [m.menu_id for m in menus_mod.menus(session, community_id, now.astimezone(
                    menus_mod.LOCAL_TZ).date(), days, now=now) if m.open]
            if open_menus:
                as_of = utc_now()  # compared with outbox delivered_at, which is real time too
                answer = remote.seat_holds(link.client, SeatHoldRequest(menu_ids=open_menus, seats=HOLD_SEATS))
                link.db.write(lambda s: _store_holds(s, answer, as_of))
            if resident is not None:
                try:
                    link.wallet.ensure_reserve(resident.resident_id, RESERVE_POINTS)
                except PointsError as exc:
                    log.info("no points reserve for offline use: %s", exc.key)
        except (SyncError, LookupError) as exc:
            log.info("could not get ready for offline booking: %s", type(exc).__name__)
    return readiness(link, now, resident)
