"""Results: very large numbers, category in colour + words + icon, advice, change; saved before "saved"."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.health import store
from kiosk.health.measurement import Measurement
from kiosk.health.ranges import any_alert
from kiosk.health.summary import change_since, spoken_summary
from kiosk.i18n import _, current_language, sentences, tr
from ui.health_device import translated
from ui.health_results_outputs import ResultsOutputs
from ui.health_style import HealthStyled
from ui.health_visit import (
    HealthVisit,
    assessments_of,
    kind_title,
    sample_check,
    sample_measurement,
    sample_resident,
    thresholds,
)
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch
from ui.widgets.health_result_row import ResultRow
from ui.widgets.qr_image import QrImage
from ui.widgets.vitals_picture import category_icon

log = logging.getLogger(__name__)
SAMPLE_STATES = ("default", "page_2", "guest", "saving", "save_failed", "printing", "printed", "print_failed",
                 "pdf_saved")


@register_screen
class HealthResultsScreen(ResultsOutputs, HealthStyled, Screen):
    """``enter(visit=HealthVisit, measurements=(...))``: saves the check, then shows and speaks it."""

    name = "health_results"

    def build(self) -> None:
        self.visit: HealthVisit | None = None
        self.measurements: list[Measurement] = []
        self.assessments: dict[str, list[Any]] = {}
        self.previous: dict[str, Measurement | None] = {}
        self.saved: store.SavedCheck | None = None
        self.save_state, self.action, self.action_text, self.page = "saving", "", "", 0
        self.when = datetime.now(timezone.utc)
        self._jobs: dict[str, Any] = {}
        self._sample = False
        outer = QHBoxLayout(self)
        gap = self.ctx.tokens.gap
        outer.setContentsMargins(gap * 2, gap, gap * 2, gap)
        outer.setSpacing(gap * 2)
        left = QVBoxLayout()
        left.setSpacing(16)
        top = QHBoxLayout()
        top.setSpacing(16)
        self.heading = self.label("healthResultsHeading", "heading", wrap=False)
        self.prev_button = self.button("healthResultsPrevious", "")
        self.page_label = self.label("healthResultsPage", "body", wrap=False)
        self.next_button = self.button("healthResultsNext", "")
        self.back_to_results = self.button("healthResultsShowAgain", "")
        top.addWidget(self.heading)
        top.addStretch(1)
        for w in (self.prev_button, self.page_label, self.next_button, self.back_to_results):
            w.setProperty("compact", True)
            top.addWidget(w)
        left.addLayout(top)
        self.kept = self.label("healthResultsKept", "body")
        self.retry_button = self.button("healthResultsSaveAgain", "primary")
        left.addWidget(self.kept)
        self.notice = QFrame()
        self.notice.setObjectName("healthResultsNotice")
        self.notice.setProperty("notice", "alert")
        notice = QHBoxLayout(self.notice)
        notice.setContentsMargins(gap // 2, gap // 2, gap // 2, gap // 2)
        self.notice_icon = QLabel()
        self.notice_icon.setObjectName("healthResultsNoticeIcon")
        self.notice_text = self.label("healthResultsNoticeText", "body")
        notice.addWidget(self.notice_icon, 0, Qt.AlignmentFlag.AlignVCenter)
        notice.addWidget(self.notice_text, 1)
        left.addWidget(self.notice)
        self.rows = [ResultRow(i) for i in range(2)]
        for row in self.rows:
            left.addWidget(row)
        self.panel = QFrame()
        self.panel.setObjectName("healthResultsPrintPanel")
        self.panel.setProperty("card", True)
        panel = QHBoxLayout(self.panel)
        panel.setContentsMargins(gap // 2, gap // 2, gap // 2, gap // 2)
        panel.setSpacing(gap)
        self.qr = QrImage("healthResultsQr")
        panel_texts = QVBoxLayout()
        self.panel_heading = self.label("healthResultsPanelHeading", "vitalLabel")
        self.panel_text = self.label("healthResultsPanelText", "body")
        for w in (self.panel_heading, self.panel_text):
            panel_texts.addWidget(w)
        panel_texts.addStretch(1)
        panel.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        panel.addLayout(panel_texts, 1)
        left.addWidget(self.panel)
        left.addStretch(1)
        outer.addLayout(left, 1)
        side = QVBoxLayout()
        side.setSpacing(16)
        self.print_button = self.button("healthResultsPrint", "primary")
        self.pdf_button = self.button("healthResultsPdf", "secondary")
        self.history_button = self.button("healthResultsHistory", "secondary")
        self.again_button = self.button("healthResultsAgain", "secondary")
        self.done_button = self.button("healthResultsDone", "primary")
        for button in (self.retry_button, self.print_button, self.pdf_button, self.history_button,
                       self.again_button, self.done_button):
            button.setProperty("compact", True)  # a column of five or six, still >= 80 px tall at 1.5x
        for button in (self.retry_button, self.print_button, self.pdf_button, self.history_button,
                       self.again_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.done_button)
        outer.addLayout(side)
        self.apply_health_style()

    # what is shown -----------------------------------------------------------------------------
    @property
    def per_page(self) -> int:
        return 2 if self.ctx.font_scale <= 1.0 else 1

    def on_tokens_changed(self) -> None:
        if hasattr(self, "rows"):
            self.page = min(self.page, max(0, (len(self.measurements) - 1) // self.per_page))
            self.retranslate()

    def retranslate(self) -> None:
        tokens = self.ctx.tokens
        pages = max(1, -(-len(self.measurements) // self.per_page))
        self.page = min(self.page, pages - 1)
        single = self.per_page == 1 and bool(self.measurements) and self.action != "print_failed"
        # One card per page (larger text): the heading names it and the card keeps its height for the words.
        self.heading.setText(kind_title(self.measurements[self.page].kind) if single else _("Your results"))
        failed_print = self.action == "print_failed"
        for row in self.rows:  # hide first, fill, then show: a half-updated layout never grows the window
            row.hide()
        if not failed_print:
            self.panel.hide()
        notice = self._notice_text()
        self.kept.setText(self.action_text if self.action and not failed_print else self._kept_text())
        acting = bool(self.action) and not failed_print  # one status line: the latest news wins
        self.kept.setVisible(acting or not notice)
        self.retry_button.setText(_("Save again"))
        self.retry_button.setVisible(self.save_state == "failed")
        shown = self.measurements[self.page * self.per_page:(self.page + 1) * self.per_page]
        for index, row in enumerate(self.rows):
            if index < len(shown) and not failed_print:
                m = shown[index]
                change = change_since(m, self.previous.get(m.kind)) if self.save_state == "saved" else ""
                row.show_result(kind_title(m.kind), m, self.assessments.get(m.kind, []), change, tokens)
                row.name.setVisible(not single)
        for row, _m in zip(self.rows, shown if not failed_print else []):
            row.show()
        self.prev_button.setText(_("health_ui.page.previous"))
        self.next_button.setText(_("health_ui.page.next"))
        self.prev_button.setAccessibleName(_("Previous results"))
        self.next_button.setAccessibleName(_("More results"))
        self.page_label.setText(tr("{page} of {pages}", page=self.page + 1, pages=pages))
        self.back_to_results.setVisible(failed_print)  # before the pager shows: the row never overflows
        for w in (self.prev_button, self.next_button, self.page_label):
            w.setVisible(pages > 1 and not failed_print)
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < pages)
        self.panel.setVisible(failed_print)
        self.panel_heading.setText(_("The receipt could not be printed."))
        self.panel_text.setText(sentences(self.action_text, _("Scan this code with your phone to keep your results.")))
        self.back_to_results.setText(_("Show my results"))

        self.notice.setVisible(bool(notice) and not acting)
        self.notice_text.setText(notice)
        self.notice_icon.setPixmap(category_icon("doctor", tokens.px(48), tokens.palette.text))
        kept = self.save_state == "saved"
        busy = self.save_state == "saving"
        self.print_button.setText(_("Print receipt"))
        self.print_button.setEnabled(not busy and self.action != "printing")
        self.pdf_button.setText(_("PDF report\nfor family or doctor"))
        self.pdf_button.setEnabled(not busy and self.action != "pdf_writing")
        self.history_button.setText(_("My history"))
        self.history_button.setVisible(kept)
        self.again_button.setText(_("Measure again"))
        self.done_button.setText(_("Done"))
        for button in (self.retry_button, self.back_to_results,
                       self.print_button, self.history_button, self.again_button, self.done_button):
            button.setAccessibleName(button.text())
        self.pdf_button.setAccessibleName(_("PDF report for family or doctor"))

    def _kept_text(self) -> str:
        return {
            "saving": _("Saving your results…"),
            "saved": _("Saved for you and your community doctor."),
            "guest": _("Not kept. Print them or scan them with your phone."),
            "failed": _("Your results could not be saved just now. Nothing is lost: touch Save again."),
        }[self.save_state]

    def _notice_text(self) -> str:
        if not self.saved or not self.saved.alert:
            return ""
        if self.save_state == "saved":
            return _("Saved, and shared with your community doctor for follow-up.")
        if self.save_state == "guest":
            return _("Not kept. Please show these results to the community doctor.")
        return ""

    def prompt(self) -> str:
        if self.save_state == "saving":
            return self._kept_text()
        if self.action in ("printing", "print_failed", "printed", "pdf_saved", "pdf_failed"):
            extra = _("Scan this code with your phone to keep your results.") if self.action == "print_failed" else ""
            return sentences(self.action_text, extra)
        summaries = [spoken_summary(m, self.assessments.get(m.kind, []),
                                    self.previous.get(m.kind) if self.save_state == "saved" else None)
                     for m in self.measurements]
        return sentences(self._notice_text() or self._kept_text(), *summaries,
                         _("Touch Print receipt to take your results with you."))

    def title(self) -> str:
        return _("Your results")

    # states ------------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return list(SAMPLE_STATES)

    def set_state(self, state: str) -> None:
        """Screenshot/audit walk only (flows use Screen.set_state): a sample full check in each state."""
        if state in SAMPLE_STATES:
            self._sample = True
            guest = state == "guest"
            self.visit = HealthVisit(None if guest else sample_resident(), keep=not guest)
            self._load(sample_check())
            self.previous = {m.kind: sample_measurement(m.kind, previous=True) for m in self.measurements}
            alert = any(any_alert(a) for a in self.assessments.values())
            self.saved = store.SavedCheck(None if guest else "SAMPLE", alert, not guest)
            self.save_state = {"guest": "guest", "saving": "saving", "save_failed": "failed"}.get(state, "saved")
            self.page = 1 if state == "page_2" else 0
            self.action, self.action_text = "", ""
            if state == "printing":
                self._set_action("printing", translated("printer.printing"))
            elif state == "printed":
                self._set_action("printed", _("Please take your receipt."))
            elif state == "print_failed":
                self._print_failed(translated("printer.paper_out"), speak=False)
            elif state == "pdf_saved":
                self._set_action("pdf_saved", self._pdf_words("health-20250318-103000.pdf"))
        super().set_state(state)

    # flow --------------------------------------------------------------------------------------
    def connect_signals(self) -> None:
        self.retry_button.clicked.connect(self._save)
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        self.back_to_results.clicked.connect(lambda: self._set_action("", ""))
        self.print_button.clicked.connect(self.print_receipt)
        self.pdf_button.clicked.connect(self.make_pdf)
        self.history_button.clicked.connect(self._history)
        self.again_button.clicked.connect(lambda: self.ctx.navigate("health_choose"))
        self.done_button.clicked.connect(lambda: self.ctx.navigate("home"))

    def enter(self, **params: object) -> None:
        if "measurements" not in params:
            if self._sample:
                self.reset_personal()
            return  # back from history: the same results
        self._discard()
        self._sample = False
        self.visit = params.get("visit") or HealthVisit()  # type: ignore[assignment]
        self._load(list(params["measurements"]))  # type: ignore[arg-type]
        self.action, self.action_text, self.page, self.previous = "", "", 0, {}
        self.when = datetime.now(timezone.utc)
        self._save()

    def _load(self, measurements: list[Measurement]) -> None:
        self.measurements = measurements
        self.assessments = assessments_of(measurements, thresholds(self.ctx.config))

    def _save(self) -> None:
        """Keep the check (consenting resident) before saying so; a guest's is only shown."""
        visit = self.visit or HealthVisit()
        alert = any(any_alert(a) for a in self.assessments.values())
        database = getattr(self.ctx.runtime, "database", None)
        if visit.resident_id is None:
            self.saved, self.save_state = store.SavedCheck(None, alert, False), "guest"
            self._show("guest")
            return
        if database is None:
            self.save_state = "failed"
            self._show("save_failed")
            return
        rid, measurements, limits = visit.resident_id, list(self.measurements), thresholds(self.ctx.config)
        operator_id = self.ctx.session.operator_id  # a help-desk staff member measuring with them

        def keep(session: Any) -> tuple[store.SavedCheck, dict[str, Measurement | None]]:
            earlier = {m.kind: store.previous(session, rid, m.kind, before=m.measured_at) for m in measurements}
            return store.save_check(session, rid, measurements, limits, operator_id=operator_id), earlier

        self.save_state = "saving"
        Screen.set_state(self, "saving")
        self._jobs["save"] = watch(self, database.write_async(keep), self._saved, self._save_failed)

    def _saved(self, result: tuple[store.SavedCheck, dict[str, Measurement | None]]) -> None:
        self._jobs.pop("save", None)
        self.saved, self.previous = result
        sync = getattr(self.ctx.runtime, "sync", None)
        if self.saved.stored and sync is not None:
            sync.relay.wake()  # send it to the community doctor now, not at the next poll
        self.save_state = "saved" if self.saved.stored else "guest"
        self._show(self.save_state)

    def _save_failed(self, exc: BaseException) -> None:
        self._jobs.pop("save", None)
        log.error("health check could not be saved: %s", type(exc).__name__)
        self.save_state = "failed"
        self._show("save_failed")

    def _turn(self, step: int) -> None:
        self.page += step
        self.retranslate()

    def _history(self) -> None:
        kind = self.measurements[0].kind if self.measurements else "bp"
        self.ctx.navigate("health_history", visit=self.visit, kind=kind)

    def _set_action(self, action: str, words: str, speak: bool = False) -> None:
        self.action, self.action_text = action, words
        self.retranslate()
        if speak:
            self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def _show(self, state: str) -> None:
        Screen.set_state(self, state)
        self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def _discard(self) -> None:
        for job in self._jobs.values():
            job.discard()
        self._jobs.clear()

    def leave(self) -> None:
        pass  # a save or print in flight finishes: its outcome is shown if the resident comes back

    def reset_personal(self) -> None:
        self._discard()
        self.visit, self.measurements, self.assessments, self.previous, self.saved = None, [], {}, {}, None
        self.save_state, self.action, self.action_text, self.page, self._sample = "saving", "", "", 0, False
        self.qr.set_payload("")
        for row in self.rows:
            row.clear()
        Screen.set_state(self, "default")
