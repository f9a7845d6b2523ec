"""Staff sign-in at the help desk: choose your name and enter your PIN, or show your staff QR card."""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import _, current_language, sentences, tr
from ui.pin_pad import PinPad, wait_words
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, key_size, sample_staff
from ui.tech_parts import clear_layout, device_words, set_texts

log = logging.getLogger(__name__)

PAGE = 9  # names per page (3 x 3)
SAMPLE_WAIT_S = 90


@register_screen
class StaffSigninScreen(PinPad, StaffScreen):
    """States: default (choose who you are), pin (the PIN pad), checking, wrong, locked, not_ready, no_staff.

    The PIN goes to ``kiosk.staff.auth.sign_in_pin`` (role staff, the chosen id) and a scanned card
    to ``sign_in_qr``, on a worker. Success puts the Operator on ``ctx.session`` and opens staff_home.
    """

    name = "staff_signin"
    pin_state = "pin"
    scanned = Signal(str)  # a scanner thread's payload, re-emitted on the Qt thread

    def build(self) -> None:
        self.staff: list[tuple[str, str]] = []
        self._names_key: tuple = ()
        self.page = 0
        self.chosen: tuple[str, str] | None = None
        self.init_pin_pad()
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffSigninHeading", "heading")
        self.more_button = self.action("staffSigninMore", secondary=True)
        self.home_button = self.action("staffSigninHome", secondary=True)
        top.addWidget(self.heading, 1)
        top.addWidget(self.more_button)
        top.addWidget(self.home_button)
        self.explain = self.text("staffSigninExplain")
        self.status = self.text("staffSigninStatus", "techStrong")
        layout.addLayout(top)
        layout.addWidget(self.explain)
        layout.addWidget(self.status)
        # step 1: who are you
        self.chooser = QWidget()
        self.names = self.grid()
        self.names.setContentsMargins(0, 0, 0, 0)
        self.chooser.setLayout(self.names)
        layout.addWidget(self.chooser)
        # step 2: the PIN
        self.pin_box = QWidget()
        row = self.row()
        row.setContentsMargins(0, 0, 0, 0)
        self.pin_box.setLayout(row)
        texts = QVBoxLayout()
        texts.setSpacing(self.gap)
        self.who = self.text("staffSigninWho", "techStrong")
        self.dots = self.label("staffSigninDots", "heading", wrap=False)
        for widget in (self.who, self.dots):
            texts.addWidget(widget)
        texts.addStretch(1)
        pin_actions = self.row()
        self.sign_in_button = self.action("staffSigninSubmit")
        self.other_button = self.action("staffSigninOther", secondary=True)
        pin_actions.addWidget(self.sign_in_button)
        pin_actions.addWidget(self.other_button)
        pin_actions.addStretch(1)
        texts.addLayout(pin_actions)
        row.addLayout(texts, 1)
        row.addLayout(self.build_pin_pad("staffSigninKey", key_size(self.ctx.tokens)))
        layout.addWidget(self.pin_box, 1)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(_("Staff sign-in"))
        choosing = self.state in ("default", "no_staff") or self.chosen is None
        self.chooser.setVisible(choosing and self.state != "not_ready")
        self.explain.setVisible(self.state != "not_ready")
        self.pin_box.setVisible(not choosing)
        if self.state == "no_staff":
            self.explain.setText(_("This kiosk has no staff list yet. Show your staff QR card to the scanner."))
        elif choosing:
            self.explain.setText(_("Touch your name, or show your staff QR card to the scanner."))
        else:
            self.explain.setText(_("Enter your PIN."))
        self._fill_names()
        name = f"{self.chosen[1]} ({self.chosen[0]})" if self.chosen else ""
        self.who.setText(name)
        self.dots.setText(self.pin_dots())
        self.dots.setAccessibleName(tr("{count} digits entered", count=len(self.pin)))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        set_texts(self.sign_in_button, _("Sign in"))
        set_texts(self.other_button, _("Someone else"), _("Choose another name"))
        set_texts(self.more_button, _("More names"), _("Show more names"))
        self.more_button.setVisible(choosing and len(self.staff) > PAGE)
        set_texts(self.home_button, _("Back to home"))
        locked = self.state in ("locked", "checking")
        self.retranslate_pin_pad(enabled=not locked)
        self.sign_in_button.setEnabled(not locked and self.pin_complete())

    def _fill_names(self) -> None:
        key = (tuple(self.staff), self.page, current_language())
        if key == self._names_key:
            return
        self._names_key = key
        clear_layout(self.names)
        shown = self.staff[self.page * PAGE:(self.page + 1) * PAGE]
        for index, (staff_id, masked) in enumerate(shown):
            btn = self.choice(f"staffSigninName_{staff_id}")
            set_texts(btn, f"{masked}  {staff_id}" if masked else staff_id, tr("Sign in as {name}", name=masked or staff_id))
            btn.clicked.connect(lambda _checked=False, who=(staff_id, masked): self.choose(who))
            self.names.addWidget(btn, index // 3, index % 3)
        for column in range(3):
            self.names.setColumnStretch(column, 1)

    def _status_text(self) -> str:
        if self.state == "checking":
            return _("Checking…")
        if self.state == "wrong":
            return device_words(self.error_key, self.error_params) if self.error_key else _(
                "The PIN or card was not accepted.")
        if self.state == "locked":
            return tr("Too many wrong attempts. Sign-in is locked. Please wait {wait}.", wait=wait_words(self.wait_s()))
        if self.state == "not_ready":
            return _("The kiosk is still starting. Please try again in a moment.")
        return ""

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_qr)
        self.connect_pin_pad()
        self.sign_in_button.clicked.connect(self.submit_pin)
        self.other_button.clicked.connect(self.choose_again)
        self.more_button.clicked.connect(self._next_page)
        self.home_button.clicked.connect(lambda: self.ctx.navigate("home"))

    def prompt(self) -> str:
        if self.state in ("wrong", "locked", "not_ready", "checking"):
            return self._status_text()
        return sentences(_("Staff sign-in."), self.explain.text())

    def title(self) -> str:
        return _("Staff sign-in")

    def states(self) -> list[str]:
        return ["default", "no_staff", "pin", "checking", "wrong", "locked", "not_ready"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.staff = [] if state == "no_staff" else sample_staff()
        self.page = 0
        self.chosen = None if state in ("default", "no_staff", "not_ready") else sample_staff()[0]
        self.pin = "123" if state in ("pin", "checking") else ""
        self.error_key = ""
        if state == "locked":
            self.locked_until_s = time.monotonic() + SAMPLE_WAIT_S
        self.show_state(state)

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.pin, self.chosen, self.page, self._busy = "", None, 0, False
        self.show_state("default")
        self._scanner.start(self.runtime)
        self._load_staff()

    def _load_staff(self) -> None:
        db = self.database()
        if db is None:
            self.show_state("not_ready")
            return

        def names() -> list[tuple[str, str]]:
            from kiosk.staff.directory import list_staff

            with db.session() as session:
                return [(s.staff_id, s.masked_name) for s in list_staff(session, "staff")]

        self.run(names, self._names_known)

    def _names_known(self, staff: list[tuple[str, str]]) -> None:
        self.staff = staff
        if self.chosen is None and self.state in ("default", "no_staff"):  # a card check may be under way
            self.show_state("default" if staff else "no_staff")
        else:
            self.retranslate()

    def _next_page(self) -> None:
        pages = max(1, -(-len(self.staff) // PAGE))
        self.page = (self.page + 1) % pages
        self.retranslate()

    def choose(self, who: tuple[str, str]) -> None:
        self.chosen, self.pin, self.locked_until_s = who, "", 0.0
        self.show_state("pin", speak=True)
        self._check_lock()

    def choose_again(self) -> None:
        self.chosen, self.pin = None, ""
        self._tick.stop()
        self.show_state("default" if self.staff else "no_staff")

    # the key pad -------------------------------------------------------------------------------
    def press(self, key: str) -> None:
        if self.state in ("locked", "checking") or self.chosen is None:
            return
        self.edit_pin(key)
        if self.state != "pin":
            self.show_state("pin")
        else:
            self.retranslate()

    # signing in --------------------------------------------------------------------------------
    def submit_pin(self) -> None:
        if not self.pin_complete() or self._busy or self.wait_s() > 0 or self.chosen is None:
            return
        pin, self.pin = self.pin, ""
        staff_id, config = self.chosen[0], self.ctx.config

        def check(db: Any) -> Any:
            from kiosk.staff.auth import sign_in_pin

            return sign_in_pin(db, config, "staff", pin, staff_id)

        self.check_sign_in(self.database(), check)

    def submit_qr(self, payload: str) -> None:
        """A scanned staff card (scanner or test)."""
        if self._busy:
            return

        def check(db: Any) -> Any:
            from kiosk.staff.auth import sign_in_qr

            return sign_in_qr(db, payload, "staff")

        self.check_sign_in(self.database(), check)

    def _signed_in(self, operator: Any) -> None:
        self._busy = False
        self.ctx.session.sign_in_staff(operator, self.ctx.config.ops.staff_idle_timeout_s)
        log.info("staff signed in (%s)", operator.operator_id)
        self.ctx.navigate("staff_home")

    def _check_lock(self) -> None:
        if self.chosen is not None:
            self.check_lock(self.database(), f"staff:{self.chosen[0]}")
