"""Menus from the feed: dishes, seats left, cut-off and its countdown, tier prices, the low-salt hint; the printed ticket."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import zxingcpp
from PIL import Image

from devices.printer.factories import dummy_printer
from kiosk.canteen.booking import book, ticket_document
from kiosk.canteen.menus import cutoff_countdown_s, highlight_low_salt, menus, price_for
from kiosk.i18n import set_language
from support.canteen_world import ELDER, LOCAL, tomorrow

GS_K_STORE = b"\x1d\x28\x6b"
RASTER = b"\x1d\x76\x30"


def test_pulled_menus_list_dishes_seats_and_cut_off_and_seats_fall_after_a_booking(world):
    k = world.kiosk()
    with k.db.session() as s:
        found = menus(s, "C-01", tomorrow(), days=1)
        assert [(m.meal, m.capacity, m.seats_left, m.base_price_points, m.open) for m in found] == [
            ("lunch", 20, 20, 150, True), ("dinner", 20, 20, 120, True)]
        lunch = found[0]
        assert lunch.cutoff == datetime.combine(tomorrow(), datetime.min.time(), LOCAL).replace(hour=9, minute=30)
        assert [(d.name_zh, d.name_en, d.allergens, d.tags) for d in lunch.dishes][0] == \
            ("清蒸鲈鱼", "Steamed sea bass", ("fish",), ("soft", "low_salt"))
        assert menus(s, "C-02", tomorrow()) == []
        closed = menus(s, "C-01", tomorrow(), days=1, now=lunch.cutoff)
        assert [m.open for m in closed] == [False, True]
    elder = k.resident(ELDER)
    book(k.link, menu=lunch, payer=elder, beneficiary=elder, payment="cash")
    k.sync()
    with k.db.session() as s:
        assert menus(s, "C-01", tomorrow(), days=1)[0].seats_left == 19


def test_the_price_is_the_tier_price_of_the_person_who_eats(world):
    k = world.kiosk()
    menu = k.menu(tomorrow(), "dinner")
    with k.db.session() as s:
        prices = {rid: price_for(s, menu, k.resident(rid)) for rid in ("R-000001", "R-000003", ELDER)}
    assert {r: (p.points, p.tier) for r, p in prices.items()} == {
        "R-000001": (96, "60-79"), "R-000003": (62, "80+"), ELDER: (62, "80+")}
    assert prices[ELDER].yuan_text == "6.20" and prices[ELDER].base_points == 120


def test_the_countdown_starts_half_an_hour_before_the_cut_off(world):
    k = world.kiosk()
    menu = k.menu(tomorrow(), "lunch")
    assert cutoff_countdown_s(menu, menu.cutoff - timedelta(minutes=10)) == 600
    assert cutoff_countdown_s(menu, menu.cutoff - timedelta(hours=2)) is None
    assert cutoff_countdown_s(menu, menu.cutoff + timedelta(seconds=1)) is None


def test_low_salt_dishes_are_suggested_after_a_high_blood_pressure_reading(world):
    from kiosk.config import KioskConfig
    from kiosk.health.measurement import Measurement
    from kiosk.health.ranges import thresholds_from_config
    from kiosk.health.store import record_consent, save_check

    k = world.kiosk()
    thresholds = thresholds_from_config(KioskConfig())

    def measure(systolic: float, diastolic: float) -> None:
        m = Measurement("bp", {"systolic_mmhg": systolic, "diastolic_mmhg": diastolic},
                        datetime.now(LOCAL), "bp", "sim")
        k.db.write(lambda s: save_check(s, ELDER, [m], thresholds))

    with k.db.session() as s:
        assert highlight_low_salt(s, ELDER) is False  # no reading
    k.db.write(lambda s: record_consent(s, ELDER, True))
    measure(118, 76)
    with k.db.session() as s:
        assert highlight_low_salt(s, ELDER) is False
    measure(148, 92)  # grade 1
    with k.db.session() as s:
        assert highlight_low_salt(s, ELDER) is True


def test_the_printed_ticket_carries_the_masked_name_counter_price_and_the_signed_qr(world):
    k = world.kiosk()
    elder = k.resident(ELDER)
    ticket = book(k.link, menu=k.menu(tomorrow(), "lunch"), payer=elder, beneficiary=elder, payment="points")
    printer = dummy_printer(paper_mm=58, native_qr=True)
    try:
        printer.print(ticket_document(ticket, 58))
        out = printer.transport.output
    finally:
        printer.close()
    assert "赵*英".encode("gb18030") in out and "赵桂英".encode("gb18030") not in out
    assert f"{ticket.counter_no}号窗口".encode("gb18030") in out
    assert "80积分（8.00元）".encode("gb18030") in out
    data = ticket.payload.encode("ascii")
    size = len(data) + 3
    store = GS_K_STORE + bytes([size & 0xFF, size >> 8]) + b"\x31\x50\x30" + data
    printed = GS_K_STORE + b"\x03\x00\x31\x51\x30"
    assert out.index(store) < out.index(printed) < out.rindex(b"\x1d\x56\x00")  # stored, printed, then cut


def test_the_ticket_prints_in_english_and_as_an_image_qr_that_decodes_to_the_payload(world):
    k = world.kiosk()
    person = k.resident("R-000003")
    ticket = book(k.link, menu=k.menu(tomorrow(), "dinner"), payer=person, beneficiary=person, payment="cash")
    set_language("en")
    printer = dummy_printer(paper_mm=80, native_qr=False)
    try:
        printer.print(ticket_document(ticket, 80))
        out = printer.transport.output
    finally:
        printer.close()
    assert b"Meal ticket" in out and b"Dinner" in out and b"Cash at the counter" in out and b"6.20 yuan" in out
    start = out.find(RASTER)
    m, xl, xh, yl, yh = out[start + 3:start + 8]
    width, height = xl + 256 * xh, yl + 256 * yh
    bits = np.unpackbits(np.frombuffer(out[start + 8:start + 8 + width * height], dtype=np.uint8))
    image = Image.fromarray(((1 - bits.reshape(height, width * 8)) * 255).astype(np.uint8), "L")
    assert [r.text for r in zxingcpp.read_barcodes(np.asarray(image))] == [ticket.payload]
