"""Call staff (呼叫工作人员): one touch raises a help call that staff see here, nearby and on the server."""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk import events
from kiosk.i18n import _, current_language, sentences
from ui.icons import icon
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch

log = logging.getLogger(__name__)


@register_screen
class CallStaffScreen(Screen):
    """States: raising, raised, answered (staff closed it), cancelled, failed (not saved)."""

    name = "call_staff"
    calls_changed = Signal()  # re-emitted on the Qt thread from the core's help_calls_did_change

    def build(self) -> None:
        self.call_id = ""
        self._pending: Any = None
        self._unsubscribe: Callable[[], None] | None = None
        layout = self.column()
        self.heading = self.label("callStaffHeading", "title")
        row = QHBoxLayout()
        row.setSpacing(self.ctx.tokens.gap * 2)
        self.picture = QLabel()
        self.picture.setObjectName("callStaffPicture")
        self.body = self.label("callStaffBody", "body")
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.body, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(self.ctx.tokens.gap * 2)
        self.cancel_button = self.button("callStaffCancel", "secondary")
        self.retry_button = self.button("callStaffRetry", "primary")
        self.home_button = self.button("callStaffHome", "secondary")
        buttons.addStretch(1)
        for button in (self.retry_button, self.cancel_button, self.home_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addWidget(self.heading)
        layout.addLayout(row, 1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.picture.setPixmap(icon("call_staff", tokens.palette.text, tokens.px(180)).pixmap(tokens.px(180)))
        self.picture.setAccessibleName(_("A staff member is coming"))
        heading, body = self._texts()
        self.heading.setText(heading)
        self.body.setText(body)
        self.cancel_button.setText(_("Cancel the call"))
        self.cancel_button.setAccessibleName(_("Cancel the call"))
        self.cancel_button.setVisible(self.state in ("raising", "raised", "default"))
        self.retry_button.setText(_("Call again"))
        self.retry_button.setAccessibleName(_("Call staff again"))
        self.retry_button.setVisible(self.state == "failed")
        self.home_button.setText(_("Back to home"))
        self.home_button.setAccessibleName(_("Back to home"))

    def _texts(self) -> tuple[str, str]:
        if self.state == "answered":
            return _("A staff member has answered"), _("A staff member has seen your call. Thank you for waiting.")
        if self.state == "cancelled":
            return _("Call cancelled"), _("Your call has been cancelled. Touch Call staff on the home screen any time.")
        if self.state == "failed":
            return _("The call could not be made"), _(
                "Please try again, or ask anyone nearby to fetch a staff member from the service desk.")
        if self.state == "raising":
            return _("Calling a staff member…"), _("One moment please.")
        return _("A staff member is on the way"), _(
            "Your call has been sent. Please stay here; a staff member will come to you. "
            "You can keep using the screen while you wait.")

    def connect_signals(self) -> None:
        self.cancel_button.clicked.connect(self._cancel)
        self.retry_button.clicked.connect(self._raise)
        self.home_button.clicked.connect(lambda: self.ctx.navigate("home"))
        self.calls_changed.connect(self._refresh)

    def prompt(self) -> str:
        heading, body = self._texts()
        return sentences(heading + ("。" if current_language().startswith("zh") else "."), body)

    def title(self) -> str:
        return _("Call staff")

    def states(self) -> list[str]:
        return ["raised", "raising", "answered", "cancelled", "failed"]

    # flow ----------------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = events.help_calls_did_change.subscribe(lambda _db: self.calls_changed.emit())
        if self.state not in ("raised", "raising") or not self.call_id:
            self._raise()

    def leave(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def reset_personal(self) -> None:
        self.call_id = ""
        super().reset_personal()

    def _database(self) -> Any:
        return getattr(self.ctx.runtime, "database", None)

    def _raise(self) -> None:
        db = self._database()
        if db is None:
            self._show("failed")
            return
        from kiosk import help_calls

        resident = self.ctx.session.resident
        where = self.ctx.config.kiosk.name
        self._show("raising")
        future = db.write_async(lambda s: help_calls.raise_call(s, where, getattr(resident, "resident_id", None)))
        self._pending = watch(self, future, self._raised, self._failed)

    def _raised(self, call_id: str) -> None:
        self.call_id = call_id
        from kiosk import help_calls

        help_calls.notify(self._database())
        self._show("raised")
        sync = getattr(self.ctx.runtime, "sync", None)
        if sync is not None:
            sync.relay.sync_now()  # staff should see it now, not at the next interval

    def _failed(self, exc: BaseException) -> None:
        log.error("help call not saved: %s", type(exc).__name__)
        self._show("failed")

    def _cancel(self) -> None:
        db = self._database()
        if db is None or not self.call_id:
            self._show("cancelled")
            return
        from kiosk import help_calls

        call_id = self.call_id
        future = db.write_async(lambda s: help_calls.cancel_call(s, call_id, "resident"))
        watch(self, future, lambda _r: (help_calls.notify(db), self._show("cancelled")), self._failed)

    def _refresh(self) -> None:
        """Staff closed the call (here or pulled from the server): say so."""
        db = self._database()
        if db is None or not self.call_id or self.state != "raised":
            return
        from kiosk.staff.models import HelpCallRow

        with db.session() as s:
            row = s.get(HelpCallRow, self.call_id)
            status = row.status if row is not None else ""
        if status == "done":
            self._show("answered")

    def _show(self, state: str) -> None:
        super().set_state(state)
        self.ctx.voice.speak_prompt(self.prompt(), current_language())
