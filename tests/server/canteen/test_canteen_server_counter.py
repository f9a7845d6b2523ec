"""Server counter: served exactly once, claims, wrong day or meal, cancelled, forged, offline servings and bookings."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import func, select

from kiosk.protocol import (
    CancelRequest,
    CanteenBooking,
    CounterClaimRequest,
    EnrollRequest,
    RedeemRequest,
    SeatHoldRequest,
    TicketClaims,
    TicketKeyRequest,
    ticket_text,
)
from server.canteen import bookings, counter, seats, tickets
from server.canteen.models import Booking, SeatCount, Serving
from server.handlers import Rejected
from server.kiosk_admin import enroll, new_enrollment_code
from server.ledger.movements import check_invariants, resident_balance
from server.ledger.reserves import grant_reserve
from support.canteen_world import ELDER, LOCAL, seed_canteen, server_session, tomorrow


@pytest.fixture
def world(sqlite_url):
    data = seed_canteen(sqlite_url, capacity=10, counters=2)
    kiosks = []
    with server_session(sqlite_url) as s:
        for i in range(3):
            code = data["enroll_code"] if i == 0 else new_enrollment_code(s, "C-01", ttl_hours=1, now=datetime.now(LOCAL))
            kiosks.append(enroll(s, EnrollRequest(code=code, kiosk_name=f"k{i}", install_id=f"i{i}", version="1"),
                                 now=datetime.now(LOCAL)).kiosk_id)
    return {"url": sqlite_url, "kiosks": kiosks, **data}


def _book(s, world, who=ELDER, price=80, meal="lunch", kiosk=None) -> str:
    wish = CanteenBooking(booking_id=uuid.uuid4().hex.upper(), menu_id=world["menus"][(tomorrow(), meal)],
                          payer_id=who, beneficiary_id=who, payment="points", quoted_points=price)
    answer = bookings.book_online(s, kiosk or world["kiosks"][0], wish, operator_id=None, now=datetime.now(LOCAL))
    assert answer.error is None, answer.error
    return answer.booking.ticket


def _scan(s, kiosk, ticket, day=None, meal="lunch", counter_id="1"):
    return counter.redeem(s, kiosk, RedeemRequest(key=uuid.uuid4(), payload=ticket, counter_id=counter_id,
                                                  day=day or tomorrow(), meal=meal), datetime.now(LOCAL))


def test_a_ticket_is_served_once_and_every_later_scan_says_already_served(world):
    a, b, _ = world["kiosks"]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        first = _scan(s, a, ticket)
        assert (first.outcome, first.detail_key) == ("served", "canteen.redeem_served")
        assert first.booking.status == "served"
        assert _scan(s, b, ticket, counter_id="2").outcome == "already_served"
        assert _scan(s, a, ticket).outcome == "already_served"
        assert s.scalar(select(func.count()).select_from(Serving)) == 1


def test_a_ticket_for_another_day_or_meal_is_refused(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        assert _scan(s, a, ticket, day=tomorrow() + timedelta(days=1)).outcome == "wrong_day"
        assert _scan(s, a, ticket, meal="dinner").outcome == "wrong_meal"
        assert _scan(s, a, ticket).outcome == "served"


def test_a_cancelled_booking_and_a_tampered_ticket_are_refused(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        booking_id = ticket.split(":")[2]
        bookings.cancel(s, a, booking_id, CancelRequest(key=uuid.uuid4()), datetime.now(LOCAL))
        assert _scan(s, a, ticket).outcome == "cancelled"
        other = _book(s, world, "R-000001", 120)
        parts = other.split(":")
        parts[7] = ELDER  # someone else's name on a valid ticket
        assert _scan(s, a, ":".join(parts)).outcome == "forged"
        assert _scan(s, a, other[:-2] + ("AA" if not other.endswith("AA") else "BB")).outcome == "forged"
        assert _scan(s, a, "not a ticket").outcome == "forged"


def test_while_a_counter_holds_a_claim_other_counters_may_not_serve_its_tickets(world):
    a, b, _ = world["kiosks"]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        number = int(ticket.split(":")[6])
        got = counter.claim(s, a, CounterClaimRequest(day=tomorrow(), counter_nos=[number], counter_id="1"),
                            datetime.now(LOCAL))
        assert got.held == [number] and got.counters == 2
        seen = counter.claim(s, b, CounterClaimRequest(day=tomorrow(), counter_nos=[number], counter_id="2"),
                             datetime.now(LOCAL))
        assert seen.held == [] and seen.others == {str(number): "1"}
        refused = _scan(s, b, ticket, counter_id="2")
        assert (refused.outcome, refused.counter_no) == ("other_counter", number)
        assert _scan(s, a, ticket).outcome == "served"


def test_an_offline_serving_arriving_later_is_applied_once(world):
    a, b, _ = world["kiosks"]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        at = datetime.now(LOCAL)
        assert counter.apply_offline_serving(s, a, payload=ticket, counter_id="1", served_at=at)["outcome"] == "served"
        assert counter.apply_offline_serving(s, a, payload=ticket, counter_id="1", served_at=at)["outcome"] == \
            "already_served"
        assert _scan(s, b, ticket).outcome == "already_served"
        with pytest.raises(Rejected):
            counter.apply_offline_serving(s, a, payload=ticket[:-4] + "AAAA", counter_id="1", served_at=at)


def _kiosk_key(s, kiosk_id: str) -> tuple[Ed25519PrivateKey, str]:
    private = Ed25519PrivateKey.generate()
    public = base64.b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    kid = f"T-{kiosk_id}-X"
    tickets.register_ticket_key(s, kiosk_id, TicketKeyRequest(kid=kid, public_key=public), datetime.now(LOCAL))
    return private, kid


def _offline_booking(s, world, kiosk, private, kid, who=ELDER, price=80, paid=80, reserve_id=None, hold_id=None,
                     booking_id=None):
    booking_id = booking_id or uuid.uuid4().hex.upper()
    menu_id = world["menus"][(tomorrow(), "lunch")]
    claims = TicketClaims(kid, booking_id, menu_id, tomorrow(), "lunch", 1, who, int(datetime.now(LOCAL).timestamp()))
    ticket = ticket_text(claims, private.sign(claims.signing_input()))
    return CanteenBooking(booking_id=booking_id, menu_id=menu_id, payer_id=who, beneficiary_id=who, payment="points",
                          quoted_points=price, points_part=paid, hold_id=hold_id, reserve_id=reserve_id, ticket=ticket,
                          booked_at=datetime.now(LOCAL))


def test_an_offline_booking_takes_its_seat_from_the_hold_and_its_points_from_the_reserve(world):
    a = world["kiosks"][0]
    lunch = world["menus"][(tomorrow(), "lunch")]
    with server_session(world["url"]) as s:
        private, kid = _kiosk_key(s, a)
        hold = seats.grant_holds(s, a, SeatHoldRequest(menu_ids=[lunch], seats=5), datetime.now(LOCAL)).holds[0]
        assert hold.seats == 2  # capped by canteen.offline_seats
        assert (s.get(SeatCount, lunch).held, s.get(SeatCount, lunch).booked) == (2, 0)
        reserve = grant_reserve(s, kiosk_id=a, resident_id=ELDER, amount=300, key=uuid.uuid4())
        wish = _offline_booking(s, world, a, private, kid, reserve_id=reserve.reserve_id, hold_id=hold.hold_id)
        result = bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))
        assert result["booking"]["status"] == "booked" and result["booking"]["origin"] == "offline"
        assert (s.get(SeatCount, lunch).held, s.get(SeatCount, lunch).booked) == (1, 1)
        assert resident_balance(s, ELDER) == 1000 - 300  # the 80 came out of the 300 held by the kiosk
        assert bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))["duplicate"] is True
        ticket = wish.ticket
        assert _scan(s, a, ticket).outcome == "served"  # a kiosk-signed ticket verifies on the server
        released = seats.release_hold(s, hold.hold_id, kiosk_id=a, now=datetime.now(LOCAL))
        assert released.seats == 0 and s.get(SeatCount, lunch).held == 0
        assert check_invariants(s) == []


def test_an_offline_booking_for_someone_already_booked_is_kept_as_refused_and_its_ticket_refused(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        _book(s, world)
        private, kid = _kiosk_key(s, a)
        wish = _offline_booking(s, world, a, private, kid, paid=0)
        result = bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))
        assert (result["booking"]["status"], result["booking"]["refused_code"]) == ("refused", "canteen.already_booked")
        answer = _scan(s, a, wish.ticket)
        assert (answer.outcome, answer.detail_key) == ("cancelled", "canteen.redeem_refused")
        assert resident_balance(s, ELDER) == 920


def test_an_offline_booking_whose_online_attempt_committed_is_not_charged_twice(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        ticket = _book(s, world)
        booking_id = ticket.split(":")[2]
        private, kid = _kiosk_key(s, a)
        wish = _offline_booking(s, world, a, private, kid, paid=0, booking_id=booking_id)
        assert bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))["duplicate"] is True
        assert resident_balance(s, ELDER) == 920 and s.scalar(select(func.count()).select_from(Booking)) == 1


def test_an_offline_ticket_signed_by_another_kiosk_is_dead_lettered(world):
    a, b, _ = world["kiosks"]
    with server_session(world["url"]) as s:
        private, kid = _kiosk_key(s, b)
        wish = _offline_booking(s, world, a, private, kid, paid=0)
        with pytest.raises(Rejected) as info:
            bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))
        assert info.value.code == "canteen.ticket_invalid"


def test_a_revoked_kiosk_ticket_key_no_longer_verifies(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        private, kid = _kiosk_key(s, a)
        wish = _offline_booking(s, world, a, private, kid, paid=0)
        assert tickets.verify_ticket(s, wish.ticket) is not None
        assert tickets.revoke_ticket_keys(s, a, datetime.now(LOCAL)) == 1
        assert tickets.verify_ticket(s, wish.ticket) is None


def test_an_offline_ticket_served_before_its_booking_arrives_is_served_once_and_the_booking_says_so(world):
    a = world["kiosks"][0]
    with server_session(world["url"]) as s:
        private, kid = _kiosk_key(s, a)
        wish = _offline_booking(s, world, a, private, kid, paid=0)
        assert _scan(s, a, wish.ticket).outcome == "served"  # the counter is online, the booking kiosk is not yet
        result = bookings.apply_offline(s, a, wish, operator_id=None, now=datetime.now(LOCAL))
        assert result["booking"]["status"] == "served"
        assert _scan(s, a, wish.ticket).outcome == "already_served"
