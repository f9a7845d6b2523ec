"""Canteen counter (staff): scan tickets one after another; each outcome shown big and said aloud."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy

from kiosk.i18n import N_, _, sentences, tr
from ui.scanner_listener import ScannerListener
from ui.screens import register_screen
from ui.widgets import canteen_samples as samples
from ui.widgets.canteen_parts import ServiceScreen, day_name, meal_name, set_flag, set_texts, text_label

log = logging.getLogger(__name__)

# outcome -> (big words, banner colour)
OUTCOMES = {
    "served": (N_("canteen_ui.counter.served"), "ok"),
    "already_served": (N_("canteen_ui.counter.already_served"), "warn"),
    "wrong_day": (N_("canteen_ui.counter.wrong_day"), "alert"),
    "wrong_meal": (N_("canteen_ui.counter.wrong_meal"), "alert"),
    "cancelled": (N_("canteen_ui.counter.cancelled"), "alert"),
    "forged": (N_("canteen_ui.counter.forged"), "alert"),
    "unknown": (N_("canteen_ui.counter.unknown"), "warn"),
    "other_counter": (N_("canteen_ui.counter.other_counter"), "warn"),
}


@register_screen
class CanteenCounterScreen(ServiceScreen):
    """Staff mode (reached from the technician menu for now): ``submit_payload(text)`` redeems."""

    name = "canteen_counter"
    starts_session = False  # staff work here all meal long: no resident idle time-out
    scanned = Signal(str)

    def build(self) -> None:
        self.result: Any = None
        self.served_count = 0
        self.queue: list[str] = []
        self.live = False
        self.clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # the meal is judged by it
        self._scanner = ScannerListener(lambda payload: self.scanned.emit(payload))
        layout = self.column()
        self.heading = self.label("canteenCounterHeading", "title")
        self.explain = text_label("canteenCounterExplain")
        self.outcome = self.label("canteenCounterOutcome", "title")
        self.outcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = self.label("canteenCounterDetail", "heading")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tally = text_label("canteenCounterTally")
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addStretch(1)
        layout.addWidget(self.outcome)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.tally, 1)
        self.exit_button = self.button("canteenCounterExit", "secondary")
        self.exit_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.exit_button)
        layout.addLayout(row)

    def connect_signals(self) -> None:
        self.scanned.connect(self.submit_payload)
        self.exit_button.clicked.connect(lambda: self.ctx.navigate("staff_home"))  # opened from the help desk

    # texts ------------------------------------------------------------------------------------
    def outcome_name(self) -> str:
        outcome = getattr(self.result, "outcome", None)
        return str(getattr(outcome, "value", outcome or ""))

    def retranslate(self) -> None:
        self.heading.setText(_("Canteen counter"))
        self.explain.setText(_("Scan the meal tickets one after another. Each result shows here and is said aloud."))
        words, tone = self._outcome_words()
        self.outcome.setText(words)
        set_flag(self.outcome, "banner", tone)
        detail = self._detail_text()
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.tally.setText(tr("Meals served at this counter: {count}", count=self.served_count))
        set_texts(self.exit_button, _("Leave counter mode"))

    def _outcome_words(self) -> tuple[str, str]:
        if self.state == "checking":
            return _("Checking the ticket…"), "info"
        if self.state == "not_ready":
            return _("The kiosk is still getting ready. Please try again in a moment."), "warn"
        if self.state == "result" and self.result is not None:
            key, tone = OUTCOMES.get(self.outcome_name(), OUTCOMES["unknown"])
            return _(key), tone
        return _("Waiting for a ticket…"), "info"

    def _detail_text(self) -> str:
        r = self.result
        if self.state != "result" or r is None:
            return ""
        when = tr("{meal}, {day}", meal=meal_name(r.meal), day=day_name(r.day, self.today())) if r.day else ""
        parts = [p for p in (r.masked_name, when) if p]
        if getattr(r, "counter_no", None):
            parts.append(tr("Counter {number}", number=r.counter_no))
        lines = [_("canteen_ui.list_glue").join(parts)] if parts else []
        cash = getattr(r, "cash_due_yuan", "")
        if cash and self.outcome_name() == "served":
            lines.append(tr("Collect {yuan} yuan in cash first.", yuan=cash))
        return "\n".join(lines)

    def prompt(self) -> str:
        words, _tone = self._outcome_words()
        if self.state == "result":
            return words
        return sentences(_("Canteen counter."), words)

    def title(self) -> str:
        return _("Canteen counter")

    # states -----------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return ["default", "checking", *OUTCOMES, "not_ready"]

    def set_state(self, state: str) -> None:
        if state in OUTCOMES:  # a sample outcome, for screenshots
            self.result = samples.sample_redemption(state, self.today())
            self.served_count = 12
            state = "result"
        super().set_state(state)

    # scanning ---------------------------------------------------------------------------------
    def enter(self, **params: object) -> None:
        self.live = True
        self.result, self.queue = None, []
        self.set_state("default")
        self._scanner.start(self.ctx.runtime)
        runtime = self.ctx.runtime
        if runtime is not None and runtime.database is not None:
            from kiosk.canteen import counter
            from kiosk.canteen.menus import LOCAL_TZ

            # claims this counter's number for today (offline it may then serve its own tickets)
            cid, today = self.counter_id(), self.clock().astimezone(LOCAL_TZ).date()
            self.run(lambda: counter.open_counter(runtime, cid, today=today), lambda _state: None,
                     lambda exc: log.warning("counter claim failed: %s", type(exc).__name__))

    def counter_id(self) -> str:
        return self.ctx.config.kiosk.name

    def leave(self) -> None:
        self._scanner.stop()
        runtime = self.ctx.runtime
        if self.live and runtime is not None and runtime.database is not None:
            from kiosk.canteen import counter
            from kiosk.canteen.menus import LOCAL_TZ

            today = self.clock().astimezone(LOCAL_TZ).date()
            runtime.run_blocking(lambda: counter.close_counter(runtime, today=today))  # gives the claim back
        self.live = False
        super().leave()


    def submit_payload(self, payload: str) -> None:
        """Redeem one scanned ticket (scanner or test); scans during a check wait their turn."""
        self.queue.append(payload)
        if self.state != "checking":
            self._next()

    def _next(self) -> None:
        if not self.queue:
            return
        payload = self.queue.pop(0)
        runtime = self.ctx.runtime
        if runtime is None or runtime.database is None:
            self.queue.clear()
            self.show_state("not_ready")
            return

        counter_id, now = self.counter_id(), self.clock()

        def redeem() -> Any:
            from kiosk.canteen import counter

            return counter.redeem(runtime, payload, counter_id=counter_id, now=now)

        self.set_state("checking")
        self.run(redeem, self._redeemed, self._failed)

    def _redeemed(self, redemption: Any) -> None:
        self.result = redemption
        if self.outcome_name() == "served":
            self.served_count += 1
        self.show_state("result")
        self._next()

    def _failed(self, exc: BaseException) -> None:
        log.error("ticket check failed: %s", type(exc).__name__)
        self.result = None
        self.show_state("not_ready")
        self._next()

    def reset_personal(self) -> None:
        self.result, self.queue = None, []
        super().reset_personal()
