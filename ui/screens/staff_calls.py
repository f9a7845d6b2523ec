"""Help calls waiting for staff, here and at the nearby kiosks of the community, with where and when."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk import events
from kiosk.help_calls import HelpCall
from kiosk.i18n import _, current_language, sentences, tr
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, clock_words, minutes_ago, sample_words
from ui.tech_parts import clear_layout, set_texts

log = logging.getLogger(__name__)

SHOWN = 4  # oldest first: whoever waited longest is on top


def _sample_calls() -> list[HelpCall]:
    now = datetime.now(timezone.utc)
    return [HelpCall("A" * 32, "", sample_words("葛巷大厅", "Gexiang hall"), now - timedelta(minutes=6), "open", "K-1",
                     True),
            HelpCall("B" * 32, sample_words("葛巷二楼", "Gexiang upstairs"), sample_words("健康小屋", "Health cabin"),
                     now - timedelta(minutes=2), "open", "K-2", False)]


@register_screen
class StaffCallsScreen(StaffScreen):
    """States: default (calls listed), empty, closing, failed.

    "I am on my way" closes a call for everyone (``cancel_call(by="staff:<id>")``): the resident's
    screen says a staff member answered, other kiosks learn it from the server.
    """

    name = "staff_calls"
    calls_changed = Signal()

    def build(self) -> None:
        self.calls: list[HelpCall] = []
        self._unsubscribe: Callable[[], None] | None = None
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffCallsHeading", "heading")
        self.refresh_button = self.action("staffCallsRefresh", secondary=True)
        self.back = self.back_button("staffCallsBack")
        top.addWidget(self.heading, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.status = self.text("staffCallsStatus", "techStrong")
        layout.addWidget(self.status)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(self.gap)
        layout.addLayout(self.rows)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(_("Help calls"))
        set_texts(self.refresh_button, _("Refresh"), _("Fetch the newest calls"))
        self.set_back_text(self.back)
        self.status.setText(self._status_text())
        self._fill()

    def _status_text(self) -> str:
        if self.state == "empty" or not self.calls and self.state == "default":
            return _("Nobody is waiting for help right now.")
        if self.state == "failed":
            return _("That did not work. Please try again.")
        waiting = tr("{count} residents are waiting for help.", count=len(self.calls))
        if len(self.calls) > SHOWN:
            return sentences(waiting, tr("The oldest {shown} are shown.", shown=SHOWN))
        return waiting

    def _fill(self) -> None:
        clear_layout(self.rows)
        for call in self.calls[:SHOWN]:
            frame = QFrame()
            frame.setObjectName(f"staffCall_{call.call_id}")
            row = QHBoxLayout(frame)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(self.gap)
            place = _("This kiosk") if call.local else call.kiosk_name or _("A nearby kiosk")
            words = tr("{place}, at {where}: since {time} ({minutes} min)", place=place, where=call.where,
                       time=clock_words(call.at), minutes=minutes_ago(call.at))
            label = self.text(f"staffCallText_{call.call_id}")
            label.setText(words)
            btn = self.action(f"staffCallGo_{call.call_id}")
            set_texts(btn, _("I am on my way"), tr("I am on my way to {place}", place=place))
            btn.setEnabled(self.state != "closing")
            btn.clicked.connect(lambda _checked=False, c=call.call_id: self.close_call(c))
            row.addWidget(label, 1)
            row.addWidget(btn)
            self.rows.addWidget(frame)

    def connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.calls_changed.connect(self._load)

    def prompt(self) -> str:
        return sentences(_("Help calls."), self._status_text())

    def title(self) -> str:
        return _("Help calls")

    def states(self) -> list[str]:
        return ["default", "empty", "closing", "failed"]

    def set_state(self, state: str) -> None:
        self.calls = [] if state == "empty" else _sample_calls()
        self.show_state(state)

    def enter(self, **params: object) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = events.help_calls_did_change.subscribe(lambda _db: self.calls_changed.emit())
        self.calls = []
        self.show_state("default")
        self._load()

    def leave(self) -> None:
        super().leave()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def reset_personal(self) -> None:
        self.calls = []
        super().reset_personal()

    # actions -----------------------------------------------------------------------------------
    def _load(self) -> None:
        db = self.database()
        if db is None:
            return

        def calls() -> list[HelpCall]:
            from kiosk.help_calls import open_calls

            with db.session() as session:
                return open_calls(session)

        self.run(calls, self._loaded)

    def _loaded(self, calls: list[HelpCall]) -> None:
        self.calls = calls
        self.show_state("default" if calls else "empty")

    def refresh(self) -> None:
        """Pull now (calls at nearby kiosks come from the server) and read the list again."""
        sync = getattr(self.runtime, "sync", None)
        if sync is not None:
            sync.relay.sync_now()
        self._load()

    def close_call(self, call_id: str) -> None:
        operator_id = self.ctx.session.operator_id
        if self.database() is None or self.state == "closing" or operator_id is None:
            return
        from kiosk.help_calls import cancel_call_async
        from ui.tasks import watch

        self.show_state("closing")
        future: Any = cancel_call_async(self.runtime, call_id, f"staff:{operator_id}")
        self._watchers.append(watch(self, future, lambda _none: self._closed(), self.failed))

    def _closed(self) -> None:
        log.info("a help call was answered by staff")
        self.ctx.voice.say(_("Thank you. The resident sees that you are coming."), current_language())
        self._load()
