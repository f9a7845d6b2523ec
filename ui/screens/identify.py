"""Identify: the resident shows their signed QR card to the scanner (or continues as a guest)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n import N_, _, current_language, sentences
from kiosk.identity import InvalidToken
from ui.icons import icon
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch

log = logging.getLogger(__name__)

# What each service needs the card for, shown under the heading and spoken.
PURPOSES = {
    "health": N_("Show your QR card to keep your results and see how they change."),
    "requests": N_("Show your QR card to see your requests and how they are going."),
    "canteen": N_("Show your QR card to book a meal with your points."),
    "points": N_("Show your QR card to see your points."),
}
DEFAULT_PURPOSE = N_("Show your QR card to continue.")
SAMPLE_REFUSAL = "identity.expired"


@register_screen
class IdentifyScreen(Screen):
    """Waits for a scan from the configured scanner; verifies it offline; then goes to ``next``.

    ``enter(purpose=..., next=..., allow_guest=...)``. Success: ``ctx.session.identify(resident)``
    and ``ctx.navigate(next, identified=True)``; guest: ``ctx.navigate(next, guest=True)``.
    """

    name = "identify"
    scanned = Signal(str)  # re-emits a scanner thread's payload on the Qt thread

    def build(self) -> None:
        self.purpose = "health"
        self.next_screen = "home"
        self.allow_guest = True
        self.refusal_key = ""
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        self._pending: Any = None
        layout = self.column()
        self.heading = self.label("identifyHeading", "title")
        self.explain = self.label("identifyExplain", "body")
        row = QHBoxLayout()
        row.setSpacing(self.ctx.tokens.gap * 2)
        self.picture = QLabel()
        self.picture.setObjectName("identifyPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.steps = self.label("identifySteps", "body")
        texts = QVBoxLayout()
        texts.setSpacing(self.ctx.tokens.gap)
        texts.addStretch(1)
        texts.addWidget(self.explain)
        texts.addWidget(self.steps)
        texts.addStretch(1)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        self.status = self.label("identifyStatus", "heading")
        buttons = QHBoxLayout()
        buttons.setSpacing(self.ctx.tokens.gap * 2)
        self.guest_button = self.button("identifyGuest", "secondary")
        self.back_button = self.button("identifyBack", "secondary")
        buttons.addStretch(1)
        buttons.addWidget(self.guest_button)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        layout.addWidget(self.heading)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.picture.setPixmap(icon("qr_card", tokens.palette.text, tokens.px(160)).pixmap(tokens.px(160)))
        self.picture.setAccessibleName(_("A QR card held up to the scanner"))
        self.heading.setText(_("Please show your QR card"))
        self.explain.setText(_(PURPOSES.get(self.purpose, DEFAULT_PURPOSE)))
        self.steps.setText(_(
            "Hold the QR code to the scanner window and keep it still until you hear a sound. "
            "No card? Please ask at the help desk."
        ))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))
        self.explain.setVisible(self.state not in ("refused", "not_ready"))  # room for the message at 1.5x
        self.guest_button.setText(_("Continue as guest"))
        self.guest_button.setAccessibleName(_("Continue as guest, nothing is kept"))
        self.guest_button.setVisible(self.allow_guest)
        self.back_button.setText(_("Go back"))
        self.back_button.setAccessibleName(_("Go back"))

    def _status_text(self) -> str:
        if self.state == "checking":
            return _("Checking your card…")
        if self.state == "refused":
            return _(self.refusal_key or SAMPLE_REFUSAL)
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment.")
        return ""

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_payload)
        self.guest_button.clicked.connect(self._continue_as_guest)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("home"))

    def prompt(self) -> str:
        if self.state in ("refused", "not_ready"):
            return sentences(self._status_text(), _("You can show the card again."))
        if self.state == "checking":
            return _("Checking your card…")
        return sentences(
            _("Please show your QR card to the scanner."), _(PURPOSES.get(self.purpose, DEFAULT_PURPOSE)),
            _("Or touch Continue as guest: nothing about you is kept.") if self.allow_guest else "",
        )

    def title(self) -> str:
        return _("Please show your QR card")

    def states(self) -> list[str]:
        return ["default", "checking", "refused", "not_ready", "no_guest"]

    def set_state(self, state: str) -> None:
        if state == "no_guest":  # a sample state for screenshots: a service that needs the card
            self.allow_guest = False
            state = "default"
        elif state == "default":
            self.allow_guest = True
        if state == "refused" and not self.refusal_key:
            self.refusal_key = SAMPLE_REFUSAL
        super().set_state(state)

    # navigation ------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.purpose = str(params.get("purpose", "health"))
        self.next_screen = str(params.get("next", "home"))
        self.allow_guest = bool(params.get("allow_guest", True))
        self.refusal_key = ""
        super().set_state("default")
        self._scanner.start(self.ctx.runtime)

    def leave(self) -> None:
        self._scanner.stop()
        if self._pending is not None:
            self._pending.discard()
            self._pending = None

    def reset_personal(self) -> None:
        self.refusal_key = ""
        super().reset_personal()

    # scanning ----------------------------------------------------------------------------------


    def submit_payload(self, payload: str) -> None:
        """Verify a scanned payload (scanner or test); ignored while a check is running."""
        if self._pending is not None:
            return
        database = getattr(self.ctx.runtime, "database", None)
        if database is None:
            self._show("not_ready")
            return
        from kiosk import residents

        def verify() -> Any:
            with database.session() as session:
                return residents.identify(session, payload)

        self._show("checking")
        self._pending = watch(self, self.ctx.runtime.run_blocking(verify), self._identified, self._refused)

    def _identified(self, resident: Any) -> None:
        self._pending = None
        self.ctx.session.identify(resident)
        self.ctx.navigate(self.next_screen, identified=True)

    def _refused(self, exc: BaseException) -> None:
        self._pending = None
        if isinstance(exc, InvalidToken):
            self.refusal_key = exc.message_key
            self._show("refused")
        else:
            log.error("card check failed: %s", type(exc).__name__)
            self._show("not_ready")

    def _continue_as_guest(self) -> None:
        self.ctx.navigate(self.next_screen, guest=True)

    def _show(self, state: str) -> None:
        super().set_state(state)
        self.ctx.voice.speak_prompt(self.prompt(), current_language())
