"""Lockdown: the kiosk window cannot be closed or escaped from; technician mode is the only way out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from support.kiosk_world import kiosk_runtime
from support.tech_ui_world import click, config_with_pin, kiosk_window, sign_in
from ui.tech_mode import RESTART_EXIT_CODE


class KeyRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress:
            self.keys.append(event.key())
        return False


def _key(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, modifiers)


def test_a_locked_down_window_ignores_close_requests_and_swallows_alt_f4_and_escape_keys(window, qtbot):
    quits = []
    shortcut = QShortcut(QKeySequence("Ctrl+Q"), window)
    shortcut.activated.connect(lambda: quits.append(True))
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert quits == [True]  # the shortcut works while the window is not locked down

    window.lock_down()
    qtbot.waitExposed(window)
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    assert window.isFullScreen()

    assert window.close() is False
    assert window.isVisible() and window.lockdown.refused_closes == 1

    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert quits == [True]  # Ctrl+Q swallowed
    screen = window.screens.current
    reached = KeyRecorder()
    screen.installEventFilter(reached)  # sees what gets past the application's filters
    for key, mods in ((Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier), (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                      (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)):
        before = window.lockdown.swallowed_keys
        QApplication.sendEvent(screen, _key(key, mods))
        assert window.lockdown.swallowed_keys == before + 1
    assert reached.keys == [] and window.isVisible()
    QApplication.sendEvent(screen, _key(Qt.Key.Key_5))
    assert reached.keys == [Qt.Key.Key_5]  # other keys still reach the screen
    screen.removeEventFilter(reached)

    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=2000)
    shortcut.setEnabled(False)


@pytest.fixture(scope="module")
def pin_config():
    return config_with_pin()


@pytest.mark.parametrize(("button", "code"), [("techHomeExit", 0), ("techHomeRestart", RESTART_EXIT_CODE)])
def test_only_a_signed_in_technician_can_exit_or_restart_the_kiosk(qtbot, tmp_path, pin_config, button, code):
    with kiosk_runtime(tmp_path, config=pin_config) as runtime, kiosk_window(qtbot, runtime) as win:
        exits = []
        win.ctx.request_exit = lambda: exits.append(win.close())
        win.lock_down()
        assert win.close() is False and not win.tech.exit_allowed
        sign_in(qtbot, win)
        click(qtbot, win, button)
        assert win.screens.current.state in ("confirm_exit", "confirm_restart") and exits == []
        click(qtbot, win, "techHomeYes")
        assert exits == [True]  # the window accepted the close
        assert win.tech.exit_allowed and win.tech.exit_code == code
