"""One of my requests: where it stands, every step, staff's note and result photo; read aloud; rate or reopen."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import _, current_language, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_flow import sample_photo
from ui.widgets.requests_parts import RequestsScreen, set_texts, status_name, text_label
from ui.widgets.requests_timeline import TimelineView, category_label, default_categories, sample_views, \
    timeline_words

log = logging.getLogger(__name__)

PHOTO_W, PHOTO_H = 400, 225


def load_view(database: Any, tracking_no: str) -> Any:
    from kiosk.requests import follow

    with database.session() as session:
        return follow.request_view(session, tracking_no)


@register_screen
class RequestsTimelineScreen(RequestsScreen):
    """``enter(view=RequestView, categories=[...])`` or ``enter(tracking_no=...)`` (read again)."""

    name = "requests_timeline"

    def build(self) -> None:
        self.view: Any = None
        self.categories: list[Any] = default_categories()
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsTimelineHeading", "heading")
        layout.addWidget(self.heading)
        top = QHBoxLayout()
        top.setSpacing(gap * 2)
        self.status = text_label("requestsTimelineStatus", "heading")
        self.status.setProperty("banner", "info")
        self.toggle_button = self.button("requestsTimelineToggle", "secondary")
        top.addWidget(self.status, 1)
        top.addWidget(self.toggle_button)
        layout.addLayout(top)
        self.timeline = TimelineView("requestsTimelineSteps")
        layout.addWidget(self.timeline, 1)
        self.result = QWidget()
        self.result.setObjectName("requestsTimelineResult")
        row = QHBoxLayout(self.result)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap * 2)
        self.photo = QLabel()
        self.photo.setObjectName("requestsTimelinePhoto")
        self.photo.setFixedSize(PHOTO_W, PHOTO_H)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(gap)
        self.note = text_label("requestsTimelineNote")
        self.points = text_label("requestsTimelinePoints")
        texts.addWidget(self.note)
        texts.addWidget(self.points)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        layout.addWidget(self.result, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.read_button = self.button("requestsTimelineRead", "secondary")
        self.rate_button = self.button("requestsTimelineRate")
        self.reopen_button = self.button("requestsTimelineReopen", "secondary")
        for btn in (self.read_button, self.rate_button, self.reopen_button):
            buttons.addWidget(btn)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        view = self.view
        if view is None:
            return
        self.heading.setText(f"{category_label(self.categories, view.category)} · {view.tracking_no}")
        status = tr("Now: {status}", status=status_name(view.status))
        self.status.setText(tr("{status} (not sent yet)", status=status) if view.pending_sync else status)
        self.timeline.set_events(view.events)
        has_result = bool(view.handler_note or view.result_photo or view.points_reason)
        showing_result = self.state == "result" and has_result
        self.timeline.setVisible(not showing_result)
        self.result.setVisible(showing_result)
        self.note.setText(tr("Staff note: {note}", note=view.handler_note) if view.handler_note else "")
        self.note.setVisible(bool(view.handler_note))
        if view.result_photo:
            pixmap = QPixmap()
            pixmap.loadFromData(view.result_photo)
            self.photo.setPixmap(pixmap.scaled(PHOTO_W, PHOTO_H, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
        self.photo.setAccessibleName(_("Photo of the result"))
        self.photo.setVisible(bool(view.result_photo))
        self.points.setText(view.points_reason)
        self.points.setVisible(bool(view.points_reason))
        set_texts(self.toggle_button, _("See the steps") if showing_result else _("See the result"))
        self.toggle_button.setVisible(has_result)
        set_texts(self.read_button, _("Read aloud"))
        set_texts(self.rate_button, _("Rate it"))
        set_texts(self.reopen_button, _("Reopen"))
        self.rate_button.setVisible(view.can_rate)
        self.reopen_button.setVisible(view.can_reopen)

    def connect_signals(self) -> None:
        self.read_button.clicked.connect(self.read_aloud)
        self.toggle_button.clicked.connect(
            lambda: self.show_state("default" if self.state == "result" else "result", speak=False))
        self.rate_button.clicked.connect(lambda: self._go("requests_rate"))
        self.reopen_button.clicked.connect(lambda: self._go("requests_reopen"))

    def words(self) -> str:
        """Everything on the screen in sentences: status, steps, note, points."""
        view = self.view
        if view is None:
            return ""
        return sentences(
            tr("Your request {category}, number {number}.", category=category_label(self.categories, view.category),
               number=" ".join(view.tracking_no.replace("-", ""))),
            tr("Now: {status}.", status=status_name(view.status)),
            timeline_words(view.events),
            tr("Staff note: {note}", note=view.handler_note) if view.handler_note else "",
            view.points_reason,
        )

    def prompt(self) -> str:
        if self.view is None:
            return _("My requests")
        actions = [_("Touch Read aloud to hear every step.")]
        if self.view.can_rate:
            actions.append(_("Touch Rate it to say how it was handled."))
        if self.view.can_reopen:
            actions.append(_("Touch Reopen if the problem is not solved."))
        waiting = _("Waiting to be sent: the kiosk sends it when it is online.") if self.view.pending_sync else ""
        return sentences(tr("Now: {status}.", status=status_name(self.view.status)), waiting, *actions)

    def title(self) -> str:
        return _("My requests")

    def states(self) -> list[str]:
        return ["default", "result", "waiting"]

    def set_state(self, state: str) -> None:
        if self.view is None or state == "waiting":
            import dataclasses

            views = sample_views()
            self.view = views[0] if state == "waiting" else dataclasses.replace(views[1], result_photo=sample_photo())
        super().set_state("default" if state == "waiting" else state)

    def reset_personal(self) -> None:
        self.view = None
        self.photo.clear()
        super().reset_personal()

    def enter(self, **params: object) -> None:
        if params.get("categories"):
            self.categories = list(params["categories"])  # type: ignore[arg-type]
        view = params.get("view")
        if view is not None:
            self.view = view
        tracking_no = params.get("tracking_no") or (self.view.tracking_no if self.view is not None else "")
        if self.view is None:
            self.set_state("default")
        else:
            super().set_state("default")
        if tracking_no and self.database is not None and self.ctx.session.resident is not None:
            self.run(lambda: load_view(self.database, str(tracking_no)), self._loaded, self._failed)

    def _loaded(self, view: Any) -> None:
        if view is not None:
            self.view = view
            self.retranslate()

    def _failed(self, exc: BaseException) -> None:
        log.warning("request could not be read again: %s", type(exc).__name__)

    def read_aloud(self) -> None:
        self.ctx.voice.say(self.words(), current_language())

    def _go(self, screen: str) -> None:
        if self.view is not None:
            self.ctx.navigate(screen, view=self.view, categories=self.categories)
