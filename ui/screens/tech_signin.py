"""Technician sign-in: a 6-digit PIN on a big key pad, or the technician's QR card."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout

from kiosk.i18n import N_, _, sentences, tr
from ui.pin_pad import PinPad, wait_words
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.tech_mode import tech_mode
from ui.tech_parts import Relay, TechScreen, device_words, set_texts

SAMPLE_WAIT_S = 90
FALLBACK_WRONG = N_("The PIN or card was not accepted.")


@register_screen
class TechSigninScreen(PinPad, TechScreen):
    """States: default (entering), checking, wrong, locked (with the wait), not_ready.

    The PIN goes to ``kiosk.staff.auth.sign_in_pin`` and a scanned card to ``sign_in_qr``, on a
    worker; success signs the technician in (``TechMode``) and shows tech_home.
    """

    name = "tech_signin"

    def build(self) -> None:
        self.init_pin_pad()
        self._scanner = ScannerListener(lambda payload: self.relay.post(self.submit_qr, payload))
        self.relay = Relay(self)  # scans arrive on the scanner's thread
        layout = self.tech_column()
        self.heading = self.label("techSigninHeading", "title")
        layout.addWidget(self.heading)
        row = self.row()
        row.setSpacing(self.gap * 3)
        texts = QVBoxLayout()
        texts.setSpacing(self.gap)
        self.explain = self.label("techSigninExplain", "body")
        self.dots = self.label("techSigninDots", "heading", wrap=False)
        self.status = self.label("techSigninStatus", "body")
        texts.addWidget(self.explain)
        texts.addWidget(self.dots)
        texts.addWidget(self.status)
        texts.addStretch(1)
        actions = self.row()
        self.sign_in_button = self.action("techSigninSubmit")
        self.back_button = self.action("techSigninBack", secondary=True)
        actions.addWidget(self.sign_in_button)
        actions.addWidget(self.back_button)
        actions.addStretch(1)
        texts.addLayout(actions)
        row.addLayout(texts, 1)
        row.addLayout(self.build_pin_pad("techSigninKey", QSize(self.ctx.tokens.px(150), self.ctx.tokens.px(110))))
        layout.addLayout(row, 1)

    def retranslate(self) -> None:
        self.heading.setText(_("Technician sign-in"))
        self.explain.setText(_("Enter your technician PIN, or show your technician QR card to the scanner."))
        self.dots.setText(self.pin_dots())
        self.dots.setAccessibleName(tr("{count} digits entered", count=len(self.pin)))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        set_texts(self.sign_in_button, _("Sign in"))
        set_texts(self.back_button, _("Back to home"))
        locked = self.state in ("locked", "checking")
        self.retranslate_pin_pad(enabled=not locked)
        self.sign_in_button.setEnabled(not locked and self.pin_complete())

    def _status_text(self) -> str:
        if self.state == "checking":
            return _("Checking…")
        if self.state == "wrong":
            return device_words(self.error_key, self.error_params) if self.error_key else _(FALLBACK_WRONG)
        if self.state == "locked":
            return tr("Too many wrong attempts. Sign-in is locked. Please wait {wait}.",
                      wait=wait_words(self.wait_s()))
        if self.state == "not_ready":
            return _("The kiosk is still starting. Please try again in a moment.")
        return ""

    def connect_signals(self) -> None:
        self.connect_pin_pad()
        self.sign_in_button.clicked.connect(self.submit_pin)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("home"))

    def prompt(self) -> str:
        if self.state in ("wrong", "locked", "not_ready", "checking"):
            return self._status_text()
        return sentences(_("Technician sign-in."), _("Enter your PIN or show your technician card."))

    def title(self) -> str:
        return _("Technician sign-in")

    def states(self) -> list[str]:
        return ["default", "entering", "checking", "wrong", "locked", "not_ready"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        self.pin = "123" if state in ("entering", "checking") else ""
        self.error_key = ""
        if state == "locked":
            self.locked_until_s = time.monotonic() + SAMPLE_WAIT_S
        self.show_state("default" if state == "entering" else state)

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.pin = ""
        self.error_key = ""
        self._busy = False
        self.show_state("locked" if self.wait_s() > 0 else "default")
        self._scanner.start(self.runtime)
        self.check_lock(getattr(self.runtime, "database", None), "technician")

    # the key pad -------------------------------------------------------------------------------
    def press(self, key: str) -> None:
        if self.state in ("locked", "checking"):
            return
        self.edit_pin(key)
        if self.state != "default":
            self.show_state("default")
        else:
            self.retranslate()

    # signing in --------------------------------------------------------------------------------
    def submit_pin(self) -> None:
        if not self.pin_complete() or self._busy or self.wait_s() > 0:
            return
        pin, self.pin = self.pin, ""
        database, config = getattr(self.runtime, "database", None), self.ctx.config

        def check(db: Any) -> Any:
            from kiosk.staff.auth import sign_in_pin

            return sign_in_pin(db, config, "technician", pin)

        self.check_sign_in(database, check)

    def submit_qr(self, payload: str) -> None:
        """A scanned technician card (scanner or test)."""
        if self._busy or self.wait_s() > 0:
            return
        database = getattr(self.runtime, "database", None)

        def check(db: Any) -> Any:
            from kiosk.staff.auth import sign_in_qr

            return sign_in_qr(db, payload, "technician")

        self.check_sign_in(database, check)

    def _signed_in(self, operator: Any) -> None:
        self._busy = False
        mode = tech_mode(self)
        if mode is None:
            return
        mode.sign_in(operator)
        self.ctx.navigate("tech_home")
