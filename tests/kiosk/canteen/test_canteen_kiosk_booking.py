"""Kiosk bookings against the real server: online tickets, cancel, offline within seat holds and reserves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.canteen.booking import book, cancel, my_bookings
from kiosk.canteen.errors import CanteenError
from kiosk.canteen.menus import price_for
from kiosk.canteen.offline import prepare_offline
from kiosk.canteen.tickets import check
from kiosk.points import summary
from kiosk.sync import outbox
from server.canteen.models import Booking
from support.canteen_world import ELDER, balance_of, ledger_problems, server_session, tomorrow


def _book(side, who, payment="points", payer=None, link=None, **kw):
    person = side.resident(who)
    return book(link or side.link, menu=side.menu(tomorrow(), kw.pop("meal", "lunch")),
                payer=side.resident(payer) if payer else person, beneficiary=person, payment=payment, **kw)


def test_an_online_booking_keeps_the_server_ticket_and_lists_it_under_my_bookings(world):
    k = world.kiosk()
    elder = k.resident(ELDER)
    with k.db.session() as s:
        price = price_for(s, k.menu(tomorrow(), "lunch"), elder)
    assert (price.points, price.yuan_text, price.tier, price.discount_pct, price.subsidy_points) == (80, "8.00", "80+", 40, 10)
    ticket = _book(k, ELDER)
    assert (ticket.paid_points, ticket.paid_cash_yuan, ticket.status, ticket.offline) == (80, "0.00", "booked", False)
    assert ticket.masked_name == "赵*英" and ticket.price.points == 80
    with k.db.session() as s:
        assert check(s, ticket.payload).claims.booking_id == ticket.booking_id  # verifies with the pulled key
        assert [t.booking_id for t in my_bookings(s, ELDER)] == [ticket.booking_id]
        assert summary.balance(s, ELDER) == 920
    assert balance_of(world.db_url, ELDER) == 920
    with pytest.raises(CanteenError) as info:
        _book(k, ELDER)
    assert info.value.key == "canteen.already_booked"


def test_a_family_member_may_be_paid_for_but_not_a_stranger(world):
    k = world.kiosk()
    ticket = _book(k, "R-000002", payer="R-000001")
    assert (ticket.beneficiary_id, ticket.payer_id, ticket.masked_name) == ("R-000002", "R-000001", "李*英")
    assert balance_of(world.db_url, "R-000001") == 880
    with pytest.raises(CanteenError) as info:
        _book(k, ELDER, payer="R-000001")
    assert info.value.key == "points.not_family"


def test_cancel_gives_the_points_back_and_after_the_cut_off_it_is_refused_with_the_time(world):
    k = world.kiosk()
    first = _book(k, ELDER)
    assert cancel(k.link, first.booking_id, resident=k.resident(ELDER)) == 80
    assert balance_of(world.db_url, ELDER) == 1000
    with k.db.session() as s:
        assert [t.status for t in my_bookings(s, ELDER)] == ["cancelled"]
    second = _book(k, ELDER)
    menu = k.menu(tomorrow(), "lunch")
    world.clock.offset = menu.cutoff - world.clock() + timedelta(seconds=1)
    with pytest.raises(CanteenError) as info:
        cancel(k.link, second.booking_id)
    assert (info.value.key, info.value.params) == ("canteen.cancel_after_cutoff", {"cutoff": "09:30"})
    with pytest.raises(CanteenError) as info:
        _book(k, "R-000001")
    assert info.value.key == "canteen.after_cutoff"
    assert balance_of(world.db_url, ELDER) == 920


def test_offline_booking_uses_the_seat_hold_and_points_reserve_and_the_server_confirms_it(world):
    k = world.kiosk()
    ready = prepare_offline(k.link, resident=k.resident(ELDER))
    lunch = k.menu(tomorrow(), "lunch").menu_id
    assert ready.ticket_key and ready.seats[lunch] == 2 and ready.reserve_points == 300
    off = k.offline()
    ticket = _book(k, ELDER, link=off)
    assert ticket.offline and ticket.payload.startswith("KC1:T-") and ticket.paid_points == 80
    assert k.link.wallet.available(ELDER) == 220
    with pytest.raises(CanteenError) as info:
        _book(k, "R-000003", link=off)  # no reserve here for her: points need one offline
    assert info.value.key == "points.no_reserve"
    cash = _book(k, "R-000003", payment="cash", link=off)
    assert (cash.paid_points, cash.paid_cash_yuan) == (0, "8.00")
    with pytest.raises(CanteenError) as info:
        _book(k, "R-000001", payment="cash", link=off)
    assert info.value.key == "canteen.offline_limit"  # the 2 held seats are used
    with k.db.session() as s:
        assert outbox.pending_count(s) == 2
    k.sync()
    with server_session(world.db_url) as s:
        rows = {b.id: (b.status, b.origin, b.paid_points) for b in s.scalars(select(Booking))}
    assert rows == {ticket.booking_id: ("booked", "offline", 80), cash.booking_id: ("booked", "offline", 0)}
    assert balance_of(world.db_url, ELDER) == 700  # 300 moved to this kiosk, 80 of them spent
    assert ledger_problems(world.db_url) == []
    with k.db.session() as s:
        assert outbox.pending_count(s) == 0 and outbox.dead_count(s) == 0


def test_points_plus_cash_offline_takes_the_points_asked_for_and_the_rest_in_cash(world):
    k = world.kiosk()
    prepare_offline(k.link, resident=k.resident(ELDER))
    ticket = _book(k, ELDER, payment="points_cash", points_part=30, link=k.offline())
    assert (ticket.paid_points, ticket.paid_cash_yuan) == (30, "5.00")


def test_without_preparation_a_kiosk_cannot_book_offline(world):
    k = world.kiosk()
    with pytest.raises(CanteenError) as info:
        _book(k, ELDER, payment="cash", link=k.offline())
    assert info.value.key == "canteen.offline_limit"


def test_two_kiosks_booking_one_person_offline_end_with_one_booking_and_the_other_refused(world):
    a, b = world.kiosk("a"), world.kiosk("b")
    prepare_offline(a.link)
    prepare_offline(b.link)
    first = _book(a, ELDER, payment="cash", link=a.offline())
    second = _book(b, ELDER, payment="cash", link=b.offline())
    a.sync()
    b.sync()
    with b.db.session() as s:
        mine = {t.booking_id: (t.status, t.refused_code) for t in my_bookings(s, ELDER)}
    assert mine[second.booking_id] == ("refused", "canteen.already_booked")
    assert mine[first.booking_id] == ("booked", None)


def test_an_offline_booking_still_on_its_way_cannot_be_cancelled_until_it_arrived(world):
    k = world.kiosk()
    prepare_offline(k.link, resident=k.resident(ELDER))
    ticket = _book(k, ELDER, link=k.offline())
    with pytest.raises(CanteenError) as info:
        cancel(k.link, ticket.booking_id)
    assert info.value.key == "canteen.cancel_not_synced"
    k.sync()
    assert cancel(k.link, ticket.booking_id) == 80
    assert balance_of(world.db_url, ELDER) == 780  # refunded to her own account; 220 still held here
    with pytest.raises(CanteenError) as info:
        cancel(k.offline(), _book(k, ELDER).booking_id)
    assert info.value.key == "canteen.cancel_needs_network"
