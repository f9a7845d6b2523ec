"""Technician log viewer: the kiosk log and the device wire log, newest last, redacted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QScroller

from kiosk.i18n import N_, _, sentences, tr
from ui.screens import register_screen
from ui.tech_parts import TechScreen, set_selected, set_texts

TAIL_BYTES = 64 * 1024
TAIL_LINES = 300
LOGS = (("kiosk", N_("Kiosk log")), ("wire", N_("Device wire log")))
SAMPLE_LINES = (
    "2025-05-12 09:14:03,120 INFO    kiosk.runtime [MainThread] runtime started (demo=False, speech=pyttsx3)",
    "2025-05-12 09:14:04,871 INFO    kiosk.sync.relay [sync-relay] pushed 12 record(s)",
    "2025-05-12 09:20:45,002 WARNING devices.printer [port-printer] paper near end",
    "2025-05-12 09:21:10,530 INFO    kiosk.health [kiosk-io] measurement saved for 1xx****xxxx",
)


def log_file(which: str, config: Any) -> Path:
    from kiosk import paths
    from kiosk.logging_setup import KIOSK_LOG, WIRE_LOG

    return paths.log_dir(config) / (WIRE_LOG if which == "wire" else KIOSK_LOG)


def read_tail(path: Path, max_bytes: int = TAIL_BYTES, max_lines: int = TAIL_LINES) -> list[str]:
    """The last lines of ``path`` (newest last), redacted again for safety; [] when absent."""
    from kiosk.logging_setup import redact

    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - max_bytes))
            data = fh.read()
    except FileNotFoundError:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    if size > max_bytes and lines:
        lines = lines[1:]  # the first line was cut in the middle
    return [redact(line) for line in lines[-max_lines:]]


@register_screen
class TechLogsScreen(TechScreen):
    """States: default (kiosk log), wire (wire log), empty (no log file yet)."""

    name = "tech_logs"

    def build(self) -> None:
        self.which = "kiosk"
        self.lines: list[str] = []
        self.path = ""
        layout = self.tech_column()
        top = self.row()
        self.heading = self.label("techLogsHeading", "heading")
        top.addWidget(self.heading, 1)
        self.log_buttons = {which: self.choice(f"techLogs_{which}") for which, _words in LOGS}
        for btn in self.log_buttons.values():
            top.addWidget(btn)
        layout.addLayout(top)
        self.where = self.text("techLogsWhere", "tech")
        layout.addWidget(self.where)
        self.view = QPlainTextEdit()
        self.view.setObjectName("techLogsView")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        QScroller.grabGesture(self.view.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        layout.addWidget(self.view, 1)
        actions = self.row()
        self.earlier_button = self.action("techLogsEarlier", secondary=True)
        self.later_button = self.action("techLogsLater", secondary=True)
        self.refresh_button = self.action("techLogsRefresh")
        self.back_button = self.action("techLogsBack", secondary=True)
        for btn in (self.earlier_button, self.later_button, self.refresh_button):
            actions.addWidget(btn)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        layout.addLayout(actions)

    def retranslate(self) -> None:
        self.heading.setText(_("Logs"))
        for which, words in LOGS:
            set_texts(self.log_buttons[which], _(words))
            set_selected(self.log_buttons[which], which == self.which)
        if self.state == "empty":
            self.where.setText(_("No log has been written here yet."))
        else:
            self.where.setText(tr("{count} newest lines, newest last. Phone and ID numbers are masked.",
                                  count=len(self.lines)))
        self.view.setAccessibleName(_("Log lines"))
        set_texts(self.earlier_button, _("Earlier"), _("Show earlier lines"))
        set_texts(self.later_button, _("Later"), _("Show later lines"))
        set_texts(self.refresh_button, _("Refresh"))
        set_texts(self.back_button, _("Technician menu"))

    def connect_signals(self) -> None:
        for which, btn in self.log_buttons.items():
            btn.clicked.connect(lambda _c=False, w=which: self.load(w))
        self.earlier_button.clicked.connect(lambda: self._page(-1))
        self.later_button.clicked.connect(lambda: self._page(1))
        self.refresh_button.clicked.connect(lambda: self.load(self.which))
        self.back_button.clicked.connect(lambda: self.ctx.navigate("tech_home"))

    def prompt(self) -> str:
        return sentences(_("Logs."), self.where.text())

    def title(self) -> str:
        return _("Logs")

    def states(self) -> list[str]:
        return ["default", "wire", "empty"]

    def set_state(self, state: str) -> None:
        """Sample states for screenshots and the audit."""
        self.drop_pending()  # live results must not replace the sample
        self.which = "wire" if state == "wire" else "kiosk"
        lines = [] if state == "empty" else list(SAMPLE_LINES)
        if state == "wire":
            lines = ["2025-05-12 09:20:44,990 DEBUG   devices.wire.printer [port-printer] > 10 04 04",
                     "2025-05-12 09:20:45,001 DEBUG   devices.wire.printer [port-printer] < 1e"]
        self._show_lines(lines)

    def enter(self, **params: object) -> None:
        self.load(str(params.get("log", "kiosk")))

    # reading -----------------------------------------------------------------------------------
    def load(self, which: str) -> None:
        self.which = which
        path = log_file(which, self.ctx.config)
        self.retranslate()
        self.run(lambda: read_tail(path), self._show_lines)

    def _show_lines(self, lines: list[str]) -> None:
        self.lines = lines
        self.view.setPlainText("\n".join(lines))
        self.show_state("empty" if not lines else ("wire" if self.which == "wire" else "default"))
        self.view.moveCursor(QTextCursor.MoveOperation.End)  # newest last, in view
        self.view.ensureCursorVisible()

    def _page(self, direction: int) -> None:
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + direction * max(1, bar.pageStep()))
