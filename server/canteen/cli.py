"""``kiosk-server canteen ...`` and ``kiosk-server activity ...`` commands (wired in by server.cli)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from contextlib import AbstractContextManager
from datetime import date
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import CounterRelease, yuan_text
from server.canteen import activities, bookings, config, counter, seats, tickets
from server.canteen.models import Booking
from server.db import utc_now
from server.handlers import Rejected
from server.kiosk_config import set_setting
from server.ledger.models import DIMENSIONS
from server.models import Activity, Menu, Resident
from server.residents import mask_name

OpenSession = Callable[[argparse.Namespace], AbstractContextManager[Session]]


def add_commands(sub: argparse._SubParsersAction, open_session: OpenSession) -> None:
    """Add the ``canteen`` and ``activity`` groups; every command commits its own work."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="database URL")

    def command(group, name: str, fn: Callable, help_: str) -> argparse.ArgumentParser:  # noqa: ANN001
        p = group.add_parser(name, parents=[common], help=help_)
        p.set_defaults(func=lambda a: _run(a, open_session, fn))
        return p

    canteen = sub.add_parser("canteen", parents=[common], help="canteen bookings, counters, no-shows")
    cg = canteen.add_subparsers(dest="canteen_command", required=True)
    p = command(cg, "bookings", _bookings, "list a day's bookings (masked names)")
    p.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")
    p.add_argument("--meal", choices=("lunch", "dinner"))
    p.add_argument("--community")
    p = command(cg, "report", _report, "seats, served, no-shows and subsidies per meal of a day")
    p.add_argument("--day", type=date.fromisoformat, default=None)
    command(cg, "no-shows", _no_shows, "mark bookings of meals that have ended and were not served")
    command(cg, "release-holds", _release_holds, "give back seats kiosks held for menus long past cut-off")
    p = command(cg, "release-counter", _release_counter, "end a counter's claim (a broken counter kiosk)")
    p.add_argument("--community", required=True)
    p.add_argument("--day", type=date.fromisoformat, required=True)
    p.add_argument("--counter-no", type=int, action="append", required=True)
    p = command(cg, "set-counters", _set_counters, "how many serving counters the canteens have")
    p.add_argument("counters", type=int)
    command(cg, "tiers", _tiers, "show the age tiers and subsidies in force")
    p = command(cg, "revoke-ticket-keys", _revoke_keys, "stop trusting offline tickets of a (stolen) kiosk")
    p.add_argument("kiosk_id")

    activity = sub.add_parser("activity", parents=[common], help="activities: check-in codes, rules, boards")
    ag = activity.add_subparsers(dest="activity_command", required=True)
    p = command(ag, "list", _activities, "list activities")
    p.add_argument("--community")
    p = command(ag, "qr", _qr, "make an activity's signed check-in QR; prints its payload")
    p.add_argument("activity_id")
    p.add_argument("--points", type=int, default=20)
    p.add_argument("--dimension", choices=DIMENSIONS, default="harmony")
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--png", metavar="FILE")
    command(ag, "publish-rules", _publish_rules, "send the ways to earn points to every kiosk")
    command(ag, "publish-boards", _publish_boards, "send every building's opt-in leaderboard to the kiosks")


def _run(args: argparse.Namespace, open_session: OpenSession, fn: Callable[[Session, argparse.Namespace], int]) -> int:
    with open_session(args) as session:
        try:
            code = fn(session, args)
        except Rejected as exc:
            session.rollback()
            raise ValueError(exc.code) from None
        session.commit()
        return code


def _today(args: argparse.Namespace) -> date:
    return args.day or utc_now().astimezone(config.LOCAL_TZ).date()


def _bookings(session: Session, args: argparse.Namespace) -> int:
    query = select(Booking).where(Booking.day == _today(args)).order_by(Booking.meal, Booking.created_at)
    if args.meal:
        query = query.where(Booking.meal == args.meal)
    if args.community:
        query = query.where(Booking.community_id == args.community)
    for b in session.scalars(query):
        person = session.get(Resident, b.beneficiary_id)
        name = mask_name(person.name) if person else "-"
        print(f"{b.id[:8]}\t{b.meal}\t{name}\t{b.status}\t{b.payment}\t{b.price_points}\t"
              f"cash {yuan_text(b.cash_points)}\tcounter {b.counter_no}\t{b.origin}")
    return 0


def _report(session: Session, args: argparse.Namespace) -> int:
    day = _today(args)
    for menu in session.scalars(select(Menu).where(Menu.day == day).order_by(Menu.community_id, Menu.meal)):
        rows = session.scalars(select(Booking).where(Booking.menu_id == menu.id)).all()
        states = Counter(b.status for b in rows)
        held = seats.seats_data(session, menu.id)["held"]
        subsidy = sum(b.subsidy_points for b in rows if b.status in ("booked", "served", "no_show"))
        print(f"{menu.community_id}\t{day}\t{menu.meal}\tcapacity {menu.capacity}\tbooked "
              f"{states['booked'] + states['served'] + states['no_show']}\theld {held}\tserved {states['served']}\t"
              f"no-show {states['no_show']}\tcancelled {states['cancelled']}\trefused {states['refused']}\t"
              f"subsidy {yuan_text(subsidy)} yuan")
    return 0


def _no_shows(session: Session, args: argparse.Namespace) -> int:
    print(bookings.record_no_shows(session, utc_now()))
    return 0


def _release_holds(session: Session, args: argparse.Namespace) -> int:
    print(len(seats.release_expired_holds(session, utc_now())))
    return 0


def _release_counter(session: Session, args: argparse.Namespace) -> int:
    released = counter.release_claims(session, None, CounterRelease(day=args.day, counter_nos=args.counter_no),
                                      utc_now(), community_id=args.community)
    print(released)
    return 0


def _set_counters(session: Session, args: argparse.Namespace) -> int:
    if not 1 <= args.counters <= 20:
        raise ValueError("counters must be 1..20")
    set_setting(session, config.COUNTERS, args.counters, now=utc_now())
    print(f"{config.COUNTERS}={args.counters}")
    return 0


def _tiers(session: Session, args: argparse.Namespace) -> int:
    print(json.dumps(config.tiers(session), ensure_ascii=False))
    return 0


def _revoke_keys(session: Session, args: argparse.Namespace) -> int:
    print(tickets.revoke_ticket_keys(session, args.kiosk_id, utc_now()))
    return 0


def _activities(session: Session, args: argparse.Namespace) -> int:
    query = select(Activity).order_by(Activity.id)
    if args.community:
        query = query.where(Activity.community_id == args.community)
    for a in session.scalars(query):
        print(f"{a.id}\t{a.name}\t{a.community_id}\t{a.starts_at:%Y-%m-%d %H:%M}\t{a.capacity}")
    return 0


def _qr(session: Session, args: argparse.Namespace) -> int:
    payload = activities.make_checkin_code(session, args.activity_id.strip().upper(), points=args.points,
                                           dimension=args.dimension, days=args.days, now=utc_now())
    print(payload)
    if args.png:
        import segno

        segno.make(payload, error="m").save(args.png, scale=8, border=4)
    return 0


def _publish_rules(session: Session, args: argparse.Namespace) -> int:
    set_setting(session, config.EARNING_RULES, config.DEFAULT_EARNING_RULES, now=utc_now())
    print(len(config.DEFAULT_EARNING_RULES))
    return 0


def _publish_boards(session: Session, args: argparse.Namespace) -> int:
    print(activities.publish_all_boards(session, utc_now()))
    return 0
