"""Technician mode on the kiosk window: who is signed in, idle sign-out, and the only way out."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

RESTART_EXIT_CODE = 75  # EX_TEMPFAIL: the systemd unit restarts the kiosk on it (RestartForceExitStatus=75)
DEFAULT_IDLE_S = 300.0
TECH_PREFIX = "tech_"
SIGN_IN_SCREEN = "tech_signin"
_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


def is_technician_screen(name: str) -> bool:
    return name.startswith(TECH_PREFIX)


def guarded_screen(name: str, signed_in: bool) -> str:
    """The screen to show for ``name``: technician screens need a sign-in first."""
    if is_technician_screen(name) and name != SIGN_IN_SCREEN and not signed_in:
        return SIGN_IN_SCREEN
    return name


class TechMode(QObject):
    """The technician's sign-in for one kiosk window.

    Signed out after ``idle_s`` without a touch (then home), and whenever a screen outside
    technician mode is shown. ``allow_exit(code)`` is the only thing that lets a locked-down
    window close; ``exit_code`` is what the kiosk process returns (RESTART_EXIT_CODE restarts).
    """

    def __init__(self, window: Any, idle_s: float | None = None) -> None:
        super().__init__(window)
        self._window = window
        self.operator: Any = None  # kiosk.staff.auth.Operator while signed in
        self.exit_allowed = False
        self.exit_code = 0
        if idle_s is None:
            ops = getattr(window.ctx.config, "ops", None)
            idle_s = float(getattr(ops, "staff_idle_timeout_s", DEFAULT_IDLE_S))
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(int(idle_s * 1000))
        self._idle.timeout.connect(self._expired)
        self._filtering = False
        window.screens.screen_changed.connect(self._on_screen_changed)

    @property
    def signed_in(self) -> bool:
        return self.operator is not None

    def sign_in(self, operator: Any) -> None:
        session = self._window.ctx.session
        if session.active:  # a resident's session ends: nothing of theirs stays behind technician mode
            session.end("technician")
            self._window.screens.reset_personal_all()
        self.operator = operator
        log.info("technician signed in (%s)", getattr(operator, "operator_id", "?"))
        if not self._filtering:
            QApplication.instance().installEventFilter(self)
            self._filtering = True
        self._idle.start()

    def sign_out(self) -> None:
        self._idle.stop()
        if self._filtering:
            QApplication.instance().removeEventFilter(self)
            self._filtering = False
        if self.operator is not None:
            log.info("technician signed out")
            self.operator = None

    def allow_exit(self, code: int = 0) -> None:
        """Let the window close and the kiosk end with ``code`` (technician exit, SIGTERM)."""
        self.exit_allowed = True
        self.exit_code = code

    def close(self) -> None:
        """Stop the idle timer and the event filter (the window is going away)."""
        self.sign_out()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in _INPUT_EVENTS and self.operator is not None:
            self._idle.start()
        return False

    def _expired(self) -> None:
        if self.operator is None:
            return
        log.info("technician mode ended after idle time")
        self.sign_out()
        self._window.navigate("home")

    def _on_screen_changed(self, name: str) -> None:
        if not is_technician_screen(name):
            self.sign_out()


def tech_mode(widget: QWidget) -> TechMode | None:
    """The TechMode of the kiosk window ``widget`` is shown in (None outside a kiosk window)."""
    return getattr(widget.window(), "tech", None)
