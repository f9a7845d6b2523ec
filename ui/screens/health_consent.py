"""Separate consent (PIPL) before a resident's health results are kept: purpose, what, how long, who."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.i18n import _, current_language, sentences, tr
from ui.health_style import HealthStyled
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch

log = logging.getLogger(__name__)


@register_screen
class HealthConsentScreen(HealthStyled, Screen):
    """``enter(identified=True)``: asks on first use (consent_state None), else goes on to choose.

    ``enter(guest=True)`` (the identify screen's guest button) goes straight on as a guest.
    """

    name = "health_consent"

    def build(self) -> None:
        self._pending: Any = None
        layout = self.column()
        self.heading = self.label("healthConsentHeading", "heading")
        layout.addWidget(self.heading)
        card = QFrame()
        card.setObjectName("healthConsentCard")
        card.setProperty("card", True)
        box = QVBoxLayout(card)
        gap = self.ctx.tokens.gap
        box.setContentsMargins(gap // 2, gap // 2, gap // 2, gap // 2)
        box.setSpacing(gap // 2)
        self.purpose = self.label("healthConsentPurpose")
        self.what = self.label("healthConsentWhat")
        self.retention = self.label("healthConsentRetention")
        self.who = self.label("healthConsentWho")
        for lab in (self.purpose, self.what, self.retention, self.who):
            box.addWidget(lab)
        layout.addWidget(card)
        self.status = self.label("healthConsentStatus", "body")
        layout.addWidget(self.status)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(gap * 2)
        self.yes_button = self.button("healthConsentYes", "primary")
        self.no_button = self.button("healthConsentNo", "secondary")
        buttons.addWidget(self.yes_button, 1)
        buttons.addWidget(self.no_button, 1)
        layout.addLayout(buttons)
        self.apply_health_style()

    def retranslate(self) -> None:
        days = self.ctx.config.health.retention_days
        self.heading.setText(_("May we keep your health results?"))
        self.purpose.setText(_("Why: so you and your community doctor can follow your readings."))
        self.what.setText(_("What: your readings, their time and device, linked to your card."))
        self.retention.setText(tr("How long: deleted here {days} days after they reach your health centre.",
                                  days=days))
        self.who.setText(_("Who: you and your community doctor. You may withdraw at the help desk."))
        self.status.setText(self._status_text() or _("Whichever you choose, you can measure now."))
        self.yes_button.setText(_("Yes, keep my results"))
        self.yes_button.setAccessibleName(_("Yes, keep my results"))
        self.no_button.setText(_("No, measure as guest"))
        self.no_button.setAccessibleName(_("No, measure as guest, nothing is kept"))
        busy = self.state in ("checking", "saving")
        self.yes_button.setEnabled(not busy)
        self.no_button.setEnabled(not busy)

    def _status_text(self) -> str:
        if self.state == "checking":
            return _("One moment please…")
        if self.state == "saving":
            return _("Saving your choice…")
        if self.state == "error":
            return _("Your choice could not be saved just now. Please touch it again.")
        return ""

    def connect_signals(self) -> None:
        self.yes_button.clicked.connect(lambda: self._answer(True))
        self.no_button.clicked.connect(lambda: self._answer(False))

    def prompt(self) -> str:
        if self.state in ("checking", "saving"):
            return self._status_text()
        days = self.ctx.config.health.retention_days
        return sentences(
            self._status_text(),
            _("May we keep your health results?"),
            _("They are kept so that you and your community doctor can follow your readings over time."),
            tr("This kiosk deletes them {days} days after they reach your community health centre.", days=days),
            _("You may withdraw your consent at the help desk at any time."),
            _("Touch Yes, keep my results. Or touch No, measure as guest: you can still measure, and nothing is kept."),
        )

    def title(self) -> str:
        return _("May we keep your health results?")

    def states(self) -> list[str]:
        return ["default", "checking", "saving", "error"]

    # flow --------------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self._discard()
        resident = self.ctx.session.resident
        if params.get("guest") or (params.get("identified") and resident is None):
            self._redirect(guest=True)  # later: the screen manager is still showing this one
            return
        if resident is None:  # no resident and no flow (the screenshot walk): just show the question
            super().set_state("default")
            return
        database = getattr(self.ctx.runtime, "database", None)
        if database is None:
            self._show("error")
            return
        from kiosk.health import store

        def read() -> bool | None:
            with database.session() as session:
                return store.consent_state(session, resident.resident_id)

        super().set_state("checking")
        self._pending = watch(self, self.ctx.runtime.run_blocking(read), self._known, self._failed)

    def _known(self, granted: bool | None) -> None:
        self._pending = None
        if granted is None:
            self._show("default")
        else:
            self._go_on(bool(granted))

    def _answer(self, granted: bool) -> None:
        resident = self.ctx.session.resident
        database = getattr(self.ctx.runtime, "database", None)
        if resident is None:
            self.ctx.navigate("health_choose", guest=True, remember=False)
            return
        if self._pending is not None:
            return
        if database is None:
            self._show("error")
            return
        from kiosk.health import store

        sync = getattr(self.ctx.runtime, "sync", None)
        self._show("saving")
        future = store.submit_consent(database, resident.resident_id, granted,
                                      retention_days=self.ctx.config.health.retention_days,
                                      wake=sync.relay.wake if sync is not None else None,
                                      operator_id=self.ctx.session.operator_id)
        self._pending = watch(self, future, lambda _r: self._recorded(granted), self._failed)

    def _recorded(self, granted: bool) -> None:
        self._pending = None
        self._go_on(granted)

    def _failed(self, exc: BaseException) -> None:
        self._pending = None
        log.error("consent could not be read or saved: %s", type(exc).__name__)
        self._show("error")

    def _redirect(self, **params: object) -> None:
        self.navigate_later("health_choose", remember=False, **params)

    def _go_on(self, keep: bool) -> None:
        super().set_state("default")
        self.ctx.navigate("health_choose", identified=True, keep=keep, remember=False)

    def _show(self, state: str) -> None:
        super().set_state(state)
        self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def _discard(self) -> None:
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def leave(self) -> None:
        self._discard()

    def reset_personal(self) -> None:
        self._discard()
        super().reset_personal()
