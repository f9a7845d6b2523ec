"""Full-screen lockdown of the kiosk window: no close, no escape keys; technician exit only."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication

# Python's copy of the Qt namespace costs ~20 ms to build (ui.enum_names): the lock-down is
# engaged before the first paint, so its keys and flags are looked up only when first needed.
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}


@cache
def _escape_keys() -> tuple[set[Any], set[Any], set[Any]]:
    """(always, with Alt, with Ctrl): keys that close, quit or switch away from an app."""
    from PySide6.QtCore import Qt

    key = Qt.Key
    return ({key.Key_Escape, key.Key_Meta, key.Key_Super_L, key.Key_Super_R, key.Key_Menu, key.Key_F11},
            {key.Key_F4, key.Key_Tab, key.Key_Backtab, key.Key_Escape, key.Key_Space},
            {key.Key_Q, key.Key_W, key.Key_F4, key.Key_Escape})


def is_escape_key(event: QKeyEvent) -> bool:
    """Keys that close, quit or switch away from an app: Alt+F4, Ctrl+Q, Escape, Alt+Tab..."""
    from PySide6.QtCore import Qt

    always, with_alt, with_ctrl = _escape_keys()
    key = event.key()
    mods = event.modifiers()
    if key in always:
        return True
    if mods & Qt.KeyboardModifier.MetaModifier:
        return True
    if mods & Qt.KeyboardModifier.AltModifier and key in with_alt:
        return True
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in with_ctrl)


def window_flags_matter(platform: str) -> bool:
    """Whether frameless and stay-on-top flags change anything on this Qt platform.

    Not on Wayland (the Cage kiosk compositor of deploy/cage): the protocol has no "stay on
    top", and a full-screen window shows no decorations. Setting them there would only cost
    start-up time. On X11, Windows and the rest, a window manager may draw frames and stack
    other windows above.
    """
    return not platform.startswith("wayland")


class Lockdown(QObject):
    """Once engaged: the window is frameless, full screen and on top; close requests are
    refused unless ``tech.exit_allowed``; escape keys are swallowed before any widget or
    shortcut sees them; a minimised window comes back full screen."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window  # its ``tech`` (ui.tech_mode.TechMode, once built) allows the exit
        self.engaged = False
        self.refused_closes = 0
        self.swallowed_keys = 0

    def engage(self) -> None:
        window = self._window
        if window_flags_matter(QGuiApplication.platformName()):
            from PySide6.QtCore import Qt

            window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                                  | Qt.WindowType.WindowStaysOnTopHint)
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
            tech = getattr(self._window, "tech", None)
            if kind == QEvent.Type.Close and not (tech is not None and tech.exit_allowed):
                event.ignore()
                self.refused_closes += 1
                return True
            if kind == QEvent.Type.WindowStateChange and self._window.isMinimized():
                QTimer.singleShot(0, self._window.showFullScreen)
        return False
