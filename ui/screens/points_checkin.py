"""Earn points by scanning an activity's check-in QR code (server-signed, once per person per activity)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy

from kiosk.i18n import _, sentences, tr
from ui.icons import icon
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.widgets import points_samples as samples
from ui.widgets.canteen_parts import ServiceScreen, error_text, set_flag, set_texts, text_label

log = logging.getLogger(__name__)


@register_screen
class PointsCheckInScreen(ServiceScreen):
    """Listens to the scanner; ``submit_payload(text)`` checks the resident in (tests call it too)."""

    name = "points_checkin"
    purpose = "points"
    scanned = Signal(str)

    def build(self) -> None:
        self.result: Any = None
        self.refusal = ""
        self.live = False
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        layout = self.column()
        self.heading = self.label("pointsCheckInHeading", "heading")
        row = QHBoxLayout()
        row.setSpacing(self.ctx.tokens.gap * 2)
        self.picture = QLabel()
        self.picture.setObjectName("pointsCheckInPicture")
        self.steps = text_label("pointsCheckInSteps")
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.steps, 1)
        self.status = text_label("pointsCheckInStatus")
        layout.addWidget(self.heading)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        self.back_button = self.button("pointsCheckInBack", "secondary")
        self.back_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        bottom.addWidget(self.back_button)
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_payload)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("points"))

    # texts ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        self.picture.setPixmap(icon("points", tokens.palette.text, tokens.px(160)).pixmap(tokens.px(160)))
        self.heading.setText(_("Check in to an activity"))
        self.steps.setText(_("Hold the activity's check-in QR code in front of the scanner window. "
                             "The organiser has it. You get the points once for each activity."))
        status = self._status_text()
        self.status.setText(status)
        self.status.setVisible(bool(status))
        set_flag(self.status, "banner", {"done": "ok", "already": "info", "refused": "alert"}.get(self.state, "info"))
        set_texts(self.back_button, _("Back to my points"))

    def _status_text(self) -> str:
        r = self.result
        if self.state == "checking":
            return _("Checking the code…")
        if self.state == "done" and r is not None and getattr(r, "pending", False):
            return tr("You are checked in to {activity}. The {points} points are added when the kiosk is "
                      "online again. Thank you!", activity=r.activity_title, points=r.points)
        if self.state == "done" and r is not None:
            return tr("You are checked in to {activity}. {points} points were added. Thank you!",
                      activity=r.activity_title, points=r.points)
        if self.state == "already" and r is not None:
            return tr("You already checked in to {activity}. The points were added then.",
                      activity=r.activity_title)
        if self.state == "refused":
            return self.refusal
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment.")
        return _("Waiting for the code…")

    def prompt(self) -> str:
        if self.state in ("checking", "done", "already", "refused", "not_ready"):
            return self._status_text()
        return sentences(_("Check in to an activity."), self.steps.text())

    def title(self) -> str:
        return _("Check in to an activity")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "checking", "done", "already", "refused", "not_ready"]

    def set_state(self, state: str) -> None:
        if not self.live:
            self.result = samples.sample_check_in(already=state == "already")
            self.refusal = _("This is not an activity check-in code. Please ask the organiser.")
        super().set_state(state)

    # scanning ---------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        if not self.require_resident():
            return
        self.live = True
        self.result, self.refusal = None, ""
        self.set_state("default")
        self._scanner.start(self.ctx.runtime)

    def leave(self) -> None:
        self._scanner.stop()
        super().leave()


    def submit_payload(self, payload: str) -> None:
        """Check the resident in with a scanned activity code; ignored while a check runs."""
        if self.state == "checking" or not self.live:
            return
        runtime, resident = self.ctx.runtime, self.resident
        if runtime is None or runtime.database is None or resident is None:
            self.show_state("not_ready")
            return

        def check_in() -> Any:
            from kiosk.points.checkin import check_in as core_check_in

            return core_check_in(runtime, payload, resident)

        self.show_state("checking")
        self.run(check_in, self._checked_in, self._refused)

    def _checked_in(self, result: Any) -> None:
        self.result = result
        self.show_state("already" if result.already else "done")

    def _refused(self, exc: BaseException) -> None:
        if not getattr(exc, "key", None):
            log.error("check-in failed: %s", type(exc).__name__)
        self.refusal = error_text(exc)
        self.show_state("refused")

    def reset_personal(self) -> None:
        self._scanner.stop()
        self.live = False
        self.result, self.refusal = None, ""
        super().reset_personal()
