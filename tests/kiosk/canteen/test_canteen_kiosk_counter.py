"""Counter mode: a ticket is served once across two counters, online and with the network down."""

from __future__ import annotations

from datetime import datetime, time

from kiosk.canteen.booking import book, cancel
from kiosk.canteen.counter import RedeemOutcome, close_counter, open_counter, redeem
from kiosk.canteen.offline import prepare_offline
from kiosk.sync import outbox
from server.canteen.models import Serving
from support.canteen_world import ELDER, LOCAL, server_session, tomorrow

LUNCH_TIME = datetime.combine(tomorrow(), time(11, 45), LOCAL)


def _ticket(side, who=ELDER, payment="points", link=None):
    person = side.resident(who)
    return book(link or side.link, menu=side.menu(tomorrow(), "lunch"), payer=person, beneficiary=person,
                payment=payment)


def _counters(world, ticket):
    """Two counter kiosks: ``home`` claims the ticket's counter number, ``other`` the other one."""
    home, other = world.kiosk("counter-home"), world.kiosk("counter-other")
    number = ticket.counter_no
    assert open_counter(home.link, str(number), today=tomorrow()).held == (number,)
    assert open_counter(other.link, str(3 - number), today=tomorrow()).held == (3 - number,)
    return home, other


def _servings(world) -> int:
    with server_session(world.db_url) as s:
        return s.query(Serving).count()


def test_online_the_ticket_is_served_once_and_the_second_counter_is_told_already_served(world):
    k = world.kiosk()
    ticket = _ticket(k)
    home, other = _counters(world, ticket)
    served = redeem(home.link, ticket.payload, str(ticket.counter_no), LUNCH_TIME)
    assert (served.outcome, served.masked_name, served.detail_key, served.offline) == \
        (RedeemOutcome.SERVED, "赵*英", "canteen.redeem_served", False)
    again = redeem(other.link, ticket.payload, "9", LUNCH_TIME)
    assert again.outcome is RedeemOutcome.ALREADY_SERVED
    assert _servings(world) == 1


def test_with_the_network_down_only_the_claiming_counter_serves_and_only_once(world):
    k = world.kiosk()
    ticket = _ticket(k)
    home, other = _counters(world, ticket)
    served = redeem(home.offline(), ticket.payload, "1", LUNCH_TIME)
    assert (served.outcome, served.offline, served.counter_no) == (RedeemOutcome.SERVED, True, ticket.counter_no)
    assert redeem(home.offline(), ticket.payload, "1", LUNCH_TIME).outcome is RedeemOutcome.ALREADY_SERVED
    refused = redeem(other.offline(), ticket.payload, "2", LUNCH_TIME)
    assert (refused.outcome, refused.detail_key, refused.counter_no) == \
        (RedeemOutcome.OTHER_COUNTER, "canteen.redeem_other_counter", ticket.counter_no)
    assert _servings(world) == 0
    home.sync()  # the network is back: the serving reaches the server once
    assert _servings(world) == 1
    assert redeem(other.link, ticket.payload, "2", LUNCH_TIME).outcome is RedeemOutcome.ALREADY_SERVED
    with home.db.session() as s:
        assert outbox.pending_count(s) == 0 and outbox.dead_count(s) == 0


def test_offline_the_counter_refuses_wrong_day_wrong_meal_forged_and_cancelled_tickets(world):
    k = world.kiosk()
    ticket, later = _ticket(k), _ticket(k, "R-000001")
    home = world.kiosk("counter")
    open_counter(home.link, "1", counter_nos=[1, 2], today=tomorrow())
    cancel(k.link, later.booking_id)
    home.sync()  # the cancellation is pulled before the network goes down
    off = home.offline()
    assert redeem(off, ticket.payload, "1", datetime.combine(tomorrow(), time(18, 0), LOCAL)).outcome is \
        RedeemOutcome.WRONG_MEAL
    assert redeem(off, ticket.payload, "1", LUNCH_TIME.replace(day=1) if LUNCH_TIME.day != 1 else
                  LUNCH_TIME.replace(day=2)).outcome is RedeemOutcome.WRONG_DAY
    forged = ticket.payload[:-3] + ("AAA" if not ticket.payload.endswith("AAA") else "BBB")
    assert redeem(off, forged, "1", LUNCH_TIME).outcome is RedeemOutcome.FORGED
    assert redeem(off, later.payload, "1", LUNCH_TIME).outcome is RedeemOutcome.CANCELLED
    assert redeem(off, ticket.payload, "1", LUNCH_TIME).outcome is RedeemOutcome.SERVED


def test_an_offline_ticket_from_another_kiosk_is_served_offline_once_per_person(world):
    a, b = world.kiosk("a"), world.kiosk("b")
    prepare_offline(a.link)
    prepare_offline(b.link)
    first = _ticket(a, payment="cash", link=a.offline())
    second = _ticket(b, payment="cash", link=b.offline())  # the same person, booked at another kiosk
    assert first.counter_no == second.counter_no  # every ticket of a person goes to one counter
    counter = world.kiosk("counter")
    open_counter(counter.link, "1", counter_nos=[1, 2], today=tomorrow())  # pulls both kiosks' ticket keys
    off = counter.offline()
    served = redeem(off, first.payload, "1", LUNCH_TIME)
    assert (served.outcome, served.cash_due_yuan) == (RedeemOutcome.SERVED, "")
    assert redeem(off, second.payload, "1", LUNCH_TIME).outcome is RedeemOutcome.ALREADY_SERVED
    counter.sync()
    a.sync()
    assert _servings(world) == 1


def test_a_counter_without_a_claim_refuses_offline_and_a_closed_counter_gives_its_claim_back(world):
    k = world.kiosk()
    ticket = _ticket(k)
    counter = world.kiosk("counter")
    refused = redeem(counter.offline(), ticket.payload, "1", LUNCH_TIME)
    assert (refused.outcome, refused.detail_key) == (RedeemOutcome.OTHER_COUNTER, "canteen.redeem_no_claim")
    assert open_counter(counter.link, "1", counter_nos=[1, 2], today=tomorrow()).held == (1, 2)
    assert close_counter(counter.link, today=tomorrow()) == 2  # both numbers given back
    counter.sync()
    other = world.kiosk("other")
    assert open_counter(other.link, "2", counter_nos=[1, 2], today=tomorrow()).held == (1, 2)


def test_cash_to_collect_is_shown_at_the_counter(world):
    k = world.kiosk()
    ticket = _ticket(k, "R-000003", payment="cash")
    counter = world.kiosk("counter")
    open_counter(counter.link, "1", counter_nos=[1, 2], today=tomorrow())
    served = redeem(counter.link, ticket.payload, "1", LUNCH_TIME)
    assert (served.outcome, served.cash_due_yuan) == (RedeemOutcome.SERVED, "8.00")
