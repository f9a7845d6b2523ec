"""The application shell: tiles, navigation, spoken prompts, language, text size, idle session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton

from kiosk.i18n import current_language
from ui.screens import registered_screens


def find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def test_home_shows_one_large_tile_per_service(window):
    names = {"tile_health", "tile_requests", "tile_canteen", "tile_points", "tile_call_staff"}
    for name in names:
        tile = find(window, QPushButton, name)
        assert tile.isVisible()
        assert tile.width() >= 80 and tile.height() >= 80
    assert find(window, QLabel, "tile_health_name").text() == "健康小屋"


def test_home_prompt_is_spoken_in_mandarin(window, speech):
    text, lang = speech.spoken()[-1]
    assert lang == "zh_CN"
    assert "报事报修" in text


def test_every_tile_opens_its_service_speaks_and_starts_a_session(window, qtbot, speech):
    for service in ("health", "requests", "canteen", "points", "call_staff"):
        window.navigate("home")
        window.ctx.session.end("home")
        qtbot.mouseClick(find(window, QPushButton, f"tile_{service}"), Qt.MouseButton.LeftButton)
        screen = window.screens.current
        assert screen.name == service, f"tile {service} opened {screen.name}"
        assert window.ctx.session.active
        assert speech.spoken()[-1][0] == screen.prompt() and screen.prompt()


def test_back_and_home_buttons_navigate(window, qtbot):
    qtbot.mouseClick(find(window, QPushButton, "tile_points"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topBack"), Qt.MouseButton.LeftButton)
    assert window.screens.current.name == "home"
    assert not find(window, QToolButton, "topBack").isEnabled()
    qtbot.mouseClick(find(window, QPushButton, "tile_requests"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topHome"), Qt.MouseButton.LeftButton)
    assert window.screens.current.name == "home"


def test_repeat_button_speaks_the_current_prompt_again(window, qtbot, speech):
    before = speech.spoken()[-1]
    qtbot.mouseClick(find(window, QToolButton, "topRepeat"), Qt.MouseButton.LeftButton)
    assert speech.spoken()[-1] == before
    assert len(speech.spoken()) >= 2


def test_language_switch_retranslates_every_visible_screen_and_the_voice(window, qtbot, speech):
    qtbot.mouseClick(find(window, QPushButton, "tile_health"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topLanguage"), Qt.MouseButton.LeftButton)
    assert current_language() == "en"
    assert window.windowTitle() == window.screens.current.title() and window.windowTitle().isascii()
    assert find(window, QToolButton, "topLanguage").text() == "中文"
    assert find(window, QLabel, "tile_health_name").text() == "Health check"
    text, lang = speech.spoken()[-1]
    assert lang == "en" and "Health check" in text


def test_text_size_buttons_change_font_size_live(window, qtbot):
    greeting = find(window, QLabel, "homeGreeting")
    before = greeting.fontInfo().pixelSize()
    qtbot.mouseClick(find(window, QToolButton, "topFontScale2"), Qt.MouseButton.LeftButton)
    assert window.ctx.font_scale == 1.5
    assert greeting.fontInfo().pixelSize() >= round(before * 1.5) - 1


def test_volume_button_changes_volume_and_says_so(window, qtbot, speech):
    start = window.ctx.voice.volume
    qtbot.mouseClick(find(window, QToolButton, "topVolume"), Qt.MouseButton.LeftButton)
    assert window.ctx.voice.volume != start
    assert "音量" in speech.spoken()[-1][0]
    assert find(window, QToolButton, "topVolume").property("iconName") != "volume_medium"


def test_idle_countdown_then_session_end_resets_everything(window, qtbot, speech, clock):
    qtbot.mouseClick(find(window, QPushButton, "tile_health"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topFontScale2"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topVolume"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(window, QToolButton, "topLanguage"), Qt.MouseButton.LeftButton)
    clock.advance(60)
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=2000)
    assert "still there" in speech.spoken()[-1][0]
    clock.advance(5)
    qtbot.waitUntil(lambda: window.overlay.seconds_left == 10, timeout=2000)
    assert speech.spoken()[-1][0] == "10"
    clock.advance(10)
    qtbot.waitUntil(lambda: window.screens.current.name == "home", timeout=2000)
    assert not window.overlay.isVisible()
    assert not window.ctx.session.active
    assert window.ctx.font_scale == 1.0
    assert current_language() == "zh_CN"
    assert window.ctx.voice.volume == window.ctx.config.voice.volume


def test_touch_during_countdown_keeps_the_session(window, qtbot, clock):
    qtbot.mouseClick(find(window, QPushButton, "tile_requests"), Qt.MouseButton.LeftButton)
    clock.advance(61)
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=2000)
    qtbot.mouseClick(find(window, QPushButton, "idleContinue"), Qt.MouseButton.LeftButton)
    assert not window.overlay.isVisible()
    assert window.screens.current.name == "requests"
    assert window.ctx.session.active


def test_holding_the_clock_asks_for_the_technician_sign_in_before_any_way_out(window, qtbot):
    # Signing in, exit and restart: tests/ui/test_tech_ui_signin.py and test_tech_ui_lockdown.py.
    exits = []
    window.ctx.request_exit = lambda: exits.append(True)
    clock_button = find(window, QToolButton, "topClock")
    window.top_bar._hold_timer.setInterval(50)
    qtbot.mousePress(clock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.screens.current.name == "tech_signin", timeout=2000)
    qtbot.mouseRelease(clock_button, Qt.MouseButton.LeftButton)
    window.navigate("tech_devices")  # every technician screen is behind the sign-in
    assert window.screens.current.name == "tech_signin"
    assert not window.tech.signed_in and exits == []


def test_a_short_tap_on_the_clock_does_not_open_the_technician_menu(window, qtbot):
    qtbot.mouseClick(find(window, QToolButton, "topClock"), Qt.MouseButton.LeftButton)
    qtbot.wait(100)
    assert window.screens.current.name == "home"


def test_every_registered_screen_opens_without_error_and_has_a_prompt(window):
    for name in registered_screens():
        screen = window.screens.show(name)
        assert screen.prompt().strip()


def test_sync_status_from_the_core_reaches_the_top_bar(window, qtbot):
    from kiosk import events

    events.sync_status_did_change.emit(events.SyncStatus(online=True, pending=3))
    label = find(window, QLabel, "topSyncStatus")
    qtbot.waitUntil(lambda: "在线" in label.text() and "3" in label.text(), timeout=2000)
    assert "3" in label.accessibleName() and "在线" in label.accessibleName()


def test_a_kiosk_the_server_refuses_says_so_in_the_top_bar(window, qtbot):
    from kiosk import events

    events.sync_status_did_change.emit(events.SyncStatus(online=False, pending=2, refused="auth.revoked"))
    label = find(window, QLabel, "topSyncStatus")
    qtbot.waitUntil(lambda: "未授权" in label.text(), timeout=2000)
    assert "2" in label.text() and "在线" not in label.text()
    window.set_language("en")
    qtbot.waitUntil(lambda: label.text().startswith("Refused"), timeout=2000)
    assert "switched off by the community" in label.accessibleName()
    events.sync_status_did_change.emit(events.SyncStatus(online=True, pending=0))
    qtbot.waitUntil(lambda: label.text().startswith("Online"), timeout=2000)


def test_qt_own_strings_follow_the_kiosk_language(window):
    from PySide6.QtCore import QCoreApplication

    from kiosk.i18n import set_language
    from ui.qt_translations import QtTranslations

    qt_strings = QtTranslations(QCoreApplication.instance())
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        set_language("en")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        set_language("zh_CN")
        qt_strings.close()


def test_the_sync_status_fits_the_screen_at_the_largest_text_whatever_the_queue():
    from kiosk.config import load
    from ui.screen_walk import HEIGHT_PX, WIDTH_PX, offscreen_window, settle

    for lang in ("zh_CN", "en"):
        with offscreen_window(load(None), lang, 1.5) as window:
            window.navigate("home")
            for pending, refused in ((12, ""), (999, ""), (123_456, ""), (123_456, "auth.revoked")):
                window.top_bar.set_sync_status(True, pending, refused)
                settle()
                assert (window.width(), window.height()) == (WIDTH_PX, HEIGHT_PX), (lang, pending, refused)


def test_each_screen_lives_in_the_module_named_after_it_so_start_up_imports_only_what_it_shows():
    from ui.screens import SCREEN_MODULES

    for name, cls in registered_screens().items():
        module = cls.__module__.rsplit(".", 1)[-1]
        assert module == name, f"screen {name!r} is defined in {cls.__module__}"
        assert module in SCREEN_MODULES


def test_taps_keep_the_session_alive_once_the_idle_watch_is_installed_after_the_first_paint(qtbot, speech, clock):
    """run() installs the application-wide input watch just after the first paint."""
    from kiosk.config import load
    from kiosk.session import ResidentSession
    from kiosk.voice import Voice
    from ui.app import application
    from ui.context import UiContext
    from ui.main_window import MainWindow

    application()
    config = load(None)
    ctx = UiContext(config=config, voice=Voice(speech),
                    session=ResidentSession(config.session.idle_timeout_s, config.session.countdown_s, clock))
    win = MainWindow(ctx, watch_input=False)
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    win.navigate("points")
    try:
        clock.advance(config.session.idle_timeout_s - 10)
        qtbot.keyClick(win, Qt.Key.Key_Space)  # not watched yet: this key press is not seen
        clock.advance(11)
        qtbot.waitUntil(lambda: win.overlay.isVisible(), timeout=2000)
        qtbot.mouseClick(find(win, QPushButton, "idleContinue"), Qt.MouseButton.LeftButton)
        assert not win.overlay.isVisible()

        win.watch_input()
        clock.advance(config.session.idle_timeout_s - 10)
        qtbot.keyClick(win, Qt.Key.Key_Space)  # watched: the idle clock starts again from here
        clock.advance(11)
        qtbot.wait(3 * 250)  # three session polls
        assert not win.overlay.isVisible() and win.ctx.session.active
    finally:
        win.shutdown()
        win.close()
