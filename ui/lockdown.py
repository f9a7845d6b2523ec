"""Full-screen lockdown of the kiosk window: no close, no escape keys; technician exit only."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

LOCKDOWN_FLAGS = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
_ALWAYS = {Qt.Key.Key_Escape, Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Menu,
           Qt.Key.Key_F11}
_WITH_ALT = {Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Space}
_WITH_CTRL = {Qt.Key.Key_Q, Qt.Key.Key_W, Qt.Key.Key_F4, Qt.Key.Key_Escape}


def is_escape_key(event: QKeyEvent) -> bool:
    """Keys that close, quit or switch away from an app: Alt+F4, Ctrl+Q, Escape, Alt+Tab..."""
    key = event.key()
    mods = event.modifiers()
    if key in _ALWAYS:
        return True
    if mods & Qt.KeyboardModifier.MetaModifier:
        return True
    if mods & Qt.KeyboardModifier.AltModifier and key in _WITH_ALT:
        return True
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in _WITH_CTRL)


class Lockdown(QObject):
    """Once engaged: the window is frameless, full screen and on top; close requests are
    refused unless ``tech.exit_allowed``; escape keys are swallowed before any widget or
    shortcut sees them; a minimised window comes back full screen."""

    def __init__(self, window: Any, tech: Any) -> None:
        super().__init__(window)
        self._window = window
        self._tech = tech
        self.engaged = False
        self.refused_closes = 0
        self.swallowed_keys = 0

    def engage(self) -> None:
        window = self._window
        window.setWindowFlags(window.windowFlags() | LOCKDOWN_FLAGS)
        window.showFullScreen()
        if not self.engaged:
            window.installEventFilter(self)
            QApplication.instance().installEventFilter(self)
            self.engaged = True

    def release(self) -> None:
        if self.engaged:
            self._window.removeEventFilter(self)
            QApplication.instance().removeEventFilter(self)
            self.engaged = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in _KEY_EVENTS and isinstance(event, QKeyEvent) and is_escape_key(event):
            event.accept()  # an accepted ShortcutOverride stops the shortcut; the key press is eaten
            if kind == QEvent.Type.KeyPress:
                self.swallowed_keys += 1
            return True
        if watched is self._window:
            if kind == QEvent.Type.Close and not self._tech.exit_allowed:
                event.ignore()
                self.refused_closes += 1
                return True
            if kind == QEvent.Type.WindowStateChange and self._window.isMinimized():
                QTimer.singleShot(0, self._window.showFullScreen)
        return False
