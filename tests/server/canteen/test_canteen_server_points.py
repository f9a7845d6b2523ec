"""Server points views: activity check-in once per person, opt-in leaderboard with masked names, profile history."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.protocol import CanteenBooking, CancelRequest
from server.canteen import activities, bookings
from server.canteen.models import CheckIn
from server.ledger.models import LedgerTx
from server.ledger.movements import check_invariants, resident_balance
from server.models import Activity, Building, Resident, Unit
from support.canteen_world import ELDER, LOCAL, seed_canteen, server_session, tomorrow


@pytest.fixture
def world(sqlite_url):
    data = seed_canteen(sqlite_url)
    with server_session(sqlite_url) as s:
        s.add(Building(id="C-01-B01", community_id="C-01", name="1幢"))
        s.flush()
        s.add(Unit(id="C-01-B01-0101", building_id="C-01-B01", name="101室"))
        s.flush()
        for rid in ("R-000001", "R-000002", ELDER):
            s.get(Resident, rid).unit_id = "C-01-B01-0101"
        s.add(Activity(id="A-0001", name="太极拳晨练", community_id="C-01", starts_at=datetime.now(LOCAL),
                       leader_id=None, capacity=30, cost_points=0))
        s.flush()
        code = activities.make_checkin_code(s, "A-0001", points=20, now=datetime.now(LOCAL))
    return {"url": sqlite_url, "code": code, **data}


def test_an_activity_check_in_adds_the_points_once_per_person(world):
    with server_session(world["url"]) as s:
        first = activities.check_in(s, "K-1", ELDER, world["code"], datetime.now(LOCAL))
        assert (first.error, first.title, first.points, first.already, first.balance) == (None, "太极拳晨练", 20, False, 1020)
        second = activities.check_in(s, "K-2", ELDER, world["code"], datetime.now(LOCAL))
        assert (second.already, second.points, second.balance) == (True, 20, 1020)
        other = activities.check_in(s, "K-2", "R-000001", world["code"], datetime.now(LOCAL))
        assert other.already is False and resident_balance(s, "R-000001") == 1020
        assert s.scalar(select(func.count()).select_from(CheckIn)) == 2
        assert s.scalar(select(func.count()).select_from(LedgerTx).where(LedgerTx.rule == "activity_checkin")) == 2
        assert check_invariants(s) == []


def test_forged_and_expired_check_in_codes_are_refused(world):
    with server_session(world["url"]) as s:
        tampered = world["code"].replace(":20:", ":200:")
        assert activities.check_in(s, "K", ELDER, tampered, datetime.now(LOCAL)).error.code == "points.checkin_invalid"
        assert activities.check_in(s, "K", ELDER, "KA1:nope", datetime.now(LOCAL)).error.code == "points.checkin_invalid"
        late = datetime.now(LOCAL) + timedelta(days=31)
        assert activities.check_in(s, "K", ELDER, world["code"], late).error.code == "points.checkin_expired"
        assert resident_balance(s, ELDER) == 1000


def test_the_building_leaderboard_shows_only_opted_in_residents_with_masked_names(world):
    now = datetime.now(LOCAL)
    with server_session(world["url"]) as s:
        activities.check_in(s, "K", ELDER, world["code"], now)
        activities.check_in(s, "K", "R-000001", world["code"], now)
        assert activities.leaderboard(s, "C-01-B01", now) == []
        activities.set_opt_in(s, ELDER, True, now)
        activities.set_opt_in(s, "R-000001", True, now)
        board = activities.leaderboard(s, "C-01-B01", now)
        # this month's awards: the test funds (1000) and the check-in (20) each
        assert board == [("王*国", 1020), ("赵*英", 1020)]
        activities.set_opt_in(s, "R-000001", False, now)
        assert [name for name, _ in activities.leaderboard(s, "C-01-B01", now)] == ["赵*英"]


def test_the_profile_says_where_points_went_and_came_from(world):
    now = datetime.now(LOCAL)
    with server_session(world["url"]) as s:
        activities.check_in(s, "K", ELDER, world["code"], now)
        wish = CanteenBooking(booking_id=uuid.uuid4().hex.upper(), menu_id=world["menus"][(tomorrow(), "lunch")],
                              payer_id=ELDER, beneficiary_id=ELDER, payment="points", quoted_points=80)
        booking = bookings.book_online(s, "K", wish, operator_id=None, now=now).booking
        bookings.cancel(s, "K", booking.booking_id, CancelRequest(key=uuid.uuid4()), now)
        p = activities.profile(s, ELDER, now)
        assert (p.balance, p.held, p.building_id, p.building_name, p.opted_in) == (1020, 0, "C-01-B01", "1幢", False)
        lines = [(h.kind, h.category, h.rule, h.where, h.points, h.reversed) for h in p.history]
        assert lines[:3] == [
            ("reversal", "canteen", None, "葛巷社区", 80, False),
            ("spend", "canteen", None, "葛巷社区", -80, True),
            ("award", "harmony", "activity_checkin", "太极拳晨练", 20, False),
        ]
        assert p.month_earned == 1000 + 20  # the funds and the check-in, both this month
