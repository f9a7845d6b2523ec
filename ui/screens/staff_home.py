"""The help desk menu: who is signed in, whom they serve, and what staff can do for a resident."""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import Signal

from kiosk import events
from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, resident_words, sample_resident
from ui.tech_parts import set_texts

log = logging.getLogger(__name__)

# (screen, title, description, needs a resident). Services act for the resident chosen here with
# ctx.session.operator set, so what they queue carries the staff id (see the H9 report for gaps).
ENTRIES = (
    ("staff_lookup", N_("Find a resident"), N_("QR card, phone, family"), False),
    ("staff_award", N_("Award points"), N_("Volunteer hours to points"), True),
    ("canteen", N_("Canteen for them"), N_("Book, cancel, refund"), True),
    ("health", N_("Health check"), N_("Measure with the resident"), False),
    ("requests", N_("Requests"), N_("File or follow a report"), False),
    ("staff_calls", N_("Help calls"), N_("Residents waiting for staff"), False),
    ("staff_sync", N_("Sync status"), N_("Waiting and refused items"), False),
    ("staff_reprint", N_("Reprint"), N_("Slips printed here"), False),
    ("canteen_counter", N_("Canteen counter"), N_("Scan meal tickets"), False),
)


@register_screen
class StaffHomeScreen(StaffScreen):
    """States: default (nobody served yet), serving (a resident chosen)."""

    name = "staff_home"
    calls_changed = Signal()

    def build(self) -> None:
        self.open_calls = 0
        self._unsubscribe: Callable[[], None] | None = None
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffHomeHeading", "heading")
        self.who = self.text("staffHomeWho")
        top.addWidget(self.heading, 1)
        top.addWidget(self.who)
        layout.addLayout(top)
        serving = self.row()
        self.serving = self.text("staffHomeServing", "techStrong")
        self.finish_button = self.action("staffHomeFinish", secondary=True)
        serving.addWidget(self.serving, 1)
        serving.addWidget(self.finish_button)
        layout.addLayout(serving)
        grid = self.grid()
        self.entries = []
        for index, (screen, _title, _desc, _needs) in enumerate(ENTRIES):
            btn = self.action(f"staffHome_{screen}", secondary=True)
            self.entries.append(btn)
            grid.addWidget(btn, index // 3, index % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        actions = self.row()
        self.timeout_note = self.text("staffHomeTimeout")
        self.sign_out_button = self.action("staffHomeSignOut")
        actions.addWidget(self.timeout_note, 1)
        actions.addWidget(self.sign_out_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Help desk"))
        self.who.setText(tr("Signed in: {name}", name=self.operator_words()))
        resident = self._resident()
        if resident is not None:
            self.serving.setText(tr("Serving: {resident}", resident=resident_words(resident)))
        else:
            self.serving.setText(_("No resident chosen yet. Find a resident first."))
        set_texts(self.finish_button, _("Finish with this resident"))
        self.finish_button.setVisible(resident is not None)
        for btn, (screen, title, desc, needs) in zip(self.entries, ENTRIES):
            text = _(title)
            if screen == "staff_calls" and self.open_calls:
                text = tr("{title} ({count})", title=text, count=self.open_calls)
            set_texts(btn, text + "\n" + _(desc), text)
            btn.setEnabled(resident is not None or not needs)
        minutes = round(self.ctx.config.ops.staff_idle_timeout_s / 60)
        self.timeout_note.setText(tr("You are signed out after {minutes} minutes without a touch.", minutes=minutes))
        set_texts(self.sign_out_button, _("Sign out"), _("Sign out and go back to the home screen"))

    def _resident(self) -> Any:
        if self.state == "serving" and self.resident() is None:
            return sample_resident()  # screenshots
        return self.resident()

    def connect_signals(self) -> None:
        for btn, (screen, _title, _desc, _needs) in zip(self.entries, ENTRIES):
            btn.clicked.connect(lambda _checked=False, s=screen: self.open(s))
        self.finish_button.clicked.connect(self.finish_resident)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.calls_changed.connect(self._count_calls)

    def prompt(self) -> str:
        return sentences(_("Help desk."), self.serving.text())

    def title(self) -> str:
        return _("Help desk")

    def states(self) -> list[str]:
        return ["default", "serving"]

    def set_state(self, state: str) -> None:
        self.open_calls = 2 if state == "serving" else 0
        self.show_state(state)

    def enter(self, **params: object) -> None:
        self.show_state("serving" if self.resident() is not None else "default")
        if self._unsubscribe is None:
            self._unsubscribe = events.help_calls_did_change.subscribe(lambda _db: self.calls_changed.emit())
        self._count_calls()

    def leave(self) -> None:
        super().leave()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def reset_personal(self) -> None:
        self.open_calls = 0
        super().reset_personal()

    # actions -----------------------------------------------------------------------------------
    def open(self, screen: str) -> None:
        """A staff screen, or a resident service acting for the chosen resident (identified=True)."""
        if screen.startswith("staff_") or screen == "canteen_counter":
            self.ctx.navigate(screen)
        elif self.resident() is not None:
            self.ctx.navigate(screen, identified=True)
        else:
            self.ctx.navigate(screen)

    def finish_resident(self) -> None:
        """Forget the resident but stay signed in: the next person can be served."""
        operator = self.ctx.session.operator
        self.ctx.session.end("home")  # clears the resident (and the operator: signed in again below)
        window = self.window()
        if hasattr(window, "end_session"):
            window.end_session()  # every screen drops what it showed
        if operator is not None:
            self.ctx.session.sign_in_staff(operator)
        self.ctx.navigate("staff_home")

    def sign_out(self) -> None:
        log.info("staff signed out")
        self.ctx.session.sign_out()
        window = self.window()
        if hasattr(window, "end_session"):
            window.end_session()
        else:
            self.ctx.navigate("home")

    def _count_calls(self) -> None:
        db = self.database()
        if db is None:
            return

        def count() -> int:
            from kiosk.help_calls import open_calls

            with db.session() as session:
                return len(open_calls(session))

        self.run(count, self._calls_known, lambda exc: log.error("help calls not read: %s", type(exc).__name__))

    def _calls_known(self, count: int) -> None:
        self.open_calls = count
        self.retranslate()
