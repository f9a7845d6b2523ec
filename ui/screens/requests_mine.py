"""My requests: the identified resident's reports, newest first; touch one for its timeline."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_parts import (
    ChoicePager, RequestsScreen, later, set_texts, status_name, text_label, when_text,
)
from ui.widgets.requests_timeline import category_label, default_categories, sample_views

log = logging.getLogger(__name__)


def load_mine(database: Any, resident_id: str) -> tuple[list[Any], list[Any]]:
    """(the resident's requests, the categories) from the database (BLOCKING: off the Qt thread)."""
    from kiosk.requests import catalog, follow

    with database.session() as session:
        return follow.my_requests(session, resident_id), catalog.categories(session)


@register_screen
class RequestsMineScreen(RequestsScreen):
    """States: default (the list), loading, empty."""

    name = "requests_mine"

    def build(self) -> None:
        self.views: list[Any] = []
        self.categories: list[Any] = default_categories()
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsMineHeading", "heading")
        self.hint = text_label("requestsMineHint")
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        self.list = ChoicePager("requestsMineItem", 2, 3, gap)
        layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.new_button = self.button("requestsMineNew")
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.heading.setText(_("My requests"))
        if self.state == "loading":
            self.hint.setText(_("One moment, please…"))
        elif self.state == "empty":
            self.hint.setText(_("You have not filed any requests yet."))
        else:
            self.hint.setText(_("Touch a request to see how it is going."))
        self.list.setVisible(self.state == "default")
        self.list.set_items([(v.tracking_no, self._item_text(v)) for v in self.views], self.list.page)
        set_texts(self.new_button, _("File a new report"))
        self.new_button.setVisible(self.state == "empty")

    def _item_text(self, view: Any) -> str:
        waiting = _("not sent yet") if view.pending_sync else ""
        first = f"{category_label(self.categories, view.category)} · {status_name(view.status)}"
        second = " · ".join(p for p in (when_text(view.created_at), waiting) if p)
        return f"{first}\n{second}"

    def connect_signals(self) -> None:
        self.list.chosen.connect(self.open)
        self.new_button.clicked.connect(lambda: self.ctx.navigate("requests_category", new=True))

    def prompt(self) -> str:
        if self.state == "loading":
            return _("One moment, please…")
        if self.state == "empty":
            return sentences(_("You have not filed any requests yet."), _("Touch File a new report to start."))
        return sentences(tr("You have {count} requests.", count=len(self.views)),
                         _("Touch a request to see how it is going."))

    def title(self) -> str:
        return _("My requests")

    def states(self) -> list[str]:
        return ["default", "loading", "empty"]

    def set_state(self, state: str) -> None:
        if state == "default" and not self.views:
            self.views = sample_views()
        if state == "empty":
            self.views = []
        super().set_state(state)

    def reset_personal(self) -> None:
        self.views = []
        self.list.page = 0
        super().reset_personal()

    def enter(self, **params: object) -> None:
        resident = self.ctx.session.resident
        database = self.database
        if resident is None and database is not None:  # only the card's owner sees the list
            self.views = []
            super().set_state("loading")
            later(self, lambda: self.ctx.navigate("identify", purpose="requests", next=self.name, allow_guest=False))
            return
        if resident is None or database is None:  # screenshots: the sample list
            self.set_state("default")
            return
        if params.get("identified") or not self.views:
            self.list.page = 0
        super().set_state("loading" if not self.views else "default")
        self.reload()
        sync = getattr(self.runtime, "sync", None)
        if sync is not None:  # fresh statuses when online: load again after this sync
            try:
                self.watch(sync.relay.sync_now(), lambda _status: self.reload(), lambda _exc: None)
            except Exception as exc:  # noqa: BLE001 - the list from the last pull is still shown
                log.warning("sync for my requests could not start: %s", type(exc).__name__)

    def reload(self) -> None:
        resident, database = self.ctx.session.resident, self.database
        if resident is None or database is None:
            return
        self.run(lambda: load_mine(database, resident.resident_id), self._loaded, self._failed)

    def _loaded(self, loaded: tuple[list[Any], list[Any]]) -> None:
        self.views, self.categories = loaded
        changed = self.state == "loading"
        super().set_state("default" if self.views else "empty")
        if changed:
            self.ctx.voice.speak_prompt(self.prompt(), _lang())

    def _failed(self, exc: BaseException) -> None:
        log.error("my requests could not be read: %s", type(exc).__name__)
        self.views = []
        self.show_state("empty")

    def open(self, tracking_no: str) -> None:
        view = next((v for v in self.views if v.tracking_no == tracking_no), None)
        if view is not None:
            self.ctx.navigate("requests_timeline", view=view, categories=self.categories)


def _lang() -> str:
    from kiosk.i18n import current_language

    return current_language()
