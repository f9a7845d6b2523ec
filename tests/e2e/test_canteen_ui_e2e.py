"""Issue #7 through the screens: an 82-year-old shows a real QR card, books lunch with points at the tier
price, the ticket prints, cancels and sees the points back; the counter serves the ticket once."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from support.canteen_ui_world import ui_world
from support.canteen_world import ELDER, LOCAL, balance_of, ledger_problems, server_session, tomorrow

LUNCH_TIME = datetime.combine(tomorrow(), time(11, 50), LOCAL)


def find(window, cls, name):
    found = window.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def touch(qtbot, window, name):
    button = find(window, QPushButton, name)
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be touched"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_for(qtbot, window, screen_name, state="default"):
    qtbot.waitUntil(lambda: window.screens.current.name == screen_name
                    and window.screens.current.state == state, timeout=15_000)
    return window.screens.current


def book_lunch(qtbot, w):
    """Menu -> Book this meal -> (me, points) -> Next -> Confirm and book -> the printed ticket."""
    touch(qtbot, w, "canteenBook")
    book = wait_for(qtbot, w, "canteen_book")
    assert book.payment == "points" and book.beneficiary.resident_id == ELDER
    touch(qtbot, w, "canteenBookNext")
    wait_for(qtbot, w, "canteen_confirm")
    touch(qtbot, w, "canteenConfirmBook")
    return wait_for(qtbot, w, "canteen_ticket").ticket


def test_an_82_year_old_books_with_points_prints_cancels_and_the_counter_serves_the_ticket_once(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        w = world.window
        # the resident touches Canteen and shows their card (a real server-signed token)
        touch(qtbot, w, "tile_canteen")
        identify = wait_for(qtbot, w, "identify")
        identify.submit_payload(world.card(ELDER))
        menu = wait_for(qtbot, w, "canteen")
        assert w.ctx.session.resident.age(tomorrow()) == 82
        assert menu.selected().day == tomorrow() and menu.selected().meal == "lunch"
        assert "您的价格：80积分（8.00元）" in find(w, QLabel, "canteenInfo").text()  # 150, 80+: -40 %, -10

        ticket = book_lunch(qtbot, w)
        assert (ticket.paid_points, ticket.price.tier, ticket.masked_name) == (80, "80+", "赵*英")
        printed = world.printed()
        assert ticket.payload.encode("ascii") in printed  # the signed QR on paper
        assert "赵*英".encode("gb18030") in printed and "午餐".encode("gb18030") in printed
        assert printed.index(ticket.payload.encode("ascii")) < printed.index(b"\x1d\x56\x00")  # then the cut
        assert "餐券已经打印好了" in w.ctx.voice.last_prompt.text
        assert balance_of(world.db_url, ELDER) == 920

        # cancel before the cut-off: the points come back
        touch(qtbot, w, "canteenTicketBookings")
        wait_for(qtbot, w, "canteen_bookings")
        touch(qtbot, w, "canteenBooking0Cancel")
        touch(qtbot, w, "canteenBookingsCancelYes")
        wait_for(qtbot, w, "canteen_bookings", "cancelled")
        assert "80积分已经退回您的账户" in w.ctx.voice.last_prompt.text
        assert balance_of(world.db_url, ELDER) == 1000
        w.navigate("points")
        wait_for(qtbot, w, "points")
        assert find(w, QLabel, "pointsBalance").text() == "您的积分：1000（100.0元）"
        assert find(w, QLabel, "pointsRow0Amount").text() == "+80"  # the reversing movement, in plain words

        # book again, then the canteen counter (staff mode from the technician menu) serves it once
        w.navigate("canteen")
        wait_for(qtbot, w, "canteen")
        ticket = book_lunch(qtbot, w)
        assert balance_of(world.db_url, ELDER) == 920
        counter = world.screen("canteen_counter")  # staff open it from the help desk (test_staff_* tests that path)
        counter.clock = lambda: LUNCH_TIME  # lunch time on the day of the meal
        w.navigate("canteen_counter")
        wait_for(qtbot, w, "canteen_counter")
        counter.submit_payload(ticket.payload)
        wait_for(qtbot, w, "canteen_counter", "result")
        outcome = find(w, QLabel, "canteenCounterOutcome")
        assert (counter.outcome_name(), outcome.text(), outcome.property("banner")) == \
            ("served", "有效餐券，请出餐", "ok")
        assert "赵*英" in find(w, QLabel, "canteenCounterDetail").text()
        assert w.ctx.voice.last_prompt.text == "有效餐券，请出餐"
        counter.submit_payload(ticket.payload)  # the same ticket again
        qtbot.waitUntil(lambda: counter.outcome_name() == "already_served", timeout=15_000)
        assert (outcome.text(), outcome.property("banner")) == ("这张餐券已经取过餐了", "warn")
        assert find(w, QLabel, "canteenCounterTally").text() == "本窗口已出餐：1份"

        from server.canteen.models import Serving

        with server_session(world.db_url) as s:
            assert [(r.booking_id, r.meal) for r in s.query(Serving)] == [(ticket.booking_id, "lunch")]
        assert ledger_problems(world.db_url) == []
