"""What the technician and staff sign-in screens share: the PIN key pad, the check on a worker,
the sign-in lock and its countdown."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QGridLayout, QSizePolicy

from kiosk.i18n import _, tr
from ui.tech_parts import set_texts

log = logging.getLogger(__name__)

PIN_DIGITS = 6
MAX_PIN_DIGITS = 12
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete")


def wait_words(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes:
        return tr("{minutes} min {seconds} s", minutes=minutes, seconds=secs)
    return tr("{seconds} s", seconds=secs)


class PinPad:
    """Mixin (before TechScreen or StaffScreen) for a sign-in screen with a PIN pad and a scanner.

    ``build()`` calls :meth:`init_pin_pad`; the screen sets ``self._scanner`` and implements
    ``_signed_in(operator)``. ``pin_state`` is the state that shows the pad, returned to when a
    lock ends.
    """

    pin_state = "default"
    pin: str
    keys: dict[str, Any]
    locked_until_s: float  # time.monotonic() when the sign-in lock ends

    def init_pin_pad(self) -> None:
        self.pin = ""
        self.error_key = ""
        self.error_params: dict[str, object] = {}
        self.locked_until_s = 0.0
        self._busy = False
        self._tick = QTimer(self)  # type: ignore[arg-type]
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    def leave(self) -> None:
        super().leave()  # type: ignore[misc]
        self._busy = False
        self.pin = ""
        self._scanner.stop()  # type: ignore[attr-defined]
        self._tick.stop()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - the window closing stops the countdown
        self._tick.stop()
        super().hideEvent(event)  # type: ignore[misc]

    def build_pin_pad(self, prefix: str, size: QSize) -> QGridLayout:
        pad: QGridLayout = self.grid()  # type: ignore[attr-defined]
        self.keys = {}
        for index, key in enumerate(KEYS):
            btn = self.button(f"{prefix}_{key}", "techSecondary" if not key.isdigit() else "tech")  # type: ignore[attr-defined]
            # At least ``size``, never less than the style needs for the key's text: a fixed
            # size below the style's minimum height pushed the last row out of the screen.
            btn.setMinimumSize(size)
            btn.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.keys[key] = btn
            pad.addWidget(btn, index // 3, index % 3)
        return pad

    def connect_pin_pad(self) -> None:
        """Each key calls the screen's ``press(key)``."""
        for key, btn in self.keys.items():
            btn.clicked.connect(lambda _checked=False, k=key: self.press(k))  # type: ignore[attr-defined]

    def retranslate_pin_pad(self, enabled: bool) -> None:
        for key, btn in self.keys.items():
            if key == "clear":
                set_texts(btn, _("Clear"), _("Clear the PIN"))
            elif key == "delete":
                set_texts(btn, "⌫", _("Delete the last digit"))
            else:
                set_texts(btn, key, tr("Digit {digit}", digit=key))
            btn.setEnabled(enabled)

    def edit_pin(self, key: str) -> None:
        """A key of the pad: a digit (up to MAX_PIN_DIGITS), "clear" or "delete"."""
        if key == "clear":
            self.pin = ""
        elif key == "delete":
            self.pin = self.pin[:-1]
        elif len(self.pin) < MAX_PIN_DIGITS:
            self.pin += key

    def pin_dots(self) -> str:
        return " ".join("●" if i < len(self.pin) else "○" for i in range(max(PIN_DIGITS, len(self.pin))))

    def pin_complete(self) -> bool:
        return len(self.pin) >= PIN_DIGITS

    def wait_s(self) -> int:
        return max(0, round(self.locked_until_s - time.monotonic()))

    # checking, on a worker -----------------------------------------------------------------------
    def check_sign_in(self, database: Any, check: Callable[[Any], Any]) -> None:
        """Run ``check(database)`` (kiosk.staff.auth) off the Qt thread; then ``_signed_in`` or a refusal."""
        if database is None:
            self.show_state("not_ready", speak=True)  # type: ignore[attr-defined]
            return
        self._busy = True
        self.show_state("checking")  # type: ignore[attr-defined]
        self.run(lambda: check(database), self._signed_in, self._refused)  # type: ignore[attr-defined]

    def _refused(self, exc: BaseException) -> None:
        self._busy = False
        self.show_refusal(exc)  # type: ignore[attr-defined]

    # the lock ------------------------------------------------------------------------------------
    def check_lock(self, database: Any, gate: str) -> None:
        """Ask the database how long a lock from earlier (even before a restart) still lasts."""
        if database is None:
            return

        def locked_for() -> int:
            from kiosk.staff.lockout import PinGate

            return PinGate(database, gate).locked_for_s()

        self.run(locked_for, self._lock_known,  # type: ignore[attr-defined]
                 lambda exc: log.error("lock check failed: %s", type(exc).__name__))

    def _lock_known(self, seconds: int) -> None:
        if seconds > 0:
            self.locked_until_s = time.monotonic() + seconds
            if self.state != "locked":  # type: ignore[attr-defined]
                self.show_state("locked", speak=True)  # type: ignore[attr-defined]
            self._tick.start()
        elif self.state == "locked":  # type: ignore[attr-defined]
            self.locked_until_s = 0.0
            self.show_state(self.pin_state)  # type: ignore[attr-defined]

    def _count_down(self) -> None:
        if self.wait_s() <= 0:
            self._tick.stop()
            self.show_state(self.pin_state, speak=True)  # type: ignore[attr-defined]
        else:
            self.status.setText(self._status_text())  # type: ignore[attr-defined]
