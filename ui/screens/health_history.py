"""History for an identified resident: the last 30 measurements of a kind, over the reference bands."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from kiosk.health.measurement import KINDS, Measurement
from kiosk.health.ranges import assess
from kiosk.health.summary import day_text, value_rows
from kiosk.i18n import _, current_language, sentences, tr
from ui.health_report_pdf import ReportJob
from ui.health_style import HealthStyled
from ui.health_visit import KIND_SHORT, HealthVisit, kind_title, sample_history, sample_resident, thresholds
from ui.screens import register_screen
from ui.screens.base import Screen
from ui.tasks import watch
from ui.widgets.health_result_row import display_unit
from ui.widgets.vitals_chart import VitalsChart, unit_words

log = logging.getLogger(__name__)
HISTORY_LIMIT = 30
SAMPLE_STATES = (*KINDS, "empty", "pdf_saved")


@register_screen
class HealthHistoryScreen(HealthStyled, Screen):
    """``enter(visit=HealthVisit, kind="bp")``: a kind selector, the trend chart, the latest value."""

    name = "health_history"

    def build(self) -> None:
        self.visit: HealthVisit | None = None
        self.kind = "bp"
        self.series: dict[str, list[Measurement]] = {}
        self.loading = False
        self.action_text = ""
        self._jobs: dict[str, Any] = {}
        self._sample = False
        layout = self.column()
        layout.setSpacing(16)  # the chart gets the height
        self.heading = self.label("healthHistoryHeading", "heading")
        layout.addWidget(self.heading)
        selector = QHBoxLayout()
        selector.setSpacing(self.ctx.tokens.gap)
        self.kind_buttons: dict[str, QPushButton] = {}
        for kind in KINDS:
            button = self.button(f"healthHistoryKind_{kind}", "")
            button.setProperty("choice", True)
            button.setProperty("compact", True)
            self.kind_buttons[kind] = button
            selector.addWidget(button)
        selector.addStretch(1)
        layout.addLayout(selector)
        self.chart = VitalsChart("healthHistoryChart")
        layout.addWidget(self.chart, 1)
        self.empty = self.label("healthHistoryEmpty", "heading")
        layout.addWidget(self.empty, 1)
        self.latest = self.label("healthHistoryLatest", "body")
        layout.addWidget(self.latest)
        buttons = QHBoxLayout()
        buttons.setSpacing(self.ctx.tokens.gap * 2)
        self.pdf_button = self.button("healthHistoryPdf", "secondary")
        self.back_button = self.button("healthHistoryBack", "primary")
        for button in (self.pdf_button, self.back_button):
            button.setProperty("compact", True)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout.addLayout(buttons)
        self.apply_health_style()

    def on_tokens_changed(self) -> None:
        if hasattr(self, "chart"):
            self.retranslate()

    # texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        series = self.series.get(self.kind, [])
        self.heading.setText(tr("{kind} over time ({unit})", kind=kind_title(self.kind), unit=unit_words(self.kind)))
        for kind, button in self.kind_buttons.items():
            selected = kind == self.kind
            button.setText(("✓ " if selected else "") + _(KIND_SHORT[kind]))  # not colour alone
            button.setAccessibleName(kind_title(kind))
            if button.property("selected") != selected:
                button.setProperty("selected", selected)
                button.style().unpolish(button)
                button.style().polish(button)
        has_data = bool(series) and not self.loading
        self.chart.setVisible(has_data)
        if has_data:
            self.chart.show_series(self.kind, series, thresholds(self.ctx.config), self.ctx.tokens)
        self.empty.setVisible(not has_data)
        self.empty.setText(_("Loading your results…") if self.loading else
                           tr("No {kind} results kept yet.", kind=kind_title(self.kind)))
        self.latest.setText(self.action_text or (self._latest_text(series) if has_data else ""))
        self.latest.setVisible(bool(self.latest.text()))
        self.pdf_button.setText(_("PDF report for family or doctor"))
        self.pdf_button.setAccessibleName(_("PDF report for family or doctor"))
        self.pdf_button.setEnabled("pdf" not in self._jobs)
        self.back_button.setText(_("Back to my results"))
        self.back_button.setAccessibleName(_("Back to my results"))

    def _latest_text(self, series: list[Measurement]) -> str:
        last = series[-1]
        label, number, unit = value_rows(last)[0]
        assessments = assess(last, thresholds(self.ctx.config))
        category = _(assessments[0].label) if assessments else ""
        return tr("Latest, {day}: {value} {unit}, {category}.", day=day_text(last.measured_at), value=number,
                  unit=display_unit(unit), category=category)

    def prompt(self) -> str:
        series = self.series.get(self.kind, [])
        if self.loading:
            return _("Loading your results…")
        if not series:
            return sentences(tr("No {kind} results kept yet.", kind=kind_title(self.kind)),
                             _("Touch another measurement above, or Back to my results."))
        return sentences(tr("{kind} over time", kind=kind_title(self.kind)), self._latest_text(series),
                         _("The shaded bands show the normal range and when to take note."), self.action_text)

    def title(self) -> str:
        return tr("{kind} over time", kind=kind_title(self.kind))

    # states ------------------------------------------------------------------------------------
    def states(self) -> list[str]:
        return list(SAMPLE_STATES)

    def set_state(self, state: str) -> None:
        """Screenshot/audit walk only (flows use Screen.set_state): a month of sample readings for each kind."""
        if state in SAMPLE_STATES:
            self._sample = True
            self.visit = HealthVisit(sample_resident(), keep=True)
            self.series = {kind: sample_history(kind) for kind in KINDS}
            self.kind = state if state in KINDS else "bp"
            if state == "empty":
                self.series["glucose"], self.kind = [], "glucose"
            self.action_text = tr("PDF report saved as {file}. Staff at the help desk can print or send it.",
                                     file="health-20250318-103000.pdf") \
                if state == "pdf_saved" else ""
        super().set_state(state)

    # flow --------------------------------------------------------------------------------------
    def connect_signals(self) -> None:
        for kind, button in self.kind_buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.show_kind(k))
        self.pdf_button.clicked.connect(self.make_pdf)
        self.back_button.clicked.connect(lambda: self.ctx.navigate("health_results"))

    def enter(self, **params: object) -> None:
        if "visit" in params:
            self._discard()
            self._sample = False
            self.visit = params["visit"]  # type: ignore[assignment]
            self.series, self.action_text = {}, ""
        if self._sample or self.visit is None or self.visit.resident_id is None:  # nothing kept to show
            self._sample, self.visit, self.series = False, None, {}
            Screen.set_state(self, "empty")
            return
        self.show_kind(str(params.get("kind", self.kind)), speak=False)

    def show_kind(self, kind: str, speak: bool = True) -> None:
        self.kind = kind if kind in KINDS else "bp"
        if self._sample or self.kind in self.series:
            self._shown(speak)
            return
        database = getattr(self.ctx.runtime, "database", None)
        rid = self.visit.resident_id if self.visit is not None else None
        if database is None or rid is None:
            self.series[self.kind] = []
            self._shown(speak)
            return
        from kiosk.health import store

        chosen = self.kind

        def read() -> list[Measurement]:
            with database.session() as session:
                return store.history(session, rid, chosen, limit=HISTORY_LIMIT)

        self.loading = True
        self.retranslate()
        self._jobs[f"read:{chosen}"] = watch(self, self.ctx.runtime.run_blocking(read),
                                   lambda rows: self._loaded(chosen, rows), lambda exc: self._failed(chosen, exc))

    def _loaded(self, kind: str, rows: list[Measurement]) -> None:
        self._jobs.pop(f"read:{kind}", None)
        self.series[kind] = rows
        if kind == self.kind:
            self.loading = False
            self._shown(True)

    def _failed(self, kind: str, exc: BaseException) -> None:
        self._jobs.pop(f"read:{kind}", None)
        log.error("health history could not be read: %s", type(exc).__name__)
        if kind == self.kind:
            self.loading = False
            self.series[kind] = []
            self._shown(True)

    def _shown(self, speak: bool) -> None:
        Screen.set_state(self, self.kind)
        if speak:
            self.ctx.voice.speak_prompt(self.prompt(), current_language())

    def make_pdf(self) -> None:
        if self.ctx.runtime is None or self.visit is None or "pdf" in self._jobs:
            return
        self.action_text = _("Making your PDF report…")
        self._jobs["pdf"] = ReportJob(
            self, self.ctx, masked_name=self.visit.resident.masked_name if self.visit.resident else None,
            resident_id=self.visit.resident_id, measurements=[], assessments_by_kind={},
            when=datetime.now(timezone.utc), on_done=self._pdf_done, on_error=self._pdf_failed)
        self._shown(True)

    def _pdf_done(self, path: Any) -> None:
        self._jobs.pop("pdf", None)
        self.report_path = path
        self.action_text = tr("PDF report saved as {file}. Staff at the help desk can print or send it.",
                              file=path.name)
        self._shown(True)

    def _pdf_failed(self, exc: BaseException) -> None:
        self._jobs.pop("pdf", None)
        log.error("PDF report failed: %s", type(exc).__name__)
        self.action_text = _("The report could not be made just now. Please ask a member of staff.")
        self._shown(True)

    def _discard(self) -> None:
        for job in self._jobs.values():
            job.discard()
        self._jobs.clear()

    def leave(self) -> None:
        for key in [k for k in self._jobs if k.startswith("read:")]:
            self._jobs.pop(key).discard()
        self.loading = False

    def reset_personal(self) -> None:
        self._discard()
        self.visit, self.series, self.kind, self.action_text = None, {}, "bp", ""
        self.loading = self._sample = False
        self.chart.clear()
        Screen.set_state(self, "default")
