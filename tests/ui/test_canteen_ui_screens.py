"""Canteen screens on a real kiosk database synced with the reference server: menu, booking, tickets, cancel."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from support.canteen_ui_world import add_menu, ui_world
from kiosk.i18n import set_language
from support.canteen_world import ELDER, LOCAL, balance_of, server_session, tomorrow

FAMILY_PAYER, FAMILY_MEMBER = "R-000001", "R-000002"  # 王建国 (72) and 李秀英 (70), family F-0001


def find(widget, cls, name):
    found = widget.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def click(qtbot, widget, cls, name):
    button = find(widget, cls, name)
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be touched"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_state(qtbot, screen, state, timeout=10_000):
    qtbot.waitUntil(lambda: screen.state == state, timeout=timeout)


def open_menu(world, qtbot, resident_id=ELDER):
    world.identify(qtbot, resident_id, "canteen")
    menu = world.screen("canteen")
    wait_state(qtbot, menu, "default")
    return menu


def book_through_screens(world, qtbot, *, person=0, payment="points"):
    """From the menu: Book this meal, choose who and how to pay, Next, Confirm; wait for the ticket."""
    w = world.window
    click(qtbot, w, QPushButton, "canteenBook")
    book = world.screen("canteen_book")
    wait_state(qtbot, book, "default")
    click(qtbot, w, QPushButton, f"canteenBookPerson{person}")
    if payment != book.payment:
        click(qtbot, w, QPushButton, f"canteenBookPay_{payment}")
    click(qtbot, w, QPushButton, "canteenBookNext")
    assert w.screens.current.name == "canteen_confirm"
    click(qtbot, w, QPushButton, "canteenConfirmBook")
    qtbot.waitUntil(lambda: w.screens.current.name == "canteen_ticket", timeout=10_000)
    ticket = world.screen("canteen_ticket")
    qtbot.waitUntil(lambda: ticket.state != "printing", timeout=10_000)
    return ticket


def test_the_canteen_tile_asks_for_the_qr_card_without_a_guest_choice_then_shows_the_menu(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        w = world.window
        click(qtbot, w, QPushButton, "tile_canteen")
        qtbot.waitUntil(lambda: w.screens.current.name == "identify", timeout=5_000)
        identify = w.screens.current
        assert identify.purpose == "canteen" and not identify.guest_button.isVisible()
        identify.submit_payload(world.card(ELDER))
        qtbot.waitUntil(lambda: w.screens.current.name == "canteen", timeout=10_000)
        wait_state(qtbot, world.screen("canteen"), "default")
        assert w.ctx.session.resident.resident_id == ELDER


def test_the_menu_shows_dishes_allergens_and_the_82_year_olds_tier_price_seats_and_cut_off(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        menu = open_menu(world, qtbot)
        w = world.window
        day = tomorrow()
        assert find(w, QPushButton, "canteenDay0").text() == "明天"
        assert find(w, QPushButton, "canteenDay0").accessibleName() == f"明天 {day.month}月{day.day}日"
        assert find(w, QPushButton, "canteenMeal_lunch").property("selected") is True
        assert find(w, QLabel, "canteenDish0Name").text() == "清蒸鲈鱼"
        assert find(w, QLabel, "canteenDish0Detail").text() == "软烂好嚼，少盐，含鱼"
        assert find(w, QLabel, "canteenDish1Detail").text() == "软烂好嚼，含鸡蛋"
        info = find(w, QLabel, "canteenInfo").text()
        # 150 points, 40 % off for 80+, 10 points subsidy: 80 points
        assert "您的价格：80积分（8.00元）" in info and "还剩150个座位" in info and "请在09:30前预订" in info
        assert "清蒸鲈鱼" in w.ctx.voice.last_prompt.text and "80积分" in w.ctx.voice.last_prompt.text
        click(qtbot, w, QPushButton, "canteenMeal_dinner")
        assert "您的价格：62积分（6.20元）" in find(w, QLabel, "canteenInfo").text()  # 120 -40 % -10
        assert "请在15:00前预订" in find(w, QLabel, "canteenInfo").text()
        assert "晚餐" in w.ctx.voice.last_prompt.text
        set_language("en")
        w.retranslate()
        assert find(w, QLabel, "canteenDish0Name").text() == "Steamed sea bass"
        assert "Your price: 62 points (6.20 yuan)" in find(w, QLabel, "canteenInfo").text()
        assert menu.state == "default"


def test_booking_for_a_bound_family_member_uses_their_price_and_cash_is_paid_at_the_counter(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        open_menu(world, qtbot, FAMILY_PAYER)
        w = world.window
        click(qtbot, w, QPushButton, "canteenBook")
        book = world.screen("canteen_book")
        wait_state(qtbot, book, "default")
        assert find(w, QPushButton, "canteenBookPerson0").text() == "我自己（王*国）"
        assert find(w, QPushButton, "canteenBookPerson1").text() == "李*英"
        click(qtbot, w, QPushButton, "canteenBookPerson1")
        assert "李*英的价格：120积分（12.00元）" in find(w, QLabel, "canteenBookSummary").text()  # 70: 20 % off
        click(qtbot, w, QPushButton, "canteenBookPay_cash")
        click(qtbot, w, QPushButton, "canteenBookNext")
        details = find(w, QLabel, "canteenConfirmDetails").text()
        assert "用餐人：李*英" in details and "付款方式：到窗口付现金" in details
        assert "用餐人：李*英" in w.ctx.voice.last_prompt.text  # the confirm screen is read aloud
        click(qtbot, w, QPushButton, "canteenConfirmBook")
        qtbot.waitUntil(lambda: w.screens.current.name == "canteen_ticket", timeout=10_000)
        ticket_screen = world.screen("canteen_ticket")
        wait_state(qtbot, ticket_screen, "default")
        ticket = ticket_screen.ticket
        assert (ticket.beneficiary_id, ticket.paid_points, ticket.paid_cash_yuan) == (FAMILY_MEMBER, 0, "12.00")
        assert "请到窗口支付现金12.00元" in find(w, QLabel, "canteenTicketDetails").text()
        assert ticket.payload.encode("ascii") in world.printed()
        assert balance_of(world.db_url, FAMILY_PAYER) == 1000  # nothing taken from the points


def test_a_printer_out_of_paper_leaves_the_ticket_qr_on_screen_and_says_so_plainly(tmp_path, qtbot):
    devices = {"printer": {"driver": "sim", "paper_mm": 58, "fault": "paper_out"}}
    with ui_world(tmp_path, qtbot, devices=devices) as world:
        open_menu(world, qtbot)
        ticket_screen = book_through_screens(world, qtbot)
        assert ticket_screen.state == "print_failed"
        status = find(world.window, QLabel, "canteenTicketStatus").text()
        assert "打印纸用完了" in status and "订餐已经保存好了" in status
        assert "打印纸用完了" in world.window.ctx.voice.last_prompt.text
        assert find(world.window, QPushButton, "canteenTicketReprint").isVisible()
        image = ticket_screen.qr.pixmap().toImage()
        decoded = zxingcpp.read_barcodes(image)
        assert [d.text for d in decoded] == [ticket_screen.ticket.payload]  # the real ticket, readable
        assert balance_of(world.db_url, ELDER) == 920  # booked and paid once, whatever the paper


def test_without_a_printer_the_ticket_is_shown_on_screen_only(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot, devices={}) as world:
        open_menu(world, qtbot)
        ticket_screen = book_through_screens(world, qtbot)
        assert ticket_screen.state == "no_printer"
        assert "没有打印机" in find(world.window, QLabel, "canteenTicketStatus").text()
        assert ticket_screen.qr.payload == ticket_screen.ticket.payload


def test_offline_without_a_seat_hold_the_booking_is_refused_in_words_and_nothing_is_booked(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        open_menu(world, qtbot)
        sync, world.runtime.sync = world.runtime.sync, None  # the network is gone
        try:
            w = world.window
            click(qtbot, w, QPushButton, "canteenBook")
            wait_state(qtbot, world.screen("canteen_book"), "default")
            click(qtbot, w, QPushButton, "canteenBookNext")
            click(qtbot, w, QPushButton, "canteenConfirmBook")
            confirm = world.screen("canteen_confirm")
            wait_state(qtbot, confirm, "refused")
            assert "本机能离线预订的名额已用完" in find(w, QLabel, "canteenConfirmStatus").text()
            assert not find(w, QPushButton, "canteenConfirmBook").isEnabled()
            assert w.screens.current.name == "canteen_confirm"
        finally:
            world.runtime.sync = sync
        from kiosk.canteen.booking import my_bookings

        with world.runtime.database.session() as s:
            assert my_bookings(s, ELDER) == []
        assert balance_of(world.db_url, ELDER) == 1000


def test_near_the_cut_off_the_countdown_is_shown_and_spoken(tmp_path, qtbot):
    moment = datetime.now(LOCAL).replace(second=0, microsecond=0) + timedelta(minutes=5)
    later = moment.date() + timedelta(days=2)
    with ui_world(tmp_path, qtbot, days=(later,),
                  prepare=lambda url: add_menu(url, moment.date(), "lunch", moment.time())) as world:
        menu = open_menu(world, qtbot)
        assert menu.selected().day == moment.date()  # the first meal still open is chosen
        notice = find(world.window, QLabel, "canteenNotice").text()
        assert "分钟截止预订" in notice and notice in world.window.ctx.voice.last_prompt.text
        assert menu.timer.isActive()
        menu._tick()
        minutes = (int((moment - datetime.now(LOCAL)).total_seconds()) + 59) // 60
        assert f"还有{minutes}分钟截止预订。" in world.spoken()
        world.window.navigate("home")
        assert not menu.timer.isActive()


def test_low_salt_dishes_are_gently_highlighted_after_a_high_blood_pressure_reading(tmp_path, qtbot):
    from kiosk.config import KioskConfig
    from kiosk.health.measurement import Measurement
    from kiosk.health.ranges import thresholds_from_config
    from kiosk.health.store import record_consent, save_check

    with ui_world(tmp_path, qtbot) as world:
        db = world.runtime.database
        reading = Measurement("bp", {"systolic_mmhg": 152.0, "diastolic_mmhg": 94.0}, datetime.now(LOCAL), "bp", "sim")
        db.write(lambda s: record_consent(s, ELDER, True))
        db.write(lambda s: save_check(s, ELDER, [reading], thresholds_from_config(KioskConfig())))
        open_menu(world, qtbot)
        w = world.window
        assert find(w, QLabel, "canteenDish0Name").text() == "清蒸鲈鱼"  # tagged low_salt
        assert w.findChild(object, "canteenDish0").property("highlight") is True
        assert w.findChild(object, "canteenDish1").property("highlight") is False
        assert "绿框的是少盐菜" in find(w, QLabel, "canteenNotice").text()
        assert "血压" not in w.ctx.voice.last_prompt.text  # nothing medical said aloud


def test_cancelling_before_the_cut_off_returns_the_points(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot) as world:
        open_menu(world, qtbot)
        book_through_screens(world, qtbot)
        assert balance_of(world.db_url, ELDER) == 920
        w = world.window
        click(qtbot, w, QPushButton, "canteenTicketBookings")
        bookings = world.screen("canteen_bookings")
        wait_state(qtbot, bookings, "default")
        assert "已付80积分" in find(w, QLabel, "canteenBooking0Text").text()
        click(qtbot, w, QPushButton, "canteenBooking0Cancel")
        assert "80积分会退还给您" in find(w, QLabel, "canteenBookingsStatus").text()
        click(qtbot, w, QPushButton, "canteenBookingsCancelYes")
        wait_state(qtbot, bookings, "cancelled")
        assert "80积分已经退回您的账户" in find(w, QLabel, "canteenBookingsStatus").text()
        assert "已取消" in find(w, QLabel, "canteenBooking0Text").text()
        assert not find(w, QPushButton, "canteenBooking0Cancel").isVisible()
        assert balance_of(world.db_url, ELDER) == 1000


def _booked_before_a_past_cut_off(db_url: str) -> None:
    """Today's lunch closed at midnight; the elder booked it yesterday (on the server)."""
    import uuid

    from kiosk.protocol import CanteenBooking
    from server.canteen.bookings import book_online

    today = datetime.now(LOCAL).date()
    menu_id = add_menu(db_url, today, "lunch", time(0, 0))
    with server_session(db_url) as s:
        booking = CanteenBooking(booking_id=uuid.uuid4().hex.upper(), menu_id=menu_id, payer_id=ELDER,
                                 beneficiary_id=ELDER, payment="points", quoted_points=80)
        answer = book_online(s, "K-test", booking, operator_id=None, now=datetime.now(LOCAL) - timedelta(days=1))
        assert answer.error is None, answer.error


def test_after_the_cut_off_a_cancel_is_refused_with_the_reason_said_plainly(tmp_path, qtbot):
    with ui_world(tmp_path, qtbot, prepare=_booked_before_a_past_cut_off) as world:
        world.sync()  # the booking reaches this kiosk through the changes feed
        world.identify(qtbot, ELDER, "canteen_bookings")
        bookings = world.screen("canteen_bookings")
        wait_state(qtbot, bookings, "default")
        w = world.window
        assert "今天" in find(w, QLabel, "canteenBooking0Text").text()
        click(qtbot, w, QPushButton, "canteenBooking0Cancel")
        click(qtbot, w, QPushButton, "canteenBookingsCancelYes")
        wait_state(qtbot, bookings, "refused")
        status = find(w, QLabel, "canteenBookingsStatus").text()
        assert "00:00已截止，现在不能取消了" in status and "如果来不了，请告诉食堂工作人员" in status
        assert status == w.ctx.voice.last_prompt.text
        assert balance_of(world.db_url, ELDER) == 920  # nothing given back
