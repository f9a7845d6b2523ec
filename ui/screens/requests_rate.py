"""Rate a resolved request: 1-5 big stars; 2 or fewer asks why (tap a reason) and reopens it."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.widgets.requests_parts import ChoicePager, RequestsScreen, WrapButton, go_back, set_texts, text_label
from ui.widgets.requests_timeline import REASONS, category_label, default_categories, reason_text_for_staff, \
    sample_views

log = logging.getLogger(__name__)

STAR_NAMES = {1: N_("1 star: very poor"), 2: N_("2 stars: poor"), 3: N_("3 stars: all right"),
              4: N_("4 stars: good"), 5: N_("5 stars: very good")}
LOW = 2
SAVE_FAILED = N_("Your rating could not be saved. Please ask at the help desk.")


@register_screen
class RequestsRateScreen(RequestsScreen):
    """States: default (stars), why (low rating: reasons), sending, thanks, thanks_reopened, refused."""

    name = "requests_rate"

    def build(self) -> None:
        self.view: Any = None
        self.sample = False
        self.categories: list[Any] = default_categories()
        self.stars = 0
        self.reason = ""
        self.error_key, self.error_params = "", {}
        gap = self.ctx.tokens.gap
        layout = self.column()
        self.heading = self.label("requestsRateHeading", "heading")
        self.hint = text_label("requestsRateHint")
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        stars = QHBoxLayout()
        stars.setSpacing(gap)
        self.star_buttons = [WrapButton(f"requestsStar{n}") for n in range(1, 6)]
        for btn in self.star_buttons:
            btn.text_label.setStyleSheet(f"font-size: {self.ctx.tokens.px(56)}px; font-weight: bold;")
            stars.addWidget(btn)
        layout.addLayout(stars, 1)
        self.reasons = ChoicePager("requestsRateReason", 3, 2, gap)
        layout.addWidget(self.reasons, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.send_button = self.button("requestsRateSend")
        self.stars_button = self.button("requestsRateChangeStars", "secondary")
        self.done_button = self.button("requestsRateDone")
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stars_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        state = self.state
        name = category_label(self.categories, self.view.category) if self.view is not None else ""
        self.heading.setText(tr("How was it handled? {category}", category=name))
        self.hint.setText(self._hint())
        for n, btn in enumerate(self.star_buttons, start=1):
            btn.set_text(f"★\n{n}", _(STAR_NAMES[n]))
            btn.set_selected(n <= self.stars)
            btn.setEnabled(state in ("default", "why"))
        show_stars = state == "default" or (state == "sending" and self.stars > LOW)
        for btn in self.star_buttons:
            btn.setVisible(show_stars)
        self.reasons.selected = {self.reason} if self.reason else set()
        self.reasons.set_items([(code, _(text)) for code, text in REASONS])
        self.reasons.setVisible(state == "why" or (state == "sending" and self.stars <= LOW))
        set_texts(self.send_button, _("Sending…") if state == "sending" else _("Send rating"))
        self.send_button.setVisible(state in ("default", "why", "sending") and self.stars > 0)
        self.send_button.setEnabled(state != "sending" and (self.stars > LOW or bool(self.reason)))
        set_texts(self.stars_button, _("Change the stars"))
        self.stars_button.setVisible(state == "why")
        set_texts(self.done_button, _("Done"))
        self.done_button.setVisible(state in ("thanks", "thanks_reopened", "refused"))

    def _hint(self) -> str:
        if self.state == "why":
            return sentences(tr("You gave {stars} stars.", stars=self.stars), _(
                "We are sorry. What was wrong? Touch a reason. Your request will be looked at again."))
        if self.state == "thanks":
            return _("Thank you for your rating.")
        if self.state == "thanks_reopened":
            return _("Thank you. Your request is reopened: staff will look at it again.")
        if self.state == "refused":
            return tr(self.error_key, **self.error_params) if self.error_key else ""
        if self.state == "sending":
            return _("Sending…")
        return _("Touch the stars: 1 is very poor, 5 is very good.")

    def connect_signals(self) -> None:
        for n, btn in enumerate(self.star_buttons, start=1):
            btn.clicked.connect(lambda _c=False, s=n: self.choose(s))
        self.reasons.chosen.connect(self.choose_reason)
        self.send_button.clicked.connect(self.send)
        self.stars_button.clicked.connect(lambda: self.show_state("default"))
        self.done_button.clicked.connect(self.done)

    def prompt(self) -> str:
        return sentences(_("How was it handled?"), self._hint()) if self.state == "default" else self._hint()

    def title(self) -> str:
        return _("How was it handled?")

    def states(self) -> list[str]:
        return ["default", "why", "sending", "thanks", "thanks_reopened", "refused"]

    def set_state(self, state: str) -> None:
        if self.view is None:
            self.view = sample_views()[1]
            self.sample = True
        if self.sample:  # screenshots: each state with the stars and reason it would have
            self.stars = 2 if state in ("why", "sending", "thanks_reopened") else (4 if state != "default" else 0)
            self.reason = "not_fixed" if state == "sending" else ""
        if state == "refused" and not self.error_key:
            self.error_key, self.error_params = "requests.not_rateable", {}
        super().set_state(state)

    def reset_personal(self) -> None:
        self.view, self.stars, self.reason, self.sample = None, 0, "", False
        self.error_key, self.error_params = "", {}
        super().reset_personal()

    def enter(self, **params: object) -> None:
        if params.get("view") is not None:
            self.view, self.sample = params["view"], False
            self.stars, self.reason = 0, ""
        if params.get("categories"):
            self.categories = list(params["categories"])  # type: ignore[arg-type]
        self.error_key, self.error_params = "", {}
        if self.view is None:
            self.set_state("default")
        else:
            super().set_state("default")

    # actions -----------------------------------------------------------------------------------
    def choose(self, stars: int) -> None:
        self.stars = stars
        if stars > LOW:
            self.reason = ""
        self.show_state("why" if stars <= LOW else "default", speak=stars <= LOW and self.state != "why")

    def choose_reason(self, code: str) -> None:
        self.reason = code
        self.retranslate()

    def send(self) -> None:
        database = self.database
        if self.view is None or self.stars == 0 or database is None:
            return
        if self.stars <= LOW and not self.reason:
            return
        from kiosk.requests import follow

        tracking_no, stars = self.view.tracking_no, self.stars
        reason = reason_text_for_staff(self.reason) if self.reason else ""
        self.show_state("sending", speak=False)
        self.watch(database.write_async(lambda s: follow.rate(s, tracking_no, stars, reason)), self._sent, self._failed)

    def _sent(self, _result: Any) -> None:
        sync = getattr(self.runtime, "sync", None)
        if sync is not None:
            try:
                sync.relay.sync_now()
            except Exception as exc:  # noqa: BLE001 - queued: the relay delivers it later
                log.warning("sync after rating could not start: %s", type(exc).__name__)
        self.show_state("thanks_reopened" if self.stars <= LOW else "thanks")

    def _failed(self, exc: BaseException) -> None:
        key = getattr(exc, "key", "")
        if not key:
            log.error("rating could not be saved: %s", type(exc).__name__)
        self.error_key, self.error_params = (key, dict(getattr(exc, "params", {}))) if key else (SAVE_FAILED, {})
        self.show_state("refused")

    def done(self) -> None:
        go_back(self, "requests_mine")  # the timeline reads the request again
