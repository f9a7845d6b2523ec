"""Technician sign-in: the clock hold asks for the PIN; wrong PINs lock it, even across a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from kiosk.i18n import set_language
from kiosk.protocol import TokenRole
from support.kiosk_world import kiosk_runtime, new_issuer, trust
from support.tech_ui_world import TECH_PIN, click, config_with_pin, find, kiosk_window, sign_in, type_pin


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()  # hashing takes a moment: once for the module


def test_holding_the_clock_asks_for_the_pin_and_the_right_pin_opens_technician_mode(qtbot, tmp_path, pin_config):
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        win.ctx.session.start("touch")  # a resident was using the kiosk
        clock_button = find(win, QToolButton, "topClock")
        win.top_bar._hold_timer.setInterval(50)
        qtbot.mousePress(clock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.screens.current.name == "tech_signin", timeout=2000)
        qtbot.mouseRelease(clock_button, Qt.MouseButton.LeftButton)
        assert not win.tech.signed_in
        screen = win.screens.current
        type_pin(qtbot, win, TECH_PIN[:5])
        assert not screen.sign_in_button.isEnabled()  # six digits at least
        type_pin(qtbot, win, TECH_PIN[5:])
        click(qtbot, win, "techSigninSubmit")
        qtbot.waitUntil(lambda: win.screens.current.name == "tech_home", timeout=10_000)
        assert win.tech.signed_in and win.tech.operator.role == "technician"
        assert not win.ctx.session.active  # the resident's session ended: no idle countdown over technician mode
        assert screen.pin == ""  # the PIN is not kept on the screen


def test_technician_screens_need_a_sign_in_and_leaving_technician_mode_signs_out(qtbot, tmp_path, pin_config):
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        for name in ("tech_devices", "tech_diagnostics"):
            win.navigate(name)
            assert win.screens.current.name == "tech_signin"
        sign_in(qtbot, win)
        win.navigate("tech_devices")
        assert win.screens.current.name == "tech_devices"
        win.navigate("home")
        assert not win.tech.signed_in
        win.navigate("tech_devices")
        assert win.screens.current.name == "tech_signin"


def test_technician_mode_ends_by_itself_after_idle_time(qtbot, tmp_path, pin_config):
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        win.tech._idle.setInterval(200)
        sign_in(qtbot, win)
        qtbot.waitUntil(lambda: win.screens.current.name == "home", timeout=3000)
        assert not win.tech.signed_in


def test_five_wrong_pins_lock_sign_in_with_the_wait_shown_and_a_restart_keeps_the_lock(qtbot, tmp_path, pin_config):
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        win.navigate("tech_home")
        screen = win.screens.current
        for attempt in range(1, 5):
            type_pin(qtbot, win, "111111")
            click(qtbot, win, "techSigninSubmit")
            qtbot.waitUntil(lambda: screen.state == "wrong", timeout=10_000)
            assert f"{5 - attempt} tries left" in screen.status.text()
            click(qtbot, win, "techSigninKey_clear")
        type_pin(qtbot, win, "111111")
        click(qtbot, win, "techSigninSubmit")
        qtbot.waitUntil(lambda: screen.state == "locked", timeout=10_000)
        text = screen.status.text()
        assert "locked" in text and ("30 s" in text or "29 s" in text)
        assert not screen.keys["1"].isEnabled() and not screen.sign_in_button.isEnabled()
        assert not win.tech.signed_in

    # A restart: a new runtime and window on the same database file.
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        win.navigate("tech_home")
        screen = win.screens.current
        qtbot.waitUntil(lambda: screen.state == "locked", timeout=10_000)
        assert screen.wait_s() > 0 and "Please wait" in screen.status.text()
        screen.pin = TECH_PIN  # even the right PIN is not tried while locked
        screen.submit_pin()
        qtbot.wait(300)
        assert screen.state == "locked" and not win.tech.signed_in


def test_a_technician_card_signs_in_and_a_resident_card_is_refused(qtbot, tmp_path, pin_config):
    issuer = new_issuer()
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        set_language("en")
        trust(runtime, issuer)
        win.navigate("tech_home")
        screen = win.screens.current
        screen.submit_qr(issuer.card("R-0082"))
        qtbot.waitUntil(lambda: screen.state == "wrong", timeout=10_000)
        assert screen.error_key == "ops.not_technician_card"
        assert screen.status.text() and "ops." not in screen.status.text()
        assert not win.tech.signed_in
        screen.submit_qr(issuer.card("T-007", role=TokenRole.TECHNICIAN))
        qtbot.waitUntil(lambda: win.screens.current.name == "tech_home", timeout=10_000)
        assert win.tech.operator.operator_id == "T-007"
