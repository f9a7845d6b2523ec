"""Issue #7's done-when scenarios end to end: real kiosks (own SQLite, HTTP client, relay) against the
real reference server, the real printer driver (python-escpos Dummy), links that can be cut."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

import pytest

from devices import registry
from kiosk.canteen.booking import book, cancel, my_bookings, ticket_document
from kiosk.canteen.counter import RedeemOutcome, open_counter, redeem
from kiosk.canteen.link import Link
from kiosk.canteen.offline import prepare_offline
from kiosk.points.checkin import check_in
from kiosk.residents import identify
from offline_world import SwitchableLink
from support.canteen_world import (
    ELDER,
    LOCAL,
    Clock,
    balance_of,
    ledger_problems,
    make_kiosk,
    new_code,
    pg_database,
    poor,
    race,
    seed_canteen,
    server_session,
    tomorrow,
)
from support.live_server import live_server

LUNCH = datetime.combine(tomorrow(), time(11, 50), LOCAL)


@pytest.fixture
def server(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_canteen(db_url, counters=2)
    with live_server(db_url, migrate=False) as srv:
        yield srv, db_url, seed


def _kiosk(tmp_path: Path, srv, db_url: str, name: str, link: SwitchableLink | None = None):
    side = make_kiosk(link.base_url if link else srv.base_url, tmp_path / f"{name}.sqlite3", new_code(db_url),
                      name=name)
    return side


def _identify(side, db_url: str, resident_id: str):
    """The resident shows their QR card: a real server-signed token, verified offline by the kiosk."""
    from server.identity_admin import issue_identity_token

    with server_session(db_url) as s:
        payload, _ = issue_identity_token(s, resident_id, days=30, now=datetime.now(LOCAL))
    with side.db.session() as s:
        return identify(s, payload)


def _print(ticket) -> bytes:
    printer = registry.create("printer", "dummy", paper_mm=58, native_qr=True)
    try:
        result = printer.print_async(ticket_document(ticket, 58)).result(timeout=30)
        assert result.bytes_sent > 0
        return printer.transport.output
    finally:
        printer.close()


def test_an_82_year_old_books_lunch_with_points_prints_the_ticket_cancels_and_gets_the_points_back(server, tmp_path):
    srv, db_url, _ = server
    kiosk = _kiosk(tmp_path, srv, db_url, "hall")
    try:
        elder = _identify(kiosk, db_url, ELDER)
        assert (elder.resident_id, elder.masked_name, elder.age(tomorrow())) == (ELDER, "赵*英", 82)
        menu = kiosk.menu(tomorrow(), "lunch")
        ticket = book(kiosk.link, menu=menu, payer=elder, beneficiary=elder, payment="points")
        assert (ticket.price.points, ticket.price.tier, ticket.paid_points) == (80, "80+", 80)  # 150 -40 % -10
        assert balance_of(db_url, ELDER) == 920
        out = _print(ticket)
        assert "赵*英".encode("gb18030") in out and "餐券".encode("gb18030") in out
        assert ticket.payload.encode("ascii") in out and b"\x1d\x56\x00" in out  # the signed QR, then the cut
        returned = cancel(kiosk.link, ticket.booking_id, resident=elder)
        assert returned == 80 and balance_of(db_url, ELDER) == 1000
        kiosk.sync()
        with kiosk.db.session() as s:
            assert [t.status for t in my_bookings(s, ELDER)] == ["cancelled"]
        assert ledger_problems(db_url) == []
    finally:
        kiosk.close()


def test_the_ticket_is_served_once_at_a_counter_and_refused_at_a_second_also_with_the_network_down(server, tmp_path):
    srv, db_url, _ = server
    links = {name: SwitchableLink(srv.base_url).start() for name in ("hall", "counter1", "counter2")}
    sides = {name: _kiosk(tmp_path, srv, db_url, name, link) for name, link in links.items()}
    try:
        hall = sides["hall"]
        elder = _identify(hall, db_url, ELDER)
        lunch = book(hall.link, menu=hall.menu(tomorrow(), "lunch"), payer=elder, beneficiary=elder, payment="points")
        mine, other = str(lunch.counter_no), str(3 - lunch.counter_no)
        assert open_counter(sides["counter1"].link, mine, today=tomorrow()).held == (lunch.counter_no,)
        assert open_counter(sides["counter2"].link, other, today=tomorrow()).held == (3 - lunch.counter_no,)
        # online: the server arbitrates
        assert redeem(sides["counter1"].link, lunch.payload, mine, LUNCH).outcome is RedeemOutcome.SERVED
        second = redeem(sides["counter2"].link, lunch.payload, other, LUNCH)
        assert second.outcome is RedeemOutcome.ALREADY_SERVED and not second.offline

        dinner = book(hall.link, menu=hall.menu(tomorrow(), "dinner"), payer=elder, beneficiary=elder,
                      payment="points")
        for link in links.values():
            link.cut = True  # the network goes down for everyone
        at_dinner = LUNCH.replace(hour=17, minute=30)
        served = redeem(sides["counter1"].link, dinner.payload, mine, at_dinner)
        assert (served.outcome, served.offline, served.masked_name) == (RedeemOutcome.SERVED, True, "赵*英")
        refused = redeem(sides["counter2"].link, dinner.payload, other, at_dinner)
        assert (refused.outcome, refused.offline) == (RedeemOutcome.OTHER_COUNTER, True)
        assert redeem(sides["counter1"].link, dinner.payload, mine, at_dinner).outcome is RedeemOutcome.ALREADY_SERVED
        for link in links.values():
            link.heal()
        sides["counter1"].sync()
        assert redeem(sides["counter2"].link, dinner.payload, other, at_dinner).outcome is \
            RedeemOutcome.ALREADY_SERVED
        from server.canteen.models import Serving

        with server_session(db_url) as s:
            assert sorted(r.meal for r in s.query(Serving)) == ["dinner", "lunch"]
    finally:
        for side in sides.values():
            side.close()
        for link in links.values():
            link.stop()


def test_a_booking_whose_answer_was_lost_is_not_made_or_paid_twice(server, tmp_path):
    srv, db_url, _ = server
    link = SwitchableLink(srv.base_url).start()
    kiosk = _kiosk(tmp_path, srv, db_url, "hall", link)
    try:
        elder = _identify(kiosk, db_url, ELDER)
        prepare_offline(kiosk.link, resident=elder)
        assert balance_of(db_url, ELDER) == 700  # 300 held at this kiosk for offline use
        link.lose_left = 1  # the server books and charges; the answer never arrives
        ticket = book(kiosk.link, menu=kiosk.menu(tomorrow(), "lunch"), payer=elder, beneficiary=elder,
                      payment="points")
        assert ticket.offline  # the kiosk could not know: it booked offline with the same booking id
        kiosk.sync()
        from server.canteen.models import Booking

        with server_session(db_url) as s:
            rows = s.query(Booking).all()
        assert [(b.id, b.origin, b.paid_points) for b in rows] == [(ticket.booking_id, "online", 80)]
        assert balance_of(db_url, ELDER) == 620 and ledger_problems(db_url) == []  # charged once
    finally:
        kiosk.close()
        link.stop()


def test_an_activity_check_in_adds_points_once(server, tmp_path):
    srv, db_url, _ = server
    from server.canteen import activities
    from server.models import Activity

    with server_session(db_url) as s:
        s.add(Activity(id="A-0001", name="智能手机课堂", community_id="C-01", starts_at=datetime.now(LOCAL),
                       leader_id=None, capacity=25, cost_points=0))
        s.flush()
        code = activities.make_checkin_code(s, "A-0001", points=20, now=datetime.now(LOCAL))
    a, b, c = (_kiosk(tmp_path, srv, db_url, name) for name in ("a", "b", "c"))
    try:
        elder = _identify(a, db_url, ELDER)
        first = check_in(a.link, code, elder)
        assert (first.activity_title, first.points, first.already) == ("智能手机课堂", 20, False)
        assert check_in(a.link, code, elder).already
        assert check_in(b.link, code, elder).already  # another kiosk asks the server
        offline = check_in(Link(c.db), code, elder)  # a third kiosk, offline, cannot know...
        assert (offline.already, offline.pending) == (False, True)
        c.sync()  # ...but the server awards once
        assert balance_of(db_url, ELDER) == 1020 and ledger_problems(db_url) == []
    finally:
        for side in (a, b, c):
            side.close()


def test_capacity_holds_when_200_bookings_race_for_150_seats_from_10_kiosks_on_postgresql(tmp_path):
    with pg_database("kiosk_canteen_race") as db_url:
        if db_url is None:
            pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
        seed = seed_canteen(db_url, capacity=150, extra_residents=200, funds=500)
        people = seed["extra"]
        poor(db_url, people[:10], keep=20)  # ten cannot pay: they must not take a seat
        clock = Clock()
        from server.testing import ServerThread

        with ServerThread(db_url, migrate=False, now=clock) as srv:
            result = race(srv.base_url, db_url, tmp_path, kiosks=10, people=people, repeat=people[10:20],
                          day=tomorrow(), threads_per_kiosk=2)
        assert result.booked == 150, result.outcomes
        assert result.outcomes.get("points.insufficient", 0) <= 10
        assert sum(result.outcomes.values()) == 210
        assert set(result.outcomes) <= {"ok", "canteen.full", "points.insufficient", "canteen.already_booked"}
        assert result.seats == {"capacity": 150, "booked": 150, "held": 0} and result.active_bookings == 150
        assert result.paid_points == result.merchant_points > 0
        assert result.negative_balances == 0 and result.ledger_problems == []
