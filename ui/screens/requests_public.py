"""A receipt's request as anyone may see it: number, kind, status and steps; nothing personal."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import _, current_language, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_parts import RequestsScreen, set_texts, status_name, text_label, when_text
from ui.widgets.requests_timeline import TimelineView, category_label, default_categories, sample_public, \
    timeline_words


def load_categories(database: Any) -> list[Any]:
    from kiosk.requests import catalog

    with database.session() as session:
        return catalog.categories(session)


@register_screen
class RequestsPublicScreen(RequestsScreen):
    """``enter(status=PublicStatus)``; the status is dropped when the screen is left."""

    name = "requests_public"
    starts_session = False

    def build(self) -> None:
        self.status: Any = None
        self.categories: list[Any] = default_categories()
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsPublicHeading", "heading")
        self.now = text_label("requestsPublicNow", "heading")
        self.now.setProperty("banner", "info")
        self.updated = text_label("requestsPublicUpdated", "muted")
        self.timeline = TimelineView("requestsPublicSteps")
        for widget in (self.heading, self.now, self.updated):
            layout.addWidget(widget)
        layout.addWidget(self.timeline, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.read_button = self.button("requestsPublicRead", "secondary")
        self.done_button = self.button("requestsPublicDone")
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        status = self.status
        if status is None:
            return
        self.heading.setText(tr("Request {number}: {category}", number=status.tracking_no,
                                category=category_label(self.categories, status.category)))
        self.now.setText(tr("Now: {status}", status=status_name(status.status)))
        self.updated.setText(tr("Last change: {when}", when=when_text(status.updated_at)))
        self.timeline.set_events(status.events)
        set_texts(self.read_button, _("Read aloud"))
        set_texts(self.done_button, _("Done"))

    def connect_signals(self) -> None:
        self.read_button.clicked.connect(
            lambda: self.ctx.voice.say(sentences(self.prompt(), timeline_words(self.status.events)),
                                       current_language()))
        self.done_button.clicked.connect(lambda: self.ctx.navigate("requests"))

    def prompt(self) -> str:
        if self.status is None:
            return _("Check a receipt")
        return sentences(tr("Request {category}: now {status}.",
                            category=category_label(self.categories, self.status.category),
                            status=status_name(self.status.status)),
                         _("Touch Read aloud to hear every step."))

    def title(self) -> str:
        return _("Check a receipt")

    def set_state(self, state: str) -> None:
        if self.status is None:
            self.status = sample_public()
        super().set_state(state)

    def enter(self, **params: object) -> None:
        if params.get("status") is not None:
            self.status = params["status"]
        self.set_state("default")
        database = self.database
        if database is not None:
            self.run(lambda: load_categories(database), self._categories_loaded)

    def _categories_loaded(self, categories: list[Any]) -> None:
        self.categories = categories
        self.retranslate()

    def leave(self) -> None:
        super().leave()
        self.status = None  # the next person does not see it

    def reset_personal(self) -> None:
        self.status = None
        super().reset_personal()
