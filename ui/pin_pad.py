"""The PIN key pad shared by the technician and staff sign-in screens: keys, digits, lock wait."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QSizePolicy

from kiosk.i18n import _, tr
from ui.tech_parts import set_texts

PIN_DIGITS = 6
MAX_PIN_DIGITS = 12
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete")


def wait_words(seconds: int) -> str:
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes:
        return tr("{minutes} min {seconds} s", minutes=minutes, seconds=secs)
    return tr("{seconds} s", seconds=secs)


class PinPad:
    """Mixin for a TechScreen with a PIN: ``self.pin``, the key pad in ``self.keys``, and
    ``self.locked_until_s`` (time.monotonic() when a sign-in lock ends)."""

    pin: str
    keys: dict[str, Any]
    locked_until_s: float

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
