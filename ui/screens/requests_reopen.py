"""Reopen a finished request within the window: tap why, then Reopen."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_parts import ChoicePager, RequestsScreen, go_back, set_texts, text_label
from ui.widgets.requests_timeline import REASONS, category_label, default_categories, reason_text_for_staff, \
    sample_views

log = logging.getLogger(__name__)

SAVE_FAILED = N_("Your request could not be reopened here. Please ask at the help desk.")


@register_screen
class RequestsReopenScreen(RequestsScreen):
    """States: default (reasons), sending, done, refused (e.g. the window has passed)."""

    name = "requests_reopen"

    def build(self) -> None:
        self.view: Any = None
        self.categories: list[Any] = default_categories()
        self.reason = ""
        self.error_key, self.error_params = "", {}
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsReopenHeading", "heading")
        self.hint = text_label("requestsReopenHint")
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.reasons = ChoicePager("requestsReopenReason", 3, 2, gap)
        layout.addWidget(self.reasons, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.send_button = self.button("requestsReopenSend")
        self.done_button = self.button("requestsReopenDone")
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        state = self.state
        name = category_label(self.categories, self.view.category) if self.view is not None else ""
        self.heading.setText(tr("Reopen: {category}", category=name))
        self.hint.setText(self._hint())
        self.reasons.selected = {self.reason} if self.reason else set()
        self.reasons.set_items([(code, _(text)) for code, text in REASONS])
        self.reasons.setVisible(state in ("default", "sending"))
        set_texts(self.send_button, _("Sending…") if state == "sending" else _("Reopen"))
        self.send_button.setVisible(state in ("default", "sending"))
        self.send_button.setEnabled(state == "default" and bool(self.reason))
        set_texts(self.done_button, _("Done"))
        self.done_button.setVisible(state in ("done", "refused"))

    def _hint(self) -> str:
        if self.state == "done":
            return _("Your request is reopened. Staff will look at it again.")
        if self.state == "refused":
            return tr(self.error_key, **self.error_params) if self.error_key else ""
        if self.state == "sending":
            return _("Sending…")
        return _("Why is it not solved? Touch a reason, then touch Reopen.")

    def connect_signals(self) -> None:
        self.reasons.chosen.connect(self.choose_reason)
        self.send_button.clicked.connect(self.send)
        self.done_button.clicked.connect(lambda: go_back(self, "requests_mine"))

    def prompt(self) -> str:
        return sentences(_("Reopen your request."), self._hint()) if self.state == "default" else self._hint()

    def title(self) -> str:
        return _("Reopen your request")

    def states(self) -> list[str]:
        return ["default", "sending", "done", "refused"]

    def set_state(self, state: str) -> None:
        if self.view is None:
            self.view = sample_views()[1]
            self.reason = "came_back" if state == "sending" else ""
        if state == "refused" and not self.error_key:
            self.error_key, self.error_params = "requests.reopen_window_passed", {"days": 7}
        super().set_state(state)

    def reset_personal(self) -> None:
        self.view, self.reason = None, ""
        self.error_key, self.error_params = "", {}
        super().reset_personal()

    def enter(self, **params: object) -> None:
        if params.get("view") is not None:
            self.view, self.reason = params["view"], ""
        if params.get("categories"):
            self.categories = list(params["categories"])  # type: ignore[arg-type]
        self.error_key, self.error_params = "", {}
        if self.view is None:
            self.set_state("default")
        else:
            super().set_state("default")

    def choose_reason(self, code: str) -> None:
        self.reason = code
        self.retranslate()

    def send(self) -> None:
        database = self.database
        if self.view is None or not self.reason or database is None:
            return
        from kiosk.requests import follow

        tracking_no, reason = self.view.tracking_no, reason_text_for_staff(self.reason)
        self.show_state("sending", speak=False)
        self.watch(database.write_async(lambda s: follow.reopen(s, tracking_no, reason)), self._sent, self._failed)

    def _sent(self, _result: Any) -> None:
        sync = getattr(self.runtime, "sync", None)
        if sync is not None:
            try:
                sync.relay.sync_now()
            except Exception as exc:  # noqa: BLE001 - queued: the relay delivers it later
                log.warning("sync after reopening could not start: %s", type(exc).__name__)
        self.show_state("done")

    def _failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        if not key:
            log.error("reopening could not be saved: %s", type(exc).__name__)
        self.error_key, self.error_params = (key, dict(getattr(exc, "params", {}))) if key else (SAVE_FAILED, {})
        self.show_state("refused")
