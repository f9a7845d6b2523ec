"""Find a resident at the help desk: their QR card, the last 4 phone digits (and name), or their family."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.i18n import _, sentences, tr
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, key_size, resident_words, sample_family, sample_resident
from ui.tech_parts import clear_layout, device_words, set_texts

log = logging.getLogger(__name__)

PAD_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete")
DIGITS = 4


@register_screen
class StaffLookupScreen(StaffScreen):
    """States: default (card or digits), searching, results, family, none (no match), failed.

    Choosing a resident calls ``ctx.session.identify(resident)``: every service then acts for
    them, with the signed-in staff member as operator. Only masked names are ever shown.
    """

    name = "staff_lookup"
    scanned = Signal(str)

    def build(self) -> None:
        self.digits = ""
        self.matches: list[Any] = []
        self.more = False
        self.error_key, self.error_params = "", {}
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffLookupHeading", "heading")
        self.back = self.back_button("staffLookupBack")
        top.addWidget(self.heading, 1)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.explain = self.text("staffLookupExplain")
        layout.addWidget(self.explain)
        row = self.row()
        left = QVBoxLayout()
        left.setSpacing(self.gap)
        self.shown_digits = self.label("staffLookupDigits", "heading", wrap=False)
        self.name_box = QLineEdit()
        self.name_box.setObjectName("staffLookupName")
        self.name_box.setMaxLength(20)
        self.status = self.text("staffLookupStatus", "techStrong")
        buttons = self.row()
        self.search_button = self.action("staffLookupSearch")
        self.family_button = self.action("staffLookupFamily", secondary=True)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.family_button)
        buttons.addStretch(1)
        for widget in (self.shown_digits, self.name_box, self.status):
            left.addWidget(widget)
        left.addLayout(buttons)
        left.addStretch(1)
        row.addLayout(left, 1)
        self.pad = QWidget()
        pad = self.grid()
        pad.setContentsMargins(0, 0, 0, 0)
        self.pad.setLayout(pad)
        self.keys = {}
        for index, key in enumerate(PAD_KEYS):
            btn = self.button(f"staffLookupKey_{key}", "techSecondary" if not key.isdigit() else "tech")
            btn.setFixedSize(key_size(self.ctx.tokens))
            self.keys[key] = btn
            pad.addWidget(btn, index // 3, index % 3)
        row.addWidget(self.pad)
        self.results = QWidget()
        self.result_rows = QVBoxLayout()
        self.result_rows.setContentsMargins(0, 0, 0, 0)
        self.result_rows.setSpacing(self.gap)
        self.results.setLayout(self.result_rows)
        row.addWidget(self.results, 1)
        layout.addLayout(row, 1)

    def retranslate(self) -> None:
        self.heading.setText(_("Find a resident"))
        self.set_back_text(self.back)
        self.explain.setText(_("Show the resident's QR card to the scanner, or enter the last 4 digits of "
                               "their phone. Add the name or surname to narrow it down."))
        self.shown_digits.setText(" ".join(self.digits[i] if i < len(self.digits) else "_" for i in range(DIGITS)))
        self.shown_digits.setAccessibleName(tr("{count} digits entered", count=len(self.digits)))
        self.name_box.setAccessibleName(_("Name or surname (optional)"))
        self.name_box.setPlaceholderText(_("Name or surname (optional)"))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        set_texts(self.search_button, _("Search"), _("Search by phone digits"))
        set_texts(self.family_button, _("Family members"), _("Show the family of the resident being served"))
        self.family_button.setVisible(self.resident() is not None or self.state == "family")
        self.search_button.setEnabled(len(self.digits) == DIGITS and self.state != "searching")
        for key, btn in self.keys.items():
            if key == "clear":
                set_texts(btn, _("Clear"), _("Clear the digits"))
            elif key == "delete":
                set_texts(btn, "⌫", _("Delete the last digit"))
            else:
                set_texts(btn, key, tr("Digit {digit}", digit=key))
        listing = self.state in ("results", "family")
        self.pad.setVisible(not listing)
        self.results.setVisible(listing)
        self._fill_results()

    def _status_text(self) -> str:
        if self.state == "searching":
            return _("Searching…")
        if self.state == "none":
            return _("No resident matches. Check the digits, or try without the name.")
        if self.state == "failed":
            return device_words(self.error_key, self.error_params)
        if self.state == "results":
            found = tr("{count} found. Ask the resident which one is them.", count=len(self.matches))
            return sentences(found, _("More match: add the name to narrow it down.")) if self.more else found
        if self.state == "family":
            return _("The family. Touch the person you are helping.")
        return ""

    def _fill_results(self) -> None:
        clear_layout(self.result_rows)
        if self.state not in ("results", "family"):
            return
        for resident in self.matches[:6]:
            btn = self.choice(f"staffLookupResult_{resident.resident_id}")
            words = resident_words(resident)
            set_texts(btn, f"{words}  {resident.resident_id}", tr("Choose {resident}", resident=words))
            btn.clicked.connect(lambda _checked=False, r=resident: self.choose(r))
            self.result_rows.addWidget(btn)
        again = self.action("staffLookupAgain", secondary=True)
        set_texts(again, _("New search"))
        again.clicked.connect(self.new_search)
        self.result_rows.addWidget(again)
        self.result_rows.addStretch(1)

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_card)
        for key, btn in self.keys.items():
            btn.clicked.connect(lambda _checked=False, k=key: self.press(k))
        self.search_button.clicked.connect(self.search)
        self.family_button.clicked.connect(self.family)
        self.name_box.returnPressed.connect(self.search)

    def prompt(self) -> str:
        if self.state != "default":
            return self._status_text()
        return sentences(_("Find a resident."), _("Show their QR card, or enter the last 4 digits of their phone."))

    def title(self) -> str:
        return _("Find a resident")

    def states(self) -> list[str]:
        return ["default", "searching", "results", "family", "none", "failed"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit (masked sample residents)."""
        self.digits = "0001" if state != "default" else "00"
        self.name_box.setText("王" if state in ("results", "none") else "")
        self.matches = [sample_resident()] if state == "results" else list(sample_family()) if state == "family" else []
        self.more = state == "results"
        self.error_key, self.error_params = "staff.lookup_offline", {}
        self.show_state(state)

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.digits, self.matches, self.more = "", [], False
        self.name_box.clear()
        self.show_state("default")
        self._scanner.start(self.runtime)

    def leave(self) -> None:
        super().leave()
        self._scanner.stop()

    def reset_personal(self) -> None:
        self.digits, self.matches, self.more = "", [], False
        self.name_box.clear()
        super().reset_personal()

    # input -------------------------------------------------------------------------------------
    def press(self, key: str) -> None:
        if key == "clear":
            self.digits = ""
        elif key == "delete":
            self.digits = self.digits[:-1]
        elif len(self.digits) < DIGITS:
            self.digits += key
        self.show_state("default")

    def new_search(self) -> None:
        self.matches, self.more = [], False
        self.show_state("default")

    # look-ups ----------------------------------------------------------------------------------
    def search(self) -> None:
        if len(self.digits) != DIGITS or self.state == "searching":
            return
        from kiosk.staff.lookup import by_phone, client_of

        client, operator_id = client_of(self.runtime), self.ctx.session.operator_id
        if operator_id is None:
            return
        digits, name = self.digits, self.name_box.text()
        self.show_state("searching")
        if not self.run(lambda: by_phone(client, operator_id, digits, name), self._found, self._failed):
            self._failed(RuntimeError("no runtime"))

    def family(self) -> None:
        resident = self.resident()
        if resident is None:
            return
        from kiosk.staff.lookup import client_of, family

        client, operator_id = client_of(self.runtime), self.ctx.session.operator_id
        if operator_id is None:
            return
        self.show_state("searching")
        if not self.run(lambda: family(client, operator_id, resident.resident_id), self._family_found, self._failed):
            self._failed(RuntimeError("no runtime"))

    def submit_card(self, payload: str) -> None:
        """A scanned resident card (scanner or test): identified offline."""
        db = self.database()
        if db is None:
            return
        from kiosk.staff.lookup import by_card

        self.show_state("searching")
        self.run(lambda: by_card(db, payload), self.choose, self._failed)

    def _found(self, answer: tuple[list[Any], bool]) -> None:
        self.matches, self.more = answer
        self.show_state("results" if self.matches else "none", speak=True)

    def _family_found(self, members: list[Any]) -> None:
        self.matches, self.more = members, False
        self.show_state("family" if members else "none", speak=True)

    def _failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        if not key:
            log.error("resident look-up failed: %s", type(exc).__name__)
            key = "staff.lookup_offline"
        self.error_key, self.error_params = key, dict(getattr(exc, "params", {}) or {})
        self.show_state("failed", speak=True)

    def choose(self, resident: Any) -> None:
        """Serve this resident: every service now acts for them, with the staff id as operator."""
        self.ctx.session.identify(resident)
        log.info("staff serves a resident (operator %s)", self.ctx.session.operator_id)
        self.ctx.navigate("staff_home")
