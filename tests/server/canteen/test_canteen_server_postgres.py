"""Races on PostgreSQL: one ticket scanned at many counters at once, one person booked from many kiosks at
once, a cancel racing a serving. Every thread runs its own transaction like a server worker."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

from kiosk.protocol import CancelRequest, CanteenBooking, RedeemRequest
from server.canteen import bookings, counter
from server.canteen.models import Booking, SeatCount, Serving
from server.db import make_engine, make_sessionmaker
from server.ledger.movements import check_invariants, resident_balance
from server.txn import in_transaction
from support.canteen_world import ELDER, LOCAL, seed_canteen, server_session, tomorrow

THREADS = 12


def _all_at_once(fn, count: int = THREADS) -> list:
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _wish(world, who=ELDER) -> CanteenBooking:
    return CanteenBooking(booking_id=uuid.uuid4().hex.upper(), menu_id=world["menus"][(tomorrow(), "lunch")],
                          payer_id=who, beneficiary_id=who, payment="points", quoted_points=80)


def test_one_person_booked_from_many_kiosks_at_once_gets_exactly_one_booking(pg_url):
    world = seed_canteen(pg_url)
    engine = make_engine(pg_url)
    try:
        factory = make_sessionmaker(engine)
        answers = _all_at_once(lambda i: in_transaction(factory, lambda s: bookings.book_online(
            s, f"K-{i}", _wish(world), operator_id=None, now=datetime.now(LOCAL))))
        codes = sorted(a.error.code if a.error else "ok" for a in answers)
        assert codes == ["canteen.already_booked"] * (THREADS - 1) + ["ok"]
        with server_session(pg_url) as s:
            assert resident_balance(s, ELDER) == 920
            assert s.get(SeatCount, world["menus"][(tomorrow(), "lunch")]).booked == 1
            assert check_invariants(s) == []
    finally:
        engine.dispose()


def test_one_ticket_scanned_at_many_counters_at_once_is_served_exactly_once(pg_url):
    world = seed_canteen(pg_url)
    with server_session(pg_url) as s:
        ticket = bookings.book_online(s, "K", _wish(world), operator_id=None, now=datetime.now(LOCAL)).booking.ticket
    engine = make_engine(pg_url)
    try:
        factory = make_sessionmaker(engine)
        answers = _all_at_once(lambda i: in_transaction(factory, lambda s: counter.redeem(
            s, f"K-{i}", RedeemRequest(key=uuid.uuid4(), payload=ticket, counter_id=str(i), day=tomorrow(),
                                       meal="lunch"), datetime.now(LOCAL))))
        outcomes = sorted(a.outcome for a in answers)
        assert outcomes == ["already_served"] * (THREADS - 1) + ["served"]
        with server_session(pg_url) as s:
            assert s.query(Serving).count() == 1
    finally:
        engine.dispose()


def test_a_cancel_racing_a_serving_ends_in_exactly_one_of_them(pg_url):
    world = seed_canteen(pg_url)
    with server_session(pg_url) as s:
        booked = [bookings.book_online(s, "K", _wish(world, rid), operator_id=None, now=datetime.now(LOCAL)).booking
                  for rid in (ELDER, "R-000003")]
    engine = make_engine(pg_url)
    try:
        factory = make_sessionmaker(engine)

        def act(i: int):
            b = booked[i // 2]
            if i % 2:
                return in_transaction(factory, lambda s: bookings.cancel(
                    s, "K", b.booking_id, CancelRequest(key=uuid.uuid4()), datetime.now(LOCAL)))
            return in_transaction(factory, lambda s: counter.redeem(
                s, "K", RedeemRequest(key=uuid.uuid4(), payload=b.ticket, counter_id="1", day=tomorrow(),
                                      meal="lunch"), datetime.now(LOCAL)))

        answers = _all_at_once(act, 4)
        assert not [a for a in answers if isinstance(a, Exception)], answers
        with server_session(pg_url) as s:
            for b in booked:
                row = s.get(Booking, b.booking_id)
                served = s.get(Serving, b.booking_id) is not None
                refunded = row.refund_tx_id is not None
                assert (row.status, served, refunded) in (("served", True, False), ("cancelled", False, True))
            assert check_invariants(s) == []
    finally:
        engine.dispose()
