"""The identify screen: a signed QR card identifies the resident offline; bad cards are refused in words."""

from __future__ import annotations

import time

import pytest
import segno

from kiosk.i18n import set_language
from support.kiosk_world import add_resident, kiosk_runtime, new_issuer, trust
from ui.app import application, build_window


@pytest.fixture
def issuer():
    return new_issuer()


def _window(qtbot, runtime):
    application()
    win = build_window(runtime)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("home")
    return win


def _close(win):
    win.shutdown()
    win.close()


def test_a_valid_card_identifies_the_resident_and_goes_to_the_next_screen(qtbot, tmp_path, issuer):
    with kiosk_runtime(tmp_path) as runtime:
        trust(runtime, issuer)
        add_resident(runtime, "R-0082", "张*明", 1944, family_id="F-1")
        win = _window(qtbot, runtime)
        try:
            screen = win.screens.show("identify", purpose="canteen", next="home", allow_guest=False)
            assert not screen.guest_button.isVisibleTo(screen)
            screen.submit_payload(issuer.card("R-0082"))
            qtbot.waitUntil(lambda: win.screens.current.name == "home", timeout=5000)
            resident = win.ctx.session.resident
            assert (resident.resident_id, resident.masked_name, resident.family_id) == ("R-0082", "张*明", "F-1")
        finally:
            _close(win)


def test_an_expired_card_is_refused_with_a_calm_message_and_nobody_is_identified(qtbot, tmp_path, issuer):
    with kiosk_runtime(tmp_path) as runtime:
        trust(runtime, issuer)
        win = _window(qtbot, runtime)
        set_language("en")
        try:
            screen = win.screens.show("identify", purpose="health", next="home")
            old = issuer.card("R-1", lifetime_s=60, now=int(time.time()) - 86_400)
            screen.submit_payload(old)
            qtbot.waitUntil(lambda: screen.state == "refused", timeout=5000)
            assert screen.refusal_key == "identity.expired"
            assert screen.status.text() and screen.status.text() != "identity.expired"  # translated words
            assert "show the card again" in screen.prompt()
            assert win.ctx.session.resident is None
            assert win.screens.current is screen
        finally:
            _close(win)


def test_a_card_signed_by_an_unknown_key_is_refused(qtbot, tmp_path, issuer):
    with kiosk_runtime(tmp_path) as runtime:
        trust(runtime, issuer)
        win = _window(qtbot, runtime)
        try:
            screen = win.screens.show("identify", next="home")
            screen.submit_payload(new_issuer().card("R-1"))
            qtbot.waitUntil(lambda: screen.state == "refused", timeout=5000)
            assert screen.refusal_key == "identity.unknown_key"
            screen.submit_payload("garbage \x00 not a card")
            qtbot.waitUntil(lambda: screen.refusal_key == "identity.malformed", timeout=5000)
        finally:
            _close(win)


def test_the_configured_scanner_decodes_a_card_image_and_identifies(qtbot, tmp_path, issuer):
    add_card = issuer.card("R-0082")
    png = tmp_path / "card.png"
    segno.make_qr(add_card, error="m").save(str(png), scale=8, border=4)
    devices = {"scanner": {"driver": "sim", "images": [str(png)], "start_delay_s": 0.2}}
    with kiosk_runtime(tmp_path, devices) as runtime:
        trust(runtime, issuer)
        add_resident(runtime, "R-0082", "张*明", 1944)
        win = _window(qtbot, runtime)
        try:
            win.screens.show("identify", purpose="health", next="home")
            qtbot.waitUntil(lambda: win.ctx.session.resident is not None, timeout=10_000)
            assert win.ctx.session.resident.resident_id == "R-0082"
        finally:
            _close(win)


def test_guest_continues_without_identifying(qtbot, tmp_path):
    with kiosk_runtime(tmp_path) as runtime:
        win = _window(qtbot, runtime)
        try:
            seen = {}
            win.ctx.navigate = lambda name, **params: seen.update(name=name, params=params)
            screen = win.screens.show("identify", purpose="health", next="health_choose", allow_guest=True)
            qtbot.mouseClick(screen.guest_button, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)
            assert seen == {"name": "health_choose", "params": {"guest": True}}
            assert win.ctx.session.resident is None
        finally:
            _close(win)


def test_without_a_database_the_screen_says_it_is_not_ready(qtbot, tmp_path, issuer):
    with kiosk_runtime(tmp_path) as runtime:
        win = _window(qtbot, runtime)
        database, runtime.database = runtime.database, None
        try:
            screen = win.screens.show("identify", next="home")
            screen.submit_payload(issuer.card("R-1"))
            assert screen.state == "not_ready"
        finally:
            runtime.database = database
            _close(win)


def test_the_identified_resident_is_forgotten_when_the_session_ends(qtbot, tmp_path, issuer):
    with kiosk_runtime(tmp_path) as runtime:
        trust(runtime, issuer)
        win = _window(qtbot, runtime)
        try:
            screen = win.screens.show("identify", next="home")
            screen.submit_payload(issuer.card("R-7"))
            qtbot.waitUntil(lambda: win.ctx.session.resident is not None, timeout=5000)
            win.ctx.session.end("idle")
            assert win.ctx.session.resident is None
        finally:
            _close(win)
