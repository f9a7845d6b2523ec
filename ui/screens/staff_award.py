"""Award volunteer points: a reason, one of the five dimensions and the hours; points follow the server's rule."""

from __future__ import annotations

import logging
from typing import Any

from kiosk.i18n import _, sentences, tr
from kiosk.protocol import AWARD_DIMENSIONS, AWARD_HOURS_STEP, MAX_AWARD_HOURS, points_for_hours
from kiosk.staff.awards import DIMENSION_NAMES, REASON_NAMES, REASONS
from ui.screens import register_screen
from ui.staff_parts import StaffScreen, resident_words, sample_resident
from ui.tech_parts import device_words, set_selected, set_texts

log = logging.getLogger(__name__)

DEFAULT_HOURS = 1.0


@register_screen
class StaffAwardScreen(StaffScreen):
    """States: default (choosing), saving, done (queued), failed, no_resident.

    "Award" commits one ``points.award`` outbox record with the staff id as operator and wakes
    the relay; the server posts it to the ledger (rule ``staff_award``) when it arrives.
    """

    name = "staff_award"

    def build(self) -> None:
        self.reason = ""
        self.dimension = ""
        self.hours = DEFAULT_HOURS
        self.awarded: tuple[str, int] | None = None  # (resident words, points) after a save
        self.error_key = ""
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("staffAwardHeading", "heading")
        self.back = self.back_button("staffAwardBack")
        top.addWidget(self.heading, 1)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.for_whom = self.text("staffAwardFor", "techStrong")
        layout.addWidget(self.for_whom)
        self.reason_label = self.text("staffAwardReasonLabel")
        layout.addWidget(self.reason_label)
        reasons = self.grid()
        self.reason_buttons = {}
        for index, reason in enumerate(REASONS):
            btn = self.choice(f"staffAwardReason_{reason}")
            self.reason_buttons[reason] = btn
            reasons.addWidget(btn, index // 4, index % 4)
        for column in range(4):
            reasons.setColumnStretch(column, 1)
        layout.addLayout(reasons)
        self.dimension_label = self.text("staffAwardDimensionLabel")
        layout.addWidget(self.dimension_label)
        dimensions = self.row()
        self.dimension_buttons = {}
        for dimension in AWARD_DIMENSIONS:
            btn = self.choice(f"staffAwardDimension_{dimension}")
            self.dimension_buttons[dimension] = btn
            dimensions.addWidget(btn, 1)
        layout.addLayout(dimensions)
        hours = self.row()
        self.hours_label = self.text("staffAwardHoursLabel", wrap=False)
        self.less_button = self.action("staffAwardLess", secondary=True)
        self.hours_value = self.label("staffAwardHours", "heading", wrap=False)
        self.more_button = self.action("staffAwardMore", secondary=True)
        self.points_value = self.text("staffAwardPoints", "techStrong", wrap=False)
        for widget in (self.hours_label, self.less_button, self.hours_value, self.more_button, self.points_value):
            hours.addWidget(widget)
        hours.addStretch(1)
        self.award_button = self.action("staffAwardSubmit")
        hours.addWidget(self.award_button)
        layout.addLayout(hours)
        self.status = self.text("staffAwardStatus", "techStrong")
        layout.addWidget(self.status)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(_("Award points"))
        self.set_back_text(self.back)
        resident = self._resident()
        if resident is None:
            self.for_whom.setText(_("Find the resident first, then award their points here."))
        else:
            self.for_whom.setText(tr("For: {resident}", resident=resident_words(resident)))
        self.reason_label.setText(_("What did they do?"))
        for reason, btn in self.reason_buttons.items():
            set_texts(btn, _(REASON_NAMES[reason]))
            set_selected(btn, reason == self.reason)
        self.dimension_label.setText(_("Which of the five dimensions?"))
        for dimension, btn in self.dimension_buttons.items():
            set_texts(btn, _(DIMENSION_NAMES[dimension]))
            set_selected(btn, dimension == self.dimension)
        self.hours_label.setText(_("Hours:"))
        set_texts(self.less_button, "−", _("Half an hour less"))
        set_texts(self.more_button, "+", _("Half an hour more"))
        self.hours_value.setText(tr("{hours} h", hours=f"{self.hours:g}"))
        self.points_value.setText(tr("= {points} points", points=points_for_hours(self.hours)))
        set_texts(self.award_button, _("Award"), _("Award the points"))
        self.less_button.setEnabled(self.hours > AWARD_HOURS_STEP)
        self.more_button.setEnabled(self.hours < MAX_AWARD_HOURS)
        ready = resident is not None and self.reason and self.dimension and self.state not in ("saving",)
        self.award_button.setEnabled(bool(ready))
        self.status.setText(self._status_text())
        self.status.setVisible(bool(self._status_text()))

    def _resident(self) -> Any:
        if self.state == "no_resident":
            return None
        resident = self.resident()
        if resident is None and self.database() is None:
            return sample_resident()  # screenshots
        return resident

    def _status_text(self) -> str:
        if self.state == "saving":
            return _("Saving…")
        if self.state == "done" and self.awarded:
            return tr("{points} points for {resident} are saved. The server adds them at the next sync.",
                      points=self.awarded[1], resident=self.awarded[0])
        if self.state == "failed":
            return device_words(self.error_key) if self.error_key else _("The award was not saved. Please try again.")
        return ""

    def connect_signals(self) -> None:
        for reason, btn in self.reason_buttons.items():
            btn.clicked.connect(lambda _checked=False, r=reason: self._pick(reason=r))
        for dimension, btn in self.dimension_buttons.items():
            btn.clicked.connect(lambda _checked=False, d=dimension: self._pick(dimension=d))
        self.less_button.clicked.connect(lambda: self._step(-AWARD_HOURS_STEP))
        self.more_button.clicked.connect(lambda: self._step(AWARD_HOURS_STEP))
        self.award_button.clicked.connect(self.submit)

    def prompt(self) -> str:
        if self.state in ("done", "failed", "saving"):
            return self._status_text()
        if self.state == "no_resident":
            return self.for_whom.text()
        return sentences(_("Award points."), _("Choose what they did, the dimension and the hours."))

    def title(self) -> str:
        return _("Award points")

    def states(self) -> list[str]:
        return ["default", "chosen", "saving", "done", "failed", "no_resident"]

    def set_state(self, state: str) -> None:
        chosen = state in ("chosen", "saving", "failed")
        self.reason, self.dimension = ("patrol", "governance") if chosen else ("", "")
        self.hours = 3.0 if chosen else DEFAULT_HOURS
        self.awarded = (resident_words(sample_resident()), 30) if state == "done" else None
        self.error_key = ""
        self.show_state("default" if state == "chosen" else state)

    def enter(self, **params: object) -> None:
        self.reason, self.dimension, self.hours, self.awarded = "", "", DEFAULT_HOURS, None
        self.show_state("default" if self.resident() is not None else "no_resident")

    def reset_personal(self) -> None:
        self.awarded = None
        super().reset_personal()

    # choosing ----------------------------------------------------------------------------------
    def _pick(self, reason: str | None = None, dimension: str | None = None) -> None:
        self.reason = reason or self.reason
        self.dimension = dimension or self.dimension
        self.show_state("default" if self.state in ("done", "failed") else self.state)

    def _step(self, delta: float) -> None:
        self.hours = min(MAX_AWARD_HOURS, max(AWARD_HOURS_STEP, self.hours + delta))
        self.show_state("default" if self.state in ("done", "failed") else self.state)

    def set_hours(self, hours: float) -> None:
        """Set the hours directly (tests and a later number pad); clamped to the allowed range."""
        self.hours = min(MAX_AWARD_HOURS, max(AWARD_HOURS_STEP, round(hours / AWARD_HOURS_STEP) * AWARD_HOURS_STEP))
        self.retranslate()

    # saving ------------------------------------------------------------------------------------
    def submit(self) -> None:
        resident, operator = self.resident(), self.ctx.session.operator
        if resident is None or operator is None or self.state == "saving" or self.database() is None:
            return
        from kiosk.staff.awards import AwardRefused, award_async, build_award

        try:
            award = build_award(resident.resident_id, self.dimension, self.reason, self.hours)
            future = award_async(self.runtime, award, operator.operator_id)
        except AwardRefused as exc:
            self.error_key = exc.key
            self.show_state("failed", speak=True)
            return
        words = resident_words(resident)
        self.show_state("saving")
        self._watchers.append(self._watch(future, lambda _key: self._saved(words, award.points)))

    def _watch(self, future: Any, on_done: Any) -> Any:
        from ui.tasks import watch

        return watch(self, future, on_done, self._failed)

    def _saved(self, words: str, points: int) -> None:
        self.awarded = (words, points)
        self.reason, self.dimension, self.hours = "", "", DEFAULT_HOURS  # a second award is chosen afresh
        log.info("staff award queued (%d points)", points)
        self.show_state("done", speak=True)

    def _failed(self, exc: BaseException) -> None:
        log.error("staff award not saved: %s", type(exc).__name__)
        self.error_key = getattr(exc, "key", "")
        self.show_state("failed", speak=True)
