"""Help desk screens on a real kiosk database: time-out, PIN lock across a restart, cards, reprint, sync retry."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from devices.printer.document import ReceiptDocument
from kiosk.i18n import set_language
from kiosk.protocol import ErrorBody, Outcome, RecordResult, TokenRole
from kiosk.residents import Resident
from kiosk.staff.reprints import remember
from kiosk.sync import outbox
from server.ops.staff import DEMO_PIN
from support.kiosk_world import add_resident, kiosk_runtime, new_issuer, trust
from support.staff_ui_world import MonoClock, pull_staff_directory, sign_in, staff_window, tap_clock, wait_for_button
from support.tech_ui_world import click, find
from ui.staff_parts import kind_words

SIM_PRINTER = {"printer": {"driver": "sim", "paper_mm": 58, "fault": "ok"}}


def test_the_staff_session_ends_after_five_idle_minutes_and_forgets_the_resident(qtbot, tmp_path):
    clock = MonoClock()
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime, clock) as win:
        pull_staff_directory(runtime)
        add_resident(runtime, "R-000001", "王*国", 1953, community_id="C-01")
        sign_in(qtbot, win)
        win.ctx.session.identify(Resident("R-000001", "王*国", 1953))
        clock.advance(299)
        qtbot.wait(600)  # the window polls the session every 250 ms
        assert win.screens.current.name == "staff_home" and win.ctx.session.operator is not None
        clock.advance(1)
        qtbot.waitUntil(lambda: win.screens.current.name == "home", timeout=3000)
        assert win.ctx.session.operator is None and win.ctx.session.resident is None
        win.navigate("staff_home")
        assert win.screens.current.name == "staff_signin"  # signed out for real


def test_five_wrong_pins_lock_the_staff_sign_in_with_the_wait_shown_and_a_restart_keeps_the_lock(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        set_language("en")
        tap_clock(qtbot, win)
        screen = win.screens.current
        wait_for_button(qtbot, win, "staffSigninName_S-0001")
        click(qtbot, win, "staffSigninName_S-0001")
        for attempt in range(1, 6):
            for digit in "111111":
                click(qtbot, win, f"staffSigninKey_{digit}")
            click(qtbot, win, "staffSigninSubmit")
            qtbot.waitUntil(lambda: screen.state in ("wrong", "locked"), timeout=10_000)
            if attempt < 5:
                assert screen.state == "wrong" and f"{5 - attempt} tries left" in screen.status.text()
        assert screen.state == "locked"
        assert "locked" in screen.status.text() and ("30 s" in screen.status.text() or "29 s" in screen.status.text())
        assert not screen.keys["1"].isEnabled() and not screen.sign_in_button.isEnabled()
        assert win.ctx.session.operator is None

    # A restart: a new runtime and window on the same database file.
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        set_language("en")
        tap_clock(qtbot, win)
        screen = win.screens.current
        wait_for_button(qtbot, win, "staffSigninName_S-0001")
        click(qtbot, win, "staffSigninName_S-0001")
        qtbot.waitUntil(lambda: screen.state == "locked", timeout=10_000)
        assert screen.wait_s() > 0 and "Please wait" in screen.status.text()
        screen.pin = DEMO_PIN  # even the right PIN is not tried while locked
        screen.submit_pin()
        qtbot.wait(300)
        assert screen.state == "locked" and win.ctx.session.operator is None


def test_a_staff_card_signs_in_and_a_resident_card_is_refused_with_a_reason(qtbot, tmp_path):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        trust(runtime, issuer)
        tap_clock(qtbot, win)
        screen = win.screens.current
        screen.submit_qr(issuer.card("R-000001"))
        qtbot.waitUntil(lambda: screen.state == "wrong", timeout=10_000)
        assert screen.error_key == "ops.not_staff_card" and "工作证" in screen.status.text()
        screen.show_state("default")
        screen.submit_qr(issuer.card("S-0002", role=TokenRole.TECHNICIAN))  # not a staff card either
        qtbot.waitUntil(lambda: screen.state == "wrong", timeout=10_000)
        assert screen.error_key == "ops.not_staff_card"
        assert win.ctx.session.operator is None
        screen.submit_qr(issuer.card("S-0001", role=TokenRole.STAFF))
        qtbot.waitUntil(lambda: win.screens.current.name == "staff_home", timeout=10_000)
        assert win.ctx.session.operator.operator_id == "S-0001"


def test_a_resident_card_at_the_desk_chooses_the_resident_offline(qtbot, tmp_path):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        trust(runtime, issuer)
        add_resident(runtime, "R-000002", "李*英", 1955, community_id="C-01")
        sign_in(qtbot, win)
        click(qtbot, win, "staffHome_staff_lookup")
        screen = win.screens.current
        screen.submit_card(issuer.card("R-000002", lifetime_s=60, now=int(time.time()) - 3600))  # expired
        qtbot.waitUntil(lambda: screen.state == "failed", timeout=10_000)
        assert win.ctx.session.resident is None and screen.status.text()
        screen.submit_card(issuer.card("R-000002"))
        qtbot.waitUntil(lambda: win.screens.current.name == "staff_home", timeout=10_000)
        assert (win.ctx.session.resident.resident_id, win.ctx.session.resident.masked_name) == ("R-000002", "李*英")
        click(qtbot, win, "staffHomeFinish")  # served: the next person, the staff member stays
        assert win.screens.current.name == "staff_home"
        assert win.ctx.session.resident is None and win.ctx.session.operator.operator_id == "S-0001"


def test_staff_reprint_a_slip_printed_here_with_a_reprint_line(qtbot, tmp_path):
    with kiosk_runtime(tmp_path, SIM_PRINTER) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        sign_in(qtbot, win)
        slip = remember(runtime, ReceiptDocument().title("报事回执").text("GX-251121-0042K").cut(), "request",
                        "GX-251121-0042K")
        click(qtbot, win, "staffHome_staff_reprint")
        screen = win.screens.current
        assert screen.state == "default"
        assert "GX-251121-0042K" in screen.findChild(type(screen.status), f"staffSlipText_{slip.slip_id}").text()
        click(qtbot, win, f"staffSlipPrint_{slip.slip_id}")
        qtbot.waitUntil(lambda: screen.state == "printed", timeout=10_000)
        printed = runtime.devices.get("printer").transport.output
        assert "补打".encode("gb18030") in printed and "报事回执".encode("gb18030") in printed
        assert printed.index("补打".encode("gb18030")) < printed.index("报事回执".encode("gb18030"))


def test_staff_see_refused_records_without_payloads_and_send_them_again(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        key = runtime.database.write(lambda s: outbox.enqueue(s, "health.observations", {"sys": 181}))
        runtime.database.write(lambda s: outbox.mark(s, [RecordResult(
            key=key, outcome=Outcome.REJECTED, status_code=422, error=ErrorBody(code="sync.key_reused"))]))
        sign_in(qtbot, win)
        click(qtbot, win, "staffHome_staff_sync")
        screen = win.screens.current
        qtbot.waitUntil(lambda: screen.health.dead_total == 1, timeout=10_000)
        shown = screen.counts.text() + " ".join(lab.text() for lab in screen.findChildren(type(screen.counts))
                                                if lab.objectName().startswith("staffSyncItem_"))
        assert kind_words("health.observations") in shown and "181" not in shown
        click(qtbot, win, "staffSyncRetry")
        qtbot.waitUntil(lambda: screen.state == "retried", timeout=10_000)
        assert screen.health.pending == 1 and screen.health.dead_total == 0
        with runtime.database.session() as s:
            assert [r.key for r in outbox.next_batch(s, 5)] == [key]


def test_staff_screens_need_a_sign_in_two_quick_clock_taps_open_it_and_a_hold_still_opens_technician(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime, staff_window(qtbot, runtime) as win:
        pull_staff_directory(runtime)
        for name in ("staff_home", "staff_award", "staff_sync", "staff_reprint"):
            win.navigate(name)
            assert win.screens.current.name == "staff_signin"
        win.navigate("home")
        clock_button = find(win, QToolButton, "topClock")
        qtbot.mouseClick(clock_button, Qt.MouseButton.LeftButton)
        qtbot.wait(900)  # one stray tap, then another long after: nothing opens
        qtbot.mouseClick(clock_button, Qt.MouseButton.LeftButton)
        assert win.screens.current.name == "home"
        tap_clock(qtbot, win)  # two quick taps: the staff sign-in
        assert win.screens.current.name == "staff_signin"
        win.navigate("home")
        win.top_bar._hold_timer.setInterval(50)
        qtbot.mousePress(clock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.screens.current.name == "tech_signin", timeout=2000)
        qtbot.mouseRelease(clock_button, Qt.MouseButton.LeftButton)
        qtbot.wait(100)
        assert win.screens.current.name == "tech_signin"  # the release after a hold is not a staff tap
        assert find(win, QPushButton, "techSigninSubmit").isVisible()
