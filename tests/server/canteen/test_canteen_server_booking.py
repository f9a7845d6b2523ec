"""Server bookings: tier prices, one meal per person, capacity, points, cut-off, cancel with a reversal, no-shows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from kiosk.protocol import CancelRequest, CanteenBooking, parse_ticket
from server.canteen import bookings, config
from server.canteen.models import Booking, SeatCount
from server.canteen.tickets import verify_ticket
from server.ledger.models import LedgerTx
from server.ledger.movements import check_invariants, resident_balance
from server.models import Menu
from support.canteen_world import ELDER, LOCAL, seed_canteen, server_session, tomorrow

import uuid


@pytest.fixture
def world(sqlite_url):
    return {"url": sqlite_url, **seed_canteen(sqlite_url, capacity=3)}


def _wish(menu_id: int, who: str, price: int, payment: str = "points", payer: str | None = None, **kw) -> CanteenBooking:
    return CanteenBooking(booking_id=uuid.uuid4().hex.upper(), menu_id=menu_id, payer_id=payer or who,
                          beneficiary_id=who, payment=payment, quoted_points=price, **kw)


def _now() -> datetime:
    return datetime.now(LOCAL)


def _lunch(world) -> int:
    return world["menus"][(tomorrow(), "lunch")]


def test_an_82_year_old_pays_the_80_plus_tier_price_and_gets_a_server_signed_ticket(world):
    with server_session(world["url"]) as s:
        answer = bookings.book_online(s, "K-TEST", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now())
        assert answer.error is None
        b = answer.booking
        # 150 points, 40 % off = 90, minus the 10-point subsidy
        assert (b.price_points, b.tier, b.discount_percent, b.subsidy_points, b.paid_points) == (80, "80+", 40, 10, 80)
        assert resident_balance(s, ELDER) == 1000 - 80 == answer.balance
        verified = verify_ticket(s, b.ticket)
        assert verified is not None and verified.by_kiosk is None
        assert (verified.claims.booking_id, verified.claims.beneficiary_id) == (b.booking_id, ELDER)
        assert check_invariants(s) == []


@pytest.mark.parametrize(("resident", "price"), [("R-000001", 120), ("R-000003", 80)])
def test_the_tier_follows_the_age_in_the_meal_year(world, resident, price):
    # R-000001 is 72 (60-79: 20 % off), R-000003 is 85 (80+: 40 % off and the subsidy)
    with server_session(world["url"]) as s:
        assert bookings.book_online(s, "K", _wish(_lunch(world), resident, price), operator_id=None,
                                    now=_now()).booking.price_points == price


def test_a_quoted_price_that_differs_is_refused_with_the_real_price(world):
    with server_session(world["url"]) as s:
        answer = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 150), operator_id=None, now=_now())
        assert answer.error.code == "canteen.price_changed" and answer.error.params == {"points": 80}
        assert resident_balance(s, ELDER) == 1000


def test_one_booking_per_person_and_meal_and_the_other_meal_is_free(world):
    dinner = world["menus"][(tomorrow(), "dinner")]
    with server_session(world["url"]) as s:
        assert bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now()).error is None
        again = bookings.book_online(s, "K2", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now())
        assert again.error.code == "canteen.already_booked"
        assert bookings.book_online(s, "K", _wish(dinner, ELDER, 62), operator_id=None, now=_now()).error is None
        assert resident_balance(s, ELDER) == 1000 - 80 - 62


def test_capacity_is_never_exceeded_and_a_refused_person_keeps_their_points(world):
    people = ["R-000001", "R-000002", "R-000003", ELDER]
    prices = {"R-000001": 120, "R-000002": 120, "R-000003": 80, ELDER: 80}
    with server_session(world["url"]) as s:
        answers = [bookings.book_online(s, "K", _wish(_lunch(world), p, prices[p]), operator_id=None, now=_now())
                   for p in people]
        assert [a.error.code if a.error else "ok" for a in answers] == ["ok", "ok", "ok", "canteen.full"]
        seats = s.get(SeatCount, _lunch(world))
        assert (seats.booked, seats.held, seats.capacity) == (3, 0, 3)
        assert resident_balance(s, ELDER) == 1000


def test_too_few_points_refuses_without_taking_a_seat(world):
    with server_session(world["url"]) as s:
        from server.ledger.movements import spend

        spend(s, ELDER, 950, "shop", "shop:1", "system", None)
        answer = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now())
        assert answer.error.code == "points.insufficient"
        assert s.get(SeatCount, _lunch(world)) is None or s.get(SeatCount, _lunch(world)).booked == 0
        assert s.scalar(select(Booking).where(Booking.beneficiary_id == ELDER)) is None
        cash = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80, payment="points_cash"), operator_id=None,
                                    now=_now())
        assert (cash.booking.paid_points, cash.booking.cash_points) == (50, 30)  # all 50 points, the rest in cash
        assert resident_balance(s, ELDER) == 0 and check_invariants(s) == []


def test_paying_for_a_family_member_works_and_for_a_stranger_is_refused(world):
    with server_session(world["url"]) as s:
        ok = bookings.book_online(s, "K", _wish(_lunch(world), "R-000002", 120, payer="R-000001"), operator_id=None,
                                  now=_now())
        assert ok.error is None and resident_balance(s, "R-000001") == 880 and resident_balance(s, "R-000002") == 1000
        stranger = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80, payer="R-000001"), operator_id=None,
                                        now=_now())
        assert stranger.error.code == "points.not_family"


def test_booking_after_the_cut_off_is_refused_with_the_cut_off_time(world):
    lunch = _lunch(world)
    with server_session(world["url"]) as s:
        cutoff = config.cutoff_of(s.get(Menu, lunch))
        answer = bookings.book_online(s, "K", _wish(lunch, ELDER, 80), operator_id=None, now=cutoff)
        assert (answer.error.code, answer.error.params) == ("canteen.after_cutoff", {"cutoff": "09:30"})


def test_cancel_before_the_cut_off_reverses_the_spend_and_frees_the_seat(world):
    lunch = _lunch(world)
    with server_session(world["url"]) as s:
        b = bookings.book_online(s, "K", _wish(lunch, ELDER, 80), operator_id=None, now=_now()).booking
        answer = bookings.cancel(s, "K", b.booking_id, CancelRequest(key=uuid.uuid4(), resident_id=ELDER), _now())
        assert answer.error is None and answer.returned_points == 80 and answer.balance == 1000
        assert s.get(SeatCount, lunch).booked == 0
        row = s.get(Booking, b.booking_id)
        reversal = s.get(LedgerTx, row.refund_tx_id)
        assert reversal.kind == "reversal" and reversal.reverses_tx_id == row.spend_tx_id
        again = bookings.cancel(s, "K", b.booking_id, CancelRequest(key=uuid.uuid4()), _now())
        assert again.returned_points == 80 and resident_balance(s, ELDER) == 1000  # answered the same, once
        rebook = bookings.book_online(s, "K", _wish(lunch, ELDER, 80), operator_id=None, now=_now())
        assert rebook.error is None and check_invariants(s) == []


def test_cancel_after_the_cut_off_is_refused_with_the_reason_and_nothing_moves(world):
    lunch = _lunch(world)
    with server_session(world["url"]) as s:
        b = bookings.book_online(s, "K", _wish(lunch, ELDER, 80), operator_id=None, now=_now()).booking
        late = config.cutoff_of(s.get(Menu, lunch)) + timedelta(minutes=1)
        answer = bookings.cancel(s, "K", b.booking_id, CancelRequest(key=uuid.uuid4()), late)
        assert (answer.error.code, answer.error.params) == ("canteen.cancel_after_cutoff", {"cutoff": "09:30"})
        assert resident_balance(s, ELDER) == 920 and s.get(Booking, b.booking_id).status == "booked"


def test_someone_outside_the_family_cannot_cancel(world):
    with server_session(world["url"]) as s:
        b = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now()).booking
        answer = bookings.cancel(s, "K", b.booking_id, CancelRequest(key=uuid.uuid4(), resident_id="R-000001"), _now())
        assert answer.error.code == "canteen.cancel_not_yours"


def test_bookings_not_served_after_the_meal_are_recorded_as_no_shows(world):
    lunch = _lunch(world)
    with server_session(world["url"]) as s:
        b = bookings.book_online(s, "K", _wish(lunch, ELDER, 80), operator_id=None, now=_now()).booking
        day = s.get(Menu, lunch).day
        assert bookings.record_no_shows(s, datetime.combine(day, datetime.min.time(), LOCAL).replace(hour=13)) == 0
        after = datetime.combine(day, datetime.min.time(), LOCAL).replace(hour=14, minute=5)
        assert bookings.record_no_shows(s, after) == 1
        assert s.get(Booking, b.booking_id).status == "no_show"
        assert resident_balance(s, ELDER) == 920  # a no-show is not refunded
        assert bookings.record_no_shows(s, after) == 0


def test_a_ticket_text_names_its_booking(world):
    with server_session(world["url"]) as s:
        b = bookings.book_online(s, "K", _wish(_lunch(world), ELDER, 80), operator_id=None, now=_now()).booking
    claims, _, _ = parse_ticket(b.ticket)
    assert claims.booking_id == b.booking_id and b.ticket.startswith("KC1:") and b.ticket.isascii()
